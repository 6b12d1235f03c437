"""Pure arithmetic of the evaluation: intervals, points, totals and tiers (no database here).

Kept apart so that the rules can be read and tested on their own, and so that the recompute
command and the services compute with the very same functions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054  # the normal quantile of a two-sided 95% interval


def wilson(successes: float, trials: float, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion; None without trials.

    Chosen over the normal approximation because it stays inside [0, 1] and behaves with small
    samples and with rates of 0 or 1, which are common for small offices.
    """
    if trials <= 0:
        return None
    p = min(max(successes / trials, 0.0), 1.0)
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    # Rounding can leave the rate itself a hair outside (p = 1 gives 0.9999…): keep it inside.
    return max(0.0, min(centre - half, p)), min(1.0, max(centre + half, p))


def tidy(value: float | None) -> float | None:
    """Stored figures are rounded to six places, so that a recompute compares equal."""
    return None if value is None else round(value, 6)


def points_for(value: float, target: float | None, *, lower_is_better: bool) -> float:
    """0–100 points for a measured value against its target."""
    if lower_is_better:
        if target is None or value <= target:
            return 100.0
        return 100.0 * target / value
    if target is None:  # a share: 100% earns 100
        return 100.0 * min(max(value, 0.0), 1.0)
    if target <= 0:
        return 100.0
    return 100.0 * min(value / target, 1.0)


def rubric_points(mark: int) -> float:
    """A 1–5 rubric mark as 0–100 points (1 → 0, 3 → 50, 5 → 100)."""
    if not 1 <= mark <= 5:
        raise ValueError("a rubric mark is 1 to 5")
    return (mark - 1) * 25.0


@dataclass(frozen=True)
class Weighted:
    weight: float
    points: float | None  # None: not valid (not enough data, pending)
    counted: bool = True  # False: skipped, the indicator is out of this period's evaluation


def total(items: Iterable[Weighted]) -> tuple[float | None, float]:
    """(the weighted mean of the valid points, the share of the counted weight that is valid)."""
    counted = valid = score = 0.0
    for item in items:
        if not item.counted or item.weight <= 0:
            continue
        counted += item.weight
        if item.points is not None:
            valid += item.weight
            score += item.weight * item.points
    if not valid:
        return None, 0.0
    return score / valid, valid / counted if counted else 0.0


@dataclass(frozen=True)
class Thresholds:
    outstanding: float = 80
    active: float = 60
    semi_active: float = 40
    min_valid_share: float = 0.6
    min_exposure: float = 0.5


def tier(
    total_points: float | None, valid_share: float, exposure: float, limits: Thresholds
) -> str:
    """The tier's code, or "" when the office is not placed (too few valid indicators, or it
    existed for too little of the period)."""
    if total_points is None or valid_share < limits.min_valid_share:
        return ""
    if exposure < limits.min_exposure:
        return ""
    if total_points >= limits.outstanding:
        return "outstanding"
    if total_points >= limits.active:
        return "active"
    if total_points >= limits.semi_active:
        return "semi_active"
    return "inactive"


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
