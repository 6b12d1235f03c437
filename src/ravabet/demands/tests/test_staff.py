"""The office's side through real HTTP: inbox, assign, refer, answer, notes, permissions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ravabet.conftest import make_staff, sign_in
from ravabet.demands import services
from ravabet.demands.models import Demand, DemandEvent, MonthlyFigure, Status
from ravabet.network.models import AuditEvent

from .helpers import a_demand

pytestmark = pytest.mark.django_db


_demand = a_demand


def test_inbox_lists_open_demands_and_filters(client, offices):
    responder = make_staff("resp", offices["county"], "responder")
    sign_in(client, responder)
    open_one = _demand(offices["county"])
    _demand(offices["county"], kind="question", subject="پرسش ساعت کاری")
    _demand(offices["agency"], subject="مال دیگری")
    page = client.get("/staff/mehran/demands/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "آب آشامیدنی" in body and "پرسش ساعت کاری" in body and "مال دیگری" not in body
    body = client.get("/staff/mehran/demands/", {"kind": "question"}).content.decode()
    assert "پرسش ساعت کاری" in body and "آب آشامیدنی" not in body
    Demand.objects.filter(pk=open_one.pk).update(due_at=timezone.now() - timedelta(hours=1))
    body = client.get("/staff/mehran/demands/", {"overdue": "on"}).content.decode()
    assert "آب آشامیدنی" in body and "پرسش ساعت کاری" not in body


def test_inbox_of_another_office_is_403_and_audited(client, offices):
    responder = make_staff("resp", offices["county"], "responder")
    sign_in(client, responder)
    assert client.get("/staff/roads/demands/").status_code == 403
    assert AuditEvent.objects.filter(action="denied:demands.view", allowed=False).exists()


def test_editor_without_demands_role_cannot_see_the_inbox(staff_client, offices):
    client, _ = staff_client("editor", "county")
    assert client.get("/staff/mehran/demands/").status_code == 403


def test_answer_by_a_user_of_another_office_is_403_and_audited(client, offices):
    demand = _demand(offices["county"])
    outsider = make_staff("outsider", offices["agency"], "responder")
    sign_in(client, outsider)
    response = client.post(f"/staff/mehran/demands/{demand.pk}/answer/", {"public": "پاسخ جعلی"})
    assert response.status_code == 403
    demand.refresh_from_db()
    assert demand.status == Status.RECEIVED and not demand.answer_public
    denied = AuditEvent.objects.get(action="denied:demands.view")
    assert denied.actor == outsider and not denied.allowed


def test_service_refuses_an_answer_from_another_office(offices):
    from django.core.exceptions import PermissionDenied

    demand = _demand(offices["county"])
    outsider = make_staff("outsider", offices["agency"], "responder")
    with pytest.raises(PermissionDenied):
        services.answer(outsider, demand, "پاسخ")
    assert AuditEvent.objects.filter(action="denied:demands.answer", actor=outsider).exists()


def test_assign_refer_answer_and_the_citizen_sees_the_referral(client, offices):
    demand = _demand(offices["county"])
    first_due = demand.due_at
    responder = make_staff("resp", offices["county"], "responder")
    colleague = make_staff("colleague", offices["county"], "responder")
    sign_in(client, responder)
    page = client.get(f"/staff/mehran/demands/{demand.pk}/")
    assert page.status_code == 200 and "آب روستا" in page.content.decode()
    assert (
        client.post(
            f"/staff/mehran/demands/{demand.pk}/assign/", {"assignee": colleague.pk}
        ).status_code
        == 302
    )
    demand.refresh_from_db()
    assert demand.assignee == colleague and demand.status == Status.ASSIGNED
    assert (
        client.post(
            f"/staff/mehran/demands/{demand.pk}/note/", {"text": "با اداره آب تماس گرفتم"}
        ).status_code
        == 302
    )
    later = timezone.now() + timedelta(days=2)
    Demand.objects.filter(pk=demand.pk).update(clock_started_at=timezone.now() - timedelta(days=2))
    response = client.post(
        f"/staff/mehran/demands/{demand.pk}/refer/",
        {"to_office": offices["agency"].pk, "note": "موضوع در حوزه راه و شهرسازی است."},
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.office == offices["agency"] and demand.status == Status.RECEIVED
    assert demand.assignee is None and demand.referral_count == 1
    assert demand.clock_started_at <= later and demand.due_at >= first_due
    assert AuditEvent.objects.filter(action="demands.refer", office=offices["county"]).exists()
    # The citizen sees the referral, not the internal note.
    status_page = client.get(f"/demands/track/{demand.code}/").content.decode()
    assert "موضوع در حوزه راه و شهرسازی است." in status_page
    assert "با اداره آب تماس گرفتم" not in status_page
    # The first office no longer sees it; the second answers.
    assert client.get(f"/staff/mehran/demands/{demand.pk}/").status_code == 404
    roads = make_staff("roads-resp", offices["agency"], "responder")
    client.logout()
    sign_in(client, roads)
    response = client.post(
        f"/staff/roads/demands/{demand.pk}/answer/",
        {"public": "لوله اصلی تعمیر شد.", "private": "شماره پیگیری داخلی ۱۲"},
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == Status.ANSWERED and demand.answered_on_time is True
    figure = MonthlyFigure.objects.get(office=offices["agency"])
    assert (figure.received, figure.answered, figure.answered_on_time) == (1, 1, 1)
    assert MonthlyFigure.objects.filter(office=offices["county"], referred_out=1).exists()


def test_referral_loop_is_refused_with_a_clear_message(client, offices):
    demand = _demand(offices["county"])
    manager = make_staff("boss", offices["gov"], "manager")  # reaches county and agency
    services.refer(manager, demand, offices["agency"], "به راه")
    sign_in(client, manager)
    response = client.post(
        f"/staff/roads/demands/{demand.pk}/refer/",
        {"to_office": offices["county"].pk, "note": "برگشت"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "چرخه" in body
    assert "برگشت" in body  # the note typed is kept
    demand.refresh_from_db()
    assert demand.office == offices["agency"] and demand.referral_count == 1


def test_empty_answer_is_refused_and_nothing_changes(client, offices):
    demand = _demand(offices["county"])
    sign_in(client, make_staff("resp", offices["county"], "responder"))
    response = client.post(f"/staff/mehran/demands/{demand.pk}/answer/", {"public": "  "})
    assert response.status_code == 400
    demand.refresh_from_db()
    assert demand.status == Status.RECEIVED


def test_rating_not_satisfied_reopens_once_then_closes(client, offices):
    demand = _demand(offices["county"])
    responder = make_staff("resp", offices["county"], "responder")
    services.answer(responder, demand, "پاسخ اول")
    response = client.post(
        f"/demands/track/{demand.code}/", {"satisfied": "no", "comment": "مشکل حل نشد"}
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.reopened and demand.status == Status.ASSIGNED and demand.answered_at is None
    figure = MonthlyFigure.objects.get(office=offices["county"])
    assert figure.unsatisfied == 1 and figure.answered == 0
    services.answer(responder, demand, "پاسخ دوم")
    client.post(f"/demands/track/{demand.code}/", {"satisfied": "no"})
    demand.refresh_from_db()
    assert demand.status == Status.CLOSED and demand.satisfied is False  # not reopened twice
    figure.refresh_from_db()
    assert figure.unsatisfied == 2 and figure.satisfied == 0
    # A closed demand cannot be rated again.
    response = client.post(f"/demands/track/{demand.code}/", {"satisfied": "yes"})
    assert response.status_code == 400
    assert DemandEvent.objects.filter(demand=demand, kind="reopened").count() == 1


def test_rating_before_an_answer_is_refused(client, offices):
    demand = _demand(offices["county"])
    response = client.post(f"/demands/track/{demand.code}/", {"satisfied": "yes"})
    assert response.status_code == 400
    demand.refresh_from_db()
    assert demand.satisfied is None


def test_manager_sets_deadlines_and_new_demands_use_them(client, offices):
    manager = make_staff("boss", offices["county"], "manager")
    sign_in(client, manager)
    data = {"question": 2, "request": 3, "complaint": 4, "suggestion": 5, "appreciation": 1}
    assert client.post("/staff/mehran/demands/deadlines/", data).status_code == 302
    assert services.deadlines_of(offices["county"])["complaint"] == 4
    assert (
        client.post("/staff/mehran/demands/deadlines/", {**data, "request": 0}).status_code == 400
    )
    assert AuditEvent.objects.filter(action="demands.deadlines").exists()


def test_responder_cannot_change_deadlines(client, offices):
    sign_in(client, make_staff("resp", offices["county"], "responder"))
    assert client.get("/staff/mehran/demands/deadlines/").status_code == 403


def test_staff_desk_links_to_the_inbox_only_for_those_who_may(client, offices):
    sign_in(client, make_staff("resp", offices["county"], "responder"))
    assert b"/staff/mehran/demands/" in client.get("/staff/").content
    client.logout()
    sign_in(client, make_staff("ed", offices["county"], "editor"))
    assert b"/staff/mehran/demands/" not in client.get("/staff/").content


def test_referral_stays_inside_the_province(client, offices):
    from ravabet.network.models import Office

    tehran = Office.objects.create(slug="tehran", kind="directorate", name_fa="روابط عمومی تهران")
    Office.objects.create(slug="rey", kind="county", name_fa="فرمانداری ری", parent=tehran)
    demand = _demand(offices["county"])
    manager = make_staff("boss", offices["county"], "manager")
    sign_in(client, manager)
    page = client.get(f"/staff/mehran/demands/{demand.pk}/").content.decode()
    form = page.split('name="to_office"', 1)[1].split("</select>", 1)[0]
    assert "فرمانداری ری" not in form
    assert offices["district"].name_fa in form
    rey = Office.objects.get(slug="rey")
    response = client.post(
        f"/staff/mehran/demands/{demand.pk}/refer/", {"to_office": rey.pk, "note": "به ری"}
    )
    assert response.status_code == 400
    demand.refresh_from_db()
    assert demand.office == offices["county"]


def test_deadline_settings_show_persian_digits(client, offices):
    sign_in(client, make_staff("boss", offices["county"], "manager"))
    page = client.get("/staff/mehran/demands/deadlines/").content.decode()
    boxes = re.findall(r'<input[^>]*name="(?:question|complaint)"[^>]*>', page)
    assert len(boxes) == 2
    for box in boxes:
        value = re.search(r'value="([^"]*)"', box).group(1)
        assert value and all("۰" <= ch <= "۹" for ch in value), box
    data = {
        "question": "۲",
        "request": "۳",
        "complaint": "۱۲",
        "suggestion": "۵",
        "appreciation": "۱",
    }
    assert client.post("/staff/mehran/demands/deadlines/", data).status_code == 302
    assert services.deadlines_of(offices["county"])["complaint"] == 12
