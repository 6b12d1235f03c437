"""The first automatic mark: measured scores and office results, computed but not stored.

`services` stores what these functions return; `ravabet evaluation recompute` calls them again
on the raw records and compares with what is stored. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ravabet.network.models import Office

from . import measures, scoring
from .models import Indicator, Kind, PeerGroup, Period, Status

GROUP_OF_KIND: dict[str, PeerGroup] = {
    Office.Kind.DIRECTORATE: PeerGroup.DIRECTORATE,
    Office.Kind.GOVERNORATE: PeerGroup.DIRECTORATE,
    Office.Kind.AGENCY: PeerGroup.AGENCIES,
    Office.Kind.COUNTY: PeerGroup.COUNTIES,
    Office.Kind.DISTRICT: PeerGroup.DISTRICTS,
}

# The figures a measured score stores; the recompute compares exactly these.
MEASURED_FIELDS = (
    "status", "reason", "numerator", "denominator", "value", "sample", "low", "high", "points",
)  # fmt: skip


def peer_group(office: Office) -> str:
    return str(GROUP_OF_KIND.get(office.kind, PeerGroup.AGENCIES))


# An office entered within this long of the first office of the network was there from the start:
# the network was being set up, not joined mid-period (docs/evaluation.md).
SET_UP = timedelta(days=1)


def exposure(
    office: Office, start: datetime, end: datetime, network_began: datetime | None = None
) -> float:
    """The share of [start, end) the office existed (1 for an office older than the period).

    Offices created when the network was set up in Ravabet (within `SET_UP` of its first office)
    count as existing all along: their history before that is simply not in Ravabet.
    """
    if network_began is not None and office.created_at <= network_began + SET_UP:
        return 1.0
    began = max(start, office.created_at)
    if began >= end:
        return 0.0
    return round((end - began) / (end - start), 6)


def window_of(period: Period) -> measures.Window:
    return measures.Window(period.start, period.end, 12 if period.month is None else 1)


@dataclass
class Measured:
    status: str
    reason: str = ""
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    sample: int = 0
    low: float | None = None
    high: float | None = None
    points: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in MEASURED_FIELDS}


def measure(
    indicator: Indicator,
    office: Office,
    row: Any,
    *,
    installed: bool,
    window: measures.Window,
    office_exposure: float,
    min_exposure: float,
) -> Measured:
    """One measured score of one office: skipped, not enough data, or valid with its points."""
    if not installed:
        return Measured(Status.SKIPPED, "source_missing")
    if office_exposure < min_exposure:
        return Measured(Status.NOT_ENOUGH, "new_office")
    metric = measures.METRICS[indicator.metric]
    figure = metric.figure(row, window, office_exposure)
    found = Measured(
        Status.NOT_ENOUGH,
        "sample",
        numerator=scoring.tidy(figure.numerator),
        denominator=scoring.tidy(figure.denominator),
        value=scoring.tidy(figure.value),
        sample=figure.sample,
    )
    if figure.value is None or figure.sample < indicator.min_sample:
        return found
    target = indicator.target
    if metric.shape == "count" and target is not None:
        target = target * window.months * min(office_exposure, 1.0)
    found.status, found.reason = Status.VALID, ""
    found.points = scoring.tidy(
        scoring.points_for(figure.value, target, lower_is_better=metric.lower_is_better)
    )
    if metric.shape == "rate" and figure.denominator:
        interval = scoring.wilson(figure.numerator, figure.denominator)
        if interval is not None:
            found.low, found.high = (scoring.tidy(bound) for bound in interval)
    return found


def measured_scores(
    period: Period, offices: Iterable[Office], indicators: Iterable[Indicator]
) -> dict[tuple[int, int], Measured]:
    """Every measured score of the period, keyed (office id, indicator id); one call per source."""
    window = window_of(period)
    sources = measures.Sources(window)
    limits = thresholds(period)
    measured = [i for i in indicators if i.kind == Kind.MEASURED]
    offices = list(offices)
    began = network_began(offices)
    out: dict[tuple[int, int], Measured] = {}
    for office in offices:
        share = exposure(office, period.start, period.end, began)
        for indicator in measured:
            metric = measures.METRICS.get(indicator.metric)
            figures = sources.figures(metric.source) if metric is not None else None
            out[(office.pk, indicator.pk)] = measure(
                indicator,
                office,
                None if figures is None else figures.get(office.pk),
                installed=figures is not None,
                window=window,
                office_exposure=share,
                min_exposure=limits.min_exposure,
            )
    return out


def network_began(offices: Iterable[Office]) -> datetime | None:
    """When the first of the evaluated offices was entered in Ravabet."""
    return min((office.created_at for office in offices), default=None)


def thresholds(period: Period) -> scoring.Thresholds:
    version = period.version
    return scoring.Thresholds(
        outstanding=version.outstanding_from,
        active=version.active_from,
        semi_active=version.semi_active_from,
        min_valid_share=version.min_valid_share,
    )


def effective_weight(indicator: Indicator) -> float:
    return indicator.section.weight * indicator.weight
