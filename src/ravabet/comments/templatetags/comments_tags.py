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
