"""The confirmed step: the elected board becomes the council's positions for the term."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ravabet.council.models import Seat

from .. import selectors, services
from ..models import Election
from .helpers import build, choices

pytestmark = pytest.mark.django_db


def _published(s, ballots):
    for i, ballot in enumerate(ballots):
        services.cast_by_user(s.election, s.voter(i), choices(s, *ballot))
    services.close_voting(s.manager, s.election, now=s.election.closes_at)
    services.publish_results(s.manager, Election.objects.get(pk=s.election.pk))
    return Election.objects.get(pk=s.election.pk)


def test_confirming_installs_the_elected_board_for_the_term():
    s = build()
    council = s.election.council
    # The outgoing chair is office 5; it was not elected and goes back to an ordinary seat.
    old_chair = s.electors[5].office
    Seat.objects.filter(council=council, office=old_chair).update(position="chair")
    election = _published(s, [("c1", ["b1", "b2"]), ("c1", ["b1", "b2"]), ("c2", ["b3"])])
    installed = services.confirm_board(s.manager, election)
    c = s.candidates
    assert {(o.pk, role) for o, role in installed} == {
        (c["c1"].office_id, "chair"),
        (c["b1"].office_id, "board"),
        (c["b2"].office_id, "board"),
    }
    open_seats = {
        seat.office_id: seat for seat in Seat.objects.filter(council=council, end__isnull=True)
    }
    assert open_seats[c["c1"].office_id].position == "chair"
    assert open_seats[c["c1"].office_id].term_id == election.term_id
    assert open_seats[c["c1"].office_id].holder_id == c["c1"].user_id
    assert open_seats[c["b1"].office_id].position == "board"
    assert open_seats[old_chair.pk].position == "member"
    # History is kept: the old chair's seat is closed, not deleted.
    assert (
        Seat.objects.filter(council=council, office=old_chair, position="chair")
        .exclude(end=None)
        .exists()
    )
    assert Election.objects.get(pk=election.pk).status == Election.Status.CONFIRMED
    assert selectors.latest_result_of_council(council) == election


def test_confirming_is_refused_before_publication_and_while_a_runoff_is_pending():
    s = build(tie_rule=Election.TieRule.RUNOFF)
    with pytest.raises(services.ElectionError):
        services.confirm_board(s.manager, s.election)
    election = _published(s, [("c1", ["b1"]), ("c2", ["b2"])])
    with pytest.raises(services.ElectionError) as refused:
        services.confirm_board(s.manager, election)
    assert "دور دوم" in str(refused.value)
    assert not Seat.objects.filter(
        position__in=["chair", "board"], start__gte=timezone.localdate()
    ).exists()


def test_a_member_cannot_confirm(client):
    from django.core.exceptions import PermissionDenied

    s = build()
    election = _published(s, [("c1", ["b1", "b2"])])
    with pytest.raises(PermissionDenied):
        services.confirm_board(s.voter(0), election)
