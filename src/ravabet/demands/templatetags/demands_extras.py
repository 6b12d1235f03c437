from __future__ import annotations

from django import template
from django.utils.translation import get_language

from ravabet.network.jalali import month_name
from ravabet.network.text import to_persian_digits

register = template.Library()


def _fa() -> bool:
    return not (get_language() or "fa").startswith("en")


@register.filter
def jalali_month(value: int) -> str:
    return month_name(int(value), "fa" if _fa() else "en")


@register.filter
def percent(value: float | None) -> str:
    """0.8734 → ۸۷٪ (fa) / 87% (en); None → —."""
    if value is None:
        return "—"
    whole = str(round(value * 100))
    return f"{to_persian_digits(whole)}٪" if _fa() else f"{whole}%"


@register.filter
def days(value: float | None) -> str:
    if value is None:
        return "—"
    shown = f"{value:.1f}".rstrip("0").rstrip(".")
    return to_persian_digits(shown).replace(".", "٫") if _fa() else shown
