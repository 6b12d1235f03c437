"""Writes of the elections app. Every staff step is audited; a vote never is.

The vote (`cast_by_user`, `cast_by_code`) is one transaction: the election row is locked (so no
ballot lands after the close commits), the roll line is marked by a conditional UPDATE
(`has_voted` false → true; 0 rows: already voted), the code (if any) likewise, and the ballot is
inserted. Either all of it commits or nothing does. Nothing in it logs, audits, caches or queues
anything, and its errors name no ballot (docs/elections.md, "What Ravabet writes").
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ravabet.network import selectors as network_selectors
from ravabet.network import text
from ravabet.network.models import Office, Role
from ravabet.network.permissions import Action, may
from ravabet.network.services import lock_and_require, locked_transaction, record, require

from . import tally
from .models import Ballot, Candidate, Election, Elector, InRoomCode, Position, TellerEntry

Status = Election.Status

# Receipts and codes: no 0/O, 1/I: read aloud and typed on a phone without confusion.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class ElectionError(Exception):
    """A refused step, with the HTTP status the page answers and a message for people."""

    status = 409

    def __init__(self, message: Any, status: int | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if status is not None:
            self.status = status


class VoteRefused(ElectionError):
    pass


def _token(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_receipt() -> str:
    """12 random symbols (60 bits), shown as XXXX-XXXX-XXXX."""
    raw = _token(12)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalize_code(value: str) -> str:
    """A code or receipt as typed: Persian digits, lower case, spaces and dashes allowed."""
    ascii_value = text.to_ascii_digits(value or "")
    return "".join(ch for ch in ascii_value.upper() if ch.isalnum())


def code_hash(election_id: int, code: str) -> str:
    return hashlib.sha256(f"{election_id}:{normalize_code(code)}".encode()).hexdigest()


# ----------------------------------------------------------------------------- preparation


def create_election(
    actor: Any,
    council: Any,
    term: Any,
    *,
    title_fa: str,
    opens_at: datetime,
    closes_at: datetime,
    working_group: Any = None,
    office: Office | None = None,
    mode: str = Election.Mode.ONLINE,
    tie_rule: str = Election.TieRule.LOTTERY,
    quorum_percent: int = 50,
    title_en: str = "",
    request: HttpRequest | None = None,
) -> Election:
    """An election of `council` (or of its `working_group`) for `term`, run from `office` (by
    default the council's own office; or its secretary's, or the elections working group's)."""
    office = office or council.office
    require(actor, Action.ELECTIONS_MANAGE, office, request)
    if term.council_id != council.pk or (
        working_group is not None and working_group.council_id != council.pk
    ):
        raise ElectionError(_("The term and the working group must be the council's."), 422)
    if closes_at <= opens_at:
        raise ElectionError(_("Voting must close after it opens."), 422)
    with transaction.atomic():
        election = Election.objects.create(
            council=council,
            working_group=working_group,
            term=term,
            office=office,
            title_fa=text.normalize(title_fa),
            title_en=title_en.strip(),
            opens_at=opens_at,
            closes_at=closes_at,
            mode=mode,
            tie_rule=tie_rule,
            quorum_percent=quorum_percent,
        )
        record(
            actor,
            "elections.create",
            target=election,
            changes={"mode": mode, "tie_rule": tie_rule, "quorum_percent": quorum_percent},
            request=request,
        )
    return election


def _manage(actor: Any, election: Election, request: HttpRequest | None) -> Election:
    """Inside locked_transaction: the election row locked, then the permission checked on it."""
    return lock_and_require(Election, election.pk, actor, Action.ELECTIONS_MANAGE, request)


def _before_freeze(election: Election) -> None:
    if election.roll_frozen:
        raise ElectionError(_("Voting has opened: the election can no longer be changed."))


def add_position(
    actor: Any,
    election: Election,
    *,
    name_fa: str,
    seats: int = 1,
    method: str = "",
    role: str = "",
    name_en: str = "",
    request: HttpRequest | None = None,
) -> Position:
    """A position with its method: plurality for one seat, approval (capped at seats) for more."""
    if seats < 1:
        raise ElectionError(_("A position has at least one seat."), 422)
    method = method or (Position.Method.PLURALITY if seats == 1 else Position.Method.APPROVAL)
    if method == Position.Method.PLURALITY and seats != 1:
        raise ElectionError(_("Plurality fills one seat; use approval for several."), 422)
    if role and role not in COUNCIL_ROLES:
        raise ElectionError(_("Unknown council position."), 422)
    if role in ("chair", "deputy", "secretary") and seats != 1:
        raise ElectionError(_("The chair, deputy and secretary have one seat each."), 422)
    with locked_transaction():
        election = _manage(actor, election, request)
        _before_freeze(election)
        position = Position.objects.create(
            election=election,
            name_fa=text.normalize(name_fa),
            name_en=name_en.strip(),
            seats=seats,
            method=method,
            role=role,
            position=election.positions.count(),
        )
        record(
            actor,
            "elections.position_add",
            target=election,
            changes={"name_fa": position.name_fa, "seats": seats, "method": method},
            request=request,
        )
    return position


def sync_roll(election: Election, day: date | None = None) -> int:
    """Before the freeze: one line per voting member office of the council (or working group)
    on `day`, cast by its recorded proxy, else the seat's holder, else the office's PR manager.
    Lines of offices no longer members go. Returns the number of lines."""
    if election.roll_frozen:
        raise ElectionError(_("Voting has opened: the roll is frozen."))
    from ravabet.council import services as council_services

    day = day or timezone.localdate()
    members = [
        m
        for m in council_services.body_members(election.council, election.working_group, day)
        if m.voting
    ]
    users = {
        u.pk: u
        for u in get_user_model().objects.filter(
            pk__in=[m.holder_id for m in members if m.holder_id]
        )
    }
    existing = {line.office_id: line for line in Elector.objects.filter(election=election)}
    for member in members:
        voter = users.get(member.holder_id or 0) or office_manager(member.office)
        line = existing.pop(member.office.pk, None)
        if line is None:
            Elector.objects.create(election=election, office=member.office, voter=voter)
        elif not line.is_proxy and line.voter_id != getattr(voter, "pk", None):
            line.voter = voter
            line.save(update_fields=["voter"])
    Elector.objects.filter(pk__in=[line.pk for line in existing.values()]).delete()
    return len(members)


def refresh_roll(actor: Any, election: Election, *, request: HttpRequest | None = None) -> int:
    """The manager re-reads the roll from the council's members (it is re-read at opening too)."""
    with locked_transaction():
        election = _manage(actor, election, request)
        lines = sync_roll(election)
        record(
            actor, "elections.roll", target=election, changes={"electors": lines}, request=request
        )
    return lines


def office_manager(office: Office) -> Any:
    """The office's PR manager (the first one, if it has several), or None."""
    found = network_selectors.members_of(office).filter(role=Role.MANAGER).order_by("pk").first()
    return found.user if found is not None else None


def record_proxy(
    actor: Any,
    election: Election,
    office: Office,
    proxy: Any,
    *,
    request: HttpRequest | None = None,
) -> Elector:
    """Name the proxy who casts `office`'s vote instead of its PR manager: before opening only."""
    with locked_transaction():
        election = _manage(actor, election, request)
        _before_freeze(election)
        sync_roll(election)
        elector = (
            Elector.objects.select_for_update().filter(election=election, office=office).first()
        )
        if elector is None:
            raise ElectionError(_("This office is not a voting member."), 422)
        elector.voter = proxy
        elector.is_proxy = True
        elector.save(update_fields=["voter", "is_proxy"])
        record(
            actor,
            "elections.proxy",
            target=election,
            changes={"office": office.name_fa, "user": proxy.get_username()},
            request=request,
        )
    return elector


def name_tellers(
    actor: Any, election: Election, tellers: list[Any], *, request: HttpRequest | None = None
) -> None:
    with locked_transaction():
        election = _manage(actor, election, request)
        if election.after_close:
            raise ElectionError(_("The count is over; tellers can no longer change."))
        election.tellers.set(tellers)
        record(
            actor,
            "elections.tellers",
            target=election,
            changes={"tellers": sorted(t.get_username() for t in tellers)},
            request=request,
        )


def open_nominations(actor: Any, election: Election, *, request: HttpRequest | None = None) -> None:
    with locked_transaction():
        election = _manage(actor, election, request)
        if election.status != Status.DRAFT:
            raise ElectionError(_("Nominations open only from the draft."))
        if not election.positions.exists():
            raise ElectionError(_("Add the positions to fill first."), 422)
        sync_roll(election)
        election.status = Status.NOMINATING
        election.save(update_fields=["status"])
        record(actor, "elections.nominations", target=election, request=request)


# ----------------------------------------------------------------------------- candidacy


def may_nominate(user: Any, election: Election) -> bool:
    """Members nominate: whoever casts a vote on the roll, or the election's managers."""
    if not getattr(user, "is_authenticated", False):
        return False
    if may(user, Action.ELECTIONS_MANAGE, election):
        return True
    return Elector.objects.filter(election=election, voter=user).exists()


def nominate(
    actor: Any,
    position: Position,
    nominee_elector: Elector,
    *,
    statement: str = "",
    request: HttpRequest | None = None,
) -> Candidate:
    """Nominate the voter of a roll line (oneself or another member) to a position."""
    election = position.election
    if not may_nominate(actor, election):
        raise PermissionDenied("elections.nominate")
    if nominee_elector.election_id != election.pk or nominee_elector.voter is None:
        raise ElectionError(_("Only a member with a voter on the roll can be nominated."), 422)
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.status != Status.NOMINATING:
            raise ElectionError(_("Nominations are not open."))
        if Candidate.objects.filter(position=position, user=nominee_elector.voter).exists():
            raise ElectionError(_("This member is already nominated to this position."))
        self_nomination = nominee_elector.voter_id == actor.pk
        candidate = Candidate.objects.create(
            position=position,
            user=nominee_elector.voter,
            office=nominee_elector.office,
            nominated_by=actor,
            # Nominating oneself is accepting at once.
            status=Candidate.Status.ACCEPTED if self_nomination else Candidate.Status.NOMINATED,
            statement=text.normalize(statement) if self_nomination else "",
        )
        record(
            actor,
            "elections.nominate",
            target=election,
            changes={
                "position": position.name_fa,
                "user": candidate.user.get_username(),
                "status": candidate.status,
            },
            request=request,
        )
    return candidate


def answer_nomination(
    actor: Any,
    candidate: Candidate,
    *,
    accept: bool,
    statement: str = "",
    request: HttpRequest | None = None,
) -> Candidate:
    """The nominee accepts (with a statement to the voters) or declines."""
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.user_id != actor.pk:
            raise PermissionDenied("elections.answer_nomination")
        if candidate.election.status != Status.NOMINATING:
            raise ElectionError(_("Nominations are not open."))
        if candidate.status not in (Candidate.Status.NOMINATED, Candidate.Status.ACCEPTED):
            raise ElectionError(_("This nomination has already been decided."))
        candidate.status = Candidate.Status.ACCEPTED if accept else Candidate.Status.DECLINED
        candidate.statement = text.normalize(statement) if accept else ""
        candidate.save(update_fields=["status", "statement"])
        record(
            actor,
            "elections.answer",
            target=candidate.election,
            changes={"position": candidate.position.name_fa, "status": candidate.status},
            request=request,
        )
    return candidate


def decide_candidacy(
    actor: Any,
    candidate: Candidate,
    *,
    approve: bool,
    note: str = "",
    request: HttpRequest | None = None,
) -> Candidate:
    """The elections working group (or the secretary) approves an accepted nomination or not."""
    with locked_transaction():
        _manage(actor, candidate.election, request)
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.election.roll_frozen:
            raise ElectionError(_("Voting has opened: the ballot can no longer change."))
        if candidate.status != Candidate.Status.ACCEPTED:
            raise ElectionError(_("Only a nomination the nominee accepted can be decided."))
        candidate.status = Candidate.Status.APPROVED if approve else Candidate.Status.REJECTED
        candidate.decision_note = text.normalize(note)[:300]
        candidate.save(update_fields=["status", "decision_note"])
        record(
            actor,
            "elections.approve" if approve else "elections.reject",
            target=candidate.election,
            changes={
                "position": candidate.position.name_fa,
                "user": candidate.user.get_username(),
                "reason": candidate.decision_note,
            },
            request=request,
        )
    return candidate


# ----------------------------------------------------------------------------- the vote


def ballot_specs(election: Election) -> list[dict[str, Any]]:
    """The positions and their approved candidates, as `tally` reads them."""
    return [
        {
            "id": str(position.pk),
            "seats": position.seats,
            "method": position.method,
            "candidates": [
                str(pk)
                for pk in position.candidates.filter(status=Candidate.Status.APPROVED)
                .order_by("pk")
                .values_list("pk", flat=True)
            ],
        }
        for position in election.positions.all()
    ]


def open_voting(
    actor: Any,
    election: Election,
    *,
    request: HttpRequest | None = None,
) -> Election:
    """Open the vote and freeze the roll: from now on no line is added, removed or changed."""
    with locked_transaction():
        election = _manage(actor, election, request)
        if election.status not in (Status.DRAFT, Status.NOMINATING):
            raise ElectionError(_("Voting has already opened."))
        if not election.positions.exists():
            raise ElectionError(_("Add the positions to fill first."), 422)
        if election.mode != Election.Mode.PAPER and any(
            not spec["candidates"] for spec in ballot_specs(election)
        ):
            raise ElectionError(_("Every position needs at least one approved candidate."), 422)
        electors = sync_roll(election)
        if not electors:
            raise ElectionError(_("The roll is empty."), 422)
        # Nominations not approved by now are off the ballot.
        Candidate.objects.filter(
            position__election=election,
            status__in=[Candidate.Status.NOMINATED, Candidate.Status.ACCEPTED],
        ).update(status=Candidate.Status.REJECTED, decision_note="not approved before opening")
        election.status = Status.OPEN
        election.save(update_fields=["status"])
        record(
            actor,
            "elections.open",
            target=election,
            changes={"electors": electors},
            request=request,
        )
    return election


def _voting_election(election_pk: int, now: datetime | None = None) -> Election:
    """The election row, locked, if it accepts a ballot now."""
    now = now or timezone.now()
    election = Election.objects.select_for_update().get(pk=election_pk)
    if election.mode == Election.Mode.PAPER:
        raise VoteRefused(_("This election is held on paper."), 409)
    if election.after_close or (election.status == Status.OPEN and now >= election.closes_at):
        raise VoteRefused(_("Voting has closed."), 410)
    if election.status != Status.OPEN or now < election.opens_at:
        raise VoteRefused(_("Voting has not opened yet."), 409)
    return election


def _store(election: Election, choices: dict[str, Any]) -> str:
    receipt = new_receipt()
    while Ballot.objects.filter(receipt=receipt).exists():  # 60 bits: practically never
        receipt = new_receipt()
    Ballot.objects.create(election=election, receipt=receipt, choices=choices)
    return receipt


def canonical_choices(election: Election, choices: dict[str, Any]) -> dict[str, Any]:
    """Validated choices with ids as text and candidate lists sorted (no order of clicking)."""
    cleaned: dict[str, Any] = {}
    for key, value in choices.items():
        if value == tally.BLANK:
            cleaned[str(key)] = tally.BLANK
        elif isinstance(value, list | tuple):
            cleaned[str(key)] = sorted(str(v) for v in value)
        else:
            raise VoteRefused(_("The ballot is malformed."), 422)
    try:
        tally.check_ballot(ballot_specs(election), cleaned)
    except tally.InvalidBallot:
        raise VoteRefused(
            _(
                "The ballot is not valid: give every position either candidates (no more than "
                "it allows) or blank."
            ),
            422,
        ) from None
    return cleaned


def cast_by_user(
    election: Election, user: Any, choices: dict[str, Any], *, elector_id: int | None = None
) -> str:
    """The signed-in voter casts the vote of their roll line; returns the receipt."""
    with transaction.atomic():
        election = _voting_election(election.pk)
        choices = canonical_choices(election, choices)
        lines = Elector.objects.filter(election=election, voter=user)
        if elector_id is not None:
            lines = lines.filter(pk=elector_id)
        line_ids = list(lines.values_list("pk", flat=True))
        if not line_ids:
            raise VoteRefused(_("You are not on this election's roll."), 403)
        marked = 0
        for line_id in line_ids:
            marked = Elector.objects.filter(pk=line_id, has_voted=False).update(has_voted=True)
            if marked:
                break
        if not marked:
            raise VoteRefused(_("This vote has already been cast."), 409)
        return _store(election, choices)


def cast_by_code(election: Election, code: str, choices: dict[str, Any]) -> str:
    """A present voter casts a vote with the one-time code handed out in the room."""
    with transaction.atomic():
        election = _voting_election(election.pk)
        choices = canonical_choices(election, choices)
        found = (
            InRoomCode.objects.filter(election=election, code_hash=code_hash(election.pk, code))
            .values_list("pk", "elector_id")
            .first()
        )
        if found is None:
            raise VoteRefused(_("This code is not valid for this election."), 403)
        code_pk, elector_pk = found
        if not InRoomCode.objects.filter(pk=code_pk, used=False).update(used=True):
            raise VoteRefused(_("This code has already been used."), 409)
        if not Elector.objects.filter(pk=elector_pk, has_voted=False).update(has_voted=True):
            raise VoteRefused(_("This vote has already been cast."), 409)
        return _store(election, choices)


def issue_codes(
    actor: Any,
    election: Election,
    electors: list[Elector],
    *,
    request: HttpRequest | None = None,
) -> dict[int, str]:
    """One-time codes for the present electors (elector id → code), shown once to print or
    send; only their hashes are kept. A line that has voted or already has a code gets none."""
    codes: dict[int, str] = {}
    with locked_transaction():
        election = _manage(actor, election, request)
        if election.mode != Election.Mode.IN_ROOM:
            raise ElectionError(_("Codes are for in-room elections."))
        if election.status not in (Status.NOMINATING, Status.OPEN):
            raise ElectionError(_("Codes are handed out just before or during the vote."))
        ids = [e.pk for e in electors]
        lines = Elector.objects.filter(
            election=election, pk__in=ids, has_voted=False, code__isnull=True
        )
        for line in lines:
            raw = _token(10)
            code = f"{raw[:5]}-{raw[5:]}"
            InRoomCode.objects.create(
                election=election, elector=line, code_hash=code_hash(election.pk, code)
            )
            codes[line.pk] = code
        record(
            actor,
            "elections.codes",
            target=election,
            changes={"created": len(codes)},
            request=request,
        )
    return codes


# ----------------------------------------------------------------------------- close and count


def _draw_lottery(election: Election, specs: list[dict[str, Any]], counts: dict[str, Any]) -> Any:
    if election.tie_rule != Election.TieRule.LOTTERY:
        return {}
    draws: dict[str, list[str]] = {}
    rng = secrets.SystemRandom()
    for position_id, tied in tally.boundary_ties(specs, counts).items():
        order = list(tied)
        rng.shuffle(order)
        draws[position_id] = order
    return draws


def _seal(election: Election, counts: dict[str, Any] | None) -> dict[str, Any]:
    """Count (from the ballots, or the agreed paper count), draw any lottery, and store it."""
    specs = ballot_specs(election)
    if counts is None:
        ballots = Ballot.objects.filter(election=election).values_list("choices", flat=True)
        counts = tally.count(specs, ballots)
    draws = _draw_lottery(election, specs, counts)
    result = tally.full_result(specs, None, tie_rule=election.tie_rule, draws=draws, counts=counts)
    result["draws"] = draws
    result["electorate"] = election.roll.count()
    result["voted"] = (
        election.roll.filter(has_voted=True).count()
        if election.mode != Election.Mode.PAPER
        else counts["ballots"]
    )
    election.result = result
    election.save(update_fields=["result"])
    return result


def close_voting(
    actor: Any,
    election: Election,
    *,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Election:
    """Close the vote (at or after the closing time, or once every line has voted) and seal the
    count; it stays hidden until `publish_results`. Then rewrite the rows' physical traces."""
    now = now or timezone.now()
    with locked_transaction():
        election = _manage(actor, election, request)
        if election.status != Status.OPEN:
            raise ElectionError(_("Voting is not open."))
        everyone = not election.roll.filter(has_voted=False).exists()
        if now < election.closes_at and not everyone and election.mode != Election.Mode.PAPER:
            raise ElectionError(_("Voting closes at its closing time, not before."))
        election.status = Status.CLOSED
        election.save(update_fields=["status"])
        lottery = {}
        if election.mode != Election.Mode.PAPER:
            lottery = _seal(election, None)["draws"]
            forget_order(election)
        record(actor, "elections.close", target=election, request=request)
        if lottery:
            record(actor, "elections.lottery", target=election, changes={"draws": lottery})
    compact_storage()
    return election


def forget_order(election: Election) -> None:
    """Inside the closing transaction: give every ballot, roll line and code of the election
    the same transaction id (PostgreSQL's xmin would otherwise pair each ballot with the roll
    line marked in the same transaction). A no-op rewrite; the ballots' trigger allows it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table, column in (
            ("elections_ballot", "receipt"),
            ("elections_elector", "has_voted"),
            ("elections_inroomcode", "used"),
        ):
            cursor.execute(
                f"UPDATE {table} SET {column} = {column} WHERE election_id = %s",  # noqa: S608
                [election.pk],
            )


def compact_storage() -> None:
    """After the close commits: rewrite the tables in an order that is not the order of voting.

    PostgreSQL: CLUSTER the ballots on their random primary key and the roll on its own (the
    order the roll was made in), dropping the old files with their insertion order. SQLite:
    ballots are already kept in random-key order (WITHOUT ROWID); the write-ahead log, which
    holds pages in the order they were written, is checkpointed and truncated.
    """
    if connection.in_atomic_block:
        return  # inside a test's transaction or a caller's: the caller compacts
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CLUSTER elections_ballot USING elections_ballot_pkey")
            cursor.execute("CLUSTER elections_elector USING elections_elector_pkey")
            cursor.execute("CLUSTER elections_inroomcode USING elections_inroomcode_pkey")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def enter_paper_count(
    actor: Any,
    election: Election,
    counts: dict[str, Any],
    *,
    request: HttpRequest | None = None,
) -> tuple[TellerEntry, str]:
    """One teller's entry of the paper count. Returns (entry, outcome): "waiting" for the
    second teller, "agreed" (the count is sealed), or "differ" (both enter again, next round)."""
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        if not election.tellers.filter(pk=actor.pk).exists():
            raise PermissionDenied("elections.count")
        if election.mode != Election.Mode.PAPER:
            raise ElectionError(_("Only a paper election has a tellers' count."))
        if election.status != Status.CLOSED or election.result is not None:
            raise ElectionError(_("The count is entered after voting closes, once."))
        specs = ballot_specs(election)
        _check_paper_count(specs, counts)
        current = TellerEntry.objects.filter(election=election).order_by("-round").first()
        round_no = current.round if current else 1
        same_round = list(TellerEntry.objects.filter(election=election, round=round_no))
        if len(same_round) >= 2:
            round_no += 1
            same_round = []
        if any(e.teller_id == actor.pk for e in same_round):
            raise ElectionError(_("A second, different teller enters the count again."))
        entry = TellerEntry.objects.create(
            election=election, teller=actor, round=round_no, counts=counts
        )
        record(
            actor,
            "elections.teller_entry",
            target=election,
            changes={"round": round_no, "counts": counts},
            request=request,
        )
        if not same_round:
            return entry, "waiting"
        if same_round[0].counts != counts:
            record(actor, "elections.count_differs", target=election, changes={"round": round_no})
            return entry, "differ"
        result = _seal(election, counts)
        record(
            actor,
            "elections.count_agreed",
            target=election,
            changes={"round": round_no, "draws": result["draws"]},
            request=request,
        )
        return entry, "agreed"


def _check_paper_count(specs: list[dict[str, Any]], counts: dict[str, Any]) -> None:
    try:
        ballots = int(counts["ballots"])
        positions = counts["positions"]
        if ballots < 0 or set(positions) != {s["id"] for s in specs}:
            raise ValueError
        for spec in specs:
            entry = positions[spec["id"]]
            votes = entry["votes"]
            if set(votes) != set(spec["candidates"]) or int(entry["blank"]) < 0:
                raise ValueError
            if any(int(v) < 0 for v in votes.values()):
                raise ValueError
            # Each ballot gives a position at most max_choices marks, or one blank.
            if sum(votes.values()) + entry["blank"] > ballots * tally.max_choices(spec):
                raise ValueError
    except (KeyError, TypeError, ValueError):
        raise ElectionError(_("The count does not add up; check every figure."), 422) from None


def publish_results(
    actor: Any, election: Election, *, request: HttpRequest | None = None
) -> Election:
    """Make the sealed result public (a separate step from closing), after re-counting it."""
    with locked_transaction():
        election = _manage(actor, election, request)
        if election.status != Status.CLOSED or election.result is None:
            raise ElectionError(_("Only a closed election with a sealed count can be published."))
        if election.mode != Election.Mode.PAPER:
            specs = ballot_specs(election)
            ballots = Ballot.objects.filter(election=election).values_list("choices", flat=True)
            again = tally.full_result(
                specs, ballots, tie_rule=election.tie_rule, draws=election.result["draws"]
            )
            if any(again[key] != election.result[key] for key in ("ballots", "positions")):
                raise ElectionError(_("The ballots no longer match the sealed count."), 500)
        election.status = Status.PUBLISHED
        election.published_at = timezone.now()
        election.save(update_fields=["status", "published_at"])
        record(actor, "elections.publish", target=election, request=request)
    return election


# ----------------------------------------------------------------------------- the new board

COUNCIL_ROLES = ("chair", "deputy", "secretary", "board")


def confirm_board(
    actor: Any, election: Election, *, request: HttpRequest | None = None
) -> list[tuple[Office, str]]:
    """One confirmed step after publication: the elected candidates take their positions in the
    council for the election's term (through the council's own service), and the election is
    marked confirmed. Refused while a run-off is pending. Returns (office, position) pairs."""
    from ravabet.council import services as council_services

    with locked_transaction():
        election = _manage(actor, election, request)
        if election.status != Status.PUBLISHED:
            raise ElectionError(_("Only a published result can be confirmed."))
        if election.working_group_id is not None:
            raise ElectionError(_("A working group's election has no council positions."))
        outcome = election.result["outcome"] if election.result else {}
        if any(o["runoff"] for o in outcome.values()):
            raise ElectionError(_("A run-off is pending: hold it before confirming the board."))
        board: list[tuple[Office, str, Any]] = []
        for position in election.positions.all():
            if position.role not in COUNCIL_ROLES:
                continue
            elected = outcome.get(str(position.pk), {}).get("elected", [])
            for candidate in Candidate.objects.filter(pk__in=elected).select_related(
                "office", "user"
            ):
                board.append((candidate.office, position.role, candidate.user))
        start = max(election.term.start, timezone.localdate())
        council_services.install_board(
            actor, election.council, election.term, board, start=start, request=request
        )
        election.status = Status.CONFIRMED
        election.save(update_fields=["status"])
        record(
            actor,
            "elections.confirm",
            target=election,
            changes={"seats": [f"{office.name_fa}: {role}" for office, role, _u in board]},
            request=request,
        )
    return [(office, role) for office, role, _u in board]
