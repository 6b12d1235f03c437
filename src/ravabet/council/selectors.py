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


def offices_in_groups_of_topic(topic: str, day: date | None = None) -> frozenset[int]:
    """Offices that are members (or lead or secretary) today of an active council's working
    group on `topic` (e.g. the education groups, whose offices review experience write-ups)."""
    day = day or timezone.localdate()
    groups = WorkingGroup.objects.filter(topic=topic, council__is_active=True)
    members = WorkingGroupMembership.objects.filter(group__in=groups, joined__lte=day).filter(
        Q(left__isnull=True) | Q(left__gte=day)
    )
    ids = set(members.values_list("office_id", flat=True))
    for lead, secretary in groups.values_list("lead_office_id", "secretary_office_id"):
        ids.update(i for i in (lead, secretary) if i is not None)
    return frozenset(ids)


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
# The portal's council pages, the public decisions register, the secretary's desk and an
# office's "our decisions" list. Each answers with a fixed number of queries whatever the number
# of councils, meetings and decisions (council/tests/test_public_queries.py): rows are read a
# page at a time with their relations joined, follow-ups and co-responsible offices in one query
# per page, counts grouped in the database.
from collections import defaultdict  # noqa: E402
from dataclasses import dataclass as _dataclass  # noqa: E402
from dataclasses import field as _field  # noqa: E402
from datetime import date as _date  # noqa: E402
from datetime import datetime as _datetime  # noqa: E402
from datetime import timedelta as _timedelta  # noqa: E402
from typing import Any as _Any  # noqa: E402

from django.db.models import Count as _Count  # noqa: E402
from django.db.models import Exists as _Exists  # noqa: E402
from django.db.models import Max as _Max  # noqa: E402
from django.db.models import Min as _Min  # noqa: E402
from django.db.models import OuterRef as _OuterRef  # noqa: E402
from django.db.models import Prefetch as _Prefetch  # noqa: E402
from django.db.models import Q as _Q  # noqa: E402
from django.http import Http404 as _Http404  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402
from django.utils.translation import gettext  # noqa: E402

from ravabet.network.jalali import to_jalali_parts as _jalali_parts  # noqa: E402
from ravabet.network.models import Office as _Office  # noqa: E402
from ravabet.network.permissions import Action as _Action  # noqa: E402
from ravabet.network.permissions import offices_where as _offices_where  # noqa: E402
from ravabet.search import selectors as _search  # noqa: E402

from . import models as _m  # noqa: E402

# The search app's groups for the council's documents (search_feed.py).
DECISIONS_GROUP = "council-decisions"
MEETINGS_GROUP = "council-meetings"
HELD_STATES = (_m.MeetingState.CLOSED, _m.MeetingState.MINUTES_APPROVED)
REGISTER_PER_PAGE = 25
POSITION_ORDER = [p.value for p in _m.Position]


def _public_decision_fields() -> dict[str, _Any]:
    return {
        "is_public": True,
        "council__is_public": True,
        "council__is_active": True,
        "meeting__state": _m.MeetingState.MINUTES_APPROVED,
    }


def public_decision_q(prefix: str = "") -> _Q:
    """A decision readers see: marked public, in a public council (and public working group, if
    any), once its meeting's minutes are approved. Everything else is internal."""
    p = prefix
    return _Q(**{f"{p}{k}": v for k, v in _public_decision_fields().items()}) & (
        _Q(**{f"{p}working_group__isnull": True}) | _Q(**{f"{p}working_group__is_public": True})
    )


def public_meeting_q(prefix: str = "") -> _Q:
    """A meeting readers see: marked public, held (closed or minutes approved), of a public body."""
    p = prefix
    return _Q(
        **{
            f"{p}is_public": True,
            f"{p}council__is_public": True,
            f"{p}council__is_active": True,
            f"{p}state__in": HELD_STATES,
        }
    ) & (_Q(**{f"{p}working_group__isnull": True}) | _Q(**{f"{p}working_group__is_public": True}))


