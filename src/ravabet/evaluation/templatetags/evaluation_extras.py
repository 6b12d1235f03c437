"""Evaluation figures as people read them: percentages, points, intervals, Persian digits."""

from __future__ import annotations

from typing import Any

from django import template

from ravabet.network.jalali import month_name
from ravabet.network.language import is_english
from ravabet.network.text import to_persian_digits

from ..measures import METRICS
from ..models import Period

register = template.Library()


def _digits(text: str) -> str:
    return text if is_english() else to_persian_digits(text)


@register.filter
def points(value: float | None) -> str:
    """0–100 points, rounded; a dash when there are none."""
    return "—" if value is None else _digits(f"{value:.0f}")


@register.filter
def signed(value: float | None) -> str:
    return "—" if value is None else _digits(f"{value:+.1f}")


@register.filter
def share(value: float | None) -> str:
    return (
        "—"
        if value is None
        else _digits(f"{100 * value:.0f}٪" if not is_english() else f"{100 * value:.0f}%")
    )


@register.filter
def figure(score: Any) -> str:
    """The measured value as its metric reads: a share in percent, a count, hours, days."""
    if score.value is None:
        return "—"
    metric = METRICS.get(score.indicator.metric)
    if metric is not None and metric.shape == "rate":
        return share(score.value)
    if score.rubric_mark:
        return _digits(f"{score.rubric_mark}/5")
    text = f"{score.value:.1f}".removesuffix(".0")
    return _digits(text)


@register.filter
def interval(score: Any) -> str:
    """The 95% interval of a rate, "۴۵٪–۷۰٪"; empty when the figure has none."""
    if score.low is None or score.high is None:
        return ""
    return f"{share(score.low)}–{share(score.high)}"


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None


def period_label(period: Period, *, with_scope: bool = True) -> str:
    """ "مهر ۱۴۰۴", "سال ۱۴۰۴" (the festival year); a subtree's period names its office."""
    lang = "en" if is_english() else "fa"
    year = _digits(str(period.year))
    if period.month:
        text = f"{month_name(period.month, lang)} {year}"
    else:
        text = f"{'festival year' if lang == 'en' else 'سال'} {year}"
    if with_scope and period.scope.parent_id is not None:
        text = f"{text} — {period.scope.name}"
    return text


@register.filter
def period_name(period: Period) -> str:
    return period_label(period)


@register.filter
def period_short(period: Period) -> str:
    return period_label(period, with_scope=False)
