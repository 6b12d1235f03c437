"""Reads of the council app. The core's reads come first; the public side and the desks
(councilpub) follow the marker below."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ravabet.network.models import Office
from ravabet.network.permissions import Action, may, offices_where

from . import services
from .models import (
    OPEN_DECISION_STATUSES,
    AgendaItem,
    AgendaProposal,
    Attendance,
    CalendarFeedToken,
    Council,
    Decision,
    DecisionStatus,
    FollowUpReport,
    Invitation,
    Meeting,
    MeetingState,
    MinutesVersion,
    Seat,
    WorkingGroup,
    WorkingGroupMembership,
)


def _visible_office_ids(user: Any) -> set[int] | None:
    """Offices whose bodies the user sees (None: every office, a superuser)."""
    if getattr(user, "is_superuser", False):
        return None
    ids = set(offices_where(user, Action.COUNCIL_TAKE_PART).values_list("pk", flat=True))
    ids |= set(offices_where(user, Action.COUNCIL_MANAGE).values_list("pk", flat=True))
    return ids


def councils_for(user: Any) -> QuerySet[Council]:
    """The councils a staff user sees: those of offices in their reach, and those where an office
    in their reach holds a seat (a member office sees its own bodies; the directorate all)."""
    councils = Council.objects.filter(is_active=True).select_related("office")
    ids = _visible_office_ids(user)
    if ids is None:
        return councils
    return councils.filter(
        Q(office_id__in=ids) | Q(seats__office_id__in=ids, seats__end__isnull=True)
    ).distinct()


def council_by_slug(slug: str) -> Council:
    try:
        return Council.objects.select_related("office").get(slug=slug, is_active=True)
    except Council.DoesNotExist:
        raise Http404(_("No such council.")) from None


def can_see_council(user: Any, council: Council) -> bool:
    return councils_for(user).filter(pk=council.pk).exists()


def open_seats(council: Council, day: date | None = None) -> list[Seat]:
    day = day or timezone.localdate()
    return list(
        Seat.objects.filter(council=council, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("office", "holder")
        .order_by("position", "office__name_fa")
    )


def seat_history(council: Council) -> list[Seat]:
    return list(
        Seat.objects.filter(council=council)
        .select_related("office", "holder", "term")
        .order_by("-start", "office__name_fa")
    )


def working_groups(council: Council) -> list[WorkingGroup]:
    return list(
        WorkingGroup.objects.filter(council=council, is_active=True).select_related(
            "lead_office", "secretary_office"
        )
    )


def group_by_slug(council: Council, slug: str) -> WorkingGroup:
    try:
        return WorkingGroup.objects.select_related("lead_office", "secretary_office").get(
            council=council, slug=slug
        )
    except WorkingGroup.DoesNotExist:
        raise Http404(_("No such working group.")) from None


def meetings_of(council: Council, *, limit: int = 50) -> list[Meeting]:
    return list(
        Meeting.objects.filter(council=council)
        .select_related("working_group", "host_office", "council")
        .order_by("-starts_at")[:limit]
    )


def open_proposals(council: Council) -> list[AgendaProposal]:
    return list(
        AgendaProposal.objects.filter(council=council, state=AgendaProposal.State.OPEN)
        .select_related("office", "working_group")
        .order_by("created_at")
    )


def body_offices(council: Council, group: WorkingGroup | None = None) -> QuerySet[Office]:
    """Offices to choose from on a body's forms (host, presenter, responsible office): the
    council's office, its seated offices and, for a working group, its member offices."""
    ids = {council.office_id}
    ids |= set(
        Seat.objects.filter(council=council, end__isnull=True).values_list("office_id", flat=True)
    )
    if group is not None:
        ids |= {group.lead_office_id}
        if group.secretary_office_id:
            ids.add(group.secretary_office_id)
        ids |= set(group.memberships.filter(left__isnull=True).values_list("office_id", flat=True))
    return Office.objects.filter(pk__in=ids, is_active=True).order_by("name_fa")


def acting_offices(user: Any, action: Action, among: QuerySet[Office]) -> QuerySet[Office]:
    """The offices of `among` on whose behalf the user may do `action`."""
    if getattr(user, "is_superuser", False):
        return among
    return among.filter(pk__in=offices_where(user, action).values("pk"))


def offices_by_ids(ids: list[int]) -> QuerySet[Office]:
    return Office.objects.filter(pk__in=ids).order_by("name_fa")


def decision_by_code(code: str) -> Decision | None:
    return Decision.objects.filter(code=code.strip().upper()).first()


def meeting_by_id(pk: int) -> Meeting:
    try:
        return Meeting.objects.select_related(
            "council",
            "council__office",
            "working_group",
            "working_group__lead_office",
            "host_office",
        ).get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404(_("No such meeting.")) from None


