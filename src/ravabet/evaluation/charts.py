"""Server-rendered SVG charts of the evaluation: no script, each with a title and a description
for screen readers (`role="img"`, `aria-labelledby`), and the same numbers in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ravabet.network.language import is_english
from ravabet.network.text import to_persian_digits

from .models import OfficeResult, Period, Tier
from .selectors import TIER_ORDER, GroupSummary

WIDTH = 640
# Colours as presentation attributes (no stylesheet needed, allowed by the CSP); each tier is
# also named in the bar's <title> and in the table beside the chart, never by colour alone.
TIER_FILL = {
    "outstanding": "#1b6e3a",
    "active": "#3d7fb5",
    "semi_active": "#d39a1f",
    "inactive": "#9a9a9a",
}
BAR_FILL = "#2f6f9f"
_ids = count(1)


def _digits(value: object) -> str:
    text = str(value)
    return text if is_english() else to_persian_digits(text)


def _frame(title: str, description: str, height: int, body: SafeString) -> SafeString:
    n = next(_ids)
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'aria-labelledby="chart-title-{} chart-desc-{}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-title-{}">{}</title><desc id="chart-desc-{}">{}</desc>{}</svg>',
        WIDTH,
        height,
        n,
        n,
        n,
        title,
        n,
        description,
        body,
    )


def _label(period: Period) -> str:
    from .templatetags.evaluation_extras import period_label

    return period_label(period, with_scope=False)


def _n(value: float) -> str:
    return f"{value:.1f}"


def _join(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def tiers_by_group(groups: Sequence[GroupSummary]) -> SafeString:
    """One stacked bar per peer group: how many of its placed offices are in each tier."""
    row, label_width = 34, 170
    height = row * len(groups) + 40
    labels = dict(Tier.choices)
    parts = []
    described = []
    rtl = not is_english()
    for index, group in enumerate(groups):
        y = 10 + index * row
        x = 0.0
        span = WIDTH - label_width - 20
        total = max(group.placed, 1)
        for tier in TIER_ORDER:
            size = span * group.tiers.get(tier, 0) / total
            if size:
                left = (WIDTH - label_width - x - size) if rtl else (label_width + x)
                parts.append(
                    format_html(
                        '<rect class="tier-{}" fill="{}" x="{}" y="{}" width="{}" height="22">'
                        "<title>{}: {}</title></rect>",
                        tier,
                        TIER_FILL[str(tier)],
                        _n(left),
                        y,
                        _n(size),
                        labels[tier],
                        _digits(group.tiers.get(tier, 0)),
                    )
                )
            x += size
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="13">{}</text>',
                WIDTH - 5 if rtl else 5,
                y + 16,
                "start",  # the page's direction: in Persian "start" is the right edge
                group.label,
            )
        )
        described.append(
            f"{group.label}: "
            + "، ".join(f"{labels[t]} {_digits(group.tiers.get(t, 0))}" for t in TIER_ORDER)
        )
    return _frame(_("Tiers in each peer group"), "؛ ".join(described), height, _join(parts))


def histogram(bands: Sequence[int]) -> SafeString:
    """Offices placed in a tier, by ten-point band of their total."""
    height, base = 220, 190
    peak = max([*bands, 1])
    slot = (WIDTH - 20) / len(bands)
    rtl = not is_english()
    parts = []
    for index, size in enumerate(bands):
        position = len(bands) - 1 - index if rtl else index
        x = 10 + position * slot
        bar = (base - 20) * size / peak
        label = f"{index * 10}–{index * 10 + 9 if index < 9 else 100}"
        parts.append(
            format_html(
                '<rect class="bar" fill="{}" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}: {}</title></rect>"
                '<text x="{}" y="{}" text-anchor="middle" font-size="12">{}</text>',
                BAR_FILL,
                _n(x + 4),
                _n(base - bar),
                _n(slot - 8),
                _n(bar),
                _digits(label),
                _digits(size),
                _n(x + slot / 2),
                base + 18,
                _digits(label),
            )
        )
    described = "، ".join(
        f"{_digits(f'{i * 10}–{i * 10 + 9 if i < 9 else 100}')}: {_digits(n)}"
        for i, n in enumerate(bands)
    )
    return _frame(_("Offices by total score"), described, height, _join(parts))


def trend(results: Sequence[OfficeResult]) -> SafeString:
    """The office's total over its recent periods (a line; gaps where it was not placed)."""
    height, top, base = 200, 20, 170
    if not results:
        return SafeString("")
    slot = (WIDTH - 40) / max(len(results), 1)
    rtl = not is_english()
    points = []
    marks = []
    for index, result in enumerate(results):
        position = len(results) - 1 - index if rtl else index
        x = 20 + position * slot + slot / 2
        marks.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="12">{}</text>',
                _n(x),
                base + 20,
                _label(result.period),
            )
        )
        if result.total is None:
            continue
        y = base - (base - top) * result.total / 100
        points.append((x, y))
        marks.append(
            format_html(
                '<circle fill="{}" cx="{}" cy="{}" r="4"><title>{}: {}</title></circle>',
                BAR_FILL,
                _n(x),
                _n(y),
                _label(result.period),
                _digits(round(result.total)),
            )
        )
    line = ""
    if len(points) > 1:
        line = format_html(
            '<polyline class="trend" fill="none" stroke="{}" stroke-width="2" points="{}"/>',
            BAR_FILL,
            " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
        )
    described = "، ".join(
        f"{_label(r.period)}: {_digits(round(r.total)) if r.total is not None else '—'}"
        for r in results
    )
    body = format_html("{}{}", line, format_html_join("", "{}", ((m,) for m in marks)))
    return _frame(_("Total score over the periods"), described, height, body)
