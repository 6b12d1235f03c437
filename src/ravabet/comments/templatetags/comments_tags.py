from __future__ import annotations

from django import template

from ..policy import Reason

register = template.Library()


@register.filter
def reason_label(value: str) -> str:
    """The policy reason's translated name."""
    try:
        return str(Reason(value).label)
    except ValueError:
        return value


@register.filter
def percent(value: float | None) -> str:
    return f"{round(float(value or 0) * 100)}%"
