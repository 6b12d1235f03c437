"""Shared set-up for the elections tests: an election with a roll, positions and candidates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from ravabet.conftest import make_staff
from ravabet.council.models import Council, Seat, Term
from ravabet.network.models import Office

from .. import services
from ..models import Candidate, Election, Elector, Position


@dataclass
class Setup:
    election: Election
    manager: Any
    chair: Position
    board: Position
    electors: list[Elector] = field(default_factory=list)
    candidates: dict[str, Candidate] = field(default_factory=dict)

    def voter(self, index: int) -> Any:
        return self.electors[index].voter


def build(
    *,
    voters: int = 6,
    mode: str = Election.Mode.ONLINE,
    tie_rule: str = Election.TieRule.LOTTERY,
    open_now: bool = True,
    prefix: str = "e",
) -> Setup:
    """An election of a fresh council: `voters` member offices (seats held by their PR
    managers) on the roll, a chair (1 seat) with two candidates and a board (2 seats) with
    three."""
    root = Office.objects.create(slug=f"{prefix}-dir", kind="directorate", name_fa="روابط عمومی")
    manager = make_staff(f"{prefix}-secretary", root, "manager")
    now = timezone.now()
    council = Council.objects.create(
        office=root, name_fa="شورای هماهنگی", slug=f"{prefix}-council", code=f"{prefix}C"
    )
    term = Term.objects.create(council=council, number=2, start=now.date())
    offices = []
    for i in range(voters):
        office = Office.objects.create(
            slug=f"{prefix}-m{i}", kind="agency", name_fa=f"دستگاه {i:02d}", parent=root
        )
        user = make_staff(f"{prefix}-pr{i}", office, "manager")
        Seat.objects.create(
            council=council, office=office, position="member", holder=user, start=now.date()
        )
        offices.append(office)
    election = services.create_election(
        manager,
        council,
        term,
        title_fa="انتخابات هیأت‌رئیسه",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=2),
        mode=mode,
        tie_rule=tie_rule,
    )
    chair = services.add_position(manager, election, name_fa="رئیس", seats=1, role="chair")
    board = services.add_position(manager, election, name_fa="عضو هیأت‌رئیسه", seats=2, role="board")
    setup = Setup(election=election, manager=manager, chair=chair, board=board)
    services.open_nominations(manager, election)
    by_office = {line.office_id: line for line in election.roll.all()}
    setup.electors = [by_office[office.pk] for office in offices]
    for key, position, index in (
        ("c1", chair, 0),
        ("c2", chair, 1),
        ("b1", board, 2),
        ("b2", board, 3),
        ("b3", board, 4 % voters),
    ):
        candidate = services.nominate(setup.voter(index), position, setup.electors[index])
        setup.candidates[key] = services.decide_candidacy(manager, candidate, approve=True)
    if open_now:
        services.open_voting(manager, election)
    election.refresh_from_db()
    return setup


def choices(setup: Setup, chair: str | None = "c1", board: list[str] | None = None) -> dict:
    """A ballot: the chair candidate key (None: blank) and the board keys (None: blank)."""
    c = setup.candidates
    return {
        str(setup.chair.pk): [c[chair].pk] if chair else "blank",
        str(setup.board.pk): [c[k].pk for k in board] if board is not None else "blank",
    }
