"""The responsiveness chart as server-rendered SVG: no script, no library, readable by screen
readers through its title and description (the same numbers are in the table beside it)."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ravabet.network.jalali import month_name
from ravabet.network.language import is_english
from ravabet.network.text import to_persian_digits

from .selectors import MonthFigures

WIDTH, HEIGHT, PAD, AXIS = 720, 260, 28, 40


def _digits(value: object, lang: str) -> str:
    return str(value) if is_english(lang) else to_persian_digits(str(value))


def _n(value: float) -> str:
    return f"{value:.1f}"


def monthly_chart(rows: list[MonthFigures], lang: str = "fa") -> SafeString:
    """Bars: demands received (light) and answered on time (dark) per month."""
    peak = max([row.received for row in rows] + [1])
    slot = (WIDTH - 2 * PAD) / max(len(rows), 1)
    bar = slot * 0.35
    plot = HEIGHT - PAD - AXIS
    rtl = not is_english(lang)
    parts = []
    for index, row in enumerate(rows):
        position = len(rows) - 1 - index if rtl else index  # months run right to left in Persian
        x = PAD + position * slot + slot * 0.12
        for offset, value, css in ((0, row.received, "bar-received"),
                                   (bar, row.answered_on_time, "bar-ontime")):  # fmt: skip
            height = plot * value / peak
            parts.append(
                format_html(
                    '<rect class="{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {}</title></rect>",
                    css,
                    _n(x + offset),
                    _n(PAD + plot - height),
                    _n(bar),
                    _n(height),
                    month_name(row.month, lang),
                    _digits(value, lang),
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                _n(x + bar),
                HEIGHT - AXIS / 2,
                month_name(row.month, lang),
            )
        )
    description = "; ".join(
        _("%(month)s: %(received)s received, %(ontime)s answered on time")
        % {
            "month": f"{month_name(row.month, lang)} {_digits(row.year, lang)}",
            "received": _digits(row.received, lang),
            "ontime": _digits(row.answered_on_time, lang),
        }
        for row in rows
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title chart-desc"'
        ' xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-title">{}</title><desc id="chart-desc">{}</desc>'
        '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>{}</svg>',
        WIDTH, HEIGHT,
        _("Demands received and answered on time, by month"), description,
        PAD, HEIGHT - AXIS, WIDTH - PAD, HEIGHT - AXIS,
        format_html_join("", "{}", ((part,) for part in parts)),
    )  # fmt: skip
