from __future__ import annotations

from django import template

from ravabet.network.jalali import month_name
from ravabet.network.language import is_english
from ravabet.network.text import to_persian_digits

register = template.Library()


def _fa() -> bool:
    return not is_english()


@register.filter
def jalali_month(value: int) -> str:
    return month_name(int(value), "fa" if _fa() else "en")


@register.filter
def days(value: float | None) -> str:
    if value is None:
        return "—"
    shown = f"{value:.1f}".rstrip("0").rstrip(".")
    return to_persian_digits(shown).replace(".", "٫") if _fa() else shown