def _open_statuses() -> list[str]:
    return [s.value for s in _m.OPEN_DECISION_STATUSES]


def overdue_q(today: _date, prefix: str = "") -> _Q:
    """Overdue: marked so, or still open with its deadline passed (before the daily tick)."""
    p = prefix
    return _Q(**{f"{p}status": _m.DecisionStatus.OVERDUE}) | _Q(
        **{
            f"{p}status__in": [_m.DecisionStatus.AWAITING, _m.DecisionStatus.IN_PROGRESS],
            f"{p}deadline__lt": today,
        }
    )


def effective_status(decision: _m.Decision, today: _date) -> str:
    """The status as readers should see it today (an open decision past its deadline is overdue
    even before the tick marks it)."""
    if decision.status in (_m.DecisionStatus.AWAITING, _m.DecisionStatus.IN_PROGRESS) and (
        decision.deadline < today
    ):
        return _m.DecisionStatus.OVERDUE
    return decision.status


def status_filter_q(status: str, today: _date) -> _Q:
    if status == _m.DecisionStatus.OVERDUE:
        return overdue_q(today)
    if status in (_m.DecisionStatus.AWAITING, _m.DecisionStatus.IN_PROGRESS):
        return _Q(status=status, deadline__gte=today)
    return _Q(status=status)


def _local_today() -> _date:
    return _timezone.localdate()


# ---- the portal's council pages ----------------------------------------------------------


def public_councils() -> list[_m.Council]:
    """Every public, active council, with its owner office and how many public decisions it has
    (one query)."""
    return list(
        _m.Council.objects.filter(is_public=True, is_active=True)
        .select_related("office")
        .annotate(
            public_decisions=_Count(
                "decisions", filter=public_decision_q("decisions__"), distinct=True
            )
        )
        .order_by("office__path", "name_fa")
    )


def public_council(slug: str) -> _m.Council:
    council = (
        _m.Council.objects.filter(slug=slug, is_public=True, is_active=True)
        .select_related("office")
        .first()
    )
    if council is None:
        raise _Http404(gettext("No such council."))
    return council


@_dataclass
class PositionGroup:
    position: str
    label: str
    seats: list[_Any]


@_dataclass
class CouncilPage:
    council: _m.Council
    positions: list[PositionGroup]
    groups: list[_Any]  # working groups, each with `members` (memberships today)
    meetings: list[_m.Meeting]
    figures: dict[str, int]
    term: _m.Term | None


def council_page(council: _m.Council, *, meetings: int = 30) -> CouncilPage:
    """Members by office with positions (the seats open today), the public working groups with
    their member offices today, the latest meetings held, and the public decisions by status."""
    today = _local_today()
    seats = list(
        council.seats.filter(_Q(end__isnull=True) | _Q(end__gte=today), start__lte=today)
        .select_related("office", "holder")
        .order_by("office__name_fa")
    )
    by_position: dict[str, list[_Any]] = defaultdict(list)
    for seat in seats:
        by_position[seat.position].append(seat)
    labels = dict(_m.Position.choices)
    positions = [
        PositionGroup(p, str(labels[p]), by_position[p]) for p in POSITION_ORDER if by_position[p]
    ]
    members_today = _m.WorkingGroupMembership.objects.filter(
        _Q(left__isnull=True) | _Q(left__gte=today), joined__lte=today
    ).select_related("office")
    groups = list(
        council.working_groups.filter(is_public=True, is_active=True)
        .select_related("lead_office", "secretary_office")
        .prefetch_related(_Prefetch("memberships", queryset=members_today, to_attr="members"))
    )
    held = list(
        _m.Meeting.objects.filter(public_meeting_q(), council=council)
        .select_related("working_group", "host_office", "council")
        .order_by("-starts_at")[:meetings]
    )
    figures = decision_figures(_Q(council=council), today)
    term = council.terms.filter(start__lte=today).order_by("-start").first()
    return CouncilPage(council, positions, groups, held, figures, term)


