"""Reads of the demands app. The responsiveness figures live here and nowhere else.

Figures per Jalali month come from `MonthlyFigure` rows that the services keep current (one
indexed query per page, whatever the number of demands); see docs/demands.md for definitions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from persiantools.jdatetime import JalaliDate

from ravabet.network import workdays
from ravabet.network.models import Office

from .models import OPEN_STATUSES, Attachment, Demand, DemandEvent, MonthlyFigure, Status


@dataclass
class MonthFigures:
    year: int
    month: int
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    satisfied: int = 0
    unsatisfied: int = 0
    referred_out: int = 0
    answer_days: dict[int, int] = field(default_factory=dict)

    def add(self, row: tuple) -> None:
        (_y, _m, received, answered, on_time, satisfied, unsatisfied, referred, days) = row
        self.received += received
        self.answered += answered
        self.answered_on_time += on_time
        self.satisfied += satisfied
        self.unsatisfied += unsatisfied
        self.referred_out += referred
        for key, count in (days or {}).items():
            self.answer_days[int(key)] = self.answer_days.get(int(key), 0) + count

    @property
    def on_time_share(self) -> float | None:
        """Answered on time, as a share of the demands received (None when none arrived)."""
        return self.answered_on_time / self.received if self.received else None

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.received if self.received else None

    @property
    def satisfaction_share(self) -> float | None:
        rated = self.satisfied + self.unsatisfied
        return self.satisfied / rated if rated else None

    @property
    def median_days(self) -> float | None:
        return median_from_histogram(self.answer_days)


def median_from_histogram(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: count}; None when empty."""
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())

    def nth(n: int) -> int:  # 0-based
        seen = 0
        for value, count in ordered:
            seen += count
            if n < seen:
                return value
        return ordered[-1][0]

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def last_months(count: int, today: date | None = None) -> list[tuple[int, int]]:
    """The last `count` Jalali (year, month) pairs, oldest first, ending with today's."""
    today = today or timezone.localdate()
    jalali = JalaliDate(today)
    year, month = jalali.year, jalali.month
    out = []
    for _ in range(count):
        out.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(out))


_FIELDS = (
    "year", "month", "received", "answered", "answered_on_time", "satisfied", "unsatisfied",
    "referred_out", "answer_days",
)  # fmt: skip


def responsiveness(
    office: Office | None = None, *, months: int = 12, today: date | None = None
) -> tuple[list[MonthFigures], MonthFigures]:
    """Figures per month for one office (or the whole network when None), and their total.

    One query: the office's (or the network's) rows for the months shown.
    """
    wanted = last_months(months, today)
    by_month = {key: MonthFigures(*key) for key in wanted}
    years = sorted({y for y, _ in wanted})
    rows = MonthlyFigure.objects.filter(year__in=years)
    rows = rows.filter(office=office) if office is not None else rows.filter(office__isnull=True)
    total = MonthFigures(0, 0)
    for row in rows.values_list(*_FIELDS):
        bucket = by_month.get((row[0], row[1]))
        if bucket is not None:
            bucket.add(row)
            total.add(row)
    return [by_month[key] for key in wanted], total


# ----------------------------------------------------------------------------- staff inbox


def inbox(
    office: Office,
    *,
    status: str = "",
    kind: str = "",
    overdue: bool = False,
    assignee: int | None = None,
    now: datetime | None = None,
) -> QuerySet[Demand]:
    """An office's demands, soonest deadline first. Default: the open ones."""
    demands = Demand.objects.filter(office=office).select_related("assignee")
    if status:
        demands = demands.filter(status=status)
    else:
        demands = demands.filter(status__in=OPEN_STATUSES)
    if kind:
        demands = demands.filter(kind=kind)
    if overdue:
        demands = demands.filter(status__in=OPEN_STATUSES, due_at__lte=now or timezone.now())
    if assignee:
        demands = demands.filter(assignee_id=assignee)
    return demands.order_by("due_at", "id").defer("body", "answer_public", "answer_private")


def demand_for_staff(office: Office, pk: int) -> Demand | None:
    return (
        Demand.objects.select_related("office", "assignee")
        .prefetch_related("attachments")
        .filter(office=office, pk=pk)
        .first()
    )


def attachment_of(demand: Demand, attachment_id: int) -> Attachment | None:
    return demand.attachments.filter(pk=attachment_id).first()


