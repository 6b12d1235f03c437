"""The council's public pages on the portal: councils, a council, the decisions register, a
decision and a meeting. Thin: reads through `selectors`, nothing written."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ravabet.network.paging import page_number
from ravabet.network.ratelimit import rate_limited

from . import selectors
from .models import DecisionStatus
from .public_forms import RegisterForm


def councils(request: HttpRequest) -> HttpResponse:
    return render(
        request, "council/public/councils.html", {"councils": selectors.public_councils()}
    )


def council(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.public_council(slug)
    page = selectors.council_page(found)
    return render(
        request,
        "council/public/council.html",
        {"page": page, "council": found, "statuses": DecisionStatus.choices},
    )


# Words in the register go to the search app: limited like the search page.
@rate_limited("council-register", limit=60, window=60, methods=("GET",))
def register(request: HttpRequest) -> HttpResponse:
    choices = selectors.register_choices()
    form = RegisterForm(request.GET or None, choices=choices)
    status = 200
    query = selectors.RegisterQuery()
    if form.is_bound:
        if form.is_valid():
            query = form.query()
        else:
            status = 400
    page = selectors.register_decisions(query, page=page_number(request, last=400))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "council/public/register.html",
        {"form": form, "page": page, "query": params.urlencode()},
        status=status,
    )


def decision(request: HttpRequest, code: str) -> HttpResponse:
    found, reports, co_offices, status = selectors.public_decision(code)
    return render(
        request,
        "council/public/decision.html",
        {
            "decision": found,
            "reports": reports,
            "co_offices": co_offices,
            "status": status,
            "status_label": dict(DecisionStatus.choices)[status],
            "meeting_public": selectors.meeting_is_public(found.meeting_id),
            "superseded_public": selectors.decision_is_public(found.superseded_by),
        },
    )


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "council/public/meeting.html", {"m": selectors.public_meeting(pk)})
