"""Jalali (Solar Hijri) dates for display and for what staff type.

This module owns how dates are shown to people and parsed back from them. All
calendar arithmetic is done by ``persiantools.jdatetime``; storage stays Gregorian
and timezone-aware (Django's ``USE_TZ``), and Jalali is only a presentation layer.

* Aware datetimes are converted to the current Django timezone
  (``django.utils.timezone.localtime``) before they are turned into a Jalali date;
  naive datetimes and plain dates are taken as they are.
* ``lang`` is a language code; anything whose primary subtag is ``en`` gives the
  English form (Latin digits, transliterated month names), anything else the Persian
  form (Persian digits, Persian month names). Both are Jalali.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.utils import timezone
from persiantools.jdatetime import (
    MONTH_NAMES_EN,
    MONTH_NAMES_FA,
    WEEKDAY_NAMES_FA,
    JalaliDate,
    JalaliDateTime,
)

from ravabet.network.language import is_english
from ravabet.network.text import arabic_to_persian_letters, strip_controls, to_ascii_digits
from ravabet.network.text import to_persian_digits as _fa_digits

__all__ = [
    "JalaliParseError",
    "format_date",
    "format_datetime",
    "gregorian_range_for_jalali_month",
    "is_friday",
    "month_name",
    "parse_jalali",
    "to_jalali_parts",
    "weekday_name",
]

# Saturday-first week, matching JalaliDate.weekday() (0 = شنبه ... 6 = جمعه).
_WEEKDAY_NAMES_EN = (
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
)
_FRIDAY = 4  # datetime.date.weekday()

PARSE_ERROR_MESSAGE = (
    "تاریخ نامعتبر است؛ نمونه: ۱۴۰۵/۰۲/۲۷ ۱۰:۳۰ / Invalid date; example: 1405/02/27 10:30"
)


class JalaliParseError(ValueError):
    """A typed Jalali date could not be understood. The message is Persian + English."""

    def __init__(self, value: object = None) -> None:
        super().__init__(PARSE_ERROR_MESSAGE)
        self.value = value


def _local(value: datetime | date | JalaliDate) -> date:
    """Return a Gregorian ``date``/``datetime`` in local time (see module docstring)."""
    if isinstance(value, JalaliDate):
        value = value.to_gregorian()
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


def _jalali(value: datetime | date | JalaliDate) -> JalaliDate:
    local = _local(value)
    return JalaliDate(local.date() if isinstance(local, datetime) else local)


def to_jalali_parts(value: datetime | date) -> tuple[int, int, int]:
    """Return ``(year, month, day)`` of ``value`` in the Jalali calendar."""
    jd = _jalali(value)
    return jd.year, jd.month, jd.day


def month_name(month: int, lang: str = "fa") -> str:
    """Return the Jalali month name: ``2`` -> ``اردیبهشت`` / ``Ordibehesht``."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, got {month}")
    return (MONTH_NAMES_EN[month] if is_english(lang) else MONTH_NAMES_FA[month]) or ""


def weekday_name(value: datetime | date, lang: str = "fa") -> str:
    """Return the day of the week: ``شنبه`` ... ``جمعه`` / ``Saturday`` ... ``Friday``."""
    index = _jalali(value).weekday()  # 0 = Saturday (شنبه)
    return _WEEKDAY_NAMES_EN[index] if is_english(lang) else WEEKDAY_NAMES_FA[index]


def is_friday(value: datetime | date) -> bool:
    """True if ``value`` (in local time) is a Friday (جمعه), the end of the Iranian week."""
    return _local(value).weekday() == _FRIDAY


def format_date(value: datetime | date | None, lang: str = "fa") -> str:
    """Return ``'۲۷ اردیبهشت ۱۴۰۵'`` (fa) or ``'27 Ordibehesht 1405'`` (en); ``''`` for None."""
    if value is None:
        return ""
    year, month, day = to_jalali_parts(value)
    if is_english(lang):
        return f"{day} {MONTH_NAMES_EN[month]} {year}"
    return f"{_fa_digits(day)} {MONTH_NAMES_FA[month]} {_fa_digits(year)}"


