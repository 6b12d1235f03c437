"""Measured indicators: what each metric reads, from which app, and how it becomes a figure.

Every figure comes from a source app's `selectors` function that returns plain dicts keyed by
office id for a window [start, end). The newsroom, comments and demands are always installed;
council, events and experiences are read only when their app is installed and the function
exists (`optional_selector`): otherwise the indicator is *skipped: source not installed*,
which the card says, and it counts neither for nor against the office.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.utils import timezone

from ravabet.comments import selectors as comments
from ravabet.demands import selectors as demands
from ravabet.news import selectors as news

from .scoring import median

Fetch = Callable[[datetime, datetime], dict[int, Any]]


def optional_selector(app: str, name: str) -> Fetch | None:
    """`ravabet.<app>.selectors.<name>` when the app is installed and has it; None otherwise."""
    if not apps.is_installed(f"ravabet.{app}"):
        return None
    try:
        module = importlib.import_module(f"ravabet.{app}.selectors")
    except ImportError:
        return None
    found = getattr(module, name, None)
    return found if callable(found) else None


# Where each source's figures come from: (app, selectors function). The three built-in sources
# are imported above; the others are looked up at run time.
SOURCES: dict[str, tuple[str, str]] = {
    "news": ("news", "office_news_figures"),
    "comments": ("comments", "office_comment_figures"),
    "demands": ("demands", "office_demand_figures"),
    "council_decisions": ("council", "office_decision_figures"),
    "council_attendance": ("council", "office_attendance_figures"),
    "training": ("events", "training_hours_by_office"),
    "experiences": ("experiences", "office_experience_figures"),
}

_BUILT_IN: dict[str, Fetch] = {
    "news": news.office_news_figures,
    "comments": comments.office_comment_figures,
    "demands": demands.office_demand_figures,
}


def fetcher(source: str) -> Fetch | None:
    if source in _BUILT_IN:
        return _BUILT_IN[source]
    app, name = SOURCES[source]
    return optional_selector(app, name)


@dataclass(frozen=True)
class Figure:
    """What a metric found for one office: a numerator, maybe a denominator, and the sample."""

    numerator: float
    denominator: float | None
    sample: int
    value: float | None  # numerator / denominator, the count itself, or a median


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    months: int  # 1 for a month, 12 for a year: scales count targets

    @property
    def weeks(self) -> int:
        return max(1, math.ceil((self.end - self.start).days / 7))

    def week_of(self, day: date) -> int:
        return (day - timezone.localtime(self.start).date()).days // 7


@dataclass(frozen=True)
class Metric:
    source: str
    shape: str  # "count", "rate" (a proportion, with a Wilson interval), "ratio" or "median"
    figure: Callable[[dict[str, Any] | float | None, Window, float], Figure]
    lower_is_better: bool = False


def _get(row: Any, key: str) -> float:
    return float(row.get(key, 0)) if isinstance(row, dict) else 0.0


def _count(key: str):
    def figure(row: Any, window: Window, exposure: float) -> Figure:
        if row is not None and not isinstance(row, dict):
            value = float(row)  # a selector that returns a number per office
        else:
            value = _get(row, key)
        return Figure(value, None, 1, value)

    return figure


def _rate(numerator: str, denominator: str):
    def figure(row: Any, window: Window, exposure: float) -> Figure:
        top, bottom = _get(row, numerator), _get(row, denominator)
        return Figure(top, bottom, int(bottom), top / bottom if bottom else None)

    return figure


def _median(key: str):
    def figure(row: Any, window: Window, exposure: float) -> Figure:
        values = list(row.get(key, [])) if isinstance(row, dict) else []
        found = median(values)
        return Figure(found or 0.0, None, len(values), found)

    return figure


def _regularity(row: Any, window: Window, exposure: float) -> Figure:
    """Weeks of the window with at least one item published, over the weeks the office existed."""
    days = row.get("days", []) if isinstance(row, dict) else []
    weeks = {window.week_of(date.fromisoformat(day)) for day in days}
    existed = max(1, round(window.weeks * min(exposure, 1.0)))
    active = min(len(weeks), existed)
    return Figure(active, existed, existed, active / existed)


METRICS: dict[str, Metric] = {
    "news.published": Metric("news", "count", _count("published")),
    "news.regularity": Metric("news", "rate", _regularity),
    "news.photo_share": Metric("news", "rate", _rate("with_photo", "published")),
    "news.views_per_item": Metric("news", "ratio", _rate("views", "published")),
    "news.useful_share": Metric("news", "rate", _rate("useful", "votes")),
    "comments.answered_share": Metric("comments", "rate", _rate("answered", "received")),
    "comments.answer_hours": Metric(
        "comments", "median", _median("answer_hours"), lower_is_better=True
    ),
    "demands.on_time_share": Metric("demands", "rate", _rate("on_time", "received")),
    "demands.answer_days": Metric(
        "demands", "median", _median("answer_days"), lower_is_better=True
    ),
    "demands.satisfaction": Metric("demands", "rate", _rate("satisfied", "rated")),
    "council.decisions_on_time": Metric("council_decisions", "rate", _rate("done_on_time", "due")),
    "council.attendance": Metric("council_attendance", "rate", _rate("present", "invited")),
    "events.training_hours": Metric("training", "count", _count("hours")),
    "experiences.published": Metric("experiences", "count", _count("published")),
    "experiences.reused": Metric("experiences", "count", _count("applied_by_others")),
}


class Sources:
    """Each source's figures for one window, fetched at most once (one call per source)."""

    def __init__(self, window: Window) -> None:
        self.window = window
        self._cache: dict[str, dict[int, Any] | None] = {}

    def figures(self, source: str) -> dict[int, Any] | None:
        """{office id: row}, or None when the source is not installed."""
        if source not in self._cache:
            fetch = fetcher(source)
            self._cache[source] = (
                None if fetch is None else fetch(self.window.start, self.window.end)
            )
        return self._cache[source]
