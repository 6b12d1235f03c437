"""Thin views: the public election pages, the ballot (signed in, or with an in-room code), the
published ballots and their download, nominations, and the staff desk of an election.

The ballot views answer with the receipt in the response itself: no redirect, no session, no
message, no cache (`no-store`), and their POST data is hidden from error reports.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from ravabet.network import selectors as network
from ravabet.network.auth import staff_required
from ravabet.network.permissions import Action, may
from ravabet.network.ratelimit import rate_limited
from ravabet.network.services import require

from . import selectors, services
from .forms import (
    AnswerForm,
    BallotForm,
    CodeForm,
    DecisionForm,
    ElectionForm,
    NominateForm,
    PositionForm,
    ProxyForm,
    TellerForm,
    TellersForm,
)
from .models import Election

# Phones in one room share one address (the hall's Wi-Fi): the limit is per address and high
# enough for a full council; codes have 50 random bits, so guessing is hopeless anyway.
CODE_LIMIT: dict[str, Any] = {"limit": 600, "window": 600}


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    return response


# ----------------------------------------------------------------------------- public pages


def index(request: HttpRequest) -> HttpResponse:
    """Every public election, or one council's (``?council=<slug>``, linked from its page)."""
    slug = request.GET.get("council", "").strip()
    if slug:
        council = selectors.council_for_listing(slug)  # 404 for an unknown council
        elections = selectors.elections_of_council(council)
    else:
        council, elections = None, selectors.public_elections()
    return render(request, "elections/index.html", {"elections": elections, "council": council})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election(pk)
    if election.status == Election.Status.DRAFT and not may(
        request.user, Action.ELECTIONS_MANAGE, election
    ):
        raise Http404("not public yet")
    return render(
        request,
        "elections/detail.html",
        {
            "election": election,
            "positions": selectors.positions(election),
            "turnout": selectors.turnout(election),
            "results": selectors.results(election),
            "lines": selectors.lines_of(election, request.user),
            "may_nominate": election.status == Election.Status.NOMINATING
            and services.may_nominate(request.user, election),
            "my_nominations": (
                selectors.nominations_for(request.user, election)
                if request.user.is_authenticated
                else []
            ),
            "may_manage": may(request.user, Action.ELECTIONS_MANAGE, election),
        },
    )