def decision_figures(where: _Q, today: _date) -> dict[str, int]:
    """Public decisions by status as readers see it today (one query)."""
    S = _m.DecisionStatus
    counts = {
        S.AWAITING.value: _Count("id", filter=_Q(status=S.AWAITING, deadline__gte=today)),
        S.IN_PROGRESS.value: _Count("id", filter=_Q(status=S.IN_PROGRESS, deadline__gte=today)),
        S.OVERDUE.value: _Count("id", filter=overdue_q(today)),
        S.DONE.value: _Count("id", filter=_Q(status=S.DONE)),
        S.CANCELLED.value: _Count("id", filter=_Q(status=S.CANCELLED)),
        S.SUPERSEDED.value: _Count("id", filter=_Q(status=S.SUPERSEDED)),
        "total": _Count("id"),
    }
    return _m.Decision.objects.filter(public_decision_q(), where).aggregate(**counts)


# ---- the public decisions register ----------------------------------------------------------


@_dataclass
class RegisterQuery:
    """What a reader narrowed the register by (already validated by the form)."""

    status: str = ""
    office_id: int | None = None
    council_id: int | None = None
    group_id: int | None = None
    year: int | None = None  # Jalali year of the meeting
    q: str = ""


@_dataclass
class RegisterRow:
    decision: _m.Decision
    status: str
    status_label: str
    latest: _Any  # the latest public follow-up report, or None
    co_offices: list[_Office] = _field(default_factory=list)


@_dataclass
class RegisterPage:
    rows: list[RegisterRow]
    page: int
    has_next: bool
    searched: bool  # words were given (the search app chose the candidates)


def _jalali_year_range(year: int) -> tuple[_datetime, _datetime]:
    from persiantools.jdatetime import JalaliDate

    start = JalaliDate(year, 1, 1).to_gregorian()
    end = JalaliDate(year + 1, 1, 1).to_gregorian()
    zone = _timezone.get_current_timezone()
    return (
        _datetime.combine(start, _datetime.min.time(), tzinfo=zone),
        _datetime.combine(end, _datetime.min.time(), tzinfo=zone),
    )


def register_decisions(
    query: RegisterQuery,
    *,
    page: int = 1,
    per_page: int = REGISTER_PER_PAGE,
    today: _date | None = None,
    council: _m.Council | None = None,
) -> RegisterPage:
    """One page of the public register, newest meeting first.

    Words go to the search app (`keys_matching` over the council's decision documents); the
    columns (status, office, body, year) are filtered here. Three queries for any page: the
    rows (relations joined), their co-responsible offices, their latest public follow-ups; plus
    the search app's own when words were given.
    """
    today = today or _local_today()
    decisions = _m.Decision.objects.filter(public_decision_q())
    if council is not None:
        decisions = decisions.filter(council=council)
    if query.status:
        decisions = decisions.filter(status_filter_q(query.status, today))
    if query.office_id:
        decisions = decisions.filter(
            _Q(office_id=query.office_id) | _Q(co_offices__id=query.office_id)
        ).distinct()
    if query.group_id:
        decisions = decisions.filter(working_group_id=query.group_id)
    elif query.council_id:
        decisions = decisions.filter(council_id=query.council_id, working_group__isnull=True)
    if query.year:
        start, end = _jalali_year_range(query.year)
        decisions = decisions.filter(meeting__starts_at__gte=start, meeting__starts_at__lt=end)
    searched = bool(query.q.strip())
    if searched:
        keys = _search.keys_matching(query.q, group=DECISIONS_GROUP)
        decisions = decisions.filter(pk__in=[int(k) for k in keys if k.isdigit()])
    offset = (page - 1) * per_page
    found = list(
        decisions.select_related("council", "working_group", "meeting", "office").order_by(
            "-meeting__starts_at", "meeting_id", "number"
        )[offset : offset + per_page + 1]
    )
    has_next = len(found) > per_page
    found = found[:per_page]
    return RegisterPage(_register_rows(found, today), page, has_next, searched)


