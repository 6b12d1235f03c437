"""The counting rules, checked on random ballots (hypothesis) against a naive count."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .. import tally

SPECS = [
    {"id": "1", "seats": 1, "method": "plurality", "candidates": ["10", "11", "12"]},
    {"id": "2", "seats": 3, "method": "approval", "candidates": ["20", "21", "22", "23", "24"]},
]


def _answer(spec):
    blank = st.just(tally.BLANK)
    chosen = st.lists(
        st.sampled_from(spec["candidates"]),
        min_size=1,
        max_size=tally.max_choices(spec),
        unique=True,
    ).map(sorted)
    return st.one_of(blank, chosen)


BALLOT = st.fixed_dictionaries({spec["id"]: _answer(spec) for spec in SPECS})


@given(st.lists(BALLOT, max_size=60))
def test_the_count_equals_a_naive_count_and_decides_consistently(ballots):
    counted = tally.count(SPECS, ballots)
    assert counted["ballots"] == len(ballots)
    for spec in SPECS:
        naive = Counter(c for b in ballots if b[spec["id"]] != tally.BLANK for c in b[spec["id"]])
        position = counted["positions"][spec["id"]]
        assert position["votes"] == {c: naive.get(c, 0) for c in spec["candidates"]}
        assert position["blank"] == sum(b[spec["id"]] == tally.BLANK for b in ballots)
    runoff = tally.decide(SPECS, counted, tie_rule="runoff")
    ties = tally.boundary_ties(SPECS, counted)
    draws = {pid: sorted(tied, reverse=True) for pid, tied in ties.items()}
    lottery = tally.decide(SPECS, counted, tie_rule="lottery", draws=draws)
    for spec in SPECS:
        pid = spec["id"]
        votes = counted["positions"][pid]["votes"]
        # Never more elected than seats; nobody elected without a vote; the lottery fills the
        # seats the run-off rule leaves open, from the tied candidates only.
        assert len(lottery[pid]["elected"]) <= spec["seats"]
        assert all(votes[c] > 0 for c in lottery[pid]["elected"])
        assert set(runoff[pid]["elected"]) <= set(lottery[pid]["elected"])
        extra = set(lottery[pid]["elected"]) - set(runoff[pid]["elected"])
        assert extra <= set(runoff[pid]["runoff"])


@pytest.mark.parametrize(
    "bad",
    [
        {"1": ["10", "11"], "2": "blank"},  # two choices for one seat
        {"1": ["10"], "2": ["20", "21", "22", "23"]},  # four for three seats
        {"1": ["10"]},  # a position unanswered
        {"1": ["99"], "2": "blank"},  # an unknown candidate
        {"1": [], "2": "blank"},  # neither a choice nor blank
    ],
)
def test_invalid_ballots_are_refused(bad):
    with pytest.raises(tally.InvalidBallot):
        tally.count(SPECS, [bad])


def test_a_tie_under_the_lottery_rule_needs_the_recorded_draw():
    counted = tally.count(SPECS, [{"1": ["10"], "2": "blank"}, {"1": ["11"], "2": "blank"}])
    with pytest.raises(ValueError):
        tally.decide(SPECS, counted, tie_rule="lottery")
    outcome = tally.decide(SPECS, counted, tie_rule="lottery", draws={"1": ["11", "10"]})
    assert outcome["1"]["elected"] == ["11"]
