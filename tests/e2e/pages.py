"""Every page type the browser tests, the HTML checker and Lighthouse judge: ONE list.

An app adds its pages by appending one line to PAGES (and its feeds / sitemaps to FEEDS /
SITEMAPS). `path` is a literal path or a function of the running server that returns one (for
pages whose address depends on data, e.g. "the newest news item"). Staff pages are fetched by
the demo manager (`manager`, PR manager of /ilam/, signed in with both steps).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ravabet.liveserver import LiveServer


@dataclass(frozen=True)
class PageType:
    name: str
    path: str | Callable[[LiveServer], str]
    staff: bool = False
    lighthouse: bool = False
    status: int = 200

    def resolve(self, server: LiveServer) -> str:
        return self.path if isinstance(self.path, str) else self.path(server)


PAGES: list[PageType] = [
    PageType("province-home", "/", lighthouse=True),
    PageType("province-home-en", "/en/"),
    PageType("office-home", "/ilam-governorate/", lighthouse=True),
    PageType("office-home-contact", "/ilam/"),
    PageType("office-home-leaf-en", "/en/salehabad/"),
    PageType("not-found", "/no-such-office/", status=404),
    PageType("sign-in", "/accounts/login/"),
    PageType("password-reset", "/accounts/password-reset/"),
    PageType("staff-desk", "/staff/", staff=True),
    PageType("staff-members", "/staff/ilam/members/", staff=True),
    PageType("staff-audit-log", "/staff/ilam/audit/?subtree=1", staff=True),
    PageType("staff-offices", "/staff/ilam/offices/", staff=True),
    PageType("staff-office-edit", "/staff/ilam/offices/ilam-governorate/", staff=True),
    PageType(
        "staff-audit-log-filtered", "/staff/ilam/audit/?subtree=1&action=news.photo_add", staff=True
    ),
    # newsroom (demo news 1001 has a photo, tags and a group; 1010 is its English translation)
    PageType("news-page", "/news/1001/", lighthouse=True),
    PageType("news-page-en", "/news/1010/"),
    PageType("news-latest", "/news/"),
    PageType("news-group", "/news/group/council/"),
    PageType("news-tag", "/news/tag/شورای-هماهنگی/"),
    PageType("news-archive", "/news/archive/"),
    PageType("news-print", "/news/print/1001/"),
    PageType("staff-newsroom", "/staff/ilam-governorate/news/", staff=True),
    PageType("staff-news-new", "/staff/ilam-governorate/news/new/", staff=True),
    PageType("staff-news-edit", "/staff/news/1004/", staff=True),
    PageType("staff-news-revisions", "/staff/news/1004/revisions/", staff=True),
    # search
    PageType("search", "/search/?q=روابطعمومیها"),
    PageType("search-empty", "/search/?q=واژه‌ای-که-نیست"),
    # citizens' demands and responsiveness
    PageType("demand-form", "/ilam-governorate/demands/new/"),
    PageType("demand-track", "/demands/track/"),
    PageType("demand-choose-office", "/demands/new/"),
    PageType("responsiveness", "/responsiveness/"),
    PageType("office-responsiveness", "/ilam-governorate/responsiveness/"),
    PageType("demands-published", "/demands/published/"),
    PageType("staff-demands-inbox", "/staff/ilam-governorate/demands/", staff=True),
    PageType("staff-demands-deadlines", "/staff/ilam-governorate/demands/deadlines/", staff=True),
    # comments
    PageType("staff-comments-queue", "/staff/ilam-governorate/comments/", staff=True),
    # experience write-ups (demo write-up 1: public, of the governorate; 3: network only)
    PageType("experiences-list", "/experiences/"),
    PageType("experiences-list-filtered", "/experiences/?kind=crisis&year=1405"),
    PageType("experience-page", "/experiences/1/"),
    PageType("experience-page-network", "/experiences/3/", staff=True),
    PageType("experience-versions", "/experiences/1/versions/", staff=True),
    PageType("staff-experiences", "/staff/experiences/", staff=True),
    PageType("staff-experience-new", "/staff/experiences/new/ilam-governorate/", staff=True),
    PageType("staff-experience-edit", "/experiences/1/edit/", staff=True),
    PageType("experiences-directory", "/experiences/network/", staff=True),
    # council: public side and desks (councilpub)
    PageType("councils", "/councils/"),
    PageType("council-page", "/councils/ilam-agencies/"),
    PageType("council-register", "/councils/decisions/", lighthouse=True),
    PageType("council-register-filtered", "/councils/decisions/?status=overdue&q=آموزش"),
    PageType("council-register-en", "/en/councils/decisions/"),
    PageType("council-decision", "/councils/decisions/ILM-1-2/"),
    PageType("staff-council-desk", "/staff/councils/desk/", staff=True),
    PageType("staff-our-decisions", "/staff/ilam-governorate/decisions/", staff=True),
]

# RSS/Atom feeds, each parsed by feedparser with no bozo flag: one line per feed.
FEEDS: list[str] = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/office/ilam-governorate/rss/",
    "/feeds/group/council/atom/",
    "/feeds/tag/%D8%B4%D9%88%D8%B1%D8%A7%DB%8C-%D9%87%D9%85%D8%A7%D9%87%D9%86%DA%AF%DB%8C/rss/",
]

# Sitemaps (or sitemap indexes), each checked as well-formed sitemap XML: one line per sitemap.
SITEMAPS: list[str] = ["/sitemap.xml", "/news-sitemap.xml"]