def _register_rows(found: list[_m.Decision], today: _date) -> list[RegisterRow]:
    ids = [d.pk for d in found]
    co: dict[int, list[_Office]] = defaultdict(list)
    latest: dict[int, _Any] = {}
    if ids:
        links = (
            _m.Decision.co_offices.through.objects.filter(decision_id__in=ids)
            .select_related("office")
            .order_by("office__name_fa")
        )
        for link in links:
            co[link.decision_id].append(link.office)
        reports = (
            _m.FollowUpReport.objects.filter(decision_id__in=ids, is_public=True)
            .select_related("office")
            .order_by("decision_id", "-day", "-created_at")
        )
        for report in reports:
            latest.setdefault(report.decision_id, report)
    labels = dict(_m.DecisionStatus.choices)
    rows = []
    for decision in found:
        status = effective_status(decision, today)
        rows.append(
            RegisterRow(
                decision, status, str(labels[status]), latest.get(decision.pk), co[decision.pk]
            )
        )
    return rows


@_dataclass
class RegisterChoices:
    bodies: list[tuple[str, str]]  # ("c12" | "g7", name)
    offices: list[tuple[int, str]]
    years: list[int]


def register_choices(council: _m.Council | None = None) -> RegisterChoices:
    """The register's filter menus: public bodies, offices responsible (or co-responsible) for
    public decisions, and the Jalali years of meetings with approved minutes (four queries)."""
    councils = _m.Council.objects.filter(is_public=True, is_active=True)
    if council is not None:
        councils = councils.filter(pk=council.pk)
    bodies: list[tuple[str, str]] = []
    groups_by_council: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for group in _m.WorkingGroup.objects.filter(council__in=councils, is_public=True).order_by(
        "position", "name_fa"
    ):
        groups_by_council[group.council_id].append((f"g{group.pk}", f"— {group.name_fa}"))
    for item in councils.order_by("office__path", "name_fa"):
        bodies.append((f"c{item.pk}", item.name_fa))
        bodies.extend(groups_by_council[item.pk])
    public = _m.Decision.objects.filter(public_decision_q())
    if council is not None:
        public = public.filter(council=council)
    # EXISTS per office (a few hundred offices, each an index seek) rather than the set of
    # responsible offices of every public decision (a scan of the register).
    co_public = _m.Decision.co_offices.through.objects.filter(
        public_decision_q("decision__"), office_id=_OuterRef("pk")
    )
    if council is not None:
        co_public = co_public.filter(decision__council=council)
    offices = list(
        _Office.objects.filter(
            _Exists(public.filter(office_id=_OuterRef("pk"))) | _Exists(co_public)
        )
        .order_by("name_fa")
        .values_list("pk", "name_fa")
    )
    # The years of the meetings whose minutes are approved (an index range on state and time;
    # the decisions' own span would join and read every public decision).
    held = _m.Meeting.objects.filter(state=_m.MeetingState.MINUTES_APPROVED, council__in=councils)
    span = held.aggregate(first=_Min("starts_at"), last=_Max("starts_at"))
    years: list[int] = []
    if span["first"] and span["last"]:
        first = _jalali_parts(span["first"])[0]
        last = _jalali_parts(span["last"])[0]
        years = list(range(last, first - 1, -1))
    return RegisterChoices(bodies, offices, years)


def public_decision(code: str) -> tuple[_m.Decision, list[_Any], list[_Office], str]:
    """A public decision by its code, its public follow-ups (newest first), its co-responsible
    offices and its status as shown today; 404 for an internal or unknown one."""
    decision = (
        _m.Decision.objects.filter(public_decision_q(), code=code)
        .select_related("council", "working_group", "meeting", "office", "superseded_by")
        .first()
    )
    if decision is None:
        raise _Http404(gettext("No such decision in the public register."))
    reports = list(
        decision.reports.filter(is_public=True)
        .select_related("office")
        .order_by("-day", "-created_at")
    )
    co = list(decision.co_offices.order_by("name_fa"))
    return decision, reports, co, effective_status(decision, _local_today())


