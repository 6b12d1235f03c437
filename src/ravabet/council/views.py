"""Thin staff views of the council core: councils, meetings, agenda, invitations and answers,
attendance, minutes (edit, circulate, object, approve, new version, PDF), decisions and their
follow-up, the meeting's .ics and the personal calendar feed. Reads go through `selectors`,
writes through `services`; a refused input keeps what was typed (422, or 409 for a conflict)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ravabet.network import ics, pdf
from ravabet.network.auth import staff_required
from ravabet.network.jalali import format_date, to_jalali_parts
from ravabet.network.permissions import Action, may
from ravabet.network.text import to_persian_digits

from . import selectors, services
from .forms import (
    AgendaItemForm,
    AttendanceForm,
    CancelForm,
    CloseDecisionForm,
    CouncilForm,
    DeadlineForm,
    DecisionForm,
    EditMeetingForm,
    EndForm,
    JoinGroupForm,
    MeetingForm,
    MinutesForm,
    ObjectionForm,
    ProposalForm,
    ReasonForm,
    ReportForm,
    RsvpForm,
    SeatForm,
    WorkingGroupForm,
    minutes_field,
)
from .models import Council, Decision, Meeting, MeetingState, MinutesVersion

UNPROCESSABLE = 422


def _errors_to_form(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _council(request: HttpRequest, slug: str) -> Council:
    council = selectors.council_by_slug(slug)
    if not selectors.can_see_council(request.user, council):
        raise Http404(_("No such council."))
    return council


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = selectors.meeting_by_id(pk)
    if not selectors.can_see_meeting(request.user, meeting):
        raise Http404(_("No such meeting."))
    return meeting


def _decision(request: HttpRequest, pk: int) -> Decision:
    decision = selectors.decision_by_id(pk)
    if not selectors.can_see_decision(request.user, decision):
        raise Http404(_("No such decision."))
    return decision


def _to_meeting(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(
        reverse("council:meeting", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")
    )


# --------------------------------------------------------------------------- councils


@staff_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    councils = list(selectors.councils_for(request.user))
    may_create = selectors.councils_offices(request.user).exists()
    return render(request, "council/index.html", {"councils": councils, "may_create": may_create})


@staff_required
@require_GET
def council(request: HttpRequest, slug: str) -> HttpResponse:
    body = _council(request, slug)
    groups = selectors.working_groups(body)
    offices = selectors.body_offices(body)
    context = {
        "council": body,
        "seats": selectors.open_seats(body),
        "groups": groups,
        "meetings": selectors.meetings_of(body),
        "proposals": selectors.open_proposals(body),
        "may_manage": services.may_manage(request.user, body),
        "proposal_form": ProposalForm(
            offices=selectors.acting_offices(request.user, Action.COUNCIL_TAKE_PART, offices),
            groups=groups,
        ),
    }
    return render(request, "council/council.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def new_meeting(request: HttpRequest, slug: str) -> HttpResponse:
    body = _council(request, slug)
    groups = selectors.working_groups(body)
    if not services.may_manage(request.user, body) and not any(
        services.may_manage(request.user, body, g) for g in groups
    ):
        raise PermissionDenied(str(Action.COUNCIL_MANAGE))
    form = MeetingForm(
        request.POST or None,
        groups=groups,
        offices=selectors.body_offices(body),
        initial={"working_group": request.GET.get("group", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = (
            selectors.group_by_slug(body, data["working_group"]) if data["working_group"] else None
        )
        try:
            meeting = services.create_meeting(
                request.user,
                body,
                working_group=group,
                number=data["number"],
                title=data["title"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_link=data["video_link"],
                host_office=data["host_office"],
                is_public=data["is_public"],
                request=request,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The meeting was created as a draft; nobody is told yet."))
            return _to_meeting(meeting)
    status = UNPROCESSABLE if request.method == "POST" else 200
    return render(
        request, "council/meeting_form.html", {"council": body, "form": form}, status=status
    )


@staff_required
@require_POST
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    body = _council(request, slug)
    groups = selectors.working_groups(body)
    offices = selectors.acting_offices(
        request.user, Action.COUNCIL_TAKE_PART, selectors.body_offices(body)
    )
    form = ProposalForm(request.POST, offices=offices, groups=groups)
    if form.is_valid():
        data = form.cleaned_data
        group = (
            selectors.group_by_slug(body, data["working_group"]) if data["working_group"] else None
        )
        try:
            services.propose_item(
                request.user,
                body,
                data["office"],
                title=data["title"],
                note=data["note"],
                planned_minutes=data["planned_minutes"],
                working_group=group,
                request=request,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Your proposal is on the list for the next meeting."))
            return redirect(reverse("council:council", args=[body.slug]) + "#proposals")
    return render(
        request,
        "council/proposal_form.html",
        {"council": body, "form": form},
        status=UNPROCESSABLE,
    )


# --------------------------------------------------------------------------- setting up


@staff_required
@require_http_methods(["GET", "POST"])
def new_council(request: HttpRequest) -> HttpResponse:
    offices = selectors.councils_offices(request.user)
    if not offices.exists():
        raise PermissionDenied(str(Action.COUNCIL_MANAGE))
    form = CouncilForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            body = services.create_council(
                request.user, data["office"], name_fa=data["name_fa"], name_en=data["name_en"],
                slug=data["slug"], code=data["code"], kind=data["kind"],
                quorum_rule=data["quorum_rule"], quorum_count=data["quorum_count"],
                objection_days=data["objection_days"], is_public=data["is_public"],
                request=request,
            )  # fmt: skip
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The council was created; now give its seats."))
            return redirect(reverse("council:members", args=[body.slug]))
    status = UNPROCESSABLE if request.method == "POST" else 200
    return render(request, "council/council_form.html", {"form": form}, status=status)


def _members_context(request: HttpRequest, body: Council, **forms: Any) -> dict[str, Any]:
    candidates = selectors.seat_candidates(body)
    groups = selectors.working_groups(body)
    return {
        "council": body,
        "seats": selectors.seat_history(body),
        "groups": [(g, selectors.group_memberships(g)) for g in groups],
        "seat_form": forms.get("seat_form")
        or SeatForm(offices=candidates, managers=selectors.office_managers(candidates)),
        "end_form": EndForm(),
        "group_form": forms.get("group_form") or WorkingGroupForm(offices=candidates),
        "join_form": forms.get("join_form") or JoinGroupForm(offices=candidates, groups=groups),
    }


def _require_manage(request: HttpRequest, body: Council) -> None:
    if not services.may_manage(request.user, body):
        raise PermissionDenied(str(Action.COUNCIL_MANAGE))


@staff_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """The council's seats (with their history) and working groups; give a seat."""
    body = _council(request, slug)
    _require_manage(request, body)
    if request.method == "GET":
        return render(request, "council/members.html", _members_context(request, body))
    candidates = selectors.seat_candidates(body)
    form = SeatForm(
        request.POST, offices=candidates, managers=selectors.office_managers(candidates)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assign_seat(
                request.user, body, data["office"], data["position"], start=data["start"],
                holder=data["holder_user"], request=request,
            )  # fmt: skip
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The seat was given."))
            return redirect(reverse("council:members", args=[body.slug]))
    context = _members_context(request, body, seat_form=form)
    return render(request, "council/members.html", context, status=UNPROCESSABLE)


@staff_required
@require_POST
def end_seat(request: HttpRequest, slug: str, seat_id: int) -> HttpResponse:
    body = _council(request, slug)
    seat = selectors.seat_by_id(body, seat_id)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
        services.end_seat(request.user, seat, end=form.cleaned_data["end"], request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        context = _members_context(request, body)
        return render(request, "council/members.html", context, status=UNPROCESSABLE)
    messages.success(request, _("The seat was ended; the office's open decisions stay with it."))
    return redirect(reverse("council:members", args=[body.slug]))


@staff_required
@require_POST
def new_group(request: HttpRequest, slug: str) -> HttpResponse:
    body = _council(request, slug)
    _require_manage(request, body)
    form = WorkingGroupForm(request.POST, offices=selectors.seat_candidates(body))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.create_working_group(
                request.user, body, name_fa=data["name_fa"], slug=data["slug"],
                code=data["code"], lead_office=data["lead_office"], topic=data["topic"],
                secretary_office=data["secretary_office"], request=request,
            )  # fmt: skip
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The working group was created."))
            return redirect(reverse("council:members", args=[body.slug]) + "#groups")
    context = _members_context(request, body, group_form=form)
    return render(request, "council/members.html", context, status=UNPROCESSABLE)


@staff_required
@require_POST
def join_group(request: HttpRequest, slug: str) -> HttpResponse:
    body = _council(request, slug)
    groups = selectors.working_groups(body)
    form = JoinGroupForm(request.POST, offices=selectors.seat_candidates(body), groups=groups)
    if form.is_valid():
        data = form.cleaned_data
        group = selectors.group_by_slug(body, data["group"])
        try:
            services.join_group(
                request.user, group, data["office"], joined=data["joined"], request=request
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect(reverse("council:members", args=[body.slug]) + "#groups")
    context = _members_context(request, body, join_form=form)
    return render(request, "council/members.html", context, status=UNPROCESSABLE)


@staff_required
@require_POST
def leave_group(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    body = _council(request, slug)
    membership = selectors.group_membership(body, membership_id)
    end = EndForm(request.POST)
    try:
        if not end.is_valid():
            raise ValidationError([str(e) for errs in end.errors.values() for e in errs])
        services.leave_group(
            request.user, membership, left=end.cleaned_data["end"], request=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        context = _members_context(request, body)
        return render(request, "council/members.html", context, status=UNPROCESSABLE)
    return redirect(reverse("council:members", args=[body.slug]) + "#groups")


# --------------------------------------------------------------------------- meetings


def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    manage = services.may_manage(request.user, meeting.council, meeting.working_group)
    items = selectors.agenda(meeting)
    offices = selectors.body_offices(meeting.council, meeting.working_group)
    mine = selectors.my_invitations(request.user, meeting)
    proposals = [
        p
        for p in selectors.open_proposals(meeting.council)
        if p.working_group_id == meeting.working_group_id
    ]
    return {
        "meeting": meeting,
        "agenda": items,
        "follow_up": selectors.follow_up_decisions(meeting),
        "invitations": selectors.invitations(meeting),
        "my_invitations": [
            (i, RsvpForm(prefix=f"rsvp{i.pk}", initial={"answer": i.answer})) for i in mine
        ],
        "attendance": selectors.attendance(meeting),
        "quorum": selectors.quorum(meeting) if meeting.state != MeetingState.DRAFT else None,
        "decisions": selectors.decisions_of_meeting(meeting),
        "minutes": selectors.minutes_of(meeting),
        "may_manage": manage,
        "agenda_form": AgendaItemForm(offices=offices) if manage else None,
        "proposals": proposals if manage else [],
        "cancel_form": CancelForm() if manage else None,
        "States": MeetingState,
    }


@staff_required
@never_cache
@require_GET
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    current = _meeting(request, pk)
    return render(request, "council/meeting.html", _meeting_context(request, current))


@staff_required
@require_http_methods(["GET", "POST"])
def edit_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    current = _meeting(request, pk)
    y, m, d = to_jalali_parts(current.starts_at)
    local = timezone.localtime(current.starts_at)
    initial = {
        "title": current.title,
        "starts_at": f"{y}/{m:02d}/{d:02d} {local.hour:02d}:{local.minute:02d}",
        "duration_minutes": current.duration_minutes,
        "place": current.place,
        "video_link": current.video_link,
        "host_office": current.host_office_id,
        "is_public": current.is_public,
    }
    form = EditMeetingForm(
        request.POST or None,
        initial=initial,
        offices=selectors.body_offices(current.council, current.working_group),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(request.user, current, request=request, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return _to_meeting(current)
    status = UNPROCESSABLE if request.method == "POST" else 200
    return render(
        request,
        "council/meeting_form.html",
        {"council": current.council, "form": form, "meeting": current},
        status=status,
    )


def _action_failed(request: HttpRequest, meeting: Meeting, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    context = _meeting_context(request, meeting)
    return render(request, "council/meeting.html", context, status=409)


@staff_required
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """invite, start, close, cancel."""
    current = _meeting(request, pk)
    try:
        if action == "invite":
            count = services.invite(request.user, current, request=request)
            messages.success(
                request,
                _("%(count)s offices were invited; each got the invitation with a calendar file.")
                % {"count": to_persian_digits(str(count))},
            )
        elif action in ("start", "close"):
            services.move_meeting(request.user, current, action, request=request)
        elif action == "cancel":
            form = CancelForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say why the meeting is cancelled."))
            services.cancel_meeting(
                request.user, current, reason=form.cleaned_data["reason"], request=request
            )
        else:
            raise Http404()
    except ValidationError as error:
        return _action_failed(request, selectors.meeting_by_id(pk), error)
    return _to_meeting(current)


@staff_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    current = _meeting(request, pk)
    form = AgendaItemForm(
        request.POST, offices=selectors.body_offices(current.council, current.working_group)
    )
    if form.is_valid():
        try:
            services.add_agenda_item(request.user, current, request=request, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return _to_meeting(current, "agenda")
    context = _meeting_context(request, current)
    context["agenda_form"] = form
    return render(request, "council/meeting.html", context, status=UNPROCESSABLE)


@staff_required
@require_POST
def agenda_item_action(request: HttpRequest, pk: int, item_id: int, action: str) -> HttpResponse:
    current = _meeting(request, pk)
    item = next((i for i in selectors.agenda(current) if i.pk == item_id), None)
    if item is None:
        raise Http404(_("No such agenda item."))
    try:
        if action == "up":
            services.move_agenda_item(request.user, item, -1, request=request)
        elif action == "down":
            services.move_agenda_item(request.user, item, 1, request=request)
        elif action == "remove":
            services.remove_agenda_item(request.user, item, request=request)
        else:
            raise Http404()
    except ValidationError as error:
        return _action_failed(request, current, error)
    return _to_meeting(current, "agenda")


@staff_required
@require_POST
def schedule_proposal(request: HttpRequest, pk: int, proposal_id: int) -> HttpResponse:
    current = _meeting(request, pk)
    proposal = next(
        (p for p in selectors.open_proposals(current.council) if p.pk == proposal_id), None
    )
    if proposal is None:
        raise Http404(_("No such proposal."))
    try:
        if request.POST.get("decline"):
            services.decline_proposal(request.user, proposal, request=request)
        else:
            services.add_agenda_item(
                request.user,
                current,
                title=proposal.title,
                presenter_office=proposal.office,
                planned_minutes=proposal.planned_minutes,
                proposal=proposal,
                request=request,
            )
    except ValidationError as error:
        return _action_failed(request, current, error)
    return _to_meeting(current, "agenda")


@staff_required
@require_POST
def rsvp(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    current = _meeting(request, pk)
    invitation = next(
        (i for i in selectors.my_invitations(request.user, current) if i.pk == invitation_id), None
    )
    if invitation is None:
        raise PermissionDenied(str(Action.COUNCIL_TAKE_PART))
    form = RsvpForm(request.POST, prefix=f"rsvp{invitation.pk}")
    if form.is_valid():
        try:
            services.rsvp(
                request.user,
                invitation,
                form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            return _action_failed(request, current, error)
        messages.success(request, _("Your answer was recorded."))
        return _to_meeting(current, "invitations")
    context = _meeting_context(request, current)
    context["my_invitations"] = [
        (i, form if i.pk == invitation.pk else f) for i, f in context["my_invitations"]
    ]
    return render(request, "council/meeting.html", context, status=UNPROCESSABLE)


@staff_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    current = _meeting(request, pk)
    if not services.may_manage(request.user, current.council, current.working_group):
        raise PermissionDenied(str(Action.COUNCIL_MANAGE))
    form = AttendanceForm(request.POST or None, rows=selectors.attendance_sheet(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.take_attendance(request.user, current, form.cleaned_rows(), request=request)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            q = selectors.quorum(current)
            if q.met:
                messages.success(request, _("Attendance was recorded; the quorum is met."))
            else:
                messages.warning(request, _("Attendance was recorded; the quorum is NOT met."))
            return _to_meeting(current, "attendance")
    status = UNPROCESSABLE if request.method == "POST" else 200
    return render(
        request,
        "council/attendance.html",
        {"meeting": current, "form": form, "quorum": selectors.quorum(current)},
        status=status,
    )


@staff_required
@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    current = _meeting(request, pk)
    body = ics.calendar([services.meeting_event(current)])
    return ics.response(body, f"meeting-{current.pk}.ics")


# --------------------------------------------------------------------------- minutes


def _minutes_context(
    request: HttpRequest, current: Meeting, form: MinutesForm | None = None, **extra: Any
) -> dict[str, Any]:
    view = selectors.minutes_of(current)
    version = view.version
    manage = services.may_manage(request.user, current.council, current.working_group)
    items = [item for item, _text in view.entries]
    if form is None and version is not None and version.state == MinutesVersion.State.DRAFT:
        initial: dict[str, Any] = {minutes_field(item.pk): value for item, value in view.entries}
        initial.update({"revision": version.revision, "summary": version.summary})
        form = MinutesForm(initial=initial, items=items)
    objection_offices = selectors.acting_offices(
        request.user,
        Action.COUNCIL_TAKE_PART,
        selectors.offices_by_ids([i.office_id for i in selectors.invitations(current)]),
    )
    chair = services.chair_office(current.council, current.working_group)
    return {
        "meeting": current,
        "view": view,
        "version": version,
        "form": form if manage else None,
        "may_manage": manage,
        "may_approve": may(request.user, Action.COUNCIL_APPROVE, chair),
        "chair": chair,
        "objections": selectors.objections(version) if version else [],
        "objection_form": ObjectionForm(offices=objection_offices)
        if version is not None and version.state == MinutesVersion.State.CIRCULATED
        else None,
        "reason_form": ReasonForm(),
        "decisions": selectors.decisions_of_meeting(current),
        "decision_form": DecisionForm(
            offices=selectors.body_offices(current.council, current.working_group), items=items
        )
        if manage and version is not None and version.state == MinutesVersion.State.DRAFT
        else None,
        "quorum": selectors.quorum(current),
        "States": MinutesVersion.State,
        **extra,
    }


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    current = _meeting(request, pk)
    view = selectors.minutes_of(current)
    if request.method == "GET":
        return render(request, "council/minutes.html", _minutes_context(request, current))
    if view.version is None:
        raise Http404(_("The minutes are opened when the meeting starts."))
    form = MinutesForm(request.POST, items=[item for item, _t in view.entries])
    if not form.is_valid():
        return render(
            request,
            "council/minutes.html",
            _minutes_context(request, current, form),
            status=UNPROCESSABLE,
        )
    try:
        services.save_minutes(
            request.user,
            view.version,
            base_revision=form.cleaned_data["revision"],
            texts=form.texts(),
            summary=form.cleaned_data["summary"],
            request=request,
        )
    except services.MinutesConflict as conflict:
        # Nothing is lost: the form keeps what this editor typed, the page shows the other's
        # text beside it, and the next save starts from the other's revision.
        data = request.POST.copy()
        data["revision"] = str(conflict.version.revision)
        kept = MinutesForm(data, items=form.items)
        kept.is_valid()
        theirs = [
            (
                item,
                conflict.texts.get(item.pk, ""),
                form.cleaned_data.get(minutes_field(item.pk), ""),
            )
            for item in form.items
        ]
        who = conflict.version.updated_by
        context = _minutes_context(
            request,
            current,
            kept,
            conflict=theirs,
            conflict_summary=conflict.summary,
            conflict_by=(who.get_full_name() or who.get_username()) if who else "",
        )
        return render(request, "council/minutes.html", context, status=409)
    except ValidationError as error:
        form.add_error(None, error)
        return render(
            request, "council/minutes.html", _minutes_context(request, current, form), status=409
        )
    messages.success(request, _("The minutes were saved."))
    return redirect(reverse("council:minutes", args=[current.pk]))


@staff_required
@require_POST
def minutes_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """circulate, reopen, approve, new-version, object."""
    current = _meeting(request, pk)
    view = selectors.minutes_of(current)
    version = view.version
    if version is None:
        raise Http404(_("The minutes are opened when the meeting starts."))
    try:
        if action == "circulate":
            version = services.circulate_minutes(request.user, version, request=request)
            if version.objection_deadline:
                messages.success(
                    request,
                    _("The minutes were sent to the members; objections until %(day)s.")
                    % {"day": format_date(version.objection_deadline)},
                )
        elif action == "reopen":
            services.reopen_minutes(request.user, version, request=request)
        elif action == "approve":
            services.approve_minutes(request.user, version, request=request)
            messages.success(request, _("The minutes were approved and are now locked."))
        elif action == "new-version":
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.new_minutes_version(
                request.user, version.minutes, reason=reason, request=request
            )
        elif action == "object":
            offices = selectors.acting_offices(
                request.user,
                Action.COUNCIL_TAKE_PART,
                selectors.offices_by_ids([i.office_id for i in selectors.invitations(current)]),
            )
            objection = ObjectionForm(request.POST, offices=offices)
            if not objection.is_valid():
                context = _minutes_context(request, current)
                context["objection_form"] = objection
                return render(request, "council/minutes.html", context, status=UNPROCESSABLE)
            services.object_to_minutes(
                request.user,
                version,
                objection.cleaned_data["office"],
                objection.cleaned_data["text"],
                request=request,
            )
            messages.success(request, _("Your objection was recorded."))
        else:
            raise Http404()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return render(
            request, "council/minutes.html", _minutes_context(request, current), status=409
        )
    return redirect(reverse("council:minutes", args=[current.pk]))


@staff_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    current = _meeting(request, pk)
    number = request.GET.get("version")
    view = selectors.minutes_of(current, int(number) if number and number.isdigit() else None)
    if view.version is None:
        raise Http404(_("The minutes are opened when the meeting starts."))
    context = {
        "meeting": current,
        "view": view,
        "version": view.version,
        "attendance": selectors.attendance_sheet(current),
        "decisions": selectors.decisions_of_meeting(current),
        "follow_up": selectors.follow_up_decisions(current),
        "quorum": selectors.quorum(current),
    }
    data = pdf.render("council/pdf/minutes.html", context)
    return pdf.response(data, f"minutes-{current.pk}-v{view.version.number}.pdf")


# --------------------------------------------------------------------------- decisions


@staff_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    current = _meeting(request, pk)
    items = selectors.agenda(current)
    form = DecisionForm(
        request.POST,
        offices=selectors.body_offices(current.council, current.working_group),
        items=items,
    )
    if form.is_valid():
        data = form.cleaned_data
        item = next((i for i in items if str(i.pk) == data["agenda_item"]), None)
        try:
            decision, choice = services.add_decision(
                request.user,
                current,
                text_=data["text"],
                office=data["office"],
                deadline=data["deadline"],
                working_days=data["working_days"],
                co_offices=list(data["co_offices"]),
                agenda_item=item,
                is_public=data["is_public"],
                request=request,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Decision %(code)s was recorded.") % {"code": decision.display_code},
            )
            if choice.moved_from is not None:
                messages.warning(
                    request,
                    _("%(typed)s is not a working day: the deadline moved to %(day)s.")
                    % {"typed": format_date(choice.moved_from), "day": format_date(choice.day)},
                )
            return redirect(reverse("council:minutes", args=[current.pk]) + "#decisions")
    context = _minutes_context(request, current, decision_form=form)
    return render(request, "council/minutes.html", context, status=UNPROCESSABLE)


def _decision_context(request: HttpRequest, decision: Decision, **extra: Any) -> dict[str, Any]:
    manage = services.may_manage(request.user, decision.council, decision.working_group)
    reporters = selectors.reporting_offices_for(request.user, decision)
    return {
        "decision": decision,
        "reports": selectors.reports(decision),
        "co_offices": list(decision.co_offices.all()),
        "may_manage": manage,
        "report_form": ReportForm(offices=selectors.offices_by_ids([o.pk for o in reporters]))
        if reporters and decision.is_open
        else None,
        "deadline_form": DeadlineForm() if manage and decision.is_open else None,
        "close_form": CloseDecisionForm() if manage and decision.is_open else None,
        **extra,
    }


@staff_required
@never_cache
@require_GET
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    current = _decision(request, pk)
    return render(request, "council/decision.html", _decision_context(request, current))


@staff_required
@require_POST
def decision_report(request: HttpRequest, pk: int) -> HttpResponse:
    current = _decision(request, pk)
    reporters = selectors.reporting_offices_for(request.user, current)
    if not reporters:
        raise PermissionDenied(str(Action.COUNCIL_REPORT))
    form = ReportForm(
        request.POST, request.FILES, offices=selectors.offices_by_ids([o.pk for o in reporters])
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.report_progress(
                request.user,
                current,
                data["office"],
                percent=data["percent"],
                note=data["note"],
                day=data["day"],
                file=data["file"],
                news_link=data["news_link"],
                is_public=data["is_public"],
                request=request,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The report was recorded."))
            return redirect(reverse("council:decision", args=[current.pk]))
    context = _decision_context(request, current, report_form=form)
    return render(request, "council/decision.html", context, status=UNPROCESSABLE)


@staff_required
@require_POST
def decision_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    current = _decision(request, pk)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            choice = services.change_deadline(
                request.user,
                current,
                reason=data["reason"],
                day=data["deadline"],
                working_days=data["working_days"],
                request=request,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request, _("The deadline is now %(day)s.") % {"day": format_date(choice.day)}
            )
            if choice.moved_from is not None:
                messages.warning(
                    request,
                    _("%(typed)s is not a working day: the deadline moved to %(day)s.")
                    % {"typed": format_date(choice.moved_from), "day": format_date(choice.day)},
                )
            return redirect(reverse("council:decision", args=[current.pk]))
    context = _decision_context(request, current, deadline_form=form)
    return render(request, "council/decision.html", context, status=UNPROCESSABLE)


@staff_required
@require_POST
def decision_close(request: HttpRequest, pk: int) -> HttpResponse:
    current = _decision(request, pk)
    form = CloseDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        by = selectors.decision_by_code(data["superseded_by"]) if data["superseded_by"] else None
        try:
            services.close_decision(
                request.user,
                current,
                data["status"],
                reason=data["reason"],
                superseded_by=by,
                request=request,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect(reverse("council:decision", args=[current.pk]))
    context = _decision_context(request, current, close_form=form)
    return render(request, "council/decision.html", context, status=UNPROCESSABLE)


@staff_required
@require_GET
def report_file(request: HttpRequest, pk: int, report_id: int) -> HttpResponseBase:
    """A report's evidence file, for those who may see the decision (private storage)."""
    current = _decision(request, pk)
    report = next((r for r in selectors.reports(current) if r.pk == report_id), None)
    if report is None or not report.file:
        raise Http404(_("No such file."))
    name = (report.file.name or "evidence").rsplit("/", 1)[-1]
    response = FileResponse(report.file.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------------- calendar feed


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    token = ""
    if request.method == "POST":
        if request.POST.get("revoke"):
            services.revoke_feed_tokens(request.user, request=request)
            messages.success(request, _("Your calendar address was revoked."))
            return redirect(reverse("council:calendar"))
        token = services.issue_feed_token(request.user, request=request)
    feed_url = request.build_absolute_uri(reverse("council:feed", args=[token])) if token else ""
    return render(
        request,
        "council/calendar.html",
        {"feed_url": feed_url, "has_token": selectors.has_feed_token(request.user)},
    )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal calendar feed: no sign-in, the secret token is the key (wrong, revoked: 404)."""
    row = selectors.feed_token(token)
    if row is None or not row.user.is_active:
        raise Http404(_("No such calendar."))
    services.touch_feed_token(row.pk)
    events = [services.meeting_event(m) for m in selectors.feed_meetings(row.user)]
    body = ics.calendar(events, name=_("Council meetings"))
    return ics.response(body, "council.ics", inline=True)
