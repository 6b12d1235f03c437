"""Elections with a secret ballot (docs/elections.md).

Two tables hold the vote and nothing joins them:

- `Elector` — the roll: one row per member office, who may cast its vote, and *whether* it has
  voted (a boolean; no time, no ballot).
- `Ballot` — what was chosen: a random id, a random receipt and the choices. No voter, no
  session, no time, no address, no sequence; insert-only (a database trigger refuses any change
  of its content; `BallotQuerySet` refuses updates and deletes).

`InRoomCode` links a one-time code to an elector (so that using it marks the roll), never to a
ballot. The tellers' paper counts (`TellerEntry`) are totals per choice.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ravabet.network.language import is_english
from ravabet.network.models import Office


class Election(models.Model):
    """An election of a council's (or working group's) board for a term."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        NOMINATING = "nominating", _("Nominations open")
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Voting closed; result sealed")
        PUBLISHED = "published", _("Result published")
        CONFIRMED = "confirmed", _("Result confirmed; board installed")

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online (signed-in voters)")
        IN_ROOM = "in_room", _("In the room (one-time codes on phones)")
        PAPER = "paper", _("On paper (tellers enter the count)")

    class TieRule(models.TextChoices):
        LOTTERY = "lottery", _("A lottery drawn by the system and recorded")
        RUNOFF = "runoff", _("A run-off between the tied candidates")

    # The body that elects: a council, or one of its working groups; and the term elected for.
    council = models.ForeignKey(
        "council.Council", on_delete=models.PROTECT, related_name="elections"
    )
    working_group = models.ForeignKey(
        "council.WorkingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="elections",
    )
    term = models.ForeignKey("council.Term", on_delete=models.PROTECT, related_name="elections")
    # The office that runs the election (the council's office, its secretary's, or the elections
    # working group's lead office): permissions are asked on it.
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="elections")
    title_fa = models.CharField(_("Persian title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    tie_rule = models.CharField(
        _("tie rule"), max_length=10, choices=TieRule.choices, default=TieRule.LOTTERY
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (per cent of the roll)"), default=50
    )
    tellers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="elections_telling"
    )
    # Computed when voting closes, shown only once published: counts, elected, the lottery.
    result = models.JSONField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if is_english() and self.title_en else self.title_fa

    @property
    def roll_frozen(self) -> bool:
        return self.status not in (self.Status.DRAFT, self.Status.NOMINATING)

    @property
    def after_close(self) -> bool:
        return self.status in (self.Status.CLOSED, self.Status.PUBLISHED, self.Status.CONFIRMED)

    @property
    def is_published(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.CONFIRMED)


class Position(models.Model):
    """A position to fill: chair (1 seat, plurality), board members (4 seats, approval)..."""

    class Method(models.TextChoices):
        PLURALITY = "plurality", _("Plurality (one seat, one choice)")
        APPROVAL = "approval", _("Approval (up to as many choices as seats)")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="positions")
    name_fa = models.CharField(_("Persian name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    # A code the council's positions understand (e.g. "chair", "deputy", "board").
    role = models.CharField(_("council role"), max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="position_seats_min"),
            models.CheckConstraint(
                condition=~models.Q(method="plurality") | models.Q(seats=1),
                name="position_plurality_one_seat",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if is_english() and self.name_en else self.name_fa

    @property
    def max_choices(self) -> int:
        return 1 if self.method == self.Method.PLURALITY else self.seats


class Candidate(models.Model):
    """A nomination to a position: nominated, accepted by the nominee, approved (or not)."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated; waiting for the nominee")
        ACCEPTED = "accepted", _("Accepted; waiting for approval")
        DECLINED = "declined", _("Declined by the nominee")
        APPROVED = "approved", _("Approved; on the ballot")
        REJECTED = "rejected", _("Not approved")

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="candidates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidacies"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NOMINATED)
    statement = models.TextField(_("statement to voters"), blank=True)
    decision_note = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["position", "user"], name="one_candidacy_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.display_name} — {self.position}"

    @property
    def display_name(self) -> str:
        full = self.user.get_full_name() if self.user_id else ""
        return full or (self.user.get_username() if self.user_id else "")

    @property
    def election(self) -> Election:
        return self.position.election


class Elector(models.Model):
    """One line of the roll: a member office's single vote, who may cast it, and whether it was
    cast. No time of voting, no ballot, no address: a boolean only."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="roll")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_proxy = models.BooleanField(_("named proxy"), default=False)
    has_voted = models.BooleanField(default=False)

    class Meta:
        ordering = ["office__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "office"], name="one_vote_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.office} ({self.election_id})"


class InRoomCode(models.Model):
    """A one-time code handed to a present elector: its hash, and whether it was used."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="codes")
    elector = models.OneToOneField(Elector, on_delete=models.CASCADE, related_name="code")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"code for {self.elector}"


class BallotQuerySet(models.QuerySet["Ballot"]):
    """Ballots are insert-only: no update, no delete through the ORM."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("ballots are insert-only")

    def delete(self) -> Any:
        raise PermissionError("ballots are insert-only")


class Ballot(models.Model):
    """One cast ballot: a random id, a random receipt and the choices — nothing else.

    `choices` maps a position id (as text) to a sorted list of candidate ids (as text), or to
    "blank" for an explicit blank/abstain. The table has no rowid on SQLite (WITHOUT ROWID,
    migration 0002): rows are kept in the order of the random id, not of insertion.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="ballots")
    receipt = models.CharField(max_length=20, unique=True)
    choices = models.JSONField()

    objects = BallotQuerySet.as_manager()

    class Meta:
        # No default ordering: the only orders that exist are the random id and receipt.
        db_table = "elections_ballot"

    def __str__(self) -> str:
        return self.receipt

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("ballots are insert-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("ballots are insert-only")


class TellerEntry(models.Model):
    """One teller's entry of the paper count: totals per choice. Accepted when two different
    tellers' entries of the same round agree."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="teller_entries")
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(default=1)
    # {"ballots": n, "positions": {position id: {"votes": {candidate id: n}, "blank": n}}}
    counts = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "round", "teller"], name="one_entry_per_teller_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.teller} round {self.round}"
