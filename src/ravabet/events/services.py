"""Writes of the events app: programmes, events, registration with a waiting list, attendance,
certificates, and the guests' retention.

Every staff write asks `network.permissions.may` (through `require` or `lock_and_require`) and is
audited (`network.services.record`). Capacity is decided under a lock on the event's row, so two
people taking the last seat at once cannot both get it; the waiting list is promoted in the same
transaction that frees a seat.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from persiantools.jdatetime import JalaliDate, JalaliDateTime

from ravabet.network import text
from ravabet.network.models import Membership, Office
from ravabet.network.permissions import Action
from ravabet.network.services import (
    field_changes,
    lock_and_require,
    locked_transaction,
    record,
    require,
    snapshot,
)

from . import codes, notices, selectors
from .models import (
    ACTIVE_STATUSES,
    Attendance,
    Certificate,
    Event,
    EventStatus,
    Invitation,
    Mark,
    Registration,
    RegStatus,
    Series,
    Session,
)

# ----------------------------------------------------------------------------- errors


class EventsError(Exception):
    """A refusal a person should read: `status` is the HTTP status a view answers with."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyRegistered(EventsError):
    status = 409


class RegistrationClosed(EventsError):
    status = 410


class NotInvited(EventsError):
    status = 403


class NotEligible(EventsError):
    status = 409


class CheckinRefused(EventsError):
    status = 409


# ----------------------------------------------------------------------------- listeners

# Called (after the commit) when what programme pages and the offices' portal line show has
# changed. The portal registers the newsroom's page-cache refresh here (portal/apps.py): the
# office home, which carries the line, is a cached page, and events may not import news.
_programme_listeners: list[Callable[[], None]] = []


def on_programme_change(callback: Callable[[], None]) -> None:
    if callback not in _programme_listeners:
        _programme_listeners.append(callback)


def _programme_changed() -> None:
    from ravabet.network import versioning

    versioning.bump(selectors.PROGRAMMES_STAMP)  # the portal line's cache (in this transaction)
    for callback in _programme_listeners:
        transaction.on_commit(callback)


# ----------------------------------------------------------------------------- programmes


def create_series(
    actor: Any,
    office: Office,
    *,
    slug: str,
    title_fa: str,
    year: int,
    title_en: str = "",
    description: str = "",
    request: HttpRequest | None = None,
) -> Series:
    require(actor, Action.EVENTS_MANAGE, office, request)
    with transaction.atomic():
        series = Series(
            office=office,
            slug=slug,
            title_fa=text.normalize(title_fa),
            title_en=title_en.strip(),
            description=text.normalize(description),
            year=year,
        )
        series.full_clean()
        series.save()
        record(actor, "events.series_create", target=series, office=office, request=request)
        _programme_changed()
    return series


def shift_jalali_year(value: datetime, years: int) -> datetime:
    """The same Jalali day and local time `years` later (30 Esfand → 29 in a common year)."""
    local = timezone.localtime(value)
    jalali = JalaliDateTime(local)
    year = jalali.year + years
    day = min(jalali.day, JalaliDate.days_in_month(jalali.month, year))
    moved = JalaliDateTime(
        year, jalali.month, day, jalali.hour, jalali.minute, jalali.second
    ).to_gregorian()
    return timezone.make_aware(moved.replace(tzinfo=None), timezone.get_current_timezone())


