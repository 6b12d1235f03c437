"""Reads of the events app: programme pages, the portal's line, lists for the organiser,
attendance outcomes, figures (training hours, attendance rates) and certificate look-ups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ravabet.network.models import Office
from ravabet.network.permissions import Action, may

from . import codes, rules
from .models import (
    ACTIVE_STATUSES,
    Attendance,
    Certificate,
    Event,
    EventStatus,
    Mark,
    Registration,
    RegStatus,
    Series,
    Session,
)

# ----------------------------------------------------------------------------- public pages


def series_by_slug(slug: str) -> Series:
    try:
        return Series.objects.select_related("office").get(slug=slug)
    except Series.DoesNotExist:
        raise Http404(_("No such programme.")) from None


def series_of_office(office: Office) -> QuerySet[Series]:
    return Series.objects.filter(office=office).order_by("-year", "title_fa")


def all_series() -> QuerySet[Series]:
    return Series.objects.select_related("office").annotate(
        first=Min("events__starts_at"), last=Max("events__ends_at")
    )


def _with_sessions(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("office", "series").prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "pk"))
    )


def programme(series: Series) -> list[Event]:
    return list(_with_sessions(series.events.all()).order_by("starts_at", "pk"))


def office_programme(office: Office, *, now: datetime | None = None) -> list[Event]:
    """The office's events from a month ago onwards, soonest first."""
    now = now or timezone.now()
    return list(
        _with_sessions(
            Event.objects.filter(office=office, ends_at__gte=now - timedelta(days=30))
        ).order_by("starts_at", "pk")
    )


def event_by_pk(pk: int) -> Event:
    try:
        return _with_sessions(Event.objects.all()).get(pk=pk)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None


def session_of(event: Event, pk: int) -> Session:
    try:
        return event.sessions.get(pk=pk)
    except Session.DoesNotExist:
        raise Http404(_("No such session.")) from None


@dataclass(frozen=True)
class PortalLine:
    series: Series
    next_event: Event | None


LEAD_DAYS = 7  # a programme appears on the portal a week before its first event


PROGRAMMES_STAMP = "events.programmes"  # bumped by every change to programmes and events
LINE_SECONDS = 3600


def portal_line(office: Office, *, now: datetime | None = None) -> PortalLine | None:
    """The programme the office's portal mentions while it is on (from a week before its first
    event to the end of its last), if the office runs it or organises one of its events.

    Cached per office under the events' version stamp and the hour, so the office home (whose
    query count is fixed) pays nothing for it when warm; a cache that is down costs the query.
    """
    from django.core.cache import cache

    from ravabet.network import versioning

    if now is not None:
        return _portal_line(office, now)
    now = timezone.now()
    key = (
        f"events:line:{office.pk}:{versioning.current(PROGRAMMES_STAMP)}:"
        f"{int(now.timestamp()) // LINE_SECONDS}"
    )
    found = cache.get(key)
    if found is not None:
        return found or None  # False: looked up, nothing on
    line = _portal_line(office, now)
    cache.set(key, line or False, LINE_SECONDS)
    return line


def _portal_line(office: Office, now: datetime) -> PortalLine | None:
    candidates = (
        Series.objects.filter(Q(office=office) | Q(events__office=office))
        .annotate(first=Min("events__starts_at"), last=Max("events__ends_at"))
        .filter(first__lte=now + timedelta(days=LEAD_DAYS), last__gte=now)
        .distinct()
        .order_by("first")
    )
    series = candidates.first()
    if series is None:
        return None
    upcoming = (
        series.events.filter(ends_at__gte=now)
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_at")
        .first()
    )
    return PortalLine(series=series, next_event=upcoming)


def closed_reason(event: Event, now: datetime | None = None) -> str:
    """Why the event takes no registration now ("" when it does)."""
    from ravabet.network.jalali import format_datetime

    now = now or timezone.now()
    if event.is_cancelled:
        return _("This event has been cancelled; registration is closed.")
    if not event.takes_registrations:
        return _("This event takes no registrations.")
    closes = event.registration_closes_at or event.starts_at
    if now >= closes:
        return _("Registration for this event closed on %(date)s.") % {
            "date": format_datetime(closes, get_language() or "fa")
        }
    return ""


