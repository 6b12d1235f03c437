"""Monthly responsiveness figures, recounted inside the transaction of each change."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone
from persiantools.jdatetime import JalaliDate

from ravabet.network import workdays
from ravabet.network.jalali import gregorian_range_for_jalali_month

from ..models import Demand, DemandEvent, MonthlyFigure


def month_of(moment: datetime) -> tuple[int, int]:
    local = timezone.localtime(moment)
    jalali = JalaliDate(local.date())
    return jalali.year, jalali.month


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start, end = gregorian_range_for_jalali_month(year, month)
    return workdays.local_midnight(start), workdays.local_midnight(end)


def refresh_figure(office_id: int, year: int, month: int) -> MonthlyFigure:
    """Recount one office's month from the demands (an indexed range; a few hundred rows)."""
    start, end = month_bounds(year, month)
    demands = Demand.objects.filter(
        office_id=office_id, clock_started_at__gte=start, clock_started_at__lt=end
    )
    counts = demands.aggregate(
        n_received=Count("id"),
        n_answered=Count("id", filter=Q(answered_at__isnull=False)),
        n_on_time=Count("id", filter=Q(answered_on_time=True)),
        n_satisfied=Count("id", filter=Q(satisfied=True)),
        n_unsatisfied=Count("id", filter=Q(satisfied=False)),
        n_reopened=Count("id", filter=Q(reopened=True)),
    )
    histogram: dict[str, int] = {}
    for answered_at, started in demands.filter(answered_at__isnull=False).values_list(
        "answered_at", "clock_started_at"
    ):
        if answered_at is None or started is None:  # excluded by the filter; typed nullable
            continue
        days = str(max(0, int((answered_at - started).total_seconds() // 86400)))
        histogram[days] = histogram.get(days, 0) + 1
    referred = DemandEvent.objects.filter(
        from_office_id=office_id, kind=DemandEvent.Kind.REFERRED, at__gte=start, at__lt=end
    ).count()
    figure, _ = MonthlyFigure.objects.update_or_create(
        office_id=office_id,
        year=year,
        month=month,
        defaults={
            "received": counts["n_received"],
            "answered": counts["n_answered"],
            "answered_on_time": counts["n_on_time"],
            "satisfied": counts["n_satisfied"],
            "unsatisfied": counts["n_unsatisfied"] + counts["n_reopened"],
            "referred_out": referred,
            "answer_days": histogram,
        },
    )
    refresh_network_figure(year, month)
    return figure


def refresh_network_figure(year: int, month: int) -> MonthlyFigure:
    """The network's row for a month: the sum of its offices' rows (one query + one write)."""
    total = {name: 0 for name in _COUNTED}
    histogram: dict[str, int] = {}
    rows = MonthlyFigure.objects.filter(year=year, month=month, office__isnull=False)
    for row in rows.values_list(*_COUNTED, "answer_days"):
        for name, value in zip(_COUNTED, row, strict=False):
            total[name] += value
        for days, count in (row[-1] or {}).items():
            histogram[days] = histogram.get(days, 0) + count
    figure, _ = MonthlyFigure.objects.update_or_create(
        office=None, year=year, month=month, defaults={**total, "answer_days": histogram}
    )
    return figure


_COUNTED = (
    "received", "answered", "answered_on_time", "satisfied", "unsatisfied", "referred_out",
)  # fmt: skip


def _touch(office_id: int, moment: datetime) -> None:
    """Recount the office-month inside the caller's transaction: figures never lag behind."""
    refresh_figure(office_id, *month_of(moment))


def rebuild_figures() -> int:
    """Recount every office-month that has demands or referrals (after bulk loads, imports)."""
    pairs: set[tuple[int, int, int]] = set()
    for office_id, started in Demand.objects.values_list("office_id", "clock_started_at").iterator(
        chunk_size=20000
    ):
        pairs.add((office_id, *month_of(started)))
    for office_id, at in DemandEvent.objects.filter(kind=DemandEvent.Kind.REFERRED).values_list(
        "from_office_id", "at"
    ):
        pairs.add((office_id, *month_of(at)))
    for office_id, year, month in sorted(pairs):
        refresh_figure(office_id, year, month)
    return len(pairs)
