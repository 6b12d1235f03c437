"""Writes of the council app: councils and their members, meetings, agenda, invitations,
attendance, minutes, decisions and their follow-up, reminders, calendar feed tokens.

Every staff write asks `network.permissions.may` (through `require`, or `lock_and_require` on
the locked row: lock-then-check) and is audited (`network.services.record`). Who may act on a
body: `council.manage` on the council's office, on the office holding its secretary seat, or,
for a working group, on its lead or secretary office. Members act (`council.take_part`) for
their own office; responsible offices report (`council.report`); the chair's office approves
minutes (`council.approve`). Messages go through `network.outbox` after the commit.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from ravabet.network import ics, outbox, text, uploads, workdays
from ravabet.network.jalali import format_date, format_datetime
from ravabet.network.models import Membership, Office, Role
from ravabet.network.permissions import Action, may
from ravabet.network.services import lock_and_require, locked_transaction, record, require
from ravabet.network.text import to_persian_digits

from .models import (
    OPEN_DECISION_STATUSES,
    VOTING_POSITIONS,
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
    Minutes,
    MinutesEntry,
    MinutesVersion,
    Objection,
    Position,
    QuorumRule,
    Seat,
    Term,
    WorkingGroup,
    WorkingGroupMembership,
)

# Working days before a decision's deadline when its offices are reminded.
REMIND_WORKING_DAYS = 2


# --------------------------------------------------------------------------- who acts


def manager_offices(council: Council, group: WorkingGroup | None = None) -> list[Office]:
    """The offices whose staff (with `council.manage`) run the body, owner first."""
    offices = [council.office]
    secretary = (
        Seat.objects.filter(council=council, position=Position.SECRETARY, end__isnull=True)
        .select_related("office")
        .first()
    )
    if secretary is not None:
        offices.append(secretary.office)
    if group is not None:
        offices.append(group.lead_office)
        if group.secretary_office_id:
            offices.append(group.secretary_office)  # type: ignore[arg-type]
    return offices


def _manage_target(user: Any, council: Council, group: WorkingGroup | None = None) -> Office:
    """The office to ask `council.manage` about: the first one that allows it, else the owner's
    (so that a refusal is recorded against the council's office)."""
    offices = manager_offices(council, group)
    for office in offices:
        if may(user, Action.COUNCIL_MANAGE, office):
            return office
    return offices[0]


def may_manage(user: Any, council: Council, group: WorkingGroup | None = None) -> bool:
    return any(may(user, Action.COUNCIL_MANAGE, o) for o in manager_offices(council, group))


def chair_office(council: Council, group: WorkingGroup | None = None) -> Office:
    """Who approves the minutes: the chair's office (a working group's lead office); without a
    chair, the council's own office."""
    if group is not None:
        return group.lead_office
    chair = (
        Seat.objects.filter(council=council, position=Position.CHAIR, end__isnull=True)
        .select_related("office")
        .first()
    )
    return chair.office if chair is not None else council.office


def _lock_meeting(user: Any, pk: int, request: HttpRequest | None) -> Meeting:
    return lock_and_require(
        Meeting.objects.select_related("council", "council__office", "working_group"),
        pk,
        user,
        Action.COUNCIL_MANAGE,
        request,
        target=lambda m: _manage_target(user, m.council, m.working_group),
    )


def _invalid(message: str, code: str = "invalid") -> ValidationError:
    return ValidationError(message, code=code)


# --------------------------------------------------------------------------- councils


def create_council(
    actor: Any,
    office: Office,
    *,
    name_fa: str,
    slug: str,
    code: str,
    kind: str = Council.Kind.OTHER,
    name_en: str = "",
    description_fa: str = "",
    objection_days: int = 3,
    quorum_rule: str = QuorumRule.MAJORITY,
    quorum_count: int | None = None,
    is_public: bool = True,
    request: HttpRequest | None = None,
) -> Council:
    require(actor, Action.COUNCIL_MANAGE, office, request)
    if Council.objects.filter(Q(slug=slug) | Q(code=code.strip().upper())).exists():
        raise _invalid(_("Another council has this address name or code."), "duplicate")
    with transaction.atomic():
        council = Council.objects.create(
            office=office,
            name_fa=text.normalize(name_fa),
            name_en=name_en.strip(),
            slug=slug,
            code=code.strip().upper(),
            kind=kind,
            description_fa=text.normalize(description_fa),
            objection_days=objection_days,
            quorum_rule=quorum_rule,
            quorum_count=quorum_count,
            is_public=is_public,
        )
        record(actor, "council.create", target=council, office=office, request=request)
    return council


def add_term(
    actor: Any,
    council: Council,
    *,
    number: int,
    start: date,
    end: date | None = None,
    request: HttpRequest | None = None,
) -> Term:
    require(actor, Action.COUNCIL_MANAGE, _manage_target(actor, council), request)
    if end is not None and end < start:
        raise _invalid(_("A term cannot end before it starts."))
    try:
        with transaction.atomic():
            term = Term.objects.create(council=council, number=number, start=start, end=end)
            record(
                actor,
                "council.term",
                target=council,
                office=council.office,
                changes={"term": [None, number]},
                request=request,
            )
    except IntegrityError:
        raise _invalid(
            _("This council already has a term with that number."), "duplicate"
        ) from None
    return term


def assign_seat(
    actor: Any,
    council: Council,
    office: Office,
    position: str,
    *,
    start: date,
    holder: Any = None,
    term: Term | None = None,
    request: HttpRequest | None = None,
) -> Seat:
    """Give `office` a seat in `position` from `start`. The office's open seat (another position)
    is closed the day before: a change of position keeps the history."""
    target = _manage_target(actor, council)
    with locked_transaction():
        lock_and_require(
            Council, council.pk, actor, Action.COUNCIL_MANAGE, request, target=lambda c: target
        )
        if position in (Position.CHAIR, Position.DEPUTY_CHAIR, Position.SECRETARY):
            taken = (
                Seat.objects.filter(council=council, position=position, end__isnull=True)
                .exclude(office=office)
                .select_related("office")
                .first()
            )
            if taken is not None:
                raise _invalid(
                    _("%(office)s holds this position; end that seat first.")
                    % {"office": taken.office.name_fa},
                    "taken",
                )
        current = Seat.objects.filter(council=council, office=office, end__isnull=True).first()
        if current is not None:
            if current.position == position and current.holder_id == getattr(holder, "pk", None):
                return current
            current.end = max(current.start, start - timedelta(days=1))
            current.save(update_fields=["end"])
        seat = Seat.objects.create(
            council=council,
            office=office,
            position=position,
            holder=holder,
            term=term,
            start=start,
        )
        record(
            actor,
            "council.seat",
            target=council,
            office=council.office,
            changes={"office": [None, office.name_fa], "position": [None, position]},
            request=request,
        )
    return seat


def end_seat(actor: Any, seat: Seat, *, end: date, request: HttpRequest | None = None) -> Seat:
    """The office leaves the council on `end`. Its open decisions there stay with it, flagged."""
    with locked_transaction():
        seat = lock_and_require(
            Seat.objects.select_related("council", "council__office", "office"),
            seat.pk,
            actor,
            Action.COUNCIL_MANAGE,
            request,
            target=lambda s: _manage_target(actor, s.council),
        )
        if seat.end is not None:
            return seat
        if end < seat.start:
            raise _invalid(_("A seat cannot end before it starts."))
        seat.end = end
        seat.save(update_fields=["end"])
        flagged = Decision.objects.filter(
            council=seat.council,
            working_group__isnull=True,
            office=seat.office,
            status__in=OPEN_DECISION_STATUSES,
            responsible_left_at__isnull=True,
        ).update(responsible_left_at=end)
        record(
            actor,
            "council.seat_end",
            target=seat.council,
            office=seat.council.office,
            changes={"office": [seat.office.name_fa, None], "flagged_decisions": [0, flagged]},
            request=request,
        )
    return seat


def create_working_group(
    actor: Any,
    council: Council,
    *,
    name_fa: str,
    slug: str,
    code: str,
    lead_office: Office,
    secretary_office: Office | None = None,
    name_en: str = "",
    description_fa: str = "",
    position: int = 0,
    topic: str = WorkingGroup.Topic.OTHER,
    request: HttpRequest | None = None,
) -> WorkingGroup:
    require(actor, Action.COUNCIL_MANAGE, _manage_target(actor, council), request)
    if topic not in WorkingGroup.Topic.values:
        raise _invalid(_("Choose the working group's topic from the list."), "topic")
    try:
        with transaction.atomic():
            group = WorkingGroup.objects.create(
                council=council,
                name_fa=text.normalize(name_fa),
                name_en=name_en.strip(),
                slug=slug,
                code=code.strip().upper(),
                topic=topic,
                lead_office=lead_office,
                secretary_office=secretary_office,
                description_fa=text.normalize(description_fa),
                position=position,
                objection_days=council.objection_days,
                is_public=council.is_public,
            )
            record(
                actor,
                "council.group_create",
                target=council,
                office=council.office,
                changes={"group": [None, group.name_fa], "topic": [None, topic]},
                request=request,
            )
    except IntegrityError:
        raise _invalid(
            _("This council already has a working group with that address or code."), "duplicate"
        ) from None
    return group


def join_group(
    actor: Any,
    group: WorkingGroup,
    office: Office,
    *,
    joined: date,
    request: HttpRequest | None = None,
) -> WorkingGroupMembership:
    require(actor, Action.COUNCIL_MANAGE, _manage_target(actor, group.council, group), request)
    with transaction.atomic():
        current = WorkingGroupMembership.objects.filter(
            group=group, office=office, left__isnull=True
        ).first()
        if current is not None:
            return current
        membership = WorkingGroupMembership.objects.create(
            group=group, office=office, joined=joined
        )
        record(
            actor,
            "council.group_join",
            target=group.council,
            office=group.council.office,
            changes={"group": [None, group.name_fa], "office": [None, office.name_fa]},
            request=request,
        )
    return membership


def leave_group(
    actor: Any,
    membership: WorkingGroupMembership,
    *,
    left: date,
    request: HttpRequest | None = None,
) -> WorkingGroupMembership:
    group = membership.group
    require(actor, Action.COUNCIL_MANAGE, _manage_target(actor, group.council, group), request)
    with transaction.atomic():
        membership = WorkingGroupMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.left is not None:
            return membership
        if left < membership.joined:
            raise _invalid(_("An office cannot leave before it joined."))
        membership.left = left
        membership.save(update_fields=["left"])
        Decision.objects.filter(
            working_group=group,
            office_id=membership.office_id,
            status__in=OPEN_DECISION_STATUSES,
            responsible_left_at__isnull=True,
        ).update(responsible_left_at=left)
        record(
            actor,
            "council.group_leave",
            target=group.council,
            office=group.council.office,
            changes={"group": [group.name_fa, None], "office": [membership.office_id, None]},
            request=request,
        )
    return membership


# --------------------------------------------------------------------------- members of a body


@dataclass(frozen=True)
class Member:
    office: Office
    position: str  # a Position, or "member" for a working group
    holder_id: int | None
    voting: bool


def body_members(council: Council, group: WorkingGroup | None, day: date) -> list[Member]:
    """The member offices of a council (its seats) or a working group (its memberships, its lead
    and secretary offices) on `day`."""
    seats = list(
        Seat.objects.filter(council=council, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("office")
        .order_by("office__name_fa")
    )
    if group is None:
        return [
            Member(s.office, s.position, s.holder_id, s.position in VOTING_POSITIONS) for s in seats
        ]
    holders = {s.office_id: s.holder_id for s in seats}
    offices: dict[int, Office] = {}
    for office in (group.lead_office, group.secretary_office):
        if office is not None:
            offices[office.pk] = office
    for membership in (
        WorkingGroupMembership.objects.filter(group=group, joined__lte=day)
        .filter(Q(left__isnull=True) | Q(left__gte=day))
        .select_related("office")
    ):
        offices.setdefault(membership.office_id, membership.office)
    return [
        Member(o, Position.MEMBER, holders.get(o.pk), True)
        for o in sorted(offices.values(), key=lambda o: o.name_fa)
    ]


def _emails_of(offices: Iterable[Office], holders: dict[int, int | None]) -> dict[int, list[str]]:
    """Addresses per office: the seat's holder, else the office's managers (one query)."""
    office_ids = [o.pk for o in offices]
    by_office: dict[int, set[str]] = {pk: set() for pk in office_ids}
    holder_ids = {h for h in holders.values() if h}
    from django.contrib.auth import get_user_model

    held = dict(
        get_user_model()
        .objects.filter(pk__in=holder_ids, is_active=True)
        .values_list("pk", "email")
    )
    for office_id, holder_id in holders.items():
        if holder_id and held.get(holder_id):
            by_office.setdefault(office_id, set()).add(held[holder_id])
    missing = [pk for pk in office_ids if not by_office.get(pk)]
    for office_id, email in Membership.objects.filter(
        office_id__in=missing, role=Role.MANAGER, user__is_active=True
    ).values_list("office_id", "user__email"):
        if email:
            by_office.setdefault(office_id, set()).add(email)
    return {pk: sorted(emails) for pk, emails in by_office.items()}


# --------------------------------------------------------------------------- meetings


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _validate_meeting(place: str, video_link: str, duration: int) -> None:
    if not place.strip() and not video_link.strip():
        raise _invalid(_("Give the meeting a place or a video-conference link."), "no_place")
    if duration < 5 or duration > 12 * 60:
        raise _invalid(_("A meeting lasts between 5 minutes and 12 hours."), "duration")


FOLLOW_UP_TITLE = gettext_noop("Follow-up of earlier decisions")


def create_meeting(
    actor: Any,
    council: Council,
    *,
    starts_at: datetime,
    host_office: Office,
    working_group: WorkingGroup | None = None,
    number: int | None = None,
    title: str = "",
    duration_minutes: int = 90,
    place: str = "",
    video_link: str = "",
    is_public: bool = False,
    request: HttpRequest | None = None,
) -> Meeting:
    """A draft meeting (nobody is told yet) whose first agenda item, generated, is the follow-up
    of the body's earlier decisions. `number` defaults to the body's next; a number already used
    by the body is refused."""
    if working_group is not None and working_group.council_id != council.pk:
        raise _invalid(_("That working group belongs to another council."))
    require(actor, Action.COUNCIL_MANAGE, _manage_target(actor, council, working_group), request)
    _validate_meeting(place, video_link, duration_minutes)
    body = Meeting.objects.filter(council=council, working_group=working_group)
    try:
        with transaction.atomic():
            if number is None:
                number = (body.aggregate(n=Max("number"))["n"] or 0) + 1
            meeting = Meeting.objects.create(
                council=council,
                working_group=working_group,
                number=number,
                title=text.normalize(title),
                starts_at=starts_at,
                duration_minutes=duration_minutes,
                place=text.normalize(place),
                video_link=video_link.strip(),
                host_office=host_office,
                is_public=is_public,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            with override("fa"):
                follow_up = _(FOLLOW_UP_TITLE)
            AgendaItem.objects.create(
                meeting=meeting,
                position=1,
                kind=AgendaItem.Kind.FOLLOW_UP,
                title=follow_up,
                planned_minutes=15,
            )
            record(
                actor,
                "council.meeting_create",
                target=meeting,
                office=council.office,
                changes={"number": [None, number]},
                request=request,
            )
    except IntegrityError:
        raise _invalid(
            _("Meeting number %(number)s of this body already exists.")
            % {"number": to_persian_digits(str(number))},
            "duplicate_number",
        ) from None
    return meeting


MEETING_FIELDS = (
    "title",
    "starts_at",
    "duration_minutes",
    "place",
    "video_link",
    "host_office",
    "is_public",
)


def update_meeting(
    actor: Any, meeting: Meeting, *, request: HttpRequest | None = None, **changes: Any
) -> Meeting:
    """Change a meeting's details; once members were invited, they are told (a new .ics with a
    higher SEQUENCE replaces the entry in their calendars)."""
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    with locked_transaction():
        meeting = _lock_meeting(actor, meeting.pk, request)
        if meeting.state in (
            MeetingState.CLOSED,
            MeetingState.MINUTES_APPROVED,
            MeetingState.CANCELLED,
        ):
            raise _invalid(_("A closed or cancelled meeting cannot be changed."), "state")
        for name in ("title", "place"):
            if name in changes:
                changes[name] = text.normalize(changes[name])
        before = {name: getattr(meeting, name) for name in changes}
        for name, value in changes.items():
            setattr(meeting, name, value)
        _validate_meeting(meeting.place, meeting.video_link, meeting.duration_minutes)
        changed = [name for name in changes if before[name] != getattr(meeting, name)]
        if not changed:
            return meeting
        told = meeting.state in (MeetingState.INVITED, MeetingState.IN_PROGRESS) and any(
            name in ("starts_at", "duration_minutes", "place", "video_link") for name in changed
        )
        if told:
            meeting.sequence = F("sequence") + 1
        meeting.save(update_fields=[*changed, "sequence", "updated_at"])
        meeting.refresh_from_db(fields=["sequence"])
        record(
            actor,
            "council.meeting_edit",
            target=meeting,
            office=meeting.council.office,
            changes={n: [str(before[n]), str(getattr(meeting, n))] for n in changed},
            request=request,
        )
        if told:
            _notify_invited(meeting, change=True)
    return meeting


def invite(actor: Any, meeting: Meeting, *, request: HttpRequest | None = None) -> int:
    """Draft → invited: every member office of the body on the meeting's day is invited and told
    (email with an .ics invitation). Returns the number of offices invited."""
    with locked_transaction():
        meeting = _lock_meeting(actor, meeting.pk, request)
        if meeting.state != MeetingState.DRAFT:
            raise _invalid(_("Invitations were already sent for this meeting."), "state")
        members = body_members(
            meeting.council, meeting.working_group, _local_day(meeting.starts_at)
        )
        if not members:
            raise _invalid(_("The body has no members to invite."), "no_members")
        now = timezone.now()
        Invitation.objects.bulk_create(
            [Invitation(meeting=meeting, office=m.office, user_id=m.holder_id) for m in members],
            ignore_conflicts=True,
        )
        meeting.state = MeetingState.INVITED
        meeting.invited_at = now
        meeting.save(update_fields=["state", "invited_at", "updated_at"])
        _notify_invited(meeting, change=False)
        record(
            actor,
            "council.meeting_invite",
            target=meeting,
            office=meeting.council.office,
            changes={"invited": [0, len(members)]},
            request=request,
        )
    return len(members)


def cancel_meeting(
    actor: Any, meeting: Meeting, *, reason: str, request: HttpRequest | None = None
) -> Meeting:
    reason = text.normalize(reason)
    if not reason:
        raise _invalid(_("Say why the meeting is cancelled."), "reason")
    with locked_transaction():
        meeting = _lock_meeting(actor, meeting.pk, request)
        if meeting.state not in (MeetingState.DRAFT, MeetingState.INVITED):
            raise _invalid(_("Only a meeting that has not started can be cancelled."), "state")
        told = meeting.state == MeetingState.INVITED
        meeting.state = MeetingState.CANCELLED
        meeting.sequence = F("sequence") + 1
        meeting.save(update_fields=["state", "sequence", "updated_at"])
        meeting.refresh_from_db(fields=["sequence"])
        if told:
            _notify_invited(meeting, change=True, cancelled=True, note=reason)
        record(
            actor,
            "council.meeting_cancel",
            target=meeting,
            office=meeting.council.office,
            changes={"reason": [None, reason]},
            request=request,
        )
    return meeting


_MOVES = {
    "start": (
        (MeetingState.INVITED,),
        MeetingState.IN_PROGRESS,
        "started_at",
        "council.meeting_start",
    ),
    "close": (
        (MeetingState.IN_PROGRESS,),
        MeetingState.CLOSED,
        "closed_at",
        "council.meeting_close",
    ),
}


def move_meeting(
    actor: Any, meeting: Meeting, move: str, *, request: HttpRequest | None = None
) -> Meeting:
    """`start` (invited → in progress) or `close` (in progress → closed; the minutes' first
    version is opened)."""
    sources, state, stamp, code = _MOVES[move]
    with locked_transaction():
        meeting = _lock_meeting(actor, meeting.pk, request)
        if meeting.state not in sources:
            raise _invalid(_("The meeting is not in a state that allows this."), "state")
        before = meeting.state
        meeting.state = state
        setattr(meeting, stamp, timezone.now())
        meeting.save(update_fields=["state", stamp, "updated_at"])
        if move == "start":
            _ensure_minutes(meeting, actor)
        record(
            actor,
            code,
            target=meeting,
            office=meeting.council.office,
            changes={"state": [before, state]},
            request=request,
        )
    return meeting


def meeting_event(meeting: Meeting, *, cancelled: bool = False) -> ics.Event:
    """The meeting as a calendar event (invitations, the download, the personal feed)."""
    with override("fa"):
        summary = _("Meeting %(number)s — %(body)s") % {
            "number": to_persian_digits(str(meeting.number)),
            "body": meeting.body_name,
        }
        if meeting.title:
            summary = f"{summary}: {meeting.title}"
    location = meeting.place or meeting.video_link
    return ics.Event(
        uid=ics.uid("council-meeting", meeting.pk),
        start=meeting.starts_at,
        end=meeting.starts_at + timedelta(minutes=meeting.duration_minutes),
        summary=summary,
        location=location,
        description=meeting.video_link,
        url=settings.SITE_URL + reverse("council:meeting", args=[meeting.pk]),
        sequence=meeting.sequence,
        cancelled=cancelled or meeting.state == MeetingState.CANCELLED,
    )


def _notify_invited(
    meeting: Meeting, *, change: bool, cancelled: bool = False, note: str = ""
) -> None:
    invitations = list(meeting.invitations.select_related("office"))
    if not invitations:
        return
    emails = _emails_of(
        [i.office for i in invitations], {i.office_id: i.user_id for i in invitations}
    )
    event = meeting_event(meeting, cancelled=cancelled)
    attachment = outbox.Attachment(
        f"meeting-{meeting.pk}.ics",
        "text/calendar; method=%s" % ("CANCEL" if cancelled else "REQUEST"),
        ics.invitation(event),
    )
    with override("fa"):
        if cancelled:
            subject = _("Cancelled: %(summary)s") % {"summary": event.summary}
        elif change:
            subject = _("Changed: %(summary)s") % {"summary": event.summary}
        else:
            subject = _("Invitation: %(summary)s") % {"summary": event.summary}
        lines = [
            event.summary,
            _("Date and time") + ": " + format_datetime(meeting.starts_at),
        ]
        if meeting.place:
            lines.append(_("Place") + ": " + meeting.place)
        if meeting.video_link:
            lines.append(_("Video-conference link") + ": " + meeting.video_link)
        lines.append(_("Host") + ": " + meeting.host_office.name_fa)
        if note:
            lines.append(note)
        lines.append(event.url)
        body = "\n".join(lines)
    messages = []
    now = timezone.now()
    for invitation in invitations:
        for email in emails.get(invitation.office_id, []):
            messages.append(
                outbox.queue(
                    email,
                    subject,
                    body,
                    topic=f"council.meeting:{meeting.pk}",
                    attachments=[attachment],
                )
            )
    Invitation.objects.filter(meeting=meeting).update(sent_at=now, sent_sequence=meeting.sequence)
    outbox.send_after_commit(messages)


# --------------------------------------------------------------------------- agenda


def add_agenda_item(
    actor: Any,
    meeting: Meeting,
    *,
    title: str,
    presenter_office: Office | None = None,
    presenter_name: str = "",
    planned_minutes: int = 10,
    proposal: AgendaProposal | None = None,
    request: HttpRequest | None = None,
) -> AgendaItem:
    title = text.normalize(title)
    if not title:
        raise _invalid(_("Give the agenda item a title."), "title")
    with locked_transaction():
        meeting = _lock_meeting(actor, meeting.pk, request)
        if meeting.state in (
            MeetingState.MINUTES_APPROVED,
            MeetingState.CANCELLED,
            MeetingState.CLOSED,
        ):
            raise _invalid(_("The agenda of a closed meeting cannot change."), "state")
        position = (meeting.agenda.aggregate(p=Max("position"))["p"] or 0) + 1
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=title,
            presenter_office=presenter_office,
            presenter_name=text.normalize(presenter_name),
            planned_minutes=planned_minutes,
            proposal=proposal,
        )
        if proposal is not None:
            AgendaProposal.objects.filter(pk=proposal.pk).update(
                state=AgendaProposal.State.SCHEDULED, meeting=meeting
            )
        version = _open_version(meeting)
        if version is not None:
            MinutesEntry.objects.get_or_create(version=version, agenda_item=item)
        record(
            actor,
            "council.agenda_add",
            target=meeting,
            office=meeting.council.office,
            changes={"item": [None, title]},
            request=request,
        )
    return item


def move_agenda_item(
    actor: Any, item: AgendaItem, direction: int, *, request: HttpRequest | None = None
) -> None:
    """Swap an item with its neighbour (direction -1: up, +1: down). The generated follow-up
    item stays first."""
    with locked_transaction():
        meeting = _lock_meeting(actor, item.meeting_id, request)
        items = list(meeting.agenda.order_by("position"))
        index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
        if index is None:
            return
        other = index + (1 if direction > 0 else -1)
        if other < 0 or other >= len(items):
            return
        a, b = items[index], items[other]
        if AgendaItem.Kind.FOLLOW_UP in (a.kind, b.kind):
            return
        pa, pb = a.position, b.position
        # Through a free position, so the unique (meeting, position) holds at every step.
        free = items[-1].position + 1
        AgendaItem.objects.filter(pk=a.pk).update(position=free)
        AgendaItem.objects.filter(pk=b.pk).update(position=pa)
        AgendaItem.objects.filter(pk=a.pk).update(position=pb)
        record(
            actor,
            "council.agenda_move",
            target=meeting,
            office=meeting.council.office,
            changes={"item": [a.title, b.title]},
            request=request,
        )


def remove_agenda_item(actor: Any, item: AgendaItem, *, request: HttpRequest | None = None) -> None:
    with locked_transaction():
        meeting = _lock_meeting(actor, item.meeting_id, request)
        if item.kind == AgendaItem.Kind.FOLLOW_UP:
            raise _invalid(_("The follow-up item is part of every meeting."), "follow_up")
        if meeting.state not in (MeetingState.DRAFT, MeetingState.INVITED):
            raise _invalid(_("Items can be removed only before the meeting starts."), "state")
        if item.proposal_id:
            AgendaProposal.objects.filter(pk=item.proposal_id).update(
                state=AgendaProposal.State.OPEN, meeting=None
            )
        AgendaItem.objects.filter(pk=item.pk).delete()
        record(
            actor,
            "council.agenda_remove",
            target=meeting,
            office=meeting.council.office,
            changes={"item": [item.title, None]},
            request=request,
        )


def propose_item(
    actor: Any,
    council: Council,
    office: Office,
    *,
    title: str,
    note: str = "",
    planned_minutes: int = 10,
    working_group: WorkingGroup | None = None,
    request: HttpRequest | None = None,
) -> AgendaProposal:
    """A member office proposes an item for the body's next meeting (the backlog)."""
    require(actor, Action.COUNCIL_TAKE_PART, office, request)
    title = text.normalize(title)
    if not title:
        raise _invalid(_("Give the proposal a title."), "title")
    member_ids = {m.office.pk for m in body_members(council, working_group, timezone.localdate())}
    if office.pk not in member_ids and not may_manage(actor, council, working_group):
        raise PermissionDenied(_("Only member offices propose agenda items."))
    with transaction.atomic():
        proposal = AgendaProposal.objects.create(
            council=council,
            working_group=working_group,
            office=office,
            proposed_by=actor,
            title=title,
            note=text.normalize(note),
            planned_minutes=planned_minutes,
        )
        record(
            actor,
            "council.propose",
            target=council,
            office=office,
            changes={"title": [None, title]},
            request=request,
        )
    return proposal


def decline_proposal(
    actor: Any, proposal: AgendaProposal, *, request: HttpRequest | None = None
) -> None:
    require(
        actor,
        Action.COUNCIL_MANAGE,
        _manage_target(actor, proposal.council, proposal.working_group),
        request,
    )
    with transaction.atomic():
        AgendaProposal.objects.filter(pk=proposal.pk, state=AgendaProposal.State.OPEN).update(
            state=AgendaProposal.State.DECLINED
        )
        record(
            actor,
            "council.proposal_decline",
            target=proposal.council,
            office=proposal.council.office,
            changes={"title": [proposal.title, None]},
            request=request,
        )


# --------------------------------------------------------------------------- RSVP, attendance


def rsvp(
    actor: Any,
    invitation: Invitation,
    answer: str,
    *,
    note: str = "",
    request: HttpRequest | None = None,
) -> Invitation:
    if answer not in Invitation.Answer.values or answer == Invitation.Answer.PENDING:
        raise _invalid(_("Choose an answer."), "answer")
    with locked_transaction():
        invitation = lock_and_require(
            Invitation.objects.select_related("office", "meeting"),
            invitation.pk,
            actor,
            Action.COUNCIL_TAKE_PART,
            request,
        )
        if invitation.meeting.state not in (MeetingState.INVITED, MeetingState.IN_PROGRESS):
            raise _invalid(_("This meeting no longer takes answers."), "state")
        before = invitation.answer
        invitation.answer = answer
        invitation.answer_note = text.normalize(note)[:300]
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answer", "answer_note", "answered_at"])
        record(
            actor,
            "council.rsvp",
            target=invitation.meeting,
            office=invitation.office,
            changes={"answer": [before, answer]},
            request=request,
        )
    return invitation


def take_attendance(
    actor: Any,
    meeting: Meeting,
    rows: dict[int, tuple[str, str]],
    *,
    request: HttpRequest | None = None,
) -> int:
    """Record attendance: {office id: (status, person's name)} for invited offices."""
    with locked_transaction():
        meeting = _lock_meeting(actor, meeting.pk, request)
        if meeting.state not in (MeetingState.IN_PROGRESS, MeetingState.CLOSED):
            raise _invalid(_("Attendance is taken once the meeting has started."), "state")
        members = {
            m.office.pk: m
            for m in body_members(
                meeting.council, meeting.working_group, _local_day(meeting.starts_at)
            )
        }
        invited = set(meeting.invitations.values_list("office_id", flat=True))
        allowed = invited | set(members)
        unknown = set(rows) - allowed
        if unknown:
            raise _invalid(_("Attendance can be taken only for the body's member offices."))
        for status, _name in rows.values():
            if status not in Attendance.Status.values:
                raise _invalid(_("Choose present, late, excused or absent."), "status")
        existing = {a.office_id: a for a in meeting.attendance.all()}
        for office_id, (status, name) in rows.items():
            voting = members[office_id].voting if office_id in members else False
            row = existing.get(office_id)
            if row is None:
                Attendance.objects.create(
                    meeting=meeting,
                    office_id=office_id,
                    status=status,
                    person_name=text.normalize(name),
                    voting=voting,
                )
            elif row.status != status or row.person_name != text.normalize(name):
                row.status = status
                row.person_name = text.normalize(name)
                row.save(update_fields=["status", "person_name", "recorded_at"])
        record(
            actor,
            "council.attendance",
            target=meeting,
            office=meeting.council.office,
            changes={"rows": [None, len(rows)]},
            request=request,
        )
    return len(rows)


@dataclass(frozen=True)
class Quorum:
    voting_members: int
    needed: int
    present: int

    @property
    def met(self) -> bool:
        return self.voting_members > 0 and self.present >= self.needed


def quorum_needed(rule: str, count: int | None, voting_members: int) -> int:
    if rule == QuorumRule.FIXED and count:
        return min(count, voting_members) if voting_members else count
    if rule == QuorumRule.TWO_THIRDS:
        return -(-2 * voting_members // 3)
    return voting_members // 2 + 1


def quorum(meeting: Meeting) -> Quorum:
    """The body's quorum rule against the attendance taken: present and late voting members."""
    body = meeting.working_group or meeting.council
    members = body_members(meeting.council, meeting.working_group, _local_day(meeting.starts_at))
    voting = sum(1 for m in members if m.voting)
    present = meeting.attendance.filter(
        voting=True, status__in=(Attendance.Status.PRESENT, Attendance.Status.LATE)
    ).count()
    return Quorum(voting, quorum_needed(body.quorum_rule, body.quorum_count, voting), present)


# --------------------------------------------------------------------------- minutes


def _ensure_minutes(meeting: Meeting, actor: Any = None) -> MinutesVersion:
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    version = minutes.versions.order_by("-number").first()
    if version is None:
        version = MinutesVersion.objects.create(
            minutes=minutes,
            number=1,
            created_by=actor if actor and actor.is_authenticated else None,
        )
        MinutesEntry.objects.bulk_create(
            [MinutesEntry(version=version, agenda_item=item) for item in meeting.agenda.all()]
        )
    return version


def _open_version(meeting: Meeting) -> MinutesVersion | None:
    return (
        MinutesVersion.objects.filter(minutes__meeting=meeting, state=MinutesVersion.State.DRAFT)
        .order_by("-number")
        .first()
    )


class MinutesConflict(Exception):
    """Someone saved the minutes since the editor opened them (409): their text is carried so
    the page shows it beside what this editor typed, and nothing is lost."""

    def __init__(self, version: MinutesVersion, texts: dict[int, str], summary: str) -> None:
        super().__init__("minutes changed meanwhile")
        self.version = version
        self.texts = texts
        self.summary = summary


def _lock_version(actor: Any, pk: int, request: HttpRequest | None) -> MinutesVersion:
    return lock_and_require(
        MinutesVersion.objects.select_related(
            "minutes__meeting__council__office", "minutes__meeting__working_group"
        ),
        pk,
        actor,
        Action.COUNCIL_MANAGE,
        request,
        target=lambda v: _manage_target(
            actor, v.minutes.meeting.council, v.minutes.meeting.working_group
        ),
    )


def save_minutes(
    actor: Any,
    version: MinutesVersion,
    *,
    base_revision: int,
    texts: dict[int, str],
    summary: str = "",
    request: HttpRequest | None = None,
) -> MinutesVersion:
    """Save the draft's text per agenda item. `base_revision` is the revision the editor started
    from: if someone saved since, `MinutesConflict` (nothing is written). An approved version
    is locked: a change needs a new version with a reason (`new_version`)."""
    with locked_transaction():
        version = _lock_version(actor, version.pk, request)
        if version.state != MinutesVersion.State.DRAFT:
            raise _invalid(
                _("These minutes are locked; a change needs a new version, with its reason."),
                "locked",
            )
        if version.revision != base_revision:
            current = dict(version.entries.values_list("agenda_item_id", "text"))
            raise MinutesConflict(version, current, version.summary)
        entries = {e.agenda_item_id: e for e in version.entries.all()}
        items = set(version.minutes.meeting.agenda.values_list("pk", flat=True))
        changed = []
        for item_id, value in texts.items():
            if item_id not in items:
                continue
            value = text.normalize(value)
            entry = entries.get(item_id)
            if entry is None:
                MinutesEntry.objects.create(version=version, agenda_item_id=item_id, text=value)
                changed.append(item_id)
            elif entry.text != value:
                entry.text = value
                entry.save(update_fields=["text"])
                changed.append(item_id)
        summary = text.normalize(summary)
        version.summary = summary
        version.revision = F("revision") + 1
        version.updated_by = actor
        version.save(update_fields=["summary", "revision", "updated_by", "updated_at"])
        version.refresh_from_db(fields=["revision"])
        meeting = version.minutes.meeting
        record(
            actor,
            "council.minutes_edit",
            target=meeting,
            office=meeting.council.office,
            changes={"version": [None, version.number], "items": [None, len(changed)]},
            request=request,
        )
    return version


def circulate_minutes(
    actor: Any, version: MinutesVersion, *, request: HttpRequest | None = None
) -> MinutesVersion:
    """Send the draft to the members for objections until the body's N-th working day."""
    with locked_transaction():
        version = _lock_version(actor, version.pk, request)
        meeting = version.minutes.meeting
        if version.state != MinutesVersion.State.DRAFT:
            raise _invalid(_("Only a draft is circulated."), "state")
        if meeting.state not in (MeetingState.CLOSED, MeetingState.MINUTES_APPROVED):
            raise _invalid(_("Close the meeting before circulating its minutes."), "state")
        body = meeting.working_group or meeting.council
        now = timezone.now()
        version.state = MinutesVersion.State.CIRCULATED
        version.circulated_at = now
        version.objection_deadline = (
            workdays.after_working_days(now, body.objection_days) if body.objection_days else None
        )
        version.save(update_fields=["state", "circulated_at", "objection_deadline", "updated_at"])
        _notify_members_of_minutes(meeting, version)
        record(
            actor,
            "council.minutes_circulate",
            target=meeting,
            office=meeting.council.office,
            changes={
                "version": [None, version.number],
                "deadline": [None, str(version.objection_deadline or "")],
            },
            request=request,
        )
    return version


def _notify_members_of_minutes(meeting: Meeting, version: MinutesVersion) -> None:
    invitations = list(meeting.invitations.select_related("office"))
    emails = _emails_of(
        [i.office for i in invitations], {i.office_id: i.user_id for i in invitations}
    )
    with override("fa"):
        subject = _("Minutes for your objections: meeting %(number)s — %(body)s") % {
            "number": to_persian_digits(str(meeting.number)),
            "body": meeting.body_name,
        }
        lines = [subject]
        if version.objection_deadline:
            lines.append(_("Objections until") + ": " + format_date(version.objection_deadline))
        lines.append(settings.SITE_URL + reverse("council:minutes", args=[meeting.pk]))
        body = "\n".join(lines)
    messages = [
        outbox.queue(email, subject, body, topic=f"council.minutes:{meeting.pk}")
        for emails_of_office in emails.values()
        for email in emails_of_office
    ]
    outbox.send_after_commit(messages)


def object_to_minutes(
    actor: Any,
    version: MinutesVersion,
    office: Office,
    objection: str,
    *,
    request: HttpRequest | None = None,
) -> Objection:
    require(actor, Action.COUNCIL_TAKE_PART, office, request)
    objection = text.normalize(objection)
    if not objection:
        raise _invalid(_("Write the objection."), "text")
    with transaction.atomic():
        version = (
            MinutesVersion.objects.select_for_update().select_related("minutes").get(pk=version.pk)
        )
        if version.state != MinutesVersion.State.CIRCULATED:
            raise _invalid(_("These minutes are not open for objections."), "state")
        if version.objection_deadline and timezone.localdate() > version.objection_deadline:
            raise _invalid(_("The time for objections has ended."), "late")
        if not Invitation.objects.filter(
            meeting_id=version.minutes.meeting_id, office=office
        ).exists():
            raise PermissionDenied(_("Only invited offices object to the minutes."))
        row = Objection.objects.create(version=version, office=office, author=actor, text=objection)
        record(
            actor,
            "council.minutes_object",
            target=version.minutes.meeting,
            office=office,
            changes={"version": [None, version.number]},
            request=request,
        )
    return row


def reopen_minutes(
    actor: Any, version: MinutesVersion, *, request: HttpRequest | None = None
) -> MinutesVersion:
    """Circulated → draft again (to take objections in); circulated again afterwards."""
    with locked_transaction():
        version = _lock_version(actor, version.pk, request)
        if version.state != MinutesVersion.State.CIRCULATED:
            raise _invalid(_("Only circulated minutes go back to draft."), "state")
        version.state = MinutesVersion.State.DRAFT
        version.save(update_fields=["state", "updated_at"])
        meeting = version.minutes.meeting
        record(
            actor,
            "council.minutes_reopen",
            target=meeting,
            office=meeting.council.office,
            changes={"version": [None, version.number]},
            request=request,
        )
    return version


def approve_minutes(
    actor: Any, version: MinutesVersion, *, request: HttpRequest | None = None
) -> MinutesVersion:
    """The chair approves circulated minutes once the time for objections is over; they are
    locked from then on, the previous approved version superseded, the meeting's state moves."""
    with locked_transaction():
        version = lock_and_require(
            MinutesVersion.objects.select_related(
                "minutes__meeting__council__office", "minutes__meeting__working_group"
            ),
            version.pk,
            actor,
            Action.COUNCIL_APPROVE,
            request,
            target=lambda v: chair_office(
                v.minutes.meeting.council, v.minutes.meeting.working_group
            ),
        )
        meeting = version.minutes.meeting
        if version.state != MinutesVersion.State.CIRCULATED:
            raise _invalid(_("Only circulated minutes are approved."), "state")
        deadline = version.objection_deadline
        if deadline is not None and timezone.localdate() <= deadline:
            raise _invalid(
                _("Objections are open until %(day)s; approve after that.")
                % {"day": format_date(deadline)},
                "early",
            )
        now = timezone.now()
        MinutesVersion.objects.filter(
            minutes=version.minutes, state=MinutesVersion.State.APPROVED
        ).update(state=MinutesVersion.State.SUPERSEDED)
        version.state = MinutesVersion.State.APPROVED
        version.approved_at = now
        version.approved_by = actor
        version.save(update_fields=["state", "approved_at", "approved_by", "updated_at"])
        Minutes.objects.filter(pk=version.minutes_id).update(current_number=version.number)
        if meeting.state != MeetingState.MINUTES_APPROVED:
            Meeting.objects.filter(pk=meeting.pk).update(
                state=MeetingState.MINUTES_APPROVED, updated_at=now
            )
        record(
            actor,
            "council.minutes_approve",
            target=meeting,
            office=meeting.council.office,
            changes={"version": [None, version.number]},
            request=request,
        )
    return version


def new_minutes_version(
    actor: Any, minutes: Minutes, *, reason: str, request: HttpRequest | None = None
) -> MinutesVersion:
    """After approval the minutes are locked: a change starts a new version (a draft copied from
    the approved one) with its reason, audited; the approved one stays in force until the new
    one is approved."""
    reason = text.normalize(reason)
    if not reason:
        raise _invalid(_("Say why a new version of the approved minutes is needed."), "reason")
    with locked_transaction():
        latest = minutes.versions.order_by("-number").first()
        if latest is None:
            raise _invalid(_("These minutes have no version yet."))
        latest = _lock_version(actor, latest.pk, request)
        if latest.state != MinutesVersion.State.APPROVED:
            raise _invalid(_("The latest version is not approved yet: edit it instead."), "state")
        version = MinutesVersion.objects.create(
            minutes=minutes,
            number=latest.number + 1,
            reason=reason,
            summary=latest.summary,
            created_by=actor,
        )
        MinutesEntry.objects.bulk_create(
            [
                MinutesEntry(version=version, agenda_item_id=e.agenda_item_id, text=e.text)
                for e in latest.entries.all()
            ]
        )
        meeting = latest.minutes.meeting
        record(
            actor,
            "council.minutes_version",
            target=meeting,
            office=meeting.council.office,
            changes={"version": [latest.number, version.number], "reason": [None, reason]},
            request=request,
        )
    return version


# --------------------------------------------------------------------------- decisions


@dataclass
class DeadlineChoice:
    """A deadline as set, and whether it moved off a Friday or a holiday (to tell the user)."""

    day: date
    moved_from: date | None = None
    working_days: int | None = None


def resolve_deadline(
    *, start: date, day: date | None = None, working_days: int | None = None
) -> DeadlineChoice:
    """A deadline typed as a date (moved to the next working day when it falls on a Friday or a
    holiday) or as N working days after `start`."""
    if working_days is not None:
        if working_days < 1 or working_days > 365:
            raise _invalid(_("Give between 1 and 365 working days."), "working_days")
        return DeadlineChoice(
            workdays.add_working_days(start, working_days, workdays.holidays()),
            working_days=working_days,
        )
    if day is None:
        raise _invalid(_("Give the deadline: a date or a number of working days."), "deadline")
    moved, did_move = workdays.next_working_day(day)
    return DeadlineChoice(moved, day if did_move else None)


def add_decision(
    actor: Any,
    meeting: Meeting,
    *,
    text_: str,
    office: Office,
    deadline: date | None = None,
    working_days: int | None = None,
    co_offices: Sequence[Office] = (),
    agenda_item: AgendaItem | None = None,
    is_public: bool = False,
    request: HttpRequest | None = None,
) -> tuple[Decision, DeadlineChoice]:
    """A decision of the meeting, coded `<body>-<meeting>-<n>`, with its responsible office and
    deadline. Taken only while the meeting's minutes are open and with the body's quorum."""
    body_text = text.normalize(text_)
    if not body_text:
        raise _invalid(_("Write the decision."), "text")
    with locked_transaction():
        meeting = _lock_meeting(actor, meeting.pk, request)
        if meeting.state not in (
            MeetingState.IN_PROGRESS,
            MeetingState.CLOSED,
            MeetingState.MINUTES_APPROVED,
        ):
            raise _invalid(_("Decisions are taken in a meeting that has started."), "state")
        if _open_version(meeting) is None:
            raise _invalid(
                _("The minutes are circulated or approved; start a new version to add a decision."),
                "locked",
            )
        q = quorum(meeting)
        if not q.met:
            raise _invalid(
                _("No quorum: %(present)s of %(needed)s voting members needed are present.")
                % {
                    "present": to_persian_digits(str(q.present)),
                    "needed": to_persian_digits(str(q.needed)),
                },
                "quorum",
            )
        if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
            raise _invalid(_("That agenda item belongs to another meeting."))
        choice = resolve_deadline(
            start=_local_day(meeting.starts_at), day=deadline, working_days=working_days
        )
        if choice.day < _local_day(meeting.starts_at):
            raise _invalid(_("The deadline is before the meeting."), "deadline")
        number = (meeting.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
        decision = Decision.objects.create(
            council=meeting.council,
            working_group=meeting.working_group,
            meeting=meeting,
            agenda_item=agenda_item,
            number=number,
            code=f"{meeting.body_code}-{meeting.number}-{number}",
            text=body_text,
            office=office,
            deadline=choice.day,
            deadline_working_days=choice.working_days,
            is_public=is_public,
        )
        co = [o for o in co_offices if o.pk != office.pk]
        if co:
            decision.co_offices.set(co)
        record(
            actor,
            "council.decision_add",
            target=decision,
            office=meeting.council.office,
            changes={
                "code": [None, decision.code],
                "office": [None, office.name_fa],
                "deadline": [None, str(choice.day)],
            },
            request=request,
        )
    return decision, choice


def _lock_decision_for_manage(actor: Any, pk: int, request: HttpRequest | None) -> Decision:
    return lock_and_require(
        Decision.objects.select_related("council__office", "working_group", "office"),
        pk,
        actor,
        Action.COUNCIL_MANAGE,
        request,
        target=lambda d: _manage_target(actor, d.council, d.working_group),
    )


def change_deadline(
    actor: Any,
    decision: Decision,
    *,
    reason: str,
    day: date | None = None,
    working_days: int | None = None,
    request: HttpRequest | None = None,
) -> DeadlineChoice:
    """The secretary moves a decision's deadline; the reason is audited."""
    reason = text.normalize(reason)
    if not reason:
        raise _invalid(_("Say why the deadline changes."), "reason")
    with locked_transaction():
        decision = _lock_decision_for_manage(actor, decision.pk, request)
        if not decision.is_open:
            raise _invalid(_("The decision is no longer open."), "state")
        choice = resolve_deadline(start=timezone.localdate(), day=day, working_days=working_days)
        before = decision.deadline
        decision.deadline = choice.day
        decision.deadline_working_days = choice.working_days
        decision.reminded_before_at = None
        decision.reminded_overdue_at = None
        fields = [
            "deadline",
            "deadline_working_days",
            "reminded_before_at",
            "reminded_overdue_at",
            "updated_at",
        ]
        if decision.status == DecisionStatus.OVERDUE and choice.day >= timezone.localdate():
            decision.status = (
                DecisionStatus.IN_PROGRESS if decision.percent_done else DecisionStatus.AWAITING
            )
            fields.append("status")
        decision.save(update_fields=fields)
        record(
            actor,
            "council.decision_deadline",
            target=decision,
            office=decision.council.office,
            changes={"deadline": [str(before), str(choice.day)], "reason": [None, reason]},
            request=request,
        )
    return choice


def close_decision(
    actor: Any,
    decision: Decision,
    status: str,
    *,
    reason: str,
    superseded_by: Decision | None = None,
    request: HttpRequest | None = None,
) -> Decision:
    """Cancel a decision, or mark it superseded by a later one."""
    reason = text.normalize(reason)
    if status not in (DecisionStatus.CANCELLED, DecisionStatus.SUPERSEDED):
        raise _invalid(_("A decision is closed as cancelled or superseded."))
    if not reason:
        raise _invalid(_("Say why."), "reason")
    if status == DecisionStatus.SUPERSEDED and (
        superseded_by is None or superseded_by.pk == decision.pk
    ):
        raise _invalid(_("Name the decision that supersedes this one."), "superseded_by")
    with locked_transaction():
        decision = _lock_decision_for_manage(actor, decision.pk, request)
        if not decision.is_open:
            raise _invalid(_("The decision is no longer open."), "state")
        before = decision.status
        decision.status = status
        decision.superseded_by = superseded_by if status == DecisionStatus.SUPERSEDED else None
        decision.save(update_fields=["status", "superseded_by", "updated_at"])
        record(
            actor,
            "council.decision_close",
            target=decision,
            office=decision.council.office,
            changes={"status": [before, status], "reason": [None, reason]},
            request=request,
        )
    return decision


def reporting_offices(decision: Decision) -> list[Office]:
    return [decision.office, *decision.co_offices.all()]


def report_progress(
    actor: Any,
    decision: Decision,
    office: Office,
    *,
    percent: int,
    note: str,
    day: date | None = None,
    file: UploadedFile | None = None,
    news_link: str = "",
    is_public: bool = True,
    request: HttpRequest | None = None,
) -> FollowUpReport:
    """A follow-up report by a responsible (or co-responsible) office; nobody else reports. The
    decision's percent and status follow the responsible office's reports; the body's managers
    are told."""
    note = text.normalize(note)
    if not note:
        raise _invalid(_("Write what was done."), "note")
    if percent < 0 or percent > 100:
        raise _invalid(_("The percent done is between 0 and 100."), "percent")
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise _invalid(_("A report cannot be dated in the future."), "day")
    evidence = _clean_evidence(file) if file is not None else None
    with locked_transaction():
        decision = lock_and_require(
            Decision.objects.select_related(
                "council__office", "working_group", "office", "meeting"
            ),
            decision.pk,
            actor,
            Action.COUNCIL_REPORT,
            request,
            target=lambda d: office,
        )
        allowed = {o.pk for o in reporting_offices(decision)}
        if office.pk not in allowed:
            raise PermissionDenied(_("Only the responsible offices report on this decision."))
        if not decision.is_open:
            raise _invalid(_("The decision is no longer open."), "state")
        report = FollowUpReport.objects.create(
            decision=decision,
            office=office,
            author=actor,
            day=day,
            percent=percent,
            note=note,
            news_link=news_link.strip(),
            is_public=is_public,
        )
        if evidence is not None:
            report.file_name = (file.name or "evidence")[:200] if file is not None else ""
            report.file.save(f"evidence.{evidence[1]}", evidence[0], save=False)
            report.save(update_fields=["file", "file_name"])
        before = (decision.status, decision.percent_done)
        if office.pk == decision.office_id:
            decision.percent_done = percent
            if percent >= 100:
                decision.status = DecisionStatus.DONE
                decision.done_on = day
            elif decision.status == DecisionStatus.AWAITING and percent > 0:
                decision.status = DecisionStatus.IN_PROGRESS
            decision.save(update_fields=["percent_done", "status", "done_on", "updated_at"])
        _notify_progress(decision, report)
        record(
            actor,
            "council.decision_report",
            target=decision,
            office=office,
            changes={"percent": [before[1], percent], "status": [before[0], decision.status]},
            request=request,
        )
    return report


MAX_EVIDENCE_BYTES = 10_000_000


def _clean_evidence(upload: UploadedFile) -> tuple[ContentFile, str]:
    """An evidence file: a photo (re-encoded without its metadata) or a PDF; nothing else."""
    data = uploads.read_limited(upload, MAX_EVIDENCE_BYTES)
    kind = uploads.sniff(data)
    if kind == "pdf":
        return ContentFile(data), "pdf"
    if kind in ("jpeg", "png", "webp"):
        upload.seek(0)
        image = uploads.clean_image(upload, max_bytes=MAX_EVIDENCE_BYTES)
        return image.content, image.extension
    raise _invalid(_("The evidence file must be a photo (JPEG, PNG, WebP) or a PDF."), "file_type")


def _notify_progress(decision: Decision, report: FollowUpReport) -> None:
    offices = manager_offices(decision.council, decision.working_group)
    emails = _emails_of(offices, {})
    with override("fa"):
        subject = _("Progress on decision %(code)s: %(percent)s%%") % {
            "code": decision.display_code,
            "percent": to_persian_digits(str(report.percent)),
        }
        body = "\n".join(
            [
                subject,
                report.office.name_fa,
                report.note,
                settings.SITE_URL + reverse("council:decision", args=[decision.pk]),
            ]
        )
    recipients = sorted({e for es in emails.values() for e in es})
    outbox.send_after_commit(
        [
            outbox.queue(e, subject, body, topic=f"council.decision:{decision.pk}")
            for e in recipients
        ]
    )


# --------------------------------------------------------------------------- reminders


def tick(now: datetime | None = None, *, batch: int = 1000) -> dict[str, int]:
    """The scheduled scan (idempotent): remind responsible offices `REMIND_WORKING_DAYS` working
    days before a deadline, and on the day after it passes mark the decision overdue and tell
    its offices and the body's secretary. Each row is claimed by a conditional UPDATE, so two
    scans at once never send a reminder twice."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    soon = workdays.add_working_days(today, REMIND_WORKING_DAYS, workdays.holidays())
    result = {"reminded": 0, "overdue": 0}
    open_statuses = (DecisionStatus.AWAITING, DecisionStatus.IN_PROGRESS)
    upcoming = list(
        Decision.objects.filter(
            status__in=open_statuses,
            reminded_before_at__isnull=True,
            deadline__gte=today,
            deadline__lte=soon,
        )
        .select_related("office", "council", "working_group")
        .order_by("deadline")[:batch]
    )
    passed = list(
        Decision.objects.filter(status__in=open_statuses, deadline__lt=today)
        .select_related("office", "council", "council__office", "working_group")
        .order_by("deadline")[:batch]
    )
    with transaction.atomic():
        claimed = set(
            Decision.objects.filter(
                pk__in=[d.pk for d in upcoming], reminded_before_at__isnull=True
            ).values_list("pk", flat=True)
        )
        Decision.objects.filter(pk__in=claimed).update(reminded_before_at=now)
        late = set(
            Decision.objects.filter(
                pk__in=[d.pk for d in passed], status__in=open_statuses
            ).values_list("pk", flat=True)
        )
        Decision.objects.filter(pk__in=late).update(
            status=DecisionStatus.OVERDUE, reminded_overdue_at=now, updated_at=now
        )
        offices: dict[int, Office] = {}
        for d in upcoming + passed:
            offices[d.office_id] = d.office
        managers: dict[tuple[int, int | None], list[Office]] = {}
        for d in passed:
            key = (d.council_id, d.working_group_id)
            if d.pk in late and key not in managers:
                managers[key] = manager_offices(d.council, d.working_group)
                for o in managers[key]:
                    offices[o.pk] = o
        emails = _emails_of(offices.values(), {})
        messages = []
        with override("fa"):
            for d in upcoming:
                if d.pk not in claimed:
                    continue
                subject = _("Deadline near for decision %(code)s") % {"code": d.display_code}
                body = _remind_body(d, subject)
                messages += [
                    outbox.queue(e, subject, body, topic=f"council.decision:{d.pk}")
                    for e in emails.get(d.office_id, [])
                ]
                result["reminded"] += 1
            for d in passed:
                if d.pk not in late:
                    continue
                subject = _("Decision %(code)s is overdue") % {"code": d.display_code}
                body = _remind_body(d, subject)
                to = set(emails.get(d.office_id, []))
                for o in managers[(d.council_id, d.working_group_id)]:
                    to |= set(emails.get(o.pk, []))
                messages += [
                    outbox.queue(e, subject, body, topic=f"council.decision:{d.pk}")
                    for e in sorted(to)
                ]
                result["overdue"] += 1
        outbox.send_after_commit(messages)
    return result


def _remind_body(decision: Decision, subject: str) -> str:
    return "\n".join(
        [
            subject,
            decision.text,
            _("Deadline") + ": " + format_date(decision.deadline),
            settings.SITE_URL + reverse("council:decision", args=[decision.pk]),
        ]
    )


# --------------------------------------------------------------------------- calendar feed


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_feed_token(user: Any, *, request: HttpRequest | None = None) -> str:
    """A new personal feed token for `user` (the older ones are revoked). Returned once: only
    its digest is stored."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        now = timezone.now()
        CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        CalendarFeedToken.objects.create(user=user, digest=digest(token))
        record(user, "council.feed_token", request=request)
    return token


def revoke_feed_tokens(user: Any, *, request: HttpRequest | None = None) -> int:
    with transaction.atomic():
        count = CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        record(user, "council.feed_revoke", changes={"tokens": [count, 0]}, request=request)
    return count


def touch_feed_token(token_id: int) -> None:
    """Note when a feed was last read (at most once an hour per token)."""
    now = timezone.now()
    CalendarFeedToken.objects.filter(pk=token_id).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - timedelta(hours=1))
    ).update(last_used_at=now)


# --------------------------------------------------------------------------- an elected board


BOARD_POSITIONS = (Position.CHAIR, Position.DEPUTY_CHAIR, Position.SECRETARY, Position.BOARD)


def install_board(
    actor: Any,
    council: Council,
    term: Term,
    board: list[tuple[Office, str, Any]],
    *,
    start: date,
    request: HttpRequest | None = None,
) -> list[Seat]:
    """The board an election returned, as (office, position, holder), takes its positions in
    the council for `term` from `start`, all in one transaction (called by the elections app's
    confirm step). Offices holding a board position they were not elected to go back to an
    ordinary member's seat first, so that a single position is free for its new holder."""
    wanted = {office.pk: position for office, position, _holder in board}
    seats: list[Seat] = []
    with transaction.atomic():
        current = Seat.objects.filter(
            council=council, end__isnull=True, position__in=BOARD_POSITIONS
        ).select_related("office", "holder")
        for seat in current:
            if wanted.get(seat.office_id) != seat.position:
                assign_seat(
                    actor,
                    council,
                    seat.office,
                    Position.MEMBER,
                    start=start,
                    holder=seat.holder,
                    term=term,
                    request=request,
                )
        for office, position, holder in board:
            seats.append(
                assign_seat(
                    actor,
                    council,
                    office,
                    position,
                    start=start,
                    holder=holder,
                    term=term,
                    request=request,
                )
            )
    return seats
