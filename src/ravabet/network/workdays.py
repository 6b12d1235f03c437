"""Working days on the Iranian calendar: Fridays and official holidays are off.

One calendar for every app (demands' answer deadlines, council decisions and minutes, the
evaluation's right of reply). Pure functions over a set of holiday dates, so that they are easy
to test; `holidays()` loads the set from the database (`network.Holiday`, staff edit it in the
admin; `load_holidays` adds the shipped lists in data/) and keeps it in the cache under a version
stamp that every change bumps.

A deadline of N working days counts N working days *after* the day the clock starts (the day a
demand arrives or is referred does not count, whatever the hour), and ends when the last of them
ends, at midnight local time (Asia/Tehran by default).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.cache import cache
from django.utils import timezone

FRIDAY = 4  # date.weekday()
_CACHE_KEY = "network:holidays:v1"
HOLIDAYS_STAMP = "demands.holidays"  # network.versioning stamp of the holiday list (name kept)
DATA_DIR = Path(__file__).resolve().parent / "data"


def is_working_day(day: date, holidays: Iterable[date] | frozenset[date]) -> bool:
    return day.weekday() != FRIDAY and day not in holidays


def add_working_days(start: date, count: int, holidays: frozenset[date]) -> date:
    """The `count`-th working day after `start` (start itself never counts). count >= 0.

    count == 0 gives `start` itself when it is a working day, else the next working day.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    if count == 0:
        while not is_working_day(day, holidays):
            day += timedelta(days=1)
        return day
    left = count
    while left:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(start: date, end: date, holidays: frozenset[date]) -> int:
    """Working days in (start, end]: 0 when end <= start."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            days += 1
    return days


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def deadline(
    started: datetime, working_days: int, holidays: frozenset[date]
) -> tuple[date, datetime]:
    """(the last working day, the moment it ends) for a clock started at `started`."""
    start_day = timezone.localtime(started).date() if timezone.is_aware(started) else started.date()
    due = add_working_days(start_day, max(working_days, 1), holidays)
    return due, local_midnight(due + timedelta(days=1))


def holidays() -> frozenset[date]:
    """Every official holiday in the database, cached under the list's version stamp.

    Whoever changes the list bumps the stamp in the same transaction (`forget_holidays`), so
    every process computes deadlines with the new list within the stamp check interval
    (`RAVABET_STAMP_CHECK`), not only the process that made the change.
    """
    from ravabet.network import versioning

    key = f"{_CACHE_KEY}:{versioning.current(HOLIDAYS_STAMP)}"
    try:
        cached = cache.get(key)
    except Exception:  # the cache being down slows deadlines, never breaks them
        cached = None
    if cached is None:
        from .models import Holiday

        cached = frozenset(Holiday.objects.values_list("day", flat=True))
        with contextlib.suppress(Exception):
            cache.set(key, cached, timeout=24 * 3600)
    return cached


def forget_holidays() -> None:
    """The list changed: bump its stamp, in the caller's transaction (every process sees it)."""
    from ravabet.network import versioning

    versioning.bump(HOLIDAYS_STAMP)


def next_working_day(day: date, off: frozenset[date] | None = None) -> tuple[date, bool]:
    """(`day` itself when it is a working day, else the next one; whether it moved).

    For a deadline someone typed: a Friday or a holiday moves to the next working day, and the
    caller tells the person so (the boolean).
    """
    moved = add_working_days(day, 0, holidays() if off is None else off)
    return moved, moved != day


def after_working_days(started: datetime, count: int) -> date:
    """The `count`-th working day after the local day of `started` (with the live holiday list)."""
    start_day = timezone.localtime(started).date() if timezone.is_aware(started) else started.date()
    return add_working_days(start_day, count, holidays())


def load_holidays(path: Path | None = None) -> int:
    """Add the shipped holiday lists (data/holidays-*.json); existing days are left as they are."""
    from persiantools.jdatetime import JalaliDate

    from .models import Holiday

    created = 0
    for file in [path] if path else sorted(DATA_DIR.glob("holidays-*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        for item in data["holidays"]:
            year, month, day = (int(part) for part in item["date"].split("/"))
            gregorian = JalaliDate(year, month, day).to_gregorian()
            _, new = Holiday.objects.get_or_create(
                day=gregorian, defaults={"name_fa": item["fa"], "name_en": item.get("en", "")}
            )
            created += new
    forget_holidays()
    return created
