"""Staff workflow rules: lock-then-check, close, the limits of refer and assign."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ravabet.conftest import make_staff, sign_in
from ravabet.demands import selectors, services
from ravabet.demands.models import Demand, DemandEvent, Status
from ravabet.network.models import AuditEvent, Office

from .helpers import a_demand

pytestmark = pytest.mark.django_db


_demand = a_demand


def _refer_behind_the_back(demand, to_office):
    """Another writer (a manager above) refers the demand; the caller's copy does not know."""
    boss = make_staff("gov-boss", to_office.parent, "manager")
    services.refer(boss, Demand.objects.get(pk=demand.pk), to_office, "به دستگاه مسئول")


# ----------------------------------------------------------------------------- lock-then-check


def test_county_responder_cannot_answer_a_demand_referred_away_after_the_page_loaded(
    client, offices, monkeypatch
):
    demand = _demand(offices["county"])
    responder = make_staff("resp", offices["county"], "responder")
    sign_in(client, responder)
    load = selectors.demand_for_staff

    def load_then_lose_the_race(office, pk):
        loaded = load(office, pk)  # the view's copy: still at the county
        _refer_behind_the_back(demand, offices["agency"])
        return loaded

    monkeypatch.setattr(selectors, "demand_for_staff", load_then_lose_the_race)
    response = client.post(
        f"/staff/mehran/demands/{demand.pk}/answer/", {"public": "پاسخ از دفتر قبلی"}
    )
    assert response.status_code == 403
    demand.refresh_from_db()
    assert demand.office == offices["agency"]
    assert demand.status == Status.RECEIVED and demand.answer_public == ""
    denied = AuditEvent.objects.get(action="denied:demands.answer")
    assert denied.actor == responder and denied.allowed is False
    assert denied.office == offices["agency"]


@pytest.mark.parametrize("action", ["answer", "assign", "refer", "close", "note"])
def test_every_locking_service_checks_the_locked_row(offices, action):
    demand = _demand(offices["county"])
    responder = make_staff("resp", offices["county"], "responder")
    if action == "close":
        services.answer(responder, demand, "پاسخ")
    stale = Demand.objects.select_related("office").get(pk=demand.pk)
    if action == "close":  # an answered demand is not referred; it moves by another hand
        Demand.objects.filter(pk=demand.pk).update(office=offices["agency"])
    else:
        _refer_behind_the_back(demand, offices["agency"])
    calls = {
        "answer": lambda: services.answer(responder, stale, "پاسخ دیر"),
        "assign": lambda: services.assign(responder, stale, responder),
        "refer": lambda: services.refer(responder, stale, offices["district"], "یادداشت"),
        "close": lambda: services.close(responder, stale),
        "note": lambda: services.add_note(responder, stale, "یادداشت"),
    }
    events_before = DemandEvent.objects.filter(demand=demand).count()
    with pytest.raises(PermissionDenied):
        calls[action]()
    assert DemandEvent.objects.filter(demand=demand).count() == events_before
    assert AuditEvent.objects.filter(actor=responder, allowed=False).count() == 1


# ----------------------------------------------------------------------------- close


def test_responder_closes_an_answered_demand(client, offices):
    demand = _demand(offices["county"])
    responder = make_staff("resp", offices["county"], "responder")
    services.answer(responder, demand, "پاسخ")
    sign_in(client, responder)
    response = client.post(f"/staff/mehran/demands/{demand.pk}/close/")
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == Status.CLOSED and demand.closed_at is not None
    assert DemandEvent.objects.filter(demand=demand, kind=DemandEvent.Kind.CLOSED).count() == 1
    assert AuditEvent.objects.filter(action="demands.close", actor=responder).exists()
    # The citizen sees it closed.
    assert "بسته" in client.get(f"/demands/track/{demand.code}/").content.decode()


def test_closing_an_unanswered_demand_is_refused_in_persian(client, offices):
    demand = _demand(offices["county"])
    sign_in(client, make_staff("resp", offices["county"], "responder"))
    response = client.post(f"/staff/mehran/demands/{demand.pk}/close/", follow=True)
    assert "فقط مطالبه پاسخ‌داده‌شده بستنی است." in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == Status.RECEIVED and demand.closed_at is None


def test_editor_cannot_close(offices):
    demand = _demand(offices["county"])
    services.answer(make_staff("resp", offices["county"], "responder"), demand, "پاسخ")
    with pytest.raises(PermissionDenied):
        services.close(make_staff("ed", offices["county"], "editor"), demand)
    demand.refresh_from_db()
    assert demand.status == Status.ANSWERED


