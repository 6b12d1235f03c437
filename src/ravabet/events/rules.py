"""Attendance rules of a course, as a pure function (no database): who met them, and how many
hours a certificate states.

A course may ask for at least `min_sessions` sessions, or at least `min_share` (0..1] of them, or
both (both must hold); every mandatory session is required whatever the counts. With no rule at
all every session is required. An excused absence is an absence: it is recorded for the door list
and the attendance rate, but it does not count as a session attended (docs/events.md).
Hours are those of the sessions attended.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from ravabet.network.text import to_persian_digits


@dataclass(frozen=True)
class SessionFacts:
    pk: int
    hours: Decimal
    mandatory: bool


@dataclass(frozen=True)
class Outcome:
    met: bool
    attended: int
    required: int
    hours: Decimal
    reason: str = ""


def required_sessions(total: int, min_sessions: int | None, min_share: Decimal | None) -> int:
    """How many sessions must be attended: the stricter of the two rules; all without one."""
    if min_sessions is None and min_share is None:
        return total
    needed = 0
    if min_sessions is not None:
        needed = max(needed, min_sessions)
    if min_share is not None:
        needed = max(needed, math.ceil(Decimal(total) * Decimal(min_share) - Decimal("1e-9")))
    return min(needed, total)


def evaluate(
    sessions: Sequence[SessionFacts],
    present: Iterable[int],
    *,
    min_sessions: int | None,
    min_share: Decimal | None,
) -> Outcome:
    attended_ids = set(present) & {s.pk for s in sessions}
    attended = len(attended_ids)
    required = required_sessions(len(sessions), min_sessions, min_share)
    hours = sum((s.hours for s in sessions if s.pk in attended_ids), Decimal("0"))
    missed_mandatory = [s for s in sessions if s.mandatory and s.pk not in attended_ids]
    if missed_mandatory:
        return Outcome(
            False,
            attended,
            required,
            hours,
            _("missed %(n)s mandatory session(s)")
            % {"n": to_persian_digits(len(missed_mandatory))},
        )
    if attended < required or not sessions:
        return Outcome(
            False,
            attended,
            required,
            hours,
            _("attended %(attended)s of the %(required)s sessions required")
            % {"attended": to_persian_digits(attended), "required": to_persian_digits(required)},
        )
    return Outcome(True, attended, required, hours)