def decision_is_public(decision: _m.Decision | None) -> bool:
    return decision is not None and (
        _m.Decision.objects.filter(public_decision_q(), pk=decision.pk).exists()
    )


@_dataclass
class PublicMeeting:
    meeting: _m.Meeting
    present: list[_Any]
    agenda: list[tuple[_Any, str]]  # (agenda item, approved minutes text)
    summary: str
    decisions: list[_m.Decision]


def public_meeting(pk: int) -> PublicMeeting:
    """A held public meeting: who attended, the agenda with the approved minutes (once approved)
    and its public decisions; 404 for an internal or unheld one."""
    meeting = (
        _m.Meeting.objects.filter(public_meeting_q(), pk=pk)
        .select_related("council", "working_group", "host_office")
        .first()
    )
    if meeting is None:
        raise _Http404(gettext("No such public meeting."))
    present = list(
        meeting.attendance.filter(
            status__in=[_m.Attendance.Status.PRESENT, _m.Attendance.Status.LATE]
        )
        .select_related("office")
        .order_by("office__name_fa")
    )
    agenda = list(meeting.agenda.select_related("presenter_office").order_by("position"))
    texts: dict[int, str] = {}
    summary = ""
    if meeting.state == _m.MeetingState.MINUTES_APPROVED:
        version = (
            _m.MinutesVersion.objects.filter(
                minutes__meeting=meeting, state=_m.MinutesVersion.State.APPROVED
            )
            .order_by("-number")
            .first()
        )
        if version is not None:
            summary = version.summary
            texts = dict(version.entries.values_list("agenda_item_id", "text"))
    decisions = list(
        _m.Decision.objects.filter(public_decision_q(), meeting=meeting)
        .select_related("office")
        .order_by("number")
    )
    return PublicMeeting(
        meeting, present, [(item, texts.get(item.pk, "")) for item in agenda], summary, decisions
    )


# ---- the secretary's desk and an office's list ---------------------------------------------


@_dataclass
class OverdueCount:
    label: str
    count: int
    council_id: int | None = None
    group_id: int | None = None
    office_id: int | None = None


@_dataclass
class SecretaryDesk:
    councils: list[_m.Council]
    upcoming: list[_m.Meeting]
    awaiting_minutes: list[_Any]  # MinutesVersion rows, meeting joined
    to_draft_news: list[_m.Meeting]  # held public meetings (the news button)
    overdue_by_body: list[OverdueCount]
    overdue_by_office: list[OverdueCount]
    overdue: list[_m.Decision]
    flagged: list[_m.Decision]  # open, responsible office no longer on the body


