"""Working days on the Jalali calendar: Fridays and the shipped 1405 holidays are off."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from persiantools.jdatetime import JalaliDate

from ravabet.network import workdays
from ravabet.network.models import Holiday
from ravabet.network.workdays import load_holidays

# A fixed holiday list for the property tests (Nowruz 1405 and a mid-week day).
HOLIDAYS = frozenset(
    {JalaliDate(1405, 1, d).to_gregorian() for d in (1, 2, 3, 4, 12, 13)}
    | {JalaliDate(1405, 3, 14).to_gregorian()}
)


def test_friday_is_off_and_a_deadline_skips_it():
    wednesday = JalaliDate(1405, 2, 2).to_gregorian()  # 1405/02/02 is a Wednesday
    assert wednesday.weekday() == 2
    # Thursday is a working day, Friday is not, Saturday is.
    assert workdays.add_working_days(wednesday, 1, frozenset()) == wednesday + timedelta(days=1)
    assert workdays.add_working_days(wednesday, 2, frozenset()) == wednesday + timedelta(days=3)


def test_nowruz_holidays_push_a_deadline():
    last_day_of_1404 = JalaliDate(1404, 12, 28).to_gregorian()
    # Esfand 29 (Friday 1405? no: 1404/12/29 is a Friday), then Nowruz 1-4, Friday the 6th...
    due = workdays.add_working_days(last_day_of_1404, 3, HOLIDAYS)
    assert JalaliDate(due) == JalaliDate(1405, 1, 8)


@pytest.mark.django_db
def test_shipped_1405_list_is_in_the_database_and_editable():
    assert Holiday.objects.count() >= 25
    nowruz = JalaliDate(1405, 1, 1).to_gregorian()
    assert nowruz in workdays.holidays()
    Holiday.objects.filter(day=nowruz).delete()  # staff edit the list
    assert nowruz not in workdays.holidays()  # the cache was dropped
    assert load_holidays() == 1  # the shipped list restores only what is missing
    assert load_holidays() == 0


@pytest.mark.django_db
def test_deadline_ends_at_local_midnight_after_the_last_working_day():
    started = timezone.make_aware(datetime(2026, 4, 25, 23, 30))  # Saturday 1405/02/05, late
    due_date, due_at = workdays.deadline(started, 5, workdays.holidays())
    assert JalaliDate(due_date) == JalaliDate(1405, 2, 10)  # Sun..Thu, skipping Friday 02/11
    assert timezone.localtime(due_at).date() == due_date + timedelta(days=1)
    assert timezone.localtime(due_at).hour == 0


days = st.dates(min_value=date(2026, 3, 1), max_value=date(2027, 3, 30))


@given(days, st.integers(0, 60))
def test_the_nth_working_day_is_a_working_day_with_n_working_days_before_it(start, count):
    due = workdays.add_working_days(start, count, HOLIDAYS)
    assert workdays.is_working_day(due, HOLIDAYS)
    assert due >= start
    if count:
        assert workdays.working_days_between(start, due, HOLIDAYS) == count


@given(days, st.integers(1, 40), st.integers(1, 40))
def test_working_days_add_up(start, a, b):
    first = workdays.add_working_days(start, a, HOLIDAYS)
    assert workdays.add_working_days(first, b, HOLIDAYS) == workdays.add_working_days(
        start, a + b, HOLIDAYS
    )


@given(days, st.integers(1, 30))
def test_more_holidays_never_make_a_deadline_earlier(start, count):
    assert workdays.add_working_days(start, count, HOLIDAYS) >= workdays.add_working_days(
        start, count, frozenset()
    )


@pytest.mark.django_db
def test_a_holiday_added_by_another_process_is_seen_here(settings):
    """Another worker's change reaches this process through the stamp, not its local cache."""
    from ravabet.network import versioning

    settings.RAVABET_STAMP_CHECK = 0
    new_day = JalaliDate(1405, 5, 5).to_gregorian()
    assert new_day not in workdays.holidays()  # now cached in this process
    # What the other process's writer leaves behind: the row and the bumped stamp, both in the
    # database. Nothing of it runs here (bulk_create sends no signal to this process).
    Holiday.objects.bulk_create([Holiday(day=new_day, name_fa="روز نو")])
    versioning.bump(workdays.HOLIDAYS_STAMP)
    assert new_day in workdays.holidays()


@pytest.mark.django_db
def test_holiday_edits_bump_the_stamp_in_their_transaction():
    from django.db import transaction

    from ravabet.network import versioning

    day = JalaliDate(1405, 5, 6).to_gregorian()
    before = versioning.current(workdays.HOLIDAYS_STAMP)
    Holiday.objects.create(day=day, name_fa="روز")
    after_save = versioning.current(workdays.HOLIDAYS_STAMP)
    assert after_save > before and day in workdays.holidays()
    try:
        with transaction.atomic():
            Holiday.objects.filter(day=day).delete()
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    versioning.forget()
    assert versioning.current(workdays.HOLIDAYS_STAMP) == after_save  # no bump for a rollback
    assert day in workdays.holidays()
    Holiday.objects.filter(day=day).delete()
    assert day not in workdays.holidays()


def test_a_date_on_a_friday_or_a_holiday_moves_to_the_next_working_day():
    friday = JalaliDate(1405, 2, 4).to_gregorian()
    assert friday.weekday() == 4
    assert workdays.next_working_day(friday, frozenset()) == (friday + timedelta(days=1), True)
    nowruz = JalaliDate(1405, 1, 1).to_gregorian()
    moved, was_moved = workdays.next_working_day(nowruz, HOLIDAYS)
    assert was_moved and moved not in HOLIDAYS and moved.weekday() != 4
    saturday = friday + timedelta(days=1)
    assert workdays.next_working_day(saturday, frozenset()) == (saturday, False)