def ballots(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election(pk)
    listed = selectors.published_ballots(election)
    if listed is None:
        raise Http404("not published")
    names = {
        str(c.pk): c.display_name
        for position in selectors.positions(election)
        for c in position.candidate_list  # type: ignore[attr-defined]
    }
    position_names = {str(p.pk): p.name for p in selectors.positions(election)}
    rows = [
        {
            "receipt": b["receipt"],
            "choices": [
                (
                    position_names.get(pid, pid),
                    _("Blank / abstain")
                    if answer == "blank"
                    else "، ".join(names.get(c, c) for c in answer),
                )
                for pid, answer in sorted(b["choices"].items(), key=lambda kv: int(kv[0]))
            ],
        }
        for b in listed
    ]
    return render(request, "elections/ballots.html", {"election": election, "rows": rows})


def ballots_json(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election(pk)
    data = selectors.export(election)
    if data is None:
        raise Http404("not published")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="election-{election.pk}.json"'
    return response


# ----------------------------------------------------------------------------- the vote


def _ballot_response(
    request: HttpRequest,
    election: Election,
    form: BallotForm,
    *,
    template: str,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    return _no_store(
        render(
            request,
            template,
            {"election": election, "form": form, **context},
            status=status,
        )
    )


def _voting_state_error(election: Election) -> services.VoteRefused | None:
    try:
        if election.mode == Election.Mode.PAPER:
            raise services.VoteRefused(_("This election is held on paper."), 409)
        if election.status != Election.Status.OPEN:
            if election.after_close:
                raise services.VoteRefused(_("Voting has closed."), 410)
            raise services.VoteRefused(_("Voting has not opened yet."), 409)
    except services.VoteRefused as refused:
        return refused
    return None


@never_cache
@sensitive_post_parameters()
@sensitive_variables()
@require_http_methods(["GET", "POST"])
@staff_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election(pk)
    positions = selectors.positions(election)
    lines = selectors.lines_of(election, request.user)
    form = BallotForm(request.POST or None, positions=positions)
    refused = _voting_state_error(election)
    if refused is None and not lines:
        refused = services.VoteRefused(_("You are not on this election's roll."), 403)
    if refused is None and all(line.has_voted for line in lines):
        refused = services.VoteRefused(_("This vote has already been cast."), 409)
    if refused is not None:
        return _ballot_response(
            request, election, form, template="elections/vote.html",
            status=refused.status, refused=refused.message, lines=lines,
        )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.cast_by_user(election, request.user, form.choices())
        except services.VoteRefused as refusal:
            return _ballot_response(
                request, election, form, template="elections/vote.html",
                status=refusal.status, refused=refusal.message, lines=lines,
            )  # fmt: skip
        return _no_store(
            render(request, "elections/receipt.html", {"election": election, "receipt": receipt})
        )
    status = 422 if request.method == "POST" else 200
    return _ballot_response(
        request, election, form, template="elections/vote.html", status=status, lines=lines
    )


@never_cache
@sensitive_post_parameters()
@sensitive_variables()
@require_http_methods(["GET", "POST"])
@rate_limited("elections.code", **CODE_LIMIT)
def vote_with_code(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election(pk)
    if election.mode != Election.Mode.IN_ROOM:
        raise Http404("not an in-room election")
    positions = selectors.positions(election)
    form = BallotForm(request.POST or None, positions=positions)
    code_form = CodeForm(request.POST or None)
    refused = _voting_state_error(election)
    if refused is not None:
        return _ballot_response(
            request, election, form, template="elections/code.html",
            status=refused.status, refused=refused.message, code_form=code_form,
        )  # fmt: skip
    if request.method == "POST":
        if form.is_valid() and code_form.is_valid():
            try:
                receipt = services.cast_by_code(
                    election, code_form.cleaned_data["code"], form.choices()
                )
            except services.VoteRefused as refusal:
                if refusal.status in (403, 409):
                    code_form.add_error("code", str(refusal.message))
                return _ballot_response(
                    request, election, form, template="elections/code.html",
                    status=refusal.status, refused=refusal.message, code_form=code_form,
                )  # fmt: skip
            return _no_store(
                render(
                    request, "elections/receipt.html", {"election": election, "receipt": receipt}
                )
            )
        return _ballot_response(
            request, election, form, template="elections/code.html",
            status=422, code_form=code_form,
        )  # fmt: skip
    return _ballot_response(
        request, election, form, template="elections/code.html", code_form=code_form
    )


# ----------------------------------------------------------------------------- candidacy


@require_http_methods(["GET", "POST"])
@staff_required
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election(pk)
    if not services.may_nominate(request.user, election):
        raise PermissionDenied("elections.nominate")
    form = NominateForm(request.POST or None, election=election)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.nominate(
                    request.user,
                    form.cleaned_data["position"],
                    form.cleaned_data["nominee"],
                    statement=form.cleaned_data["statement"],
                    request=request,
                )
                return redirect("elections:detail", pk=election.pk)
            except services.ElectionError as error:
                form.add_error(None, str(error.message))
                status = error.status
        else:
            status = 422
    return render(
        request, "elections/nominate.html", {"election": election, "form": form}, status=status
    )


@require_POST
@staff_required
def answer(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    election = selectors.election(pk)
    candidate = selectors.nominations_for(request.user, election).filter(pk=candidate_pk).first()
    if candidate is None:
        raise Http404("no such nomination of yours")
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        services.answer_nomination(
            request.user,
            candidate,
            accept=request.POST.get("accept") == "1",
            statement=form.cleaned_data.get("statement", ""),
            request=request,
        )
    except services.ElectionError as error:
        return render(
            request,
            "elections/problem.html",
            {"election": election, "message": error.message},
            status=error.status,
        )
    return redirect("elections:detail", pk=election.pk)


# ----------------------------------------------------------------------------- staff desk


def _staff_election(request: HttpRequest, office_slug: str, pk: int) -> Election:
    office = network.office_by_slug(office_slug)
    election = selectors.election(pk)
    if election.office_id != office.pk:
        raise Http404("not this office's election")
    require(request.user, Action.ELECTIONS_MANAGE, election, request)
    return election


@require_http_methods(["GET", "POST"])
@staff_required
def staff_list(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    require(request.user, Action.ELECTIONS_MANAGE, office, request)
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        election = services.create_election(
            request.user, office, request=request, **form.cleaned_data
        )
        return redirect("elections:manage", office_slug=office.slug, pk=election.pk)
    return render(
        request,
        "elections/staff_list.html",
        {"office": office, "form": form, "elections": selectors.elections_of(office)},
        status=422 if request.method == "POST" else 200,
    )


def _manage_page(
    request: HttpRequest, election: Election, status: int = 200, **forms: Any
) -> HttpResponse:
    office = election.office
    context = {
        "office": office,
        "election": election,
        "positions": selectors.positions(election, ("approved",)),
        "candidacies": selectors.candidacies(election),
        "roll": selectors.roll(election),
        "turnout": selectors.turnout(election),
        "sealed": election.result if election.after_close else None,
        "position_form": forms.get("position_form") or PositionForm(),
        "proxy_form": forms.get("proxy_form") or ProxyForm(election=election),
        "tellers_form": forms.get("tellers_form") or TellersForm(),
        "tellers": selectors.tellers_of(election),
        "error": forms.get("error"),
        "codes": forms.get("codes"),
    }
    return render(request, "elections/manage.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def manage(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    election = _staff_election(request, office_slug, pk)
    if request.method == "GET":
        return _manage_page(request, election)
    step = request.POST.get("step", "")
    forms: dict[str, Any] = {}
    try:
        if step == "position":
            form = PositionForm(request.POST)
            forms["position_form"] = form
            if not form.is_valid():
                return _manage_page(request, election, 422, **forms)
            services.add_position(request.user, election, request=request, **form.cleaned_data)
        elif step == "roll":
            services.refresh_roll(request.user, election, request=request)
        elif step == "proxy":
            proxy_form = ProxyForm(request.POST, election=election)
            forms["proxy_form"] = proxy_form
            if not proxy_form.is_valid():
                return _manage_page(request, election, 422, **forms)
            services.record_proxy(
                request.user,
                election,
                proxy_form.cleaned_data["line"].office,
                proxy_form.cleaned_data["user"],
                request=request,
            )
        elif step == "tellers":
            tellers_form = TellersForm(request.POST)
            forms["tellers_form"] = tellers_form
            if not tellers_form.is_valid():
                return _manage_page(request, election, 422, **forms)
            services.name_tellers(
                request.user, election, tellers_form.cleaned_data["usernames"], request=request
            )
        elif step == "confirm":
            services.confirm_board(request.user, election, request=request)
        elif step == "nominations":
            services.open_nominations(request.user, election, request=request)
        elif step in ("approve", "reject"):
            candidate = (
                selectors.candidacies(election)
                .filter(pk=request.POST.get("candidate") or 0)
                .first()
            )
            if candidate is None:
                raise Http404("no such candidacy")
            note = DecisionForm(request.POST)
            note.is_valid()
            services.decide_candidacy(
                request.user, candidate, approve=step == "approve",
                note=note.cleaned_data.get("note", ""), request=request,
            )  # fmt: skip
        elif step == "open":
            services.open_voting(request.user, election, request=request)
        elif step == "codes":
            lines = list(selectors.roll(election).filter(pk__in=request.POST.getlist("elector")))
            codes = services.issue_codes(request.user, election, lines, request=request)
            printed = [(line, codes[line.pk]) for line in lines if line.pk in codes]
            election.refresh_from_db()
            return _no_store(_manage_page(request, election, codes=printed))
        elif step == "close":
            services.close_voting(request.user, election, request=request)
        elif step == "publish":
            services.publish_results(request.user, election, request=request)
        else:
            return _manage_page(request, election, 400, error=_("Unknown step."))
    except services.ElectionError as error:
        election.refresh_from_db()
        return _manage_page(request, election, error.status, error=error.message, **forms)
    return redirect("elections:manage", office_slug=office_slug, pk=pk)


@require_http_methods(["GET", "POST"])
@staff_required
def count(request: HttpRequest, pk: int) -> HttpResponse:
    """A teller enters the paper count (twice, by two tellers)."""
    election = selectors.election(pk)
    if not selectors.is_teller(election, request.user):
        raise PermissionDenied("elections.count")
    form = TellerForm(request.POST or None, positions=selectors.positions(election))
    outcome, status, error = "", 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                _entry, outcome = services.enter_paper_count(
                    request.user, election, form.counts(), request=request
                )
            except services.ElectionError as refusal:
                error, status = refusal.message, refusal.status
        else:
            status = 422
    return render(
        request,
        "elections/count.html",
        {"election": election, "form": form, "outcome": outcome, "error": error},
        status=status,
    )


def export_text(election: Election) -> str:
    """The download as text (for tests and the demo)."""
    return json.dumps(selectors.export(election), ensure_ascii=False)