def clone_series(
    actor: Any,
    source: Series,
    *,
    year: int,
    slug: str,
    title_fa: str,
    title_en: str = "",
    request: HttpRequest | None = None,
) -> Series:
    """Last year's programme as this year's, in one step: every event on the same Jalali day
    and hour of `year`, with its sessions, invitations of offices and working groups, rules and
    signer; no registrations. The new events are left for the organiser to adjust."""
    require(actor, Action.EVENTS_MANAGE, source.office, request)
    years = year - source.year
    with transaction.atomic():
        series = Series(
            office=source.office,
            slug=slug,
            title_fa=text.normalize(title_fa),
            title_en=title_en.strip(),
            description=source.description,
            year=year,
            cloned_from=source,
        )
        series.full_clean()
        series.save()
        for event in source.events.prefetch_related("sessions", "invitations"):
            sessions = list(event.sessions.all())
            invitations = [i for i in event.invitations.all() if i.user_id is None]
            event.pk = None
            event._state.adding = True
            event.series = series
            event.starts_at = shift_jalali_year(event.starts_at, years)
            event.ends_at = shift_jalali_year(event.ends_at, years)
            event.registration_closes_at = (
                shift_jalali_year(event.registration_closes_at, years)
                if event.registration_closes_at
                else None
            )
            event.status = EventStatus.SCHEDULED
            event.sequence = 0
            event.created_by = actor
            event.save()
            Session.objects.bulk_create(
                Session(
                    event=event,
                    title=s.title,
                    starts_at=shift_jalali_year(s.starts_at, years),
                    ends_at=shift_jalali_year(s.ends_at, years),
                    mandatory=s.mandatory,
                )
                for s in sessions
            )
            Invitation.objects.bulk_create(
                Invitation(event=event, office_id=i.office_id, working_group_id=i.working_group_id)
                for i in invitations
            )
        record(
            actor,
            "events.series_clone",
            target=series,
            office=series.office,
            request=request,
            changes={"source": source.title_fa, "year": [source.year, year]},
        )
        _programme_changed()
    return series


# ----------------------------------------------------------------------------- events

EVENT_FIELDS = [
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "video_link",
    "audience",
    "capacity",
    "enrolment",
    "moderated",
    "registration_closes_at",
    "min_sessions",
    "min_share",
    "signer_name",
    "signer_title",
]


def _clean_event(event: Event) -> None:
    event.title = text.normalize(event.title)
    event.description = text.normalize(event.description)
    event.place = text.normalize(event.place)
    event.signer_name = text.normalize(event.signer_name)
    event.signer_title = text.normalize(event.signer_title)
    errors: dict[str, str] = {}
    if event.ends_at < event.starts_at:
        errors["ends_at"] = _("The event cannot end before it starts.")
    if event.registration_closes_at and event.registration_closes_at > event.ends_at:
        errors["registration_closes_at"] = _("Registration must close before the event ends.")
    if event.capacity == 0:
        errors["capacity"] = _("Leave the capacity empty for no limit, or give at least one place.")
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["series", "office", "created_by"])


def create_event(
    actor: Any,
    office: Office,
    *,
    series: Series | None = None,
    sessions: Iterable[tuple[datetime, datetime, str, bool]] = (),
    invite_offices: Iterable[Office] = (),
    request: HttpRequest | None = None,
    **fields: Any,
) -> Event:
    """An event of `office`; `sessions` (start, end, title, mandatory) or one session spanning
    the event."""
    require(actor, Action.EVENTS_MANAGE, office, request)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    event = Event(office=office, series=series, created_by=actor, **fields)
    _clean_event(event)
    planned = list(sessions) or [(event.starts_at, event.ends_at, "", False)]
    for start, end, _title, _mandatory in planned:
        if end <= start:
            raise ValidationError({"sessions": _("A session must end after it starts.")})
    with transaction.atomic():
        event.save()
        Session.objects.bulk_create(
            Session(event=event, starts_at=s, ends_at=e, title=text.normalize(t), mandatory=m)
            for s, e, t, m in planned
        )
        Invitation.objects.bulk_create(Invitation(event=event, office=o) for o in invite_offices)
        record(
            actor,
            "events.create",
            target=event,
            office=office,
            request=request,
            changes=field_changes({}, snapshot(event, ["title", "kind", "starts_at"])),
        )
        _programme_changed()
    return event


def add_session(
    actor: Any,
    event: Event,
    *,
    starts_at: datetime,
    ends_at: datetime,
    title: str = "",
    mandatory: bool = False,
    request: HttpRequest | None = None,
) -> Session:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A session must end after it starts.")})
    with locked_transaction():
        event = lock_and_require(Event, event.pk, actor, Action.EVENTS_MANAGE, request)
        session = Session.objects.create(
            event=event,
            starts_at=starts_at,
            ends_at=ends_at,
            title=text.normalize(title),
            mandatory=mandatory,
        )
        record(
            actor,
            "events.session_add",
            target=event,
            request=request,
            changes={"starts_at": str(starts_at)},
        )
    return session