def history(demand: Demand, *, public_only: bool) -> list[DemandEvent]:
    events = demand.events.select_related("actor", "from_office", "to_office")
    if public_only:
        events = events.filter(public=True)
    return list(events)


# ----------------------------------------------------------------------------- citizens


def demand_by_code(code: str) -> Demand | None:
    return Demand.objects.select_related("office").filter(code=code).first()


_REDACT = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # email addresses
    r"|(?:\+|00)?[0-9۰-۹٠-٩][0-9۰-۹٠-٩\s\-]{6,}[0-9۰-۹٠-٩]"  # phone and id numbers
)


def redact(value: str) -> str:
    """Text for publication: email addresses and long numbers (phones, national ids) removed."""
    return _REDACT.sub("[…]", value)


@dataclass(frozen=True)
class Exchange:
    office: Office
    kind: str
    kind_label: str
    subject: str
    body: str
    answer: str
    received_at: datetime
    answered_at: datetime | None  # always set for a published exchange (the query's filter)


def published(office: Office | None = None, *, limit: int = 20, offset: int = 0) -> list[Exchange]:
    """Answered demands whose senders agreed to publication, without personal data."""
    demands = Demand.objects.filter(
        consent_publish=True, answered_at__isnull=False, status__in=[Status.ANSWERED, Status.CLOSED]
    ).select_related("office")
    if office is not None:
        demands = demands.filter(office=office)
    return [
        Exchange(
            office=d.office,
            kind=d.kind,
            kind_label=d.get_kind_display(),
            subject=redact(d.subject),
            body=redact(d.body),
            answer=redact(d.answer_public),
            received_at=d.created_at,
            answered_at=d.answered_at,
        )
        for d in demands.order_by("-answered_at")[offset : offset + limit]
    ]


def colleagues(office: Office) -> list:
    """Users who may handle the office's demands (for the assign menu): the office's responders
    and managers, and the managers of the offices above it, whose reach covers it too."""
    from ravabet.network.permissions import Action, users_who_may

    return list(users_who_may(Action.DEMANDS_VIEW, office).order_by("username"))


# ----------------------------------------------------------------------------- for the evaluation


def office_demand_figures(start: datetime, end: datetime) -> dict[int, dict[str, Any]]:
    """Per office, the demands whose clock started there in [start, end) (aware datetimes).

    Keys: "received", "answered", "on_time" (answered before the end of the deadline, counted
    in working days), "rated" and "satisfied" (the citizens' ratings), and "answer_days" (the
    working days from the clock's start to the answer, per answered demand, sorted). Raw rows,
    not the monthly figures, so that any window (a month, a festival year) is counted the same
    way. Offices with none are absent. Two queries, plus the holiday list.
    """
    demands = Demand.objects.filter(clock_started_at__gte=start, clock_started_at__lt=end)
    out: dict[int, dict[str, Any]] = {}
    for office_id, received, answered, on_time, rated, satisfied in (
        demands.values_list("office_id")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            on_time=Count("id", filter=Q(answered_on_time=True)),
            rated=Count("id", filter=Q(satisfied__isnull=False)),
            satisfied=Count("id", filter=Q(satisfied=True)),
        )
        .order_by()
    ):
        out[office_id] = {
            "received": received,
            "answered": answered,
            "on_time": on_time,
            "rated": rated,
            "satisfied": satisfied,
            "answer_days": [],
        }
    off = workdays.holidays()
    for office_id, started, answered_at in demands.filter(answered_at__isnull=False).values_list(
        "office_id", "clock_started_at", "answered_at"
    ):
        if answered_at is None:  # excluded by the filter; typed nullable
            continue
        days = workdays.working_days_between(
            timezone.localtime(started).date(), timezone.localtime(answered_at).date(), off
        )
        out[office_id]["answer_days"].append(days)
    for figures in out.values():
        figures["answer_days"].sort()
    return out


def citizen_names(*, limit: int = 20_000) -> list[str]:
    """The names citizens gave with their demands, newest first and each once: for apps that
    check a text meant for publication for citizens' personal data (experience write-ups)."""
    names = (
        Demand.objects.exclude(name="").order_by("-id").values_list("name", flat=True)[: limit * 2]
    )
    seen: dict[str, None] = {}
    for name in names:
        seen.setdefault(name.strip(), None)
        if len(seen) >= limit:
            break
    return [name for name in seen if name]
