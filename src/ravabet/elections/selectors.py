"""Reads of the elections app, for views, the council's pages and the tally export.

Turnout and results are only returned when the election's state allows them (after close;
once published): a view cannot show them early by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ravabet.network.models import Office

from .models import Ballot, Candidate, Election, Elector, Position

Status = Election.Status
FORMAT = "ravabet-election/1"


def no_offices() -> QuerySet[Office]:
    return Office.objects.none()


def no_positions() -> QuerySet[Position]:
    return Position.objects.none()


def no_electors() -> QuerySet[Elector]:
    return Elector.objects.none()


def public_elections() -> QuerySet[Election]:
    return Election.objects.exclude(status=Status.DRAFT).select_related("office")


def elections_of(office: Office) -> QuerySet[Election]:
    return Election.objects.filter(office=office)


def election(pk: int) -> Election:
    found = (
        Election.objects.select_related("office", "council", "working_group", "term")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("no such election")
    return found


def positions(election: Election, statuses: tuple[str, ...] = ("approved",)) -> list[Position]:
    """Positions with their candidates of the given statuses (`candidate_list`)."""
    wanted = Candidate.objects.filter(status__in=statuses).select_related("user", "office")
    return list(
        election.positions.prefetch_related(
            Prefetch("candidates", queryset=wanted, to_attr="candidate_list")
        )
    )


def candidacies(election: Election) -> QuerySet[Candidate]:
    return Candidate.objects.filter(position__election=election).select_related(
        "user", "office", "position", "nominated_by"
    )


def nominations_for(user: Any, election: Election) -> QuerySet[Candidate]:
    return candidacies(election).filter(user=user)


def roll(election: Election) -> QuerySet[Elector]:
    return election.roll.select_related("office", "voter")


def lines_of(election: Election, user: Any) -> list[Elector]:
    """The roll lines the user casts (their own office's, and any they are the proxy of)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(election.roll.filter(voter=user).select_related("office"))


@dataclass(frozen=True)
class Turnout:
    electorate: int
    voted: int
    quorum_percent: int

    @property
    def percent(self) -> float:
        return 100 * self.voted / self.electorate if self.electorate else 0.0

    @property
    def quorum_met(self) -> bool:
        return self.voted * 100 >= self.quorum_percent * self.electorate


def turnout(election: Election) -> Turnout | None:
    """Only after the close (never during voting); from the sealed count."""
    if not election.after_close or election.result is None:
        return None
    return Turnout(
        electorate=election.result["electorate"],
        voted=election.result["voted"],
        quorum_percent=election.quorum_percent,
    )


@dataclass(frozen=True)
class ResultRow:
    candidate: Candidate
    votes: int
    elected: bool
    runoff: bool


@dataclass(frozen=True)
class PositionResult:
    position: Position
    rows: list[ResultRow]
    blank: int
    drawn: list[Candidate]  # the lottery's order, if a tie was drawn


def results(election: Election) -> list[PositionResult] | None:
    """The published result per position, candidates by votes; None until published."""
    if not election.is_published or election.result is None:
        return None
    data = election.result
    shown: list[PositionResult] = []
    for position in positions(election):
        key = str(position.pk)
        counts = data["positions"].get(key, {"votes": {}, "blank": 0})
        outcome = data["outcome"].get(key, {"elected": [], "runoff": []})
        by_id = {str(c.pk): c for c in position.candidate_list}  # type: ignore[attr-defined]
        rows = [
            ResultRow(
                candidate=candidate,
                votes=counts["votes"].get(cid, 0),
                elected=cid in outcome["elected"],
                runoff=cid in outcome["runoff"],
            )
            for cid, candidate in by_id.items()
        ]
        rows.sort(key=lambda r: (-r.votes, r.candidate.pk))
        drawn = [by_id[c] for c in data.get("draws", {}).get(key, []) if c in by_id]
        shown.append(PositionResult(position, rows, counts["blank"], drawn))
    return shown


def elected_board(election: Election) -> list[tuple[Position, Candidate]]:
    """(position, elected candidate) pairs of a published result, for the council's positions."""
    found = results(election) or []
    return [(r.position, row.candidate) for r in found for row in r.rows if row.elected]


def published_ballots(election: Election) -> list[dict[str, Any]] | None:
    """Every ballot of a published online/in-room election, ordered by its random receipt."""
    if not election.is_published or election.mode == Election.Mode.PAPER:
        return None
    return [
        {"receipt": receipt, "choices": choices}
        for receipt, choices in Ballot.objects.filter(election=election)
        .order_by("receipt")
        .values_list("receipt", "choices")
    ]


def export(election: Election) -> dict[str, Any] | None:
    """The downloadable file `ravabet tally FILE` re-counts: positions, candidates, the shuffled
    ballots (or the tellers' agreed count on paper), the recorded lottery and the result."""
    if not election.is_published or election.result is None:
        return None
    result = election.result
    return {
        "format": FORMAT,
        "election": {
            "id": election.pk,
            "title": election.title_fa,
            "mode": election.mode,
            "tie_rule": election.tie_rule,
            "quorum_percent": election.quorum_percent,
            "electorate": result["electorate"],
            "voted": result["voted"],
        },
        "positions": [
            {
                "id": str(position.pk),
                "name": position.name_fa,
                "seats": position.seats,
                "method": position.method,
                "candidates": [
                    {"id": str(c.pk), "name": c.display_name, "office": c.office.name_fa}
                    for c in position.candidate_list  # type: ignore[attr-defined]
                ],
            }
            for position in positions(election)
        ],
        "ballots": published_ballots(election),
        "paper_count": (
            {"ballots": result["ballots"], "positions": result["positions"]}
            if election.mode == Election.Mode.PAPER
            else None
        ),
        "draws": result.get("draws", {}),
        "result": {
            "ballots": result["ballots"],
            "positions": result["positions"],
            "outcome": result["outcome"],
        },
    }


def elections_of_council(council: Any) -> QuerySet[Election]:
    """The council's elections that the public may see, newest first: for its page's link."""
    return public_elections().filter(council=council).select_related("term", "working_group")


def council_for_listing(slug: str) -> Any:
    """The council whose elections a list shows (404 when there is no such council)."""
    from django.utils.text import slugify

    from ravabet.council import selectors as council_selectors

    if slugify(slug, allow_unicode=True) != slug:
        raise Http404("no such council")
    return council_selectors.council_by_slug(slug)


def latest_result_of_council(council: Any) -> Election | None:
    """The council's latest published election, for a 'board elected on ...' link."""
    return (
        elections_of_council(council)
        .filter(status__in=[Status.PUBLISHED, Status.CONFIRMED])
        .order_by("-published_at")
        .first()
    )


def tellers_of(election: Election) -> list[Any]:
    return list(election.tellers.order_by("username"))


def is_teller(election: Election, user: Any) -> bool:
    return bool(user.is_authenticated) and election.tellers.filter(pk=user.pk).exists()
