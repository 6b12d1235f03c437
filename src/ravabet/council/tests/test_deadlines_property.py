"""Deadlines as typed: whatever the date, the result is a working day, never earlier, and the
user is told exactly when it moved."""

from __future__ import annotations

import unittest.mock
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ravabet.council import services
from ravabet.network import workdays

HOLIDAYS = frozenset({date(2026, 12, 22), date(2026, 12, 23), date(2027, 1, 4)})


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=date(2026, 3, 21), max_value=date(2027, 3, 20)))
def test_a_typed_deadline_lands_on_the_first_working_day_from_it(day):
    with unittest.mock.patch.object(workdays, "holidays", return_value=HOLIDAYS):
        choice = services.resolve_deadline(start=day, day=day)
    assert workdays.is_working_day(choice.day, HOLIDAYS)
    assert day <= choice.day < day + timedelta(days=7)
    assert (choice.moved_from is not None) == (not workdays.is_working_day(day, HOLIDAYS))
    between = [day + timedelta(days=n) for n in range((choice.day - day).days)]
    assert not any(workdays.is_working_day(d, HOLIDAYS) for d in between)


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2026, 3, 21), max_value=date(2027, 3, 20)),
    count=st.integers(min_value=1, max_value=60),
)
def test_n_working_days_count_only_working_days(start, count):
    with unittest.mock.patch.object(workdays, "holidays", return_value=HOLIDAYS):
        choice = services.resolve_deadline(start=start, working_days=count)
    assert workdays.is_working_day(choice.day, HOLIDAYS)
    assert workdays.working_days_between(start, choice.day, HOLIDAYS) == count
    assert choice.working_days == count and choice.moved_from is None
