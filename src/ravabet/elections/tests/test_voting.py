"""The vote itself: one transaction, one ballot, one mark; every refusal of the issue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ravabet.network.models import Membership

from .. import services, tally
from ..models import Ballot, Election, Elector
from .helpers import build, choices

pytestmark = pytest.mark.django_db


def test_a_vote_marks_the_roll_and_stores_one_ballot():
    s = build()
    receipt = services.cast_by_user(s.election, s.voter(0), choices(s, "c1", ["b1", "b2"]))
    ballot = Ballot.objects.get()
    assert ballot.receipt == receipt
    assert ballot.choices == {
        str(s.chair.pk): [str(s.candidates["c1"].pk)],
        str(s.board.pk): sorted([str(s.candidates["b1"].pk), str(s.candidates["b2"].pk)]),
    }
    assert list(Elector.objects.filter(has_voted=True)) == [s.electors[0]]


def test_a_second_vote_is_refused_and_stores_nothing():
    s = build()
    services.cast_by_user(s.election, s.voter(0), choices(s))
    with pytest.raises(services.VoteRefused) as refused:
        services.cast_by_user(s.election, s.voter(0), choices(s, "c2"))
    assert refused.value.status == 409
    assert Ballot.objects.count() == 1


def test_voting_before_it_opens_is_refused():
    s = build(open_now=False)
    with pytest.raises(services.VoteRefused) as refused:
        services.cast_by_user(s.election, s.voter(0), choices(s))
    assert refused.value.status == 409
    # Opened by the manager but before the opening time: still refused.
    Election.objects.filter(pk=s.election.pk).update(opens_at=timezone.now() + timedelta(hours=1))
    services.open_voting(s.manager, s.election)
    with pytest.raises(services.VoteRefused):
        services.cast_by_user(s.election, s.voter(0), choices(s))
    assert not Ballot.objects.exists()
    assert not Elector.objects.filter(has_voted=True).exists()


def test_voting_after_the_closing_time_or_the_close_is_refused():
    s = build()
    Election.objects.filter(pk=s.election.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(services.VoteRefused) as refused:
        services.cast_by_user(s.election, s.voter(0), choices(s))
    assert refused.value.status == 410
    services.close_voting(s.manager, s.election)
    with pytest.raises(services.VoteRefused) as refused:
        services.cast_by_user(s.election, s.voter(1), choices(s))
    assert refused.value.status == 410
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        "too many",  # three board choices for two seats
        "two chairs",  # plurality: one choice
        "missing",  # a position without an answer
        "unknown",  # a candidate of another position
        "twice",
    ],
)
def test_a_malformed_ballot_is_refused_with_422_and_nothing_is_marked(bad):
    s = build()
    c = s.candidates
    ballot = choices(s, "c1", ["b1"])
    if bad == "too many":
        ballot[str(s.board.pk)] = [c["b1"].pk, c["b2"].pk, c["b3"].pk]
    elif bad == "two chairs":
        ballot[str(s.chair.pk)] = [c["c1"].pk, c["c2"].pk]
    elif bad == "missing":
        del ballot[str(s.board.pk)]
    elif bad == "unknown":
        ballot[str(s.board.pk)] = [c["c1"].pk]
    else:
        ballot[str(s.board.pk)] = [c["b1"].pk, c["b1"].pk]
    with pytest.raises(services.VoteRefused) as refused:
        services.cast_by_user(s.election, s.voter(0), ballot)
    assert refused.value.status == 422
    assert not Ballot.objects.exists()
    assert not Elector.objects.filter(has_voted=True).exists()


def test_someone_off_the_roll_cannot_vote(offices):
    from ravabet.conftest import make_staff

    s = build()
    outsider = make_staff("outsider", offices["agency"], "manager")
    with pytest.raises(services.VoteRefused) as refused:
        services.cast_by_user(s.election, outsider, choices(s))
    assert refused.value.status == 403


def test_explicit_blank_is_a_valid_ballot_and_is_counted_as_blank():
    s = build()
    services.cast_by_user(s.election, s.voter(0), choices(s, None, None))
    services.close_voting(s.manager, s.election, now=s.election.closes_at)
    result = Election.objects.get().result
    assert result["positions"][str(s.chair.pk)]["blank"] == 1
    assert result["positions"][str(s.board.pk)]["blank"] == 1


def test_a_failure_while_storing_leaves_nothing_half_stored(monkeypatch):
    s = build()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Ballot.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.cast_by_user(s.election, s.voter(0), choices(s))
    assert not Elector.objects.filter(has_voted=True).exists()
    monkeypatch.undo()
    services.cast_by_user(s.election, s.voter(0), choices(s))
    assert Ballot.objects.count() == 1


def test_the_roll_freezes_when_voting_opens(offices):
    from ravabet.council.models import Seat

    s = build()
    # A member joining the council after the opening does not join the roll.
    Seat.objects.create(
        council=s.election.council,
        office=offices["agency"],
        position="member",
        start=timezone.localdate(),
    )
    with pytest.raises(services.ElectionError):
        services.refresh_roll(s.manager, s.election)
    with pytest.raises(services.ElectionError):
        services.record_proxy(s.manager, s.election, s.electors[0].office, s.voter(1))
    assert s.election.roll.count() == 6
    assert not s.election.roll.filter(office=offices["agency"]).exists()


def test_the_roll_is_the_councils_voting_members_one_line_per_office(offices):
    from ravabet.council.models import Seat

    s = build(open_now=False)
    Seat.objects.create(
        council=s.election.council,
        office=offices["agency"],
        position="observer",  # observers do not vote
        start=timezone.localdate(),
    )
    Seat.objects.create(
        council=s.election.council,
        office=offices["county"],
        position="member",  # no holder: the office's PR manager votes (none here: no voter)
        start=timezone.localdate(),
    )
    assert services.refresh_roll(s.manager, s.election) == 7
    line = s.election.roll.get(office=offices["county"])
    assert line.voter is None
    assert not s.election.roll.filter(office=offices["agency"]).exists()


def test_a_proxy_recorded_before_opening_casts_the_vote_instead_of_the_manager():
    s = build(open_now=False)
    proxy = s.voter(5)
    services.record_proxy(s.manager, s.election, s.electors[0].office, proxy)
    services.open_voting(s.manager, s.election)
    with pytest.raises(services.VoteRefused):
        services.cast_by_user(s.election, s.voter(0), choices(s))
    # The proxy holds two lines now (its own office's and office 0's): both votes count once.
    services.cast_by_user(s.election, proxy, choices(s))
    services.cast_by_user(s.election, proxy, choices(s))
    with pytest.raises(services.VoteRefused):
        services.cast_by_user(s.election, proxy, choices(s))
    assert Ballot.objects.count() == 2


def test_a_voter_removed_from_the_membership_after_the_freeze_keeps_the_vote():
    from ravabet.council.models import Seat

    s = build()
    services.cast_by_user(s.election, s.voter(0), choices(s, "c2"))
    # Both offices leave the council; their PR managers lose their roles too.
    for i in (0, 1):
        Seat.objects.filter(office=s.electors[i].office).update(end=timezone.localdate())
        Membership.objects.filter(user=s.voter(i)).delete()
    # Still on the frozen roll: the removed member who had not voted yet still may.
    services.cast_by_user(s.election, s.voter(1), choices(s, "c2"))
    services.close_voting(s.manager, s.election, now=s.election.closes_at)
    result = Election.objects.get().result
    assert result["positions"][str(s.chair.pk)]["votes"][str(s.candidates["c2"].pk)] == 2
    assert result["voted"] == 2 and result["electorate"] == 6


def test_ballots_are_insert_only_in_the_orm_and_in_the_database():
    s = build()
    services.cast_by_user(s.election, s.voter(0), choices(s))
    ballot = Ballot.objects.get()
    with pytest.raises(PermissionError):
        Ballot.objects.all().update(receipt="X")
    with pytest.raises(PermissionError):
        Ballot.objects.all().delete()
    with pytest.raises(PermissionError):
        ballot.save()
    with pytest.raises(PermissionError):
        ballot.delete()
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE elections_ballot SET choices = %s", ['{"x": "blank"}'])
    assert Ballot.objects.get().choices == ballot.choices


def test_results_are_sealed_until_published_and_equal_the_recount():
    s = build()
    for i, ballot in enumerate(
        [("c1", ["b1", "b2"]), ("c1", ["b2"]), ("c2", ["b2", "b3"]), (None, None)]
    ):
        services.cast_by_user(s.election, s.voter(i), choices(s, *ballot))
    services.close_voting(s.manager, s.election, now=s.election.closes_at)
    election = Election.objects.get()
    assert election.status == Election.Status.CLOSED and election.published_at is None
    c = s.candidates
    outcome = election.result["outcome"]
    assert outcome[str(s.chair.pk)]["elected"] == [str(c["c1"].pk)]
    assert outcome[str(s.board.pk)]["elected"][0] == str(c["b2"].pk)
    # b1 and b3 tie on one vote for the second board seat: the lottery was drawn and recorded.
    assert sorted(election.result["draws"][str(s.board.pk)]) == sorted(
        [str(c["b1"].pk), str(c["b3"].pk)]
    )
    services.publish_results(s.manager, election)
    election.refresh_from_db()
    assert election.status == Election.Status.PUBLISHED
    specs = services.ballot_specs(election)
    recount = tally.full_result(
        specs,
        Ballot.objects.values_list("choices", flat=True),
        tie_rule=election.tie_rule,
        draws=election.result["draws"],
    )
    assert recount["outcome"] == election.result["outcome"]


def test_a_tie_under_the_runoff_rule_names_the_tied_candidates():
    s = build(tie_rule=Election.TieRule.RUNOFF)
    services.cast_by_user(s.election, s.voter(0), choices(s, "c1", ["b1"]))
    services.cast_by_user(s.election, s.voter(1), choices(s, "c2", ["b2"]))
    services.cast_by_user(s.election, s.voter(2), choices(s, None, ["b1", "b3"]))
    services.close_voting(s.manager, s.election, now=s.election.closes_at)
    outcome = Election.objects.get().result["outcome"]
    c = s.candidates
    assert outcome[str(s.chair.pk)] == {
        "elected": [],
        "runoff": sorted([str(c["c1"].pk), str(c["c2"].pk)]),
    }
    # b1 has two votes and a seat; b2 and b3 tie across the second seat.
    assert outcome[str(s.board.pk)] == {
        "elected": [str(c["b1"].pk)],
        "runoff": sorted([str(c["b2"].pk), str(c["b3"].pk)]),
    }


def test_closing_before_time_is_refused_unless_everyone_has_voted():
    s = build(voters=5)
    with pytest.raises(services.ElectionError):
        services.close_voting(s.manager, s.election)
    for i in range(5):
        services.cast_by_user(s.election, s.voter(i), choices(s))
    services.close_voting(s.manager, s.election)
    assert Election.objects.get().status == Election.Status.CLOSED