def invite(
    actor: Any,
    event: Event,
    *,
    offices: Iterable[Office] = (),
    working_groups: Iterable[int] = (),
    users: Iterable[Any] = (),
    request: HttpRequest | None = None,
) -> int:
    """Invite whole offices, council working groups (only with the council app) or people."""
    from . import council_bridge

    groups = list(working_groups)
    if groups and not council_bridge.available():
        raise ValidationError(_("Working groups can be invited only where the council app runs."))
    with locked_transaction():
        event = lock_and_require(Event, event.pk, actor, Action.EVENTS_MANAGE, request)
        rows = (
            [Invitation(event=event, office=o) for o in offices]
            + [Invitation(event=event, working_group_id=g) for g in groups]
            + [Invitation(event=event, user=u) for u in users]
        )
        Invitation.objects.bulk_create(rows)
        record(
            actor, "events.invite", target=event, request=request, changes={"invited": len(rows)}
        )
    return len(rows)


def move_event(
    actor: Any,
    event: Event,
    *,
    starts_at: datetime,
    ends_at: datetime,
    place: str | None = None,
    request: HttpRequest | None = None,
) -> Event:
    """Move the event (its sessions shift by the same amount); everyone registered is told,
    with a new .ics (a higher SEQUENCE replaces the old entry in their calendar)."""
    if ends_at < starts_at:
        raise ValidationError({"ends_at": _("The event cannot end before it starts.")})
    with locked_transaction():
        event = lock_and_require(Event, event.pk, actor, Action.EVENTS_MANAGE, request)
        if event.is_cancelled:
            raise RegistrationClosed(_("This event has been cancelled."))
        before = snapshot(event, ["starts_at", "ends_at", "place"])
        delta = starts_at - event.starts_at
        event.starts_at, event.ends_at = starts_at, ends_at
        if place is not None:
            event.place = text.normalize(place)
        event.status = EventStatus.MOVED
        event.sequence = F("sequence") + 1
        event.save(update_fields=["starts_at", "ends_at", "place", "status", "sequence"])
        event.refresh_from_db(fields=["sequence"])
        if delta:
            event.sessions.update(starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta)
        record(
            actor,
            "events.move",
            target=event,
            request=request,
            changes=field_changes(before, snapshot(event, ["starts_at", "ends_at", "place"])),
        )
        _tell_everyone(event, notices.MOVED)
        _programme_changed()
    return event


def cancel_event(
    actor: Any, event: Event, *, reason: str = "", request: HttpRequest | None = None
) -> Event:
    with locked_transaction():
        event = lock_and_require(Event, event.pk, actor, Action.EVENTS_MANAGE, request)
        if event.is_cancelled:
            return event
        event.status = EventStatus.CANCELLED
        event.sequence = F("sequence") + 1
        event.save(update_fields=["status", "sequence"])
        event.refresh_from_db(fields=["sequence"])
        record(
            actor,
            "events.cancel",
            target=event,
            request=request,
            changes={"reason": text.normalize(reason)},
        )
        _tell_everyone(event, notices.CANCELLED)
        _programme_changed()
    return event


def _tell_everyone(event: Event, kind: str) -> None:
    for registration in event.registrations.filter(status__in=ACTIVE_STATUSES).select_related(
        "user"
    ):
        notices.tell(registration, kind, event=event)


# ----------------------------------------------------------------------------- registration


@dataclass(frozen=True)
class Guest:
    name: str
    mobile: str
    email: str = ""
    organisation: str = ""


def is_invited(event: Event, user: Any) -> bool:
    """Is the staff user invited: by name, through their office, or their working group?"""
    from . import council_bridge

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    invitations = list(event.invitations.all())
    if any(i.user_id == user.pk for i in invitations):
        return True
    office_ids = {i.office_id for i in invitations if i.office_id}
    if office_ids and Membership.objects.filter(user=user, office_id__in=office_ids).exists():
        return True
    groups = {i.working_group_id for i in invitations if i.working_group_id}
    return bool(groups) and council_bridge.is_member_of_any(user, groups)


def _home_office(user: Any) -> Office | None:
    membership = (
        Membership.objects.filter(user=user, office__is_active=True)
        .select_related("office")
        .order_by("office__depth", "pk")
        .first()
    )
    return membership.office if membership else None