def visible_name(registration: Registration, viewer: Any) -> str:
    """The registrant's name as `viewer` may see it (guests: the organising office only)."""
    if registration.user_id is not None or may(viewer, Action.EVENTS_GUESTS, registration.event):
        return registration.display_name
    return _("Guest")


def seats_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    taken = event.registrations.filter(status=RegStatus.CONFIRMED).count()
    return max(event.capacity - taken, 0)


def registration_of(event: Event, user: Any) -> Registration | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return event.registrations.filter(user=user, status__in=ACTIVE_STATUSES).first()


def registration_by_token(token: str) -> Registration:
    try:
        return Registration.objects.select_related("event", "event__office", "user").get(
            token=token
        )
    except Registration.DoesNotExist:
        raise Http404(_("This link is not valid.")) from None


def waiting_position(registration: Registration) -> int | None:
    if registration.status != RegStatus.WAITING:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegStatus.WAITING,
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


# ----------------------------------------------------------------------------- staff


def events_of_office(office: Office) -> QuerySet[Event]:
    return (
        Event.objects.filter(office=office)
        .select_related("series")
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=RegStatus.CONFIRMED)),
            waiting=Count("registrations", filter=Q(registrations__status=RegStatus.WAITING)),
            pending=Count("registrations", filter=Q(registrations__status=RegStatus.PENDING)),
        )
        .order_by("-starts_at")
    )


@dataclass
class Row:
    """One registration as the organiser's list shows it; guests' contact only if allowed."""

    registration: Registration
    name: str
    organisation: str
    mobile: str
    email: str
    marks: dict[int, str]
    outcome: rules.Outcome | None = None


def registrations_for(event: Event, viewer: Any) -> list[Row]:
    """The event's registrations for the organiser. A guest's name, mobile and email are shown
    only to the organising office (`events.guests`); others see "guest" and nothing else."""
    sees_guests = may(viewer, Action.EVENTS_GUESTS, event)
    registrations = list(
        event.registrations.select_related("user", "home_office", "certificate").order_by(
            "created_at", "pk"
        )
    )
    marks: dict[int, dict[int, str]] = defaultdict(dict)
    for reg_id, session_id, value in Attendance.objects.filter(
        registration__event=event
    ).values_list("registration_id", "session_id", "mark"):
        marks[reg_id][session_id] = value
    rows = []
    for registration in registrations:
        if registration.user_id is not None:
            office = registration.home_office
            rows.append(
                Row(
                    registration,
                    registration.display_name,
                    office.name if office else "",
                    "",
                    registration.user.email if registration.user else "",
                    marks[registration.pk],
                )
            )
        elif sees_guests:
            rows.append(
                Row(
                    registration,
                    registration.guest_name or _("(removed after the retention period)"),
                    registration.guest_organisation,
                    registration.guest_mobile,
                    registration.guest_email,
                    marks[registration.pk],
                )
            )
        else:
            rows.append(Row(registration, _("Guest"), "", "", "", marks[registration.pk]))
    return rows


def pass_by_code(typed: str) -> Registration:
    """The registration a pass's QR (or typed code) names; 404 for an unknown or mistyped one."""
    code = codes.clean(typed)
    if not codes.is_valid(code):
        raise Http404(_("No pass has this code."))
    try:
        return Registration.objects.select_related("event", "event__office", "user").get(
            checkin_code=code
        )
    except Registration.DoesNotExist:
        raise Http404(_("No pass has this code.")) from None


def present_count(session: Session) -> int:
    return session.attendances.filter(mark=Mark.PRESENT).count()