def can_see_meeting(user: Any, meeting: Meeting) -> bool:
    """The body's managers, and staff of an invited or member office."""
    if services.may_manage(user, meeting.council, meeting.working_group):
        return True
    ids = _visible_office_ids(user)
    if ids is None:
        return True
    if meeting.invitations.filter(office_id__in=ids).exists():
        return True
    return can_see_council(user, meeting.council)


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda.select_related("presenter_office").order_by("position"))


def follow_up_decisions(meeting: Meeting) -> list[Decision]:
    """The generated first item: every open or overdue decision of the body from its earlier
    meetings."""
    return list(
        Decision.objects.filter(
            council=meeting.council,
            working_group=meeting.working_group,
            status__in=OPEN_DECISION_STATUSES,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .select_related("office")
        .order_by("deadline", "code")
    )


def invitations(meeting: Meeting) -> list[Invitation]:
    return list(meeting.invitations.select_related("office").order_by("office__name_fa"))


def my_invitations(user: Any, meeting: Meeting) -> list[Invitation]:
    """Invitations the user may answer (their offices')."""
    return [i for i in invitations(meeting) if may(user, Action.COUNCIL_TAKE_PART, i.office)]


def attendance(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendance.select_related("office").order_by("office__name_fa"))


def attendance_sheet(meeting: Meeting) -> list[dict[str, Any]]:
    """One row per member or invited office: the office, its position, the recorded status."""
    members = services.body_members(
        meeting.council, meeting.working_group, timezone.localtime(meeting.starts_at).date()
    )
    recorded = {a.office_id: a for a in attendance(meeting)}
    answers = dict(meeting.invitations.values_list("office_id", "answer"))
    labels = dict(Invitation.Answer.choices)
    rows = []
    seen = set()
    for member in members:
        row = recorded.get(member.office.pk)
        rows.append(
            {
                "office": member.office,
                "position": member.position,
                "voting": member.voting,
                "attendance": row,
                "answer": labels.get(answers.get(member.office.pk, ""), ""),
            }
        )
        seen.add(member.office.pk)
    for office_id, row in recorded.items():
        if office_id not in seen:
            rows.append(
                {
                    "office": row.office,
                    "position": "",
                    "voting": row.voting,
                    "attendance": row,
                    "answer": labels.get(answers.get(office_id, ""), ""),
                }
            )
    return rows


def quorum(meeting: Meeting) -> services.Quorum:
    return services.quorum(meeting)


def decisions_of_meeting(meeting: Meeting) -> list[Decision]:
    return list(
        meeting.decisions.select_related("office", "agenda_item")
        .prefetch_related("co_offices")
        .order_by("number")
    )


@dataclass
class MinutesView:
    version: MinutesVersion | None
    entries: list[tuple[AgendaItem, str]]
    versions: list[MinutesVersion]
    approved: MinutesVersion | None


def minutes_of(meeting: Meeting, number: int | None = None) -> MinutesView:
    """The latest version of the minutes (or version `number`), its text per agenda item, every
    version, and the approved one in force."""
    versions = list(
        MinutesVersion.objects.filter(minutes__meeting=meeting)
        .select_related("approved_by", "updated_by", "created_by")
        .order_by("-number")
    )
    version = versions[0] if versions else None
    if number is not None:
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            raise Http404(_("No such version of the minutes."))
    texts = dict(version.entries.values_list("agenda_item_id", "text")) if version else {}
    entries = [(item, texts.get(item.pk, "")) for item in agenda(meeting)]
    approved = next((v for v in versions if v.state == MinutesVersion.State.APPROVED), None)
    return MinutesView(version, entries, versions, approved)


def objections(version: MinutesVersion) -> list[Any]:
    return list(version.objections.select_related("office", "author"))


def decision_by_id(pk: int) -> Decision:
    try:
        return (
            Decision.objects.select_related(
                "council",
                "council__office",
                "working_group",
                "meeting",
                "office",
                "superseded_by",
                "agenda_item",
            )
            .prefetch_related("co_offices")
            .get(pk=pk)
        )
    except Decision.DoesNotExist:
        raise Http404(_("No such decision.")) from None


def can_see_decision(user: Any, decision: Decision) -> bool:
    if services.may_manage(user, decision.council, decision.working_group):
        return True
    ids = _visible_office_ids(user)
    if ids is None:
        return True
    offices = {decision.office_id, *(o.pk for o in decision.co_offices.all())}
    return bool(offices & ids) or can_see_council(user, decision.council)


def reporting_offices_for(user: Any, decision: Decision) -> list[Any]:
    """The decision's responsible offices on whose behalf the user may report."""
    return [o for o in services.reporting_offices(decision) if may(user, Action.COUNCIL_REPORT, o)]


def reports(decision: Decision) -> list[FollowUpReport]:
    return list(decision.reports.select_related("office", "author").order_by("-day", "-pk"))


def feed_token(token: str) -> CalendarFeedToken | None:
    """The live token row for a feed address, else None (a wrong or revoked token: 404)."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeedToken.objects.filter(digest=services.digest(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )


def has_feed_token(user: Any) -> bool:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def feed_meetings(user: Any, *, past_days: int = 90) -> list[Meeting]:
    """The user's meetings for the personal feed: invitations to their offices (or to them),
    from `past_days` ago on; cancelled ones stay so that calendars remove them."""
    if not user.is_active:
        return []
    office_ids = list(offices_where(user, Action.COUNCIL_TAKE_PART).values_list("pk", flat=True))
    since = timezone.now() - timedelta(days=past_days)
    return list(
        Meeting.objects.filter(
            Q(invitations__office_id__in=office_ids) | Q(invitations__user=user),
            starts_at__gte=since,
        )
        .exclude(state=MeetingState.DRAFT)
        .select_related("council", "working_group", "host_office")
        .distinct()
        .order_by("starts_at")[:500]
    )


def seat_candidates(council: Council) -> QuerySet[Office]:
    """Offices that may hold a seat: the council's office and the active offices below it."""
    return Office.objects.filter(path__startswith=council.office.path, is_active=True).order_by(
        "path"
    )


def office_managers(offices: QuerySet[Office]) -> list[tuple[Any, Office]]:
    """(user, office) for every active manager of these offices: the seat holders to choose."""
    from ravabet.network.models import Membership, Role

    return [
        (m.user, m.office)
        for m in Membership.objects.filter(
            office__in=offices, role=Role.MANAGER, user__is_active=True
        ).select_related("user", "office")
    ]


def councils_offices(user: Any) -> QuerySet[Office]:
    """Offices on which the user may set up a council."""
    return offices_where(user, Action.COUNCIL_MANAGE).order_by("path")


def group_memberships(group: WorkingGroup) -> list[Any]:
    return list(group.memberships.select_related("office").order_by("-left", "office__name_fa"))


def group_membership(council: Council, pk: int) -> WorkingGroupMembership:
    try:
        return WorkingGroupMembership.objects.select_related("group", "group__council").get(
            group__council=council, pk=pk
        )
    except WorkingGroupMembership.DoesNotExist:
        raise Http404(_("No such membership.")) from None


def seat_by_id(council: Council, pk: int) -> Seat:
    try:
        return Seat.objects.select_related("office").get(council=council, pk=pk)
    except Seat.DoesNotExist:
        raise Http404(_("No such seat.")) from None


# --------------------------------------------------------------------------- for `evaluation`


def _counted_decisions(start: datetime, end: datetime) -> QuerySet[Decision]:
    return Decision.objects.filter(
        deadline__gte=timezone.localtime(start).date(),
        deadline__lt=timezone.localtime(end).date(),
    ).exclude(status__in=(DecisionStatus.CANCELLED, DecisionStatus.SUPERSEDED))


def office_decision_figures(start: datetime, end: datetime) -> dict[int, dict[str, int]]:
    """Per responsible office, decisions whose deadline falls in [start, end): "due", those done
    by their deadline ("done_on_time"), and those whose deadline passed undone or done late
    ("overdue"). One query."""
    today = timezone.localdate()
    rows = (
        _counted_decisions(start, end)
        .values("office_id")
        .annotate(
            due=Count("pk"),
            done_on_time=Count("pk", filter=Q(done_on__isnull=False, done_on__lte=F("deadline"))),
            overdue=Count(
                "pk",
                filter=Q(deadline__lt=today)
                & (Q(done_on__isnull=True) | Q(done_on__gt=F("deadline"))),
            ),
        )
    )
    return {
        r["office_id"]: {
            "due": r["due"],
            "done_on_time": r["done_on_time"],
            "overdue": r["overdue"],
        }
        for r in rows
    }


def office_attendance_figures(start: datetime, end: datetime) -> dict[int, dict[str, int]]:
    """Per office, invitations to meetings held in [start, end) ("invited"; cancelled and draft
    meetings left out) and those the office attended, present or late ("present"). Two queries."""
    held = Q(
        meeting__starts_at__gte=start,
        meeting__starts_at__lt=end,
        meeting__state__in=(
            MeetingState.INVITED,
            MeetingState.IN_PROGRESS,
            MeetingState.CLOSED,
            MeetingState.MINUTES_APPROVED,
        ),
    )
    figures: dict[int, dict[str, int]] = {}
    for row in Invitation.objects.filter(held).values("office_id").annotate(n=Count("pk")):
        figures[row["office_id"]] = {"invited": row["n"], "present": 0}
    for row in (
        Attendance.objects.filter(
            held, status__in=(Attendance.Status.PRESENT, Attendance.Status.LATE)
        )
        .values("office_id")
        .annotate(n=Count("pk"))
    ):
        figures.setdefault(row["office_id"], {"invited": 0, "present": 0})["present"] = row["n"]
    return figures


# --- public side and desks (councilpub) ---
