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
    PageType("office-home-contact", "/kahrizak/"),
    PageType("office-home-leaf-en", "/en/salehabad/"),
    PageType("not-found", "/no-such-office/", status=404),
    PageType("sign-in", "/accounts/login/"),
    PageType("password-reset", "/accounts/password-reset/"),
    PageType("staff-desk", "/staff/", staff=True),
    PageType("staff-members", "/staff/ilam/members/", staff=True),
    PageType("staff-audit-log", "/staff/ilam/audit/?subtree=1", staff=True),
]

# RSS/Atom feeds, each parsed by feedparser with no bozo flag: one line per feed.
FEEDS: list[str] = []

# Sitemaps (or sitemap indexes), each checked as well-formed sitemap XML: one line per sitemap.
SITEMAPS: list[str] = []
