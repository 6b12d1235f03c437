"""A server-rendered SVG bar chart per programme: registered and present per event.

No JavaScript and no library: a few rectangles, with the numbers written as text too (the chart
is decoration; the table beside it carries the figures for screen readers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ravabet.network.text import to_persian_digits


@dataclass(frozen=True)
class Bar:
    label: str
    registered: int
    present: int  # people present at least once


WIDTH = 640
ROW = 34
LABEL = 200


def bars_svg(bars: Sequence[Bar], *, title: str, persian: bool = True) -> SafeString:
    """Two bars per event (registered, present), right-to-left on Persian pages."""
    digits = to_persian_digits if persian else str
    top = max([b.registered for b in bars] + [1])
    span = WIDTH - LABEL - 60
    height = ROW * len(bars) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="events-chart">'
    ]
    for i, bar in enumerate(bars):
        y = i * ROW + 5
        full = round(span * bar.registered / top)
        came = round(span * bar.present / top)
        if persian:
            label_x, anchor, bar_x = WIDTH - 4, "end", WIDTH - LABEL - full
            came_x = WIDTH - LABEL - came
            number_x = WIDTH - LABEL - full - 6
            number_anchor = "end"
        else:
            label_x, anchor, bar_x, came_x = 4, "start", LABEL, LABEL
            number_x, number_anchor = LABEL + full + 6, "start"
        label = escape(bar.label[:34])
        parts.append(
            f'<text x="{label_x}" y="{y + 18}" text-anchor="{anchor}" font-size="13">{label}</text>'
            f'<rect x="{bar_x}" y="{y + 4}" width="{full}" height="12" fill="#b8c7d9"/>'
            f'<rect x="{came_x}" y="{y + 16}" width="{came}" height="12" fill="#2f6f4f"/>'
            f'<text x="{number_x}" y="{y + 22}" text-anchor="{number_anchor}" font-size="12">'
            f"{digits(bar.present)}/{digits(bar.registered)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above