def format_datetime(value: datetime | date | None, lang: str = "fa") -> str:
    """Return ``'۲۷ اردیبهشت ۱۴۰۵، ساعت ۱۰:۳۰'`` / ``'27 Ordibehesht 1405, 10:30'``.

    The time is 24-hour ``HH:MM``. A plain ``date`` is formatted like
    :func:`format_date`; None gives ``''``.
    """
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return format_date(value, lang)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if is_english(lang):
        return f"{format_date(local, lang)}, {clock}"
    return f"{format_date(local, lang)}، ساعت {_fa_digits(clock)}"


# --------------------------------------------------------------------------- parsing

_TIME = r"(?:(?:\s*[,،]\s*|\s+|T)(?:ساعت\s*)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
_NUMERIC_RE = re.compile(
    r"(?P<y>\d{4})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})" + _TIME
)
_WORDS_RE = re.compile(r"(?P<d>\d{1,2})\s+(?P<name>[^\W\d_]+)\s*[,،]?\s*(?P<y>\d{4})" + _TIME)
_MONTHS_BY_NAME = {
    **{name.lower(): i for i, name in enumerate(MONTH_NAMES_EN) if name},
    **{name: i for i, name in enumerate(MONTH_NAMES_FA) if name},
}


def parse_jalali(text: str) -> datetime:
    """Parse a Jalali date (and optional time) typed by staff into an aware datetime.

    Accepted, with Persian, Arabic-Indic or ASCII digits and ``/``, ``-`` or ``.``
    as the date separator: ``1405/02/27``, ``۱۴۰۵/۰۲/۲۷ ۱۰:۳۰``, ``1405-2-27 8:05``,
    ``1405/02/27 10:30:15``, and the output of :func:`format_date` /
    :func:`format_datetime` (``۲۷ اردیبهشت ۱۴۰۵، ساعت ۱۰:۳۰``, ``27 Ordibehesht 1405,
    10:30``). Without a time the result is local midnight. The result is aware, in
    the current Django timezone.

    Raises :class:`JalaliParseError` for anything else, including impossible dates
    (month 13, day 31 in months 7-12, 30 Esfand in a common year) and times.
    """
    if not isinstance(text, str):
        raise JalaliParseError(text)
    cleaned = to_ascii_digits(arabic_to_persian_letters(strip_controls(text)))
    cleaned = " ".join(cleaned.replace("\u200c", " ").split())
    match = _NUMERIC_RE.fullmatch(cleaned)
    if match:
        month = int(match["m"])
    else:
        match = _WORDS_RE.fullmatch(cleaned)
        if not match or match["name"].lower() not in _MONTHS_BY_NAME:
            raise JalaliParseError(text)
        month = _MONTHS_BY_NAME[match["name"].lower()]
    year, day = int(match["y"]), int(match["d"])
    hour, minute = int(match["H"] or 0), int(match["M"] or 0)
    second = int(match["S"] or 0)
    try:
        naive = JalaliDateTime(year, month, day, hour, minute, second).to_gregorian()
    except (ValueError, OverflowError) as exc:
        raise JalaliParseError(text) from exc
    return timezone.make_aware(naive, timezone.get_current_timezone())


def gregorian_range_for_jalali_month(year: int, month: int) -> tuple[date, date]:
    """Return ``(first day, first day of the next month)`` of a Jalali month, Gregorian.

    The range is half-open, ready for ``published__date__gte=start,
    published__date__lt=end`` filters on archive-by-month pages.
    """
    start = JalaliDate(year, month, 1).to_gregorian()
    days = JalaliDate.days_in_month(month, year)
    return start, start + timedelta(days=days)