# ----------------------------------------------------------------------------- refer


def test_refer_without_a_note_is_refused(client, offices):
    demand = _demand(offices["county"])
    responder = make_staff("resp", offices["county"], "responder")
    with pytest.raises(ValidationError) as caught:
        services.refer(responder, demand, offices["agency"], "   ")
    assert caught.value.code == "note_required"
    sign_in(client, responder)
    response = client.post(
        f"/staff/mehran/demands/{demand.pk}/refer/",
        {"to_office": offices["agency"].pk, "note": "  "},
    )
    assert response.status_code == 400
    assert "«یادداشت برای دفتر مقصد و شهروند» را پر کنید." in response.content.decode()
    demand.refresh_from_db()
    assert demand.office == offices["county"] and demand.referral_count == 0


def test_refer_to_an_inactive_office_is_refused(client, offices):
    demand = _demand(offices["county"])
    responder = make_staff("resp", offices["county"], "responder")
    Office.objects.filter(pk=offices["agency"].pk).update(is_active=False)
    offices["agency"].refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.refer(responder, demand, offices["agency"], "به راه")
    assert caught.value.code == "inactive"
    sign_in(client, responder)
    # The form does not offer it, and a forged choice is refused.
    page = client.get(f"/staff/mehran/demands/{demand.pk}/").content.decode()
    assert "راه و شهرسازی" not in page
    response = client.post(
        f"/staff/mehran/demands/{demand.pk}/refer/",
        {"to_office": offices["agency"].pk, "note": "به راه"},
    )
    assert response.status_code == 400
    demand.refresh_from_db()
    assert demand.office == offices["county"]


def test_refer_too_many_times_is_refused_in_persian(client, offices):
    demand = _demand(offices["county"])
    Demand.objects.filter(pk=demand.pk).update(referral_count=services.MAX_REFERRALS)
    responder = make_staff("resp", offices["county"], "responder")
    sign_in(client, responder)
    response = client.post(
        f"/staff/mehran/demands/{demand.pk}/refer/",
        {"to_office": offices["agency"].pk, "note": "به راه"},
    )
    assert response.status_code == 400
    assert "این مطالبه بیش از حد ارجاع شده است؛ همین‌جا پاسخ دهید." in response.content.decode()
    demand.refresh_from_db()
    assert demand.office == offices["county"]
    assert demand.referral_count == services.MAX_REFERRALS


# ----------------------------------------------------------------------------- assign


def test_assigning_to_a_non_colleague_is_refused(client, offices):
    demand = _demand(offices["county"])
    responder = make_staff("resp", offices["county"], "responder")
    outsider = make_staff("out", offices["agency"], "responder")
    editor = make_staff("ed", offices["county"], "editor")
    for stranger in (outsider, editor):
        with pytest.raises(ValidationError) as caught:
            services.assign(responder, demand, stranger)
        assert caught.value.code == "not_colleague"
    sign_in(client, responder)
    response = client.post(f"/staff/mehran/demands/{demand.pk}/assign/", {"assignee": outsider.pk})
    assert response.status_code == 400
    assert "یک گزینهٔ معتبر انتخاب کنید" in response.content.decode()
    demand.refresh_from_db()
    assert demand.assignee is None and demand.status == Status.RECEIVED


def test_manager_above_assigns_in_a_child_office_with_no_staff(client, offices):
    demand = _demand(offices["district"])  # the district office has no members at all
    manager = make_staff("boss", offices["county"], "manager")
    sign_in(client, manager)
    page = client.get(f"/staff/salehabad/demands/{demand.pk}/")
    assert page.status_code == 200
    assert page.context["assign_form"].fields["assignee"].choices == [(manager.pk, "boss")]
    response = client.post(
        f"/staff/salehabad/demands/{demand.pk}/assign/", {"assignee": manager.pk}
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.assignee == manager and demand.status == Status.ASSIGNED


def test_colleagues_follow_may(offices):
    district = offices["district"]
    own = make_staff("own", district, "responder")
    county_boss = make_staff("cboss", offices["county"], "manager")
    make_staff("cresp", offices["county"], "responder")  # a responder's reach stays at home
    make_staff("sibling", offices["agency"], "manager")  # sideways: nothing
    make_staff("ded", district, "editor")  # no demands role
    assert selectors.colleagues(district) == [county_boss, own]