def _check_open(event: Event, now: datetime) -> None:
    reason = selectors.closed_reason(event, now)
    if reason:
        raise RegistrationClosed(reason)


def _seats_taken(event: Event) -> int:
    return event.registrations.filter(status=RegStatus.CONFIRMED).count()


def _place_status(event: Event) -> str:
    """Where a new (or approved) registration goes: a seat, or the waiting list."""
    if event.capacity is None or _seats_taken(event) < event.capacity:
        return RegStatus.CONFIRMED
    return RegStatus.WAITING


def _new_codes() -> tuple[str, str]:
    return codes.new_checkin_code(), secrets.token_urlsafe(24)


def register(
    event: Event,
    *,
    user: Any = None,
    guest: Guest | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Registration:
    """Register a staff user (as themselves) or a guest. Over capacity: the waiting list.

    Raises AlreadyRegistered (409), RegistrationClosed (410), NotInvited (403).
    """
    now = now or timezone.now()
    is_staff_user = user is not None and getattr(user, "is_authenticated", False)
    if not is_staff_user and guest is None:
        raise ValueError("a registration is a staff user's or a guest's")
    for _attempt in range(3):
        try:
            with transaction.atomic():
                locked = Event.objects.select_for_update().get(pk=event.pk)
                _check_open(locked, now)
                if is_staff_user:
                    if not locked.is_open_to_all and not is_invited(locked, user):
                        raise NotInvited(_("This event is by invitation only."))
                    if locked.registrations.filter(user=user, status__in=ACTIVE_STATUSES).exists():
                        raise AlreadyRegistered(_("You are already registered for this event."))
                else:
                    assert guest is not None
                    if not locked.is_open_to_all:
                        raise NotInvited(_("This event is by invitation only."))
                    if locked.registrations.filter(
                        user__isnull=True, guest_mobile=guest.mobile, status__in=ACTIVE_STATUSES
                    ).exists():
                        raise AlreadyRegistered(
                            _("This mobile number is already registered for this event.")
                        )
                status = RegStatus.PENDING if locked.moderated else _place_status(locked)
                checkin, token = _new_codes()
                registration = Registration.objects.create(
                    event=locked,
                    user=user if is_staff_user else None,
                    home_office=_home_office(user) if is_staff_user else None,
                    guest_name=text.normalize(guest.name) if guest else "",
                    guest_mobile=guest.mobile if guest else "",
                    guest_email=guest.email.strip().lower() if guest else "",
                    guest_organisation=text.normalize(guest.organisation) if guest else "",
                    status=status,
                    checkin_code=checkin,
                    token=token,
                )
                record(
                    user if is_staff_user else None,
                    "events.register",
                    target=registration,
                    office=locked.office,
                    request=request,
                    changes={"status": status},
                )
                notices.tell(registration, notices.REGISTERED, event=locked)
                return registration
        except IntegrityError as error:
            # Two requests of the same person at once: the constraint answers for the second;
            # a check-in code drawn twice (1 in 10^7) is drawn again.
            if "checkin_code" in str(error) or "token" in str(error):
                continue
            raise AlreadyRegistered(_("You are already registered for this event.")) from error
    raise RuntimeError("could not draw a free check-in code")


def _promote(event: Event, now: datetime) -> list[Registration]:
    """Fill free seats from the waiting list, oldest first; tell each promoted person.
    Runs inside the transaction that holds the event's lock."""
    if event.is_cancelled:
        return []
    promoted: list[Registration] = []
    free = None if event.capacity is None else event.capacity - _seats_taken(event)
    waiting = event.registrations.filter(status=RegStatus.WAITING).order_by("created_at", "pk")
    for registration in waiting.select_for_update()[: free if free is not None else None]:
        registration.status = RegStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        record(
            None,
            "events.promote",
            target=registration,
            office=event.office,
            changes={"status": [RegStatus.WAITING, RegStatus.CONFIRMED]},
        )
        notices.tell(registration, notices.PROMOTED, event=event)
        promoted.append(registration)
    return promoted


def leave(token: str, *, request: HttpRequest | None = None) -> Registration:
    """The registrant leaves either list by their link; a freed seat goes to the waiting list."""
    now = timezone.now()
    with transaction.atomic():
        registration = Registration.objects.select_related("event").get(token=token)
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in ACTIVE_STATUSES:
            return registration
        was = registration.status
        registration.status = RegStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        record(
            registration.user,
            "events.leave",
            target=registration,
            office=event.office,
            request=request,
            changes={"status": [was, RegStatus.CANCELLED]},
        )
        if was == RegStatus.CONFIRMED:
            _promote(event, now)
    return registration


def _lock_registration(
    actor: Any, registration: Registration, action: Action, request: HttpRequest | None
) -> tuple[Event, Registration]:
    event = lock_and_require(Event, registration.event_id, actor, action, request)
    return event, Registration.objects.select_for_update().get(pk=registration.pk)


def approve(actor: Any, registration: Registration, request: HttpRequest | None = None) -> str:
    """Accept a pending registration: a seat if one is free, else the waiting list."""
    with locked_transaction():
        event, registration = _lock_registration(actor, registration, Action.EVENTS_MANAGE, request)
        if registration.status != RegStatus.PENDING:
            raise EventsError(_("This registration is not waiting for approval."))
        registration.status = _place_status(event)
        registration.save(update_fields=["status"])
        record(
            actor,
            "events.approve",
            target=registration,
            office=event.office,
            request=request,
            changes={"status": [RegStatus.PENDING, registration.status]},
        )
        kind = notices.APPROVED if registration.status == RegStatus.CONFIRMED else notices.WAITING
        notices.tell(registration, kind, event=event)
    return registration.status


def reject(actor: Any, registration: Registration, request: HttpRequest | None = None) -> None:
    now = timezone.now()
    with locked_transaction():
        event, registration = _lock_registration(actor, registration, Action.EVENTS_MANAGE, request)
        if registration.status not in ACTIVE_STATUSES:
            raise EventsError(_("This registration is no longer active."))
        was = registration.status
        registration.status = RegStatus.REJECTED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        record(
            actor,
            "events.reject",
            target=registration,
            office=event.office,
            request=request,
            changes={"status": [was, RegStatus.REJECTED]},
        )
        notices.tell(registration, notices.REJECTED, event=event)
        if was == RegStatus.CONFIRMED:
            _promote(event, now)


# ----------------------------------------------------------------------------- attendance


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    already: bool  # was already marked present for this session


def check_in(
    actor: Any,
    session: Session,
    typed_code: str,
    *,
    method: str = "code",
    request: HttpRequest | None = None,
) -> CheckIn:
    """Mark the holder of `typed_code` present at `session`. A code of another event, an unknown
    or mistyped code, or a registration without a seat is refused (CheckinRefused, 409; an
    unknown code 404 via Registration.DoesNotExist); a second check-in says so and changes
    nothing."""
    code = codes.clean(typed_code)
    with locked_transaction():
        event = lock_and_require(Event, session.event_id, actor, Action.EVENTS_CHECKIN, request)
        if event.is_cancelled:
            raise CheckinRefused(_("This event has been cancelled."))
        if not codes.is_valid(code):
            raise Registration.DoesNotExist(code)
        registration = Registration.objects.select_related("user").get(checkin_code=code)
        if registration.event_id != event.pk:
            raise CheckinRefused(_("This pass is for another event."))
        if registration.status != RegStatus.CONFIRMED:
            raise CheckinRefused(
                _("This person has no confirmed place (%(status)s).")
                % {"status": registration.get_status_display()}
            )
        current = Attendance.objects.filter(registration=registration, session=session).first()
        if current is not None and current.mark == Mark.PRESENT:
            return CheckIn(registration, already=True)
        Attendance.objects.update_or_create(
            registration=registration,
            session=session,
            defaults={"mark": Mark.PRESENT, "method": method, "marked_by": actor},
        )
        record(
            actor,
            "events.checkin",
            target=registration,
            office=event.office,
            request=request,
            changes={"session": session.pk},
        )
    return CheckIn(registration, already=False)


def mark(
    actor: Any,
    registration: Registration,
    session: Session,
    value: str,
    *,
    request: HttpRequest | None = None,
) -> Attendance:
    value = Mark(value)
    with locked_transaction():
        event, registration = _lock_registration(
            actor, registration, Action.EVENTS_CHECKIN, request
        )
        if session.event_id != event.pk:
            raise CheckinRefused(_("This session belongs to another event."))
        attendance, _created = Attendance.objects.update_or_create(
            registration=registration,
            session=session,
            defaults={"mark": value, "method": "manual", "marked_by": actor},
        )
        record(
            actor,
            "events.mark",
            target=registration,
            office=event.office,
            request=request,
            changes={"session": session.pk, "mark": str(value)},
        )
    return attendance


# ----------------------------------------------------------------------------- certificates


def _new_certificate(
    actor: Any, event: Event, registration: Registration, hours: Decimal
) -> Certificate:
    for _attempt in range(5):
        code = codes.new_verification_code()
        if not Certificate.objects.filter(code=code).exists():
            break
    return Certificate.objects.create(
        registration=registration,
        code=code,
        holder_name=registration.display_name,
        course_title=event.title,
        office_name=event.office.name_fa,
        signer_name=event.signer_name,
        signer_title=event.signer_title,
        hours=hours,
        course_date=event.starts_at,
        issued_by=actor,
    )


def issue_certificate(
    actor: Any, registration: Registration, request: HttpRequest | None = None
) -> Certificate:
    """A certificate for one person; NotEligible (409) unless they met the course's rules."""
    with locked_transaction():
        event, registration = _lock_registration(
            actor, registration, Action.EVENTS_CERTIFY, request
        )
        existing = Certificate.objects.filter(registration=registration).first()
        if existing is not None:
            return existing
        outcome = selectors.outcome_for(event, registration)
        if not outcome.met:
            raise NotEligible(
                _("%(name)s did not meet the attendance rules: %(why)s")
                % {"name": registration.display_name, "why": outcome.reason}
            )
        certificate = _new_certificate(actor, event, registration, outcome.hours)
        record(actor, "events.certify", target=certificate, office=event.office, request=request)
    return certificate


def issue_certificates(
    actor: Any, event: Event, request: HttpRequest | None = None
) -> list[Certificate]:
    """Certificates for everyone who met the rules and has none yet (one audit event)."""
    with locked_transaction():
        event = lock_and_require(Event, event.pk, actor, Action.EVENTS_CERTIFY, request)
        made = []
        for registration, outcome in selectors.outcomes(event):
            if outcome.met and not hasattr(registration, "certificate"):
                made.append(_new_certificate(actor, event, registration, outcome.hours))
        record(
            actor,
            "events.certify_bulk",
            target=event,
            request=request,
            changes={"created": len(made)},
        )
    return made


def revoke_certificate(
    actor: Any, certificate: Certificate, *, reason: str, request: HttpRequest | None = None
) -> Certificate:
    reason = text.normalize(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    with locked_transaction():
        event = lock_and_require(
            Event,
            certificate.registration.event_id,
            actor,
            Action.EVENTS_CERTIFY,
            request,
        )
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is None:
            certificate.revoked_at = timezone.now()
            certificate.revoked_reason = reason
            certificate.save(update_fields=["revoked_at", "revoked_reason"])
            record(
                actor,
                "events.revoke",
                target=certificate,
                office=event.office,
                request=request,
                changes={"reason": reason},
            )
    return certificate


# ----------------------------------------------------------------------------- retention


def retention_months() -> int:
    return int(getattr(settings, "RAVABET_EVENTS_GUEST_RETENTION_MONTHS", 12))


def anonymise_guests(*, months: int | None = None, now: datetime | None = None) -> int:
    """Blank guests' name, mobile, email and organisation on events that ended more than
    `months` months (of 30 days) ago. Attendance counts and certificates stay (a certificate
    keeps the name it was issued to: the holder's own proof). Returns how many were cleared."""
    months = retention_months() if months is None else months
    now = now or timezone.now()
    with transaction.atomic():
        count = selectors.guests_past_retention(months, now).update(
            guest_name="",
            guest_mobile="",
            guest_email="",
            guest_organisation="",
            anonymised_at=now,
        )
        if count:
            record(None, "events.retention", changes={"cleared": count, "months": months})
    return count
