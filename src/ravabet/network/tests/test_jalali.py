"""Tests for ravabet.network.jalali and the ``persian`` template filters (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import django
import pytest
from django.conf import settings
from django.template import Context, Engine
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from persiantools.jdatetime import JalaliDate

from ravabet.network.jalali import (
    JalaliParseError,
    format_date,
    format_datetime,
    gregorian_range_for_jalali_month,
    is_friday,
    month_name,
    parse_jalali,
    to_jalali_parts,
    weekday_name,
)
from ravabet.network.templatetags import persian

if not settings.configured:  # running without the project settings (e.g. -p no:django)
    settings.configure(
        USE_TZ=True,
        TIME_ZONE="Asia/Tehran",
        USE_I18N=True,
        LANGUAGE_CODE="fa",
        LANGUAGES=[("fa", "Persian"), ("en", "English")],
        INSTALLED_APPS=[],
    )
    django.setup()

TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.fixture(autouse=True)
def _tehran():
    with timezone.override(TEHRAN):
        yield


# --------------------------------------------------------------------------- conversions


@pytest.mark.parametrize(
    ("gregorian", "jalali"),
    [
        (date(2026, 5, 17), (1405, 2, 27)),
        (date(2025, 3, 20), (1403, 12, 30)),  # 1403 is a leap year: 30 Esfand exists
        (date(2025, 3, 21), (1404, 1, 1)),
        (date(2026, 3, 21), (1405, 1, 1)),  # Nowruz 1405
        (date(2026, 3, 20), (1404, 12, 29)),  # 1404 is a common year
        (date(1990, 1, 1), (1368, 10, 11)),
    ],
)
def test_known_conversions(gregorian, jalali):
    assert to_jalali_parts(gregorian) == jalali


def test_format_date_fa_and_en():
    assert format_date(date(2026, 5, 17)) == "۲۷ اردیبهشت ۱۴۰۵"
    assert format_date(date(2026, 5, 17), "en") == "27 Ordibehesht 1405"
    assert format_date(date(2026, 5, 17), "en-us") == "27 Ordibehesht 1405"
    assert format_date(date(2025, 3, 20), "en") == "30 Esfand 1403"
    assert format_date(date(2026, 3, 21)) == "۱ فروردین ۱۴۰۵"
    assert format_date(None) == ""
    assert format_date(None, "en") == ""


def test_format_datetime_fa_and_en():
    value = datetime(2026, 5, 17, 10, 30, tzinfo=TEHRAN)
    assert format_datetime(value) == "۲۷ اردیبهشت ۱۴۰۵، ساعت ۱۰:۳۰"
    assert format_datetime(value, "en") == "27 Ordibehesht 1405, 10:30"
    assert format_datetime(datetime(2026, 5, 17, 8, 5)) == "۲۷ اردیبهشت ۱۴۰۵، ساعت ۰۸:۰۵"
    assert format_datetime(date(2026, 5, 17)) == "۲۷ اردیبهشت ۱۴۰۵"
    assert format_datetime(None) == ""


def test_aware_datetimes_use_the_current_timezone():
    # 21:00 UTC on 16 May is 00:30 on 17 May in Tehran (UTC+3:30).
    value = datetime(2026, 5, 16, 21, 0, tzinfo=UTC)
    assert format_datetime(value, "en") == "27 Ordibehesht 1405, 00:30"
    assert to_jalali_parts(value) == (1405, 2, 27)
    with timezone.override(UTC):
        assert format_datetime(value, "en") == "26 Ordibehesht 1405, 21:00"
        assert to_jalali_parts(value) == (1405, 2, 26)


def test_month_and_weekday_names():
    assert month_name(1) == "فروردین"
    assert month_name(12, "en") == "Esfand"
    with pytest.raises(ValueError):
        month_name(13)
    assert weekday_name(date(2026, 5, 16)) == "شنبه"
    assert weekday_name(date(2026, 5, 17)) == "یکشنبه"
    assert weekday_name(date(2026, 5, 22)) == "جمعه"
    assert weekday_name(date(2026, 5, 22), "en") == "Friday"
    assert weekday_name(date(2026, 5, 16), "en") == "Saturday"


def test_is_friday():
    assert is_friday(date(2026, 5, 22))
    assert not is_friday(date(2026, 5, 23))
    # Thursday 22:00 UTC is already Friday 01:30 in Tehran.
    assert is_friday(datetime(2026, 5, 21, 22, 0, tzinfo=UTC))
    assert not is_friday(datetime(2026, 5, 21, 19, 0, tzinfo=UTC))


def test_month_ranges():
    assert gregorian_range_for_jalali_month(1405, 2) == (date(2026, 4, 21), date(2026, 5, 22))
    assert gregorian_range_for_jalali_month(1403, 12) == (date(2025, 2, 19), date(2025, 3, 21))
    assert gregorian_range_for_jalali_month(1404, 12) == (date(2026, 2, 20), date(2026, 3, 21))
    assert gregorian_range_for_jalali_month(1405, 7) == (date(2026, 9, 23), date(2026, 10, 23))
    with pytest.raises(ValueError):
        gregorian_range_for_jalali_month(1405, 13)


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1405/02/27", datetime(2026, 5, 17, 0, 0)),
        ("۱۴۰۵/۰۲/۲۷ ۱۰:۳۰", datetime(2026, 5, 17, 10, 30)),
        ("١٤٠٥/٠٢/٢٧ ١٠:٣٠", datetime(2026, 5, 17, 10, 30)),
        ("1405-2-27 8:05", datetime(2026, 5, 17, 8, 5)),
        ("  1405.02.27   23:59:58 ", datetime(2026, 5, 17, 23, 59, 58)),
        ("1403/12/30", datetime(2025, 3, 20)),
        ("۲۷ اردیبهشت ۱۴۰۵، ساعت ۱۰:۳۰", datetime(2026, 5, 17, 10, 30)),
        ("27 Ordibehesht 1405, 10:30", datetime(2026, 5, 17, 10, 30)),
        ("27 ordibehesht 1405", datetime(2026, 5, 17)),
        ("\u202b1405/02/27\u202c", datetime(2026, 5, 17)),
    ],
)
def test_parse_jalali(text, expected):
    parsed = parse_jalali(text)
    assert timezone.is_aware(parsed)
    assert parsed.tzinfo == TEHRAN
    assert parsed.replace(tzinfo=None) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "garbage",
        "1405/13/01",  # no month 13
        "1405/00/10",
        "1405/07/31",  # months 7-11 have 30 days
        "1405/12/30",  # 1405 is not a leap year
        "1404/12/30",
        "1405/02/00",
        "1405/02/27 24:00",
        "1405/02/27 10:60",
        "1405/02/27 10",
        "05/02/27",
        "1405/02-27",
        "27 Farvardinz 1405",
        "1405/02/2710:30",
    ],
)
def test_parse_jalali_rejects_invalid_input(text):
    with pytest.raises(JalaliParseError) as info:
        parse_jalali(text)
    message = str(info.value)
    assert "تاریخ نامعتبر است" in message
    assert "Invalid date" in message
    assert isinstance(info.value, ValueError)


def test_parse_format_round_trip():
    value = parse_jalali("1405/02/27 10:30")
    assert format_datetime(value) == "۲۷ اردیبهشت ۱۴۰۵، ساعت ۱۰:۳۰"
    assert parse_jalali(format_datetime(value)) == value
    assert parse_jalali(format_datetime(value, "en")) == value


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2050, 12, 31)),
    st.integers(min_value=0, max_value=23),
    st.integers(min_value=0, max_value=59),
)
def test_round_trip_over_dates(day, hour, minute):
    with timezone.override(TEHRAN):
        year, month, jday = to_jalali_parts(day)
        assert JalaliDate(year, month, jday).to_gregorian() == day
        numeric = f"{year}/{month:02d}/{jday:02d} {hour}:{minute:02d}"
        parsed = parse_jalali(numeric)
        assert parsed.date() == day
        assert (parsed.hour, parsed.minute) == (hour, minute)
        assert to_jalali_parts(parsed.replace(tzinfo=None)) == (year, month, jday)
        for lang in ("fa", "en"):
            assert parse_jalali(format_date(day, lang)).date() == day
        start, end = gregorian_range_for_jalali_month(year, month)
        assert start <= day < end
        assert to_jalali_parts(start) == (year, month, 1)
        assert to_jalali_parts(end - timedelta(days=1))[:2] == (year, month)


# --------------------------------------------------------------------------- template filters


def test_filters_follow_the_active_language():
    value = datetime(2026, 5, 17, 10, 30, tzinfo=TEHRAN)
    with translation.override("fa"):
        assert persian.jdate(value) == "۲۷ اردیبهشت ۱۴۰۵"
        assert persian.jdatetime(value) == "۲۷ اردیبهشت ۱۴۰۵، ساعت ۱۰:۳۰"
        assert persian.fa_digits(1405) == "۱۴۰۵"
        assert persian.fa_digits("صفحه 3 از ٤") == "صفحه ۳ از ۴"
    with translation.override("en"):
        assert persian.jdate(value) == "27 Ordibehesht 1405"
        assert persian.jdatetime(value) == "27 Ordibehesht 1405, 10:30"
        assert persian.fa_digits(1405) == 1405
        assert persian.fa_digits("page 3") == "page 3"
    assert persian.jdate(None) == ""
    assert persian.jdate("not a date") == ""
    assert persian.fa_digits(None) == ""


def test_filters_in_a_template():
    engine = Engine(libraries={"persian": "ravabet.network.templatetags.persian"})
    template = engine.from_string(
        "{% load persian %}{{ when|jdate }} | {{ when|jdatetime }} | {{ n|fa_digits }}"
    )
    context = Context({"when": datetime(2026, 5, 16, 21, 0, tzinfo=UTC), "n": 27})
    with translation.override("fa"):
        assert template.render(context) == "۲۷ اردیبهشت ۱۴۰۵ | ۲۷ اردیبهشت ۱۴۰۵، ساعت ۰۰:۳۰ | ۲۷"
    with translation.override("en"):
        assert template.render(context) == "27 Ordibehesht 1405 | 27 Ordibehesht 1405, 00:30 | 27"
