"""The secretary's desk and an office's "our decisions" list (issue 14, staff side)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ravabet.conftest import make_staff, sign_in
from ravabet.council import models as m
from ravabet.council import selectors
from ravabet.network.models import AuditEvent

from . import pubfactory as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_world(offices):
    gov, roads, county = offices["gov"], offices["agency"], offices["county"]
    c = f.council(offices["root"], name_fa="شورای استان")
    g = f.group(c, gov, name_fa="کارگروه ارزیابی")
    held = f.meeting(c, gov, number=1)
    closed = f.meeting(c, roads, number=2, state=m.MeetingState.CLOSED)
    m.MinutesVersion.objects.create(
        minutes=m.Minutes.objects.create(meeting=closed),
        number=1,
        state=m.MinutesVersion.State.CIRCULATED,
        objection_deadline=f.day(2),
    )
    f.meeting(c, county, number=3, state=m.MeetingState.INVITED, days=4, title="نشست آینده")
    group_meeting = f.meeting(c, gov, number=1, group=g)
    rows = {
        "late_roads": f.decision(held, roads, deadline=-5, text="مصوبه عقب‌افتاده راه"),
        "late_marked": f.decision(held, roads, deadline=-1, status=m.DecisionStatus.OVERDUE),
        "late_group": f.decision(group_meeting, gov, deadline=-2, text="مصوبه عقب‌افتاده کارگروه"),
        "this_week": f.decision(held, roads, deadline=0, text="مصوبه سررسید امروز"),
        "co": f.decision(held, gov, deadline=30, text="مصوبه مشترک"),
        "done": f.decision(held, roads, status=m.DecisionStatus.DONE, done_on=f.day(-1)),
        "left": f.decision(held, county, deadline=20, text="مصوبه دفتر خارج‌شده",
                           responsible_left_at=f.day(-3)),
    }  # fmt: skip
    rows["co"].co_offices.add(roads)
    return {"council": c, **rows}


def test_secretary_desk(client, offices, desk_world):
    sign_in(client, make_staff("dg", offices["root"], "manager"))
    response = client.get("/staff/councils/desk/")
    assert response.status_code == 200
    html = response.content.decode()
    desk = response.context["desk"]
    assert "نشست آینده" in html
    assert [v.minutes.meeting.number for v in desk.awaiting_minutes] == [2]
    by_body = {row.label: row.count for row in desk.overdue_by_body}
    assert by_body == {"شورای استان": 2, "کارگروه ارزیابی": 1}
    by_office = {row.office_id: row.count for row in desk.overdue_by_office}
    assert by_office == {offices["agency"].pk: 2, offices["gov"].pk: 1}
    assert desk.overdue[0] == desk_world["late_roads"]  # the longest overdue first
    assert desk.flagged == [desk_world["left"]]
    assert "مصوبه دفتر خارج‌شده" in html


def test_desk_of_someone_who_manages_no_council(client, offices, desk_world):
    sign_in(client, make_staff("ed", offices["gov"], "editor"))
    response = client.get("/staff/councils/desk/")
    assert response.status_code == 200
    assert "هیچ شورای هماهنگی" in response.content.decode()
    assert not response.context["desk"].overdue


def test_desk_needs_sign_in(client, desk_world):
    assert client.get("/staff/councils/desk/").status_code == 302


def test_office_list(client, offices, desk_world):
    sign_in(client, make_staff("roads-ed", offices["agency"], "editor"))
    today = f.day(0)
    response = client.get(f"/staff/{offices['agency'].slug}/decisions/")
    assert response.status_code == 200
    mine = response.context["mine"]
    assert set(mine.overdue) == {desk_world["late_roads"], desk_world["late_marked"]}
    assert desk_world["this_week"] in mine.this_week
    assert desk_world["co"] in mine.later  # co-responsible
    assert mine.done == [desk_world["done"]]
    assert mine.week_end.weekday() == 4 and today <= mine.week_end < today + timedelta(days=7)
    assert "مصوبه سررسید امروز" in response.content.decode()


def test_office_list_of_another_office_is_refused_and_audited(client, offices, desk_world):
    sign_in(client, make_staff("gov-ed", offices["gov"], "editor"))
    response = client.get(f"/staff/{offices['agency'].slug}/decisions/")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="denied:council.report", allowed=False).exists()


def test_end_of_week_is_friday():
    from datetime import date

    assert selectors.end_of_week(date(2026, 11, 28)) == date(2026, 12, 4)  # Saturday → Friday
    assert selectors.end_of_week(date(2026, 12, 4)) == date(2026, 12, 4)  # Friday itself