def door_list(event: Event, viewer: Any) -> list[list[str]]:
    """Rows for the door list (CSV): name, organisation, status, code, one column per session."""
    sessions = list(event.sessions.all())
    header = [
        _("Name"),
        _("Office or organisation"),
        _("Status"),
        _("Check-in code"),
        *[s.title or timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M") for s in sessions],
    ]
    rows = [header]
    for row in registrations_for(event, viewer):
        if row.registration.status not in (RegStatus.CONFIRMED, RegStatus.WAITING):
            continue
        rows.append(
            [
                row.name,
                row.organisation,
                str(row.registration.get_status_display()),
                codes.shown(row.registration.checkin_code),
                *[str(Mark(row.marks[s.pk]).label) if s.pk in row.marks else "" for s in sessions],
            ]
        )
    return rows


# ----------------------------------------------------------------------------- rules


def _facts(event: Event) -> list[rules.SessionFacts]:
    return [rules.SessionFacts(s.pk, s.hours, s.mandatory) for s in event.sessions.all()]


def outcomes(event: Event) -> list[tuple[Registration, rules.Outcome]]:
    """Every confirmed registration of the event with whether it met the attendance rules."""
    facts = _facts(event)
    present: dict[int, set[int]] = defaultdict(set)
    for reg_id, session_id in Attendance.objects.filter(
        registration__event=event, mark=Mark.PRESENT
    ).values_list("registration_id", "session_id"):
        present[reg_id].add(session_id)
    registrations = event.registrations.filter(status=RegStatus.CONFIRMED).select_related(
        "user", "certificate"
    )
    return [
        (
            r,
            rules.evaluate(
                facts, present[r.pk], min_sessions=event.min_sessions, min_share=event.min_share
            ),
        )
        for r in registrations
    ]


def outcome_for(event: Event, registration: Registration) -> rules.Outcome:
    if registration.status != RegStatus.CONFIRMED:
        return rules.Outcome(False, 0, 0, Decimal(0), _("no confirmed place"))
    present = Attendance.objects.filter(registration=registration, mark=Mark.PRESENT).values_list(
        "session_id", flat=True
    )
    return rules.evaluate(
        _facts(event), present, min_sessions=event.min_sessions, min_share=event.min_share
    )


# ----------------------------------------------------------------------------- certificates


def certificate_by_code(typed: str) -> Certificate | None:
    """The certificate of a typed verification code, or None (unknown, mistyped)."""
    code = codes.clean(typed)
    if not codes.is_valid(code):
        return None
    return (
        Certificate.objects.select_related("registration__event__office").filter(code=code).first()
    )


def certificates_of(event: Event) -> list[Certificate]:
    return list(
        Certificate.objects.filter(registration__event=event)
        .select_related("registration", "registration__event__office")
        .order_by("holder_name", "pk")
    )


# ----------------------------------------------------------------------------- figures


def training_hours_by_office(start: datetime, end: datetime) -> dict[int, float]:
    """Hours of training sessions attended by each office's staff between `start` and `end`
    (sessions starting in [start, end)), keyed by office id. Contract with `evaluation`.

    A person's hours count to the office they registered from; guests have no office."""
    totals: dict[int, float] = defaultdict(float)
    rows = Attendance.objects.filter(
        mark=Mark.PRESENT,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
        registration__home_office__isnull=False,
        registration__event__kind="training",
    ).exclude(registration__event__status=EventStatus.CANCELLED)
    for office_id, session_start, session_end in rows.values_list(
        "registration__home_office_id", "session__starts_at", "session__ends_at"
    ):
        totals[office_id] += (session_end - session_start).total_seconds() / 3600
    return {office_id: round(hours, 2) for office_id, hours in totals.items()}


@dataclass(frozen=True)
class PersonHours:
    user_id: int
    name: str
    office: str
    hours: float


def training_hours_by_person(start: datetime, end: datetime, office: Office) -> list[PersonHours]:
    """Staff of `office`'s subtree and their training hours in [start, end), most first."""
    totals: dict[int, float] = defaultdict(float)
    names: dict[int, tuple[str, str]] = {}
    rows = (
        Attendance.objects.filter(
            mark=Mark.PRESENT,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            registration__user__isnull=False,
            registration__home_office__path__startswith=office.path,
            registration__event__kind="training",
        )
        .exclude(registration__event__status=EventStatus.CANCELLED)
        .select_related("registration__user", "registration__home_office", "session")
    )
    for row in rows:
        user = row.registration.user
        assert user is not None
        totals[user.pk] += float(row.session.hours)
        home = row.registration.home_office
        names[user.pk] = (
            user.get_full_name() or user.get_username(),
            home.name if home else "",
        )
    return sorted(
        (PersonHours(pk, names[pk][0], names[pk][1], round(h, 2)) for pk, h in totals.items()),
        key=lambda p: (-p.hours, p.name),
    )


@dataclass(frozen=True)
class EventFigures:
    event: Event
    confirmed: int
    present_marks: int
    possible_marks: int  # confirmed × sessions held so far

    @property
    def rate(self) -> float | None:
        return self.present_marks / self.possible_marks if self.possible_marks else None


def attendance_figures(events: list[Event], *, now: datetime | None = None) -> list[EventFigures]:
    """Attendance rate per event: present marks over confirmed people × sessions already held."""
    now = now or timezone.now()
    ids = [e.pk for e in events]
    confirmed = dict(
        Registration.objects.filter(event_id__in=ids, status=RegStatus.CONFIRMED)
        .values_list("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
    )
    held = dict(
        Session.objects.filter(event_id__in=ids, starts_at__lte=now)
        .values_list("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
    )
    present = dict(
        Attendance.objects.filter(
            registration__event_id__in=ids,
            mark=Mark.PRESENT,
            registration__status=RegStatus.CONFIRMED,
        )
        .values_list("registration__event_id")
        .annotate(n=Count("pk"))
        .values_list("registration__event_id", "n")
    )
    return [
        EventFigures(
            e,
            confirmed.get(e.pk, 0),
            present.get(e.pk, 0),
            confirmed.get(e.pk, 0) * held.get(e.pk, 0),
        )
        for e in events
    ]


def series_bars(series: Series) -> list[Any]:
    """Per event of the programme: confirmed registrations and people present at least once."""
    from .charts import Bar

    events = list(
        series.events.annotate(
            registered=Count(
                "registrations",
                filter=Q(registrations__status=RegStatus.CONFIRMED),
                distinct=True,
            ),
            came=Count(
                "registrations",
                filter=Q(
                    registrations__status=RegStatus.CONFIRMED,
                    registrations__attendances__mark=Mark.PRESENT,
                ),
                distinct=True,
            ),
        ).order_by("starts_at", "pk")
    )
    return [Bar(e.title, e.registered, e.came) for e in events if e.takes_registrations]


def staff_offices(user: Any, action: Action) -> QuerySet[Office]:
    from ravabet.network.permissions import offices_where

    return offices_where(user, action)


def users_by_username(names: list[str]) -> list[Any]:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(username__in=names, is_active=True))


def jalali_year_span(year: int) -> tuple[datetime, datetime]:
    """[1 Farvardin `year`, 1 Farvardin `year`+1) as aware local datetimes."""
    from persiantools.jdatetime import JalaliDate

    def midnight(day: Any) -> datetime:
        return timezone.make_aware(datetime.combine(day, datetime.min.time()))

    return midnight(JalaliDate(year, 1, 1).to_gregorian()), midnight(
        JalaliDate(year + 1, 1, 1).to_gregorian()
    )


def guests_past_retention(months: int, now: datetime | None = None) -> QuerySet[Registration]:
    """Guests' registrations whose event ended more than `months` × 30 days ago, not yet cleared."""
    now = now or timezone.now()
    return Registration.objects.filter(
        user__isnull=True,
        event__ends_at__lt=now - timedelta(days=30 * months),
        anonymised_at__isnull=True,
    )


def guests_due_for_retention(*, months: int | None = None) -> int:
    from django.conf import settings

    if months is None:
        months = int(getattr(settings, "RAVABET_EVENTS_GUEST_RETENTION_MONTHS", 12))
    return guests_past_retention(months).count()
