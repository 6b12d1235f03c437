"""The portal's home pages and the staff dashboard: thin views over the apps' selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ravabet.network import selectors as network
from ravabet.network.auth import staff_required
from ravabet.network.permissions import Action, may
from ravabet.news import selectors as news
from ravabet.news.pagecache import cached_page


def _lang(request: HttpRequest) -> str:
    """The page's language: its news lists show only the items written in it."""
    return "en" if getattr(request, "LANGUAGE_CODE", "fa") == "en" else "fa"


@cached_page
def province_home(request: HttpRequest) -> HttpResponse:
    """The site root: the province's portal — the network's news and its offices as a tree."""
    lang = _lang(request)
    top = news.top_story(language=lang)
    return render(
        request,
        "portal/province_home.html",
        {
            # The template calls office_tree only when its cached fragment is out of date.
            "tree": network.office_tree,
            "network_version": network.network_version(),
            "quick_links": network.quick_links(None),
            "top_story": top,
            "latest": [i for i in news.latest(limit=11, language=lang) if i != top][:10],
            "most_viewed": news.most_viewed(limit=5, language=lang),
            "groups": news.by_group(per_group=4, language=lang),
        },
    )


@cached_page
def office_home(request: HttpRequest, office_slug: str) -> HttpResponse:
    """An office's portal: its top story, latest, most viewed and news by group (its subtree's)."""
    office = network.office_by_slug(office_slug)
    lang = _lang(request)
    top = news.top_story(office, subtree=True, language=lang)
    return render(
        request,
        "portal/office_home.html",
        {
            "office": office,
            "ancestors": network.ancestors(office),
            "children": network.children(office),  # lazy: read only if the fragment is stale
            "network_version": network.network_version(),
            "quick_links": network.quick_links(office),
            "top_story": top,
            "latest": [
                i for i in news.latest(office, limit=11, subtree=True, language=lang) if i != top
            ][:10],
            "most_viewed": news.most_viewed(office, limit=5, subtree=True, language=lang),
            "groups": news.by_group(office, per_group=4, subtree=True, language=lang),
        },
    )


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = list(network.memberships_of(request.user))
    offices = {m.office_id: m.office for m in memberships}.values()
    rows = [
        {
            "office": office,
            "roles": [m.get_role_display() for m in memberships if m.office_id == office.pk],
            "can_news": may(request.user, Action.NEWS_WRITE, office),
            "can_members": may(request.user, Action.OFFICE_MEMBERS, office),
            "can_audit": may(request.user, Action.AUDIT_VIEW, office),
            "can_demands": may(request.user, Action.DEMANDS_VIEW, office),
            "can_moderate": may(request.user, Action.COMMENTS_MODERATE, office),
        }
        for office in offices
    ]
    return render(request, "portal/dashboard.html", {"rows": rows})
