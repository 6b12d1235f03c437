"""Counting, in plain Python with no Django: the same code counts the sealed result when voting
closes and re-counts a downloaded ballots file (`ravabet tally FILE`), so anyone can check that
the published result is the count of the published ballots.

A ballot's `choices` maps a position id to a list of candidate ids or to "blank". Ids are text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

BLANK = "blank"
PLURALITY = "plurality"
APPROVAL = "approval"


class InvalidBallot(ValueError):
    """A ballot that names an unknown position or candidate, or too many choices."""


class PositionSpec(TypedDict):
    id: str
    seats: int
    method: str
    candidates: list[str]


def max_choices(spec: Mapping[str, Any]) -> int:
    return 1 if spec["method"] == PLURALITY else int(spec["seats"])


def check_ballot(positions: Iterable[Mapping[str, Any]], choices: Mapping[str, Any]) -> None:
    """Raise InvalidBallot unless `choices` has one explicit answer for every position."""
    specs = {str(p["id"]): p for p in positions}
    if set(choices) != set(specs):
        raise InvalidBallot("every position needs an answer (candidates or blank)")
    for position_id, answer in choices.items():
        spec = specs[position_id]
        if answer == BLANK:
            continue
        if not isinstance(answer, list) or not answer:
            raise InvalidBallot(f"position {position_id}: no choice")
        if len(set(answer)) != len(answer):
            raise InvalidBallot(f"position {position_id}: a candidate chosen twice")
        if len(answer) > max_choices(spec):
            raise InvalidBallot(f"position {position_id}: more choices than allowed")
        unknown = set(answer) - {str(c) for c in spec["candidates"]}
        if unknown:
            raise InvalidBallot(f"position {position_id}: unknown candidate")


def count(
    positions: Iterable[Mapping[str, Any]], ballots: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """Votes per candidate and blanks per position, and the number of ballots."""
    specs = list(positions)
    result: dict[str, Any] = {
        "ballots": 0,
        "positions": {
            str(p["id"]): {"votes": {str(c): 0 for c in p["candidates"]}, "blank": 0} for p in specs
        },
    }
    for choices in ballots:
        check_ballot(specs, choices)
        result["ballots"] += 1
        for position_id, answer in choices.items():
            tally = result["positions"][position_id]
            if answer == BLANK:
                tally["blank"] += 1
            else:
                for candidate in answer:
                    tally["votes"][candidate] += 1
    return result


def boundary_ties(
    positions: Iterable[Mapping[str, Any]], counts: Mapping[str, Any]
) -> dict[str, list[str]]:
    """Per position, the candidates tied across the last seat (they need a lottery or run-off)."""
    ties: dict[str, list[str]] = {}
    for spec in positions:
        position_id = str(spec["id"])
        votes = counts["positions"][position_id]["votes"]
        ranked = sorted(votes.items(), key=lambda item: -item[1])
        seats = int(spec["seats"])
        if len(ranked) <= seats:
            continue
        edge = ranked[seats - 1][1]
        if edge > 0 and ranked[seats][1] == edge:
            ties[position_id] = sorted(c for c, v in ranked if v == edge)
    return ties


def decide(
    positions: Iterable[Mapping[str, Any]],
    counts: Mapping[str, Any],
    *,
    tie_rule: str,
    draws: Mapping[str, list[str]] | None = None,
) -> dict[str, dict[str, list[str]]]:
    """Who is elected per position, and who goes to a run-off.

    Candidates are ranked by votes; a candidate with no vote is never elected. A tie across the
    last seat is settled by the recorded lottery `draws` (the tied candidates in drawn order)
    under the lottery rule, or sends the tied candidates to a run-off.
    """
    draws = draws or {}
    outcome: dict[str, dict[str, list[str]]] = {}
    specs = list(positions)
    ties = boundary_ties(specs, counts)
    for spec in specs:
        position_id = str(spec["id"])
        votes = counts["positions"][position_id]["votes"]
        seats = int(spec["seats"])
        ranked = sorted((c for c, v in votes.items() if v > 0), key=lambda c: (-votes[c], c))
        tied = ties.get(position_id)
        if not tied:
            outcome[position_id] = {"elected": ranked[:seats], "runoff": []}
            continue
        edge = votes[tied[0]]
        sure = [c for c in ranked if votes[c] > edge]
        free = seats - len(sure)
        if tie_rule == "lottery":
            order = list(draws.get(position_id) or [])
            if sorted(order) != sorted(tied):
                raise ValueError(f"position {position_id}: no recorded lottery for the tie")
            outcome[position_id] = {"elected": sure + order[:free], "runoff": []}
        else:
            outcome[position_id] = {"elected": sure, "runoff": tied}
    return outcome


def full_result(
    positions: Iterable[Mapping[str, Any]],
    ballots: Iterable[Mapping[str, Any]] | None,
    *,
    tie_rule: str,
    draws: Mapping[str, list[str]] | None = None,
    counts: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Counts (from ballots, or given: a paper count) and the decision, as published."""
    specs = list(positions)
    counted = dict(counts) if counts is not None else count(specs, ballots or [])
    return {
        "ballots": counted["ballots"],
        "positions": counted["positions"],
        "outcome": decide(specs, counted, tie_rule=tie_rule, draws=draws),
    }