def secretary_desk(user: _Any, *, now: _datetime | None = None, limit: int = 30) -> SecretaryDesk:
    """The desk of whoever manages councils (`council.manage` on the council's office): coming
    meetings, minutes not yet approved, overdue decisions by body and by office. Ten queries,
    whatever the number of councils and decisions."""
    now = now or _timezone.now()
    today = _timezone.localdate(now)
    managed = _offices_where(user, _Action.COUNCIL_MANAGE)
    councils = list(
        _m.Council.objects.filter(office__in=managed, is_active=True)
        .select_related("office")
        .order_by("office__path", "name_fa")
    )
    ids = [c.pk for c in councils]
    upcoming = list(
        _m.Meeting.objects.filter(
            council_id__in=ids,
            starts_at__gte=now - _timedelta(hours=6),
            state__in=[
                _m.MeetingState.DRAFT,
                _m.MeetingState.INVITED,
                _m.MeetingState.IN_PROGRESS,
            ],
        )
        .select_related("council", "working_group", "host_office")
        .order_by("starts_at")[:limit]
    )
    awaiting = list(
        _m.MinutesVersion.objects.filter(
            minutes__meeting__council_id__in=ids,
            state__in=[_m.MinutesVersion.State.DRAFT, _m.MinutesVersion.State.CIRCULATED],
            minutes__meeting__state=_m.MeetingState.CLOSED,
        )
        .select_related(
            "minutes__meeting__council", "minutes__meeting__working_group", "minutes__meeting"
        )
        .order_by("minutes__meeting__starts_at")[:limit]
    )
    to_news = list(
        _m.Meeting.objects.filter(public_meeting_q(), council_id__in=ids)
        .select_related("council", "working_group", "host_office")
        .order_by("-starts_at")[:10]
    )
    late = _m.Decision.objects.filter(overdue_q(today), council_id__in=ids)
    names = {c.pk: c.name_fa for c in councils}
    group_names = dict(
        _m.WorkingGroup.objects.filter(council_id__in=ids).values_list("pk", "name_fa")
    )
    by_body = []
    for row in (
        late.values("council_id", "working_group_id")
        .annotate(n=_Count("id"))
        .order_by("-n", "council_id", "working_group_id")
    ):
        group_id = row["working_group_id"]
        label = group_names.get(group_id, "") if group_id else names.get(row["council_id"], "")
        by_body.append(OverdueCount(label, row["n"], row["council_id"], group_id))
    by_office = [
        OverdueCount(row["office__name_fa"], row["n"], office_id=row["office_id"])
        for row in late.values("office_id", "office__name_fa")
        .annotate(n=_Count("id"))
        .order_by("-n", "office__name_fa")[:limit]
    ]
    overdue = list(
        late.select_related("council", "working_group", "office", "meeting").order_by(
            "deadline", "pk"
        )[:limit]
    )
    flagged = list(
        _m.Decision.objects.filter(
            council_id__in=ids,
            status__in=_open_statuses(),
            responsible_left_at__isnull=False,
        )
        .select_related("council", "working_group", "office")
        .order_by("deadline", "pk")[:limit]
    )
    return SecretaryDesk(
        councils, upcoming, awaiting, to_news, by_body, by_office, overdue, flagged
    )


def end_of_week(day: _date) -> _date:
    """The Friday that ends `day`'s Jalali week (Saturday to Friday)."""
    return day + _timedelta(days=(4 - day.weekday()) % 7)


@_dataclass
class OfficeDecisions:
    office: _Office
    overdue: list[_m.Decision]
    this_week: list[_m.Decision]
    later: list[_m.Decision]
    done: list[_m.Decision]
    week_end: _date
    more: bool  # more open decisions than shown


def office_decisions(
    office: _Office, *, today: _date | None = None, limit: int = 200
) -> OfficeDecisions:
    """An office's decisions, as responsible or co-responsible: the overdue, those due by the end
    of this week (Friday), the later ones, and the latest done. Two queries."""
    today = today or _local_today()
    mine = _Q(office=office) | _Q(
        pk__in=_m.Decision.co_offices.through.objects.filter(office_id=office.pk).values(
            "decision_id"
        )
    )
    rows = list(
        _m.Decision.objects.filter(mine, status__in=_open_statuses())
        .select_related("council", "working_group", "meeting", "office")
        .order_by("deadline", "pk")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    week_end = end_of_week(today)
    overdue = [d for d in rows if effective_status(d, today) == _m.DecisionStatus.OVERDUE]
    this_week = [d for d in rows if d not in overdue and d.deadline <= week_end]
    later = [d for d in rows if d.deadline > week_end and d not in overdue]
    done = list(
        _m.Decision.objects.filter(mine, status=_m.DecisionStatus.DONE)
        .select_related("council", "working_group", "meeting", "office")
        .order_by("-done_on", "-pk")[:20]
    )
    return OfficeDecisions(office, overdue, this_week, later, done, week_end, more)


def meeting_for_news(pk: int) -> _m.Meeting:
    """A meeting with what its news draft needs (the body, the host), or 404."""
    meeting = (
        _m.Meeting.objects.filter(pk=pk)
        .select_related("council", "council__office", "working_group", "host_office")
        .first()
    )
    if meeting is None:
        raise _Http404(gettext("No such meeting."))
    return meeting


def meeting_is_public(pk: int) -> bool:
    return _m.Meeting.objects.filter(public_meeting_q(), pk=pk).exists()
