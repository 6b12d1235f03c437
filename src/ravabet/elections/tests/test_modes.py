"""In-room one-time codes and the paper count entered twice by two tellers."""

from __future__ import annotations

import pytest

from ravabet.conftest import make_staff
from ravabet.network.models import AuditEvent

from .. import services
from ..models import Ballot, Election, Elector, InRoomCode
from .helpers import build, choices

pytestmark = pytest.mark.django_db


def test_a_code_votes_once_and_marks_its_roll_line():
    s = build(mode=Election.Mode.IN_ROOM)
    codes = services.issue_codes(s.manager, s.election, s.electors[:2])
    assert set(codes) == {s.electors[0].pk, s.electors[1].pk}
    # Only the hash is kept.
    assert not InRoomCode.objects.filter(code_hash__in=list(codes.values())).exists()
    code = codes[s.electors[0].pk]
    # Typed on a phone: lower case, Persian digits, no dash.
    typed = code.lower().replace("-", " ")
    for latin, persian in zip("0123456789", "۰۱۲۳۴۵۶۷۸۹", strict=True):
        typed = typed.replace(latin, persian)
    receipt = services.cast_by_code(s.election, typed, choices(s))
    assert Ballot.objects.get().receipt == receipt
    assert Elector.objects.get(pk=s.electors[0].pk).has_voted
    with pytest.raises(services.VoteRefused) as refused:
        services.cast_by_code(s.election, code, choices(s))
    assert refused.value.status == 409
    with pytest.raises(services.VoteRefused) as refused:
        services.cast_by_code(s.election, "AAAAA-BBBBB", choices(s))
    assert refused.value.status == 403
    assert Ballot.objects.count() == 1


def test_a_voter_who_voted_with_a_code_cannot_vote_again_signed_in():
    s = build(mode=Election.Mode.IN_ROOM)
    codes = services.issue_codes(s.manager, s.election, s.electors[:1])
    services.cast_by_code(s.election, codes[s.electors[0].pk], choices(s))
    with pytest.raises(services.VoteRefused):
        services.cast_by_user(s.election, s.voter(0), choices(s))
    # And a line that voted gets no code.
    assert services.issue_codes(s.manager, s.election, s.electors[:1]) == {}


def test_a_code_of_one_election_does_not_work_in_another():
    s = build(mode=Election.Mode.IN_ROOM, prefix="x")
    t = build(mode=Election.Mode.IN_ROOM, prefix="y")
    code = services.issue_codes(s.manager, s.election, s.electors[:1])[s.electors[0].pk]
    with pytest.raises(services.VoteRefused):
        services.cast_by_code(t.election, code, choices(t))


def test_codes_are_audited_as_a_number_never_as_values():
    s = build(mode=Election.Mode.IN_ROOM)
    codes = services.issue_codes(s.manager, s.election, s.electors)
    event = AuditEvent.objects.get(action="elections.codes")
    assert event.changes == {"created": 6}
    assert not any(code in str(event.changes) for code in codes.values())


def _paper_counts(s, chair=(3, 1), board=(2, 2, 1), blank=1, ballots=5):
    c = s.candidates
    return {
        "ballots": ballots,
        "positions": {
            str(s.chair.pk): {
                "votes": {str(c["c1"].pk): chair[0], str(c["c2"].pk): chair[1]},
                "blank": blank,
            },
            str(s.board.pk): {
                "votes": {
                    str(c["b1"].pk): board[0],
                    str(c["b2"].pk): board[1],
                    str(c["b3"].pk): board[2],
                },
                "blank": blank,
            },
        },
    }


def test_paper_count_is_accepted_only_when_two_different_tellers_agree():
    s = build(mode=Election.Mode.PAPER, tie_rule=Election.TieRule.RUNOFF)
    one = make_staff("teller-one")
    two = make_staff("teller-two")
    services.name_tellers(s.manager, s.election, [one, two])
    services.close_voting(s.manager, s.election)
    election = Election.objects.get()
    assert election.result is None  # nothing to count until the tellers enter it
    _entry, outcome = services.enter_paper_count(one, election, _paper_counts(s))
    assert outcome == "waiting"
    with pytest.raises(services.ElectionError):  # the same teller twice is not two tellers
        services.enter_paper_count(one, election, _paper_counts(s))
    _entry, outcome = services.enter_paper_count(two, election, _paper_counts(s, chair=(2, 2)))
    assert outcome == "differ"
    assert Election.objects.get().result is None
    # Round two: both enter again; now they agree.
    assert services.enter_paper_count(two, election, _paper_counts(s))[1] == "waiting"
    assert services.enter_paper_count(one, election, _paper_counts(s))[1] == "agreed"
    result = Election.objects.get().result
    c = s.candidates
    assert result["outcome"][str(s.chair.pk)]["elected"] == [str(c["c1"].pk)]
    assert result["outcome"][str(s.board.pk)]["elected"] == sorted(
        [str(c["b1"].pk), str(c["b2"].pk)]
    )
    assert result["voted"] == 5
    labels = list(
        AuditEvent.objects.filter(action__startswith="elections.").values_list("action", flat=True)
    )
    assert labels.count("elections.teller_entry") == 4
    assert "elections.count_differs" in labels and "elections.count_agreed" in labels
    services.publish_results(s.manager, Election.objects.get())
    assert Election.objects.get().status == Election.Status.PUBLISHED


def test_paper_count_that_does_not_add_up_is_refused_and_a_non_teller_cannot_enter():
    s = build(mode=Election.Mode.PAPER)
    one = make_staff("teller-one")
    services.name_tellers(s.manager, s.election, [one])
    services.close_voting(s.manager, s.election)
    election = Election.objects.get()
    with pytest.raises(services.ElectionError) as refused:
        services.enter_paper_count(one, election, _paper_counts(s, chair=(9, 9)))
    assert refused.value.status == 422
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.enter_paper_count(s.manager, election, _paper_counts(s))


def test_nominations_need_acceptance_and_approval():
    s = build(open_now=False, voters=4)
    other = services.nominate(s.voter(0), s.board, s.electors[1])
    assert other.status == "nominated"
    with pytest.raises(services.ElectionError):  # not accepted yet
        services.decide_candidacy(s.manager, other, approve=True)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):  # only the nominee answers
        services.answer_nomination(s.voter(0), other, accept=True)
    services.answer_nomination(s.voter(1), other, accept=True, statement="برنامه من")
    with pytest.raises(PermissionDenied):  # a member is not the elections working group
        services.decide_candidacy(s.voter(2), other, approve=True)
    assert AuditEvent.objects.filter(action="denied:elections.manage").exists()
    services.decide_candidacy(s.manager, other, approve=False, note="دیر رسید")
    # Opening takes unapproved nominations off the ballot.
    pending = services.nominate(s.voter(3), s.chair, s.electors[3])
    services.open_voting(s.manager, s.election)
    pending.refresh_from_db()
    assert pending.status == "rejected"
    specs = services.ballot_specs(s.election)
    assert str(pending.pk) not in specs[0]["candidates"]
