"""The honour roll on an honouring ceremony's page (registered with `events.extras`)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from . import selectors


def render_for_ceremony(event: Any) -> str:
    """The outstanding offices of the latest published evaluation (the annual festival year's
    when there is one, else the latest month's); nothing when none is published yet."""
    period = selectors.latest_published("year") or selectors.latest_published()
    if period is None:
        return ""
    honours = selectors.honour_roll(period)
    if not honours:
        return ""
    return render_to_string(
        "evaluation/_ceremony_honours.html", {"period": period, "honours": honours}
    )
