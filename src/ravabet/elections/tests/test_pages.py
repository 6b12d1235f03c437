"""The pages: voting through HTTP (signed in and with a code), what is shown when, the
published ballots, their download and `ravabet tally`."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from ravabet.conftest import sign_in

from .. import services
from ..models import Ballot, Election
from .helpers import build, choices

pytestmark = pytest.mark.django_db


def _post_ballot(s, chair="c1", board=("b1",)):
    c = s.candidates
    return {
        f"p{s.chair.pk}": str(c[chair].pk) if chair else "blank",
        f"p{s.board.pk}": [str(c[k].pk) for k in board] if board else ["blank"],
    }


def test_a_signed_in_voter_votes_and_gets_the_receipt_in_the_page_only(client):
    s = build()
    sign_in(client, s.voter(0))
    url = reverse("elections:vote", args=[s.election.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "سفید / ممتنع" in page.content.decode()
    response = client.post(url, _post_ballot(s))
    assert response.status_code == 200
    receipt = Ballot.objects.get().receipt
    assert receipt in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # Nothing about the ballot is kept in the session.
    session = client.session
    assert not any(receipt in str(value) for value in session.values())
    again = client.post(url, _post_ballot(s, "c2"))
    assert again.status_code == 409
    assert Ballot.objects.count() == 1


def test_too_many_choices_through_the_form_is_422_and_keeps_the_choices(client):
    s = build()
    sign_in(client, s.voter(0))
    response = client.post(
        reverse("elections:vote", args=[s.election.pk]), _post_ballot(s, board=("b1", "b2", "b3"))
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "checked" in body
    assert not Ballot.objects.exists()


def test_the_vote_views_hide_their_post_data_from_error_reports(rf):
    from django.contrib.auth.models import AnonymousUser

    from .. import views

    s = build(mode=Election.Mode.IN_ROOM)
    for view in (views.vote, views.vote_with_code):
        request = rf.post("/", {"code": "X"})
        request.user = AnonymousUser()
        view(request, pk=s.election.pk)
        # Django's marker, read by its error reporter (SafeExceptionReporterFilter).
        assert request.sensitive_post_parameters == "__ALL__"


def test_voting_with_a_code_needs_no_sign_in(client):
    s = build(mode=Election.Mode.IN_ROOM)
    code = services.issue_codes(s.manager, s.election, s.electors[:1])[s.electors[0].pk]
    url = reverse("elections:code", args=[s.election.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": code, **_post_ballot(s)})
    assert response.status_code == 200
    assert Ballot.objects.get().receipt in response.content.decode()
    reused = client.post(url, {"code": code, **_post_ballot(s)})
    assert reused.status_code == 409
    assert "این کد قبلاً به کار رفته است" in reused.content.decode()
    wrong = client.post(url, {"code": "ZZZZZ-ZZZZZ", **_post_ballot(s)})
    assert wrong.status_code == 403
    assert Ballot.objects.count() == 1


def test_turnout_only_after_close_and_result_only_after_publication(client):
    s = build(voters=4)
    for i in range(3):
        services.cast_by_user(s.election, s.voter(i), choices(s, "c1", ["b1", "b2"]))
    url = reverse("elections:detail", args=[s.election.pk])
    page = client.get(url).content.decode()
    assert "مشارکت پس از پایان رأی‌گیری نشان داده می‌شود" in page
    assert "۳ از ۴" not in page
    services.close_voting(s.manager, s.election, now=s.election.closes_at)
    page = client.get(url).content.decode()
    assert "۳ از ۴" in page and "حد نصاب" in page
    assert "برگزیده" not in page  # sealed
    assert client.get(reverse("elections:ballots", args=[s.election.pk])).status_code == 404
    assert client.get(reverse("elections:ballots_json", args=[s.election.pk])).status_code == 404
    services.publish_results(s.manager, Election.objects.get())
    page = client.get(url).content.decode()
    assert "برگزیده" in page


def test_published_ballots_are_in_receipt_order_and_the_tally_command_agrees(
    client, tmp_path, capsys
):
    s = build(voters=6)
    receipts = [
        services.cast_by_user(s.election, s.voter(i), choices(s, *ballot))
        for i, ballot in enumerate(
            [("c1", ["b1"]), ("c2", ["b2", "b3"]), (None, None), ("c1", ["b1", "b3"]), ("c1", None)]
        )
    ]
    services.close_voting(s.manager, s.election, now=s.election.closes_at)
    services.publish_results(s.manager, Election.objects.get())
    listing = client.get(reverse("elections:ballots", args=[s.election.pk])).content.decode()
    positions = [listing.index(r) for r in sorted(receipts)]
    assert positions == sorted(positions)  # shown in receipt order
    download = client.get(reverse("elections:ballots_json", args=[s.election.pk]))
    assert download.status_code == 200
    data = json.loads(download.content)
    assert [b["receipt"] for b in data["ballots"]] == sorted(receipts)
    assert "voter" not in download.content.decode()
    path = tmp_path / "election.json"
    path.write_bytes(download.content)
    call_command("tally", str(path))
    out = capsys.readouterr().out
    assert "equals the published result" in out
    # A file with a ballot taken out does not agree.
    del data["ballots"][0]
    path.write_text(json.dumps(data))
    with pytest.raises(SystemExit) as exit_:
        call_command("tally", str(path))
    assert exit_.value.code == 1


def test_a_refusal_names_the_problem_in_persian(client):
    s = build(open_now=False)
    sign_in(client, s.voter(0))
    response = client.get(reverse("elections:vote", args=[s.election.pk]))
    assert response.status_code == 409
    assert "رأی‌گیری هنوز آغاز نشده است" in response.content.decode()


def test_staff_runs_the_election_from_the_desk(client):
    s = build(open_now=False, voters=5)
    sign_in(client, s.manager)
    url = reverse("elections:manage", args=[s.election.office.slug, s.election.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"step": "open"}).status_code == 302
    assert Election.objects.get().status == "open"
    # Too early to close: 409 with the reason, the page still shown.
    response = client.post(url, {"step": "close"})
    assert response.status_code == 409
    # A member cannot reach the desk.
    client.logout()
    sign_in(client, s.voter(0))
    assert client.get(url).status_code == 403


def test_paper_tellers_named_at_the_desk_enter_the_count_twice(client):
    from ravabet.conftest import make_staff

    s = build(mode=Election.Mode.PAPER)
    one, two = make_staff("teller-a"), make_staff("teller-b")
    sign_in(client, s.manager)
    desk = reverse("elections:manage", args=[s.election.office.slug, s.election.pk])
    refused = client.post(desk, {"step": "tellers", "usernames": "teller-a, nobody"})
    assert refused.status_code == 422
    assert "teller-a, nobody" in refused.content.decode()  # the form keeps what was typed
    assert (
        client.post(desk, {"step": "tellers", "usernames": "teller-a، teller-b"}).status_code == 302
    )
    assert client.post(desk, {"step": "close"}).status_code == 302
    c = s.candidates
    sheet = {
        "ballots": 5,
        f"c{c['c1'].pk}": 3,
        f"c{c['c2'].pk}": 1,
        f"blank{s.chair.pk}": 1,
        f"c{c['b1'].pk}": 4,
        f"c{c['b2'].pk}": 2,
        f"c{c['b3'].pk}": 1,
        f"blank{s.board.pk}": 1,
    }
    count_url = reverse("elections:count", args=[s.election.pk])
    assert client.get(count_url).status_code == 403  # the manager is not a teller
    for teller, expected in ((one, "به‌طور مستقل"), (two, "مهروموم شد")):
        client.logout()
        sign_in(client, teller)
        response = client.post(count_url, sheet)
        assert response.status_code == 200
        assert expected in response.content.decode() or "جداگانه" in response.content.decode()
    election = Election.objects.get()
    assert election.result["outcome"][str(s.chair.pk)]["elected"] == [str(c["c1"].pk)]


def test_the_council_page_links_to_its_elections_and_that_list_shows_only_them(client):
    s = build(prefix="x")
    other = build(prefix="y")
    council = s.election.council
    page = client.get(reverse("council_public:council", args=[council.slug])).content.decode()
    link = f"{reverse('elections:index')}?council={council.slug}"
    assert "انتخابات هیأت‌رئیسه این شورا" in page and link in page
    listing = client.get(link).content.decode()
    assert reverse("elections:detail", args=[s.election.pk]) in listing
    assert reverse("elections:detail", args=[other.election.pk]) not in listing
    assert council.name_fa in listing
    assert client.get(reverse("elections:index") + "?council=no-such").status_code == 404
    assert client.get(reverse("elections:index") + "?council=%3Cx%3E").status_code == 404
