"""The portal's home pages and the staff dashboard: thin views over the apps' selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ravabet.events import selectors as events
from ravabet.network import selectors as network
from ravabet.network.auth import staff_required
from ravabet.network.language import active_language
from ravabet.network.permissions import Action, may
from ravabet.network.replica import reads_from_replica
from ravabet.news import selectors as news
from ravabet.news.pagecache import cached_page, depends_on, office_scope


@cached_page(params=())
@reads_from_replica
def province_home(request: HttpRequest) -> HttpResponse:
    """The site root: the province's portal — the network's news and its offices as a tree."""
    return render(
        request,
        "portal/province_home.html",
        {
            # The template calls office_tree only when its cached fragment is out of date.
            "tree": network.office_tree,
            "network_version": network.network_version(),
            "quick_links": network.quick_links(None),
            # Lists show only the items written in the page's language.
            **news.home_lists(language=active_language()),
        },
    )


@cached_page(params=())
@reads_from_replica
def office_home(request: HttpRequest, office_slug: str) -> HttpResponse:
    """An office's portal: its top story, latest, most viewed and news by group (its subtree's)."""
    office = network.office_by_slug(office_slug)
    # Retired by a change in the office's subtree only (news.pagecache.retire).
    depends_on(request, office_scope(office.pk))
    return render(
        request,
        "portal/office_home.html",
        {
            "office": office,
            "ancestors": network.ancestors(office),
            "children": network.children(office),  # lazy: read only if the fragment is stale
            "network_version": network.network_version(),
            "quick_links": network.quick_links(office),
            "events_line": events.portal_line(office),
            **news.home_lists(office, language=active_language()),
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
            "can_offices": may(request.user, Action.OFFICE_EDIT, office),
            "can_audit": may(request.user, Action.AUDIT_VIEW, office),
            "can_demands": may(request.user, Action.DEMANDS_VIEW, office),
            "can_elections": may(request.user, Action.ELECTIONS_MANAGE, office),
            "can_moderate": may(request.user, Action.COMMENTS_MODERATE, office),
            "can_events": may(request.user, Action.EVENTS_MANAGE, office),
            "can_council_report": may(request.user, Action.COUNCIL_REPORT, office),
        }
        for office in offices
    ]
    manages_council = any(may(request.user, Action.COUNCIL_MANAGE, office) for office in offices)
    return render(
        request, "portal/dashboard.html", {"rows": rows, "manages_council": manages_council}
    )
