"""The portal's home pages and the staff dashboard: thin views over the apps' selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ravabet.network import selectors as network
from ravabet.network.auth import staff_required
from ravabet.network.permissions import Action, may


def province_home(request: HttpRequest) -> HttpResponse:
    """The site root: the province's portal, listing the network's offices as a tree."""
    return render(
        request,
        "portal/province_home.html",
        {"tree": network.office_tree(), "quick_links": network.quick_links(None)},
    )


def office_home(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    return render(
        request,
        "portal/office_home.html",
        {
            "office": office,
            "ancestors": network.ancestors(office),
            "children": network.children(office),
            "quick_links": network.quick_links(office),
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
            "can_members": may(request.user, Action.OFFICE_MEMBERS, office),
            "can_audit": may(request.user, Action.AUDIT_VIEW, office),
            "can_demands": may(request.user, Action.DEMANDS_VIEW, office),
        }
        for office in offices
    ]
    return render(request, "portal/dashboard.html", {"rows": rows})
