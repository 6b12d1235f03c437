"""Setting a council up from the staff pages: the council, its seats (history kept), working
groups and their members."""

from __future__ import annotations

import pytest

from ravabet.conftest import sign_in
from ravabet.council.models import Council, Seat, WorkingGroupMembership

pytestmark = pytest.mark.django_db


def test_a_manager_creates_a_council_and_a_used_code_is_refused(client, body):
    sign_in(client, body.director)
    assert "شورای هماهنگی" in client.get("/staff/councils/").content.decode()
    data = {
        "office": body.offices["gov"].pk, "name_fa": "شورای روابط عمومی‌های شهرستان",
        "slug": "gov-council", "code": "ILM", "kind": "county", "quorum_rule": "majority",
        "objection_days": "3",
    }  # fmt: skip
    refused = client.post("/staff/councils/new/", data)
    assert refused.status_code == 422
    assert "کد" in refused.content.decode() and 'value="gov-council"' in refused.content.decode()
    data["code"] = "GOV"
    created = client.post("/staff/councils/new/", data)
    assert created.status_code == 302
    council = Council.objects.get(slug="gov-council")
    assert council.office == body.offices["gov"] and council.code == "GOV"


def test_a_code_is_latin_letters(client, body):
    sign_in(client, body.director)
    response = client.post("/staff/councils/new/", {
        "office": body.offices["gov"].pk, "name_fa": "شورا", "slug": "x", "code": "۱۲",
        "kind": "county", "quorum_rule": "majority", "objection_days": "3",
    })  # fmt: skip
    assert response.status_code == 422
    assert "حرف لاتین" in response.content.decode()


def test_seats_are_given_and_ended_keeping_history(client, body):
    sign_in(client, body.director)
    url = "/staff/councils/ilam-council/members/"
    assert client.get(url).status_code == 200
    taken = client.post(url, {"office": body.offices["district"].pk, "position": "chair",
                              "start": "1405/09/01"})  # fmt: skip
    assert taken.status_code == 422
    assert "این سمت را دارد" in taken.content.decode()
    moved = client.post(url, {"office": body.offices["district"].pk, "position": "board",
                              "start": "1405/09/01", "holder": body.district.pk})  # fmt: skip
    assert moved.status_code == 302
    seats = Seat.objects.filter(council=body.council, office=body.offices["district"])
    assert seats.count() == 2 and seats.filter(end__isnull=True).get().position == "board"
    open_seat = seats.get(end__isnull=True)
    ended = client.post(f"/staff/councils/ilam-council/seats/{open_seat.pk}/end/",
                        {"end": "1405/10/01"})  # fmt: skip
    assert ended.status_code == 302
    assert not seats.filter(end__isnull=True).exists()


def test_a_holder_must_manage_the_office(client, body):
    sign_in(client, body.director)
    response = client.post("/staff/councils/ilam-council/members/", {
        "office": body.offices["agency"].pk, "position": "board", "start": "1405/09/01",
        "holder": body.district.pk,
    })  # fmt: skip
    assert response.status_code == 422


def test_a_member_cannot_manage_seats(client, body):
    sign_in(client, body.district)
    assert client.get("/staff/councils/ilam-council/members/").status_code == 403


def test_working_groups_and_their_members(client, body):
    sign_in(client, body.director)
    made = client.post("/staff/councils/ilam-council/groups/", {
        "name_fa": "کارگروه رسانه و فضای مجازی", "slug": "media", "code": "MED",
        "topic": "media", "lead_office": body.offices["agency"].pk,
    })  # fmt: skip
    assert made.status_code == 302
    assert (
        WorkingGroupMembership._meta.get_field("group")
        .related_model.objects.get(slug="media")
        .topic
        == "media"
    )
    joined = client.post("/staff/councils/ilam-council/groups/join/", {
        "group": "media", "office": body.offices["county"].pk, "joined": "1405/09/01",
    })  # fmt: skip
    assert joined.status_code == 302
    membership = WorkingGroupMembership.objects.get(group__slug="media")
    left = client.post(
        f"/staff/councils/ilam-council/groups/memberships/{membership.pk}/end/",
        {"end": "1405/08/01"},
    )
    assert left.status_code == 422  # before it joined
    assert "پیش از پیوستن" in left.content.decode()
    left = client.post(
        f"/staff/councils/ilam-council/groups/memberships/{membership.pk}/end/",
        {"end": "1405/10/01"},
    )
    assert left.status_code == 302
    membership.refresh_from_db()
    assert membership.left is not None
