"""Template filters for Jalali dates and Persian digits: ``{% load persian %}``.

* ``{{ post.published_at|jdate }}`` -> ``۲۷ اردیبهشت ۱۴۰۵`` (fa) / ``27 Ordibehesht 1405`` (en)
* ``{{ post.published_at|jdatetime }}`` -> ``۲۷ اردیبهشت ۱۴۰۵، ساعت ۱۰:۳۰`` / ``..., 10:30``
* ``{{ count|fa_digits }}`` -> Persian digits when the active language is fa, unchanged in en
* ``{{ share|percent }}`` -> ``۸۷٪`` (fa) / ``87%`` (en) for a share 0..1; None -> ``—``
* ``{{ title|isolate_latin }}`` -> Latin runs inside Persian text wrapped in ``<bdi>``

The language is the active one (``django.utils.translation.get_language()``). Like
Django's own filters these fail silently: a value that is not a date gives ``''``.
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

from ravabet.network.jalali import format_date, format_datetime
from ravabet.network.language import is_english
from ravabet.network.text import to_persian_digits

register = template.Library()


def _lang() -> str:
    return get_language() or "fa"


def _is_persian(lang: str) -> bool:
    return lang.replace("_", "-").split("-")[0].lower() == "fa"


@register.filter(expects_localtime=True)
def jdate(value: object) -> str:
    """Jalali date in the active language; ``''`` for None or a non-date."""
    if not isinstance(value, date):
        return ""
    return format_date(value, _lang())


@register.filter(expects_localtime=True)
def jdatetime(value: object) -> str:
    """Jalali date and ``HH:MM`` time in the active language; ``''`` for a non-date."""
    if not isinstance(value, date):
        return ""
    return format_datetime(value, _lang())


@register.filter(is_safe=True)
def fa_digits(value: object) -> object:
    """ASCII and Arabic-Indic digits -> Persian when the active language is fa.

    In any other language the value is returned unchanged. None gives ``''``.
    """
    if value is None:
        return ""
    if not _is_persian(_lang()):
        return value
    text = str(value)
    converted = to_persian_digits(text)
    if converted == text:
        return value  # keeps SafeString and non-string values untouched
    return converted


@register.filter
def isodate(value: Any) -> str:
    """ISO 8601 for <time datetime="…">, in whole seconds (the HTML standard allows at most
    three digits of a fraction; Django's "c" format prints six)."""
    if not value:
        return ""
    if hasattr(value, "microsecond"):
        if getattr(value, "tzinfo", None) is not None:
            from django.utils import timezone

            value = timezone.localtime(value)
        value = value.replace(microsecond=0)
    return value.isoformat()


@register.filter
def percent(value: float | None) -> str:
    """A share 0..1 as a whole percentage in the active language: 0.8734 -> ``۸۷٪`` / ``87%``.

    The one percent filter of the site (built in, so every template has it); None -> ``—``.
    """
    if value is None:
        return "—"
    try:
        whole = str(round(float(value) * 100))
    except (TypeError, ValueError):
        return ""
    return f"{whole}%" if is_english() else f"{to_persian_digits(whole)}٪"


# A run of words that hold a Latin letter or an ASCII digit (a code such as «ILM-۱-۳», a name
# such as «Ravabet 2.0»): isolated as one left-to-right piece inside Persian text.
_LATIN_RUN = re.compile(r"[^\s]*[A-Za-z0-9][^\s]*(?:\s+[^\s]*[A-Za-z0-9][^\s]*)*")


_TAG = re.compile(r"(<[^>]*>)")


def _isolate_text(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in _LATIN_RUN.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f'<bdi dir="ltr">{escape(match.group(0))}</bdi>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


@register.filter(needs_autoescape=False)
def isolate_latin(value: object) -> str:
    """``{{ title|isolate_latin }}``: escaped text with each Latin run wrapped in ``<bdi>``.

    For text composed elsewhere (search results, lists of other apps' titles) where a template
    cannot put the isolation around the Latin part itself. Markup already marked safe (a title
    with its matches in ``<mark>``) keeps its tags; only the text between them is looked at.
    """
    if value is None:
        return mark_safe("")
    if isinstance(value, SafeData):
        pieces = _TAG.split(str(value))
        return mark_safe(  # noqa: S308 - tags kept as they were, text re-escaped
            "".join(
                piece if piece.startswith("<") else _isolate_text(html.unescape(piece))
                for piece in pieces
            )
        )
    return mark_safe(_isolate_text(str(value)))  # noqa: S308 - every piece is escaped
