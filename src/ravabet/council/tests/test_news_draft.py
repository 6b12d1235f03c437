"""One click turns a held public meeting into a draft news item for the host office's newsroom
(issue 14): prefilled from the public minutes, a draft (normal review), audited, once."""

from __future__ import annotations

import pytest

from ravabet.conftest import make_staff, sign_in
from ravabet.council import models as m
from ravabet.council import services_public
from ravabet.network.models import AuditEvent
from ravabet.news.models import NewsItem

from . import pubfactory as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def held(offices):
    district = offices["district"]
    c = f.council(offices["county"], name_fa="شورای هماهنگی روابط عمومی بخشداری‌ها")
    meeting = f.meeting(c, district, number=1, place="سالن جلسات بخشداری صالح‌آباد")
    f.approved_minutes(
        meeting,
        "بر هم‌افزایی و تجربه‌نگاری تأکید شد.",
        {"تشکیل کارگروه‌ها": "شش کارگروه تخصصی تشکیل شد."},
    )
    m.Attendance.objects.create(meeting=meeting, office=offices["county"], status="present")
    m.Attendance.objects.create(meeting=meeting, office=district, status="absent")
    f.decision(meeting, district, number=1, text="ثبت تجربه‌ها در سامانه")
    f.decision(meeting, district, number=2, text="مصوبه محرمانه", public=False)
    return meeting


def test_compose_follows_seed_004(held):
    data = services_public.compose(held)
    assert data.title == ("بخشداری صالح‌آباد؛ میزبان اولین نشست شورای هماهنگی روابط عمومی بخشداری‌ها")
    assert "به میزبانی بخشداری صالح‌آباد برگزار شد" in data.lead
    assert "جلسه شماره ۱" in data.lead
    assert "فرمانداری مهران" in data.body  # present
    assert "بر هم‌افزایی و تجربه‌نگاری تأکید شد." in data.body
    assert "شش کارگروه تخصصی تشکیل شد." in data.body
    assert "ثبت تجربه‌ها در سامانه" in data.body
    assert "مصوبه محرمانه" not in data.body
    assert data.body.rstrip().endswith("انتهای پیام/</p>")


def test_one_click_makes_a_draft_once(client, offices, held):
    editor = make_staff("district-ed", offices["district"], "editor")
    sign_in(client, editor)
    response = client.post(f"/staff/councils/meetings/{held.pk}/news/")
    item = NewsItem.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/news/{item.code}/")
    assert item.status == NewsItem.Status.DRAFT and item.office == offices["district"]
    assert item.author == editor and "اولین نشست" in item.title
    event = AuditEvent.objects.get(action="council.news_draft")
    assert event.changes["news_code"] == item.code and event.object_id == str(held.pk)
    assert AuditEvent.objects.get(action="news.create").changes["origin"] == (
        f"council.meeting:{held.pk}"
    )
    again = client.post(f"/staff/councils/meetings/{held.pk}/news/", follow=True)
    assert again.status_code == 200 and NewsItem.objects.count() == 1
    assert "پیش‌تر" in again.content.decode()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"state": m.MeetingState.INVITED}, "برگزارشده"),
        ({"is_public": False}, "داخلی"),
    ],
)
def test_refused_for_an_unheld_or_internal_meeting(client, offices, held, change, words):
    m.Meeting.objects.filter(pk=held.pk).update(**change)
    sign_in(client, make_staff("district-ed", offices["district"], "editor"))
    response = client.post(f"/staff/councils/meetings/{held.pk}/news/")
    assert response.status_code == 409
    assert words in response.content.decode()
    assert not NewsItem.objects.exists()


def test_refused_without_news_rights_at_the_host(client, offices, held):
    sign_in(client, make_staff("roads-ed", offices["agency"], "editor"))
    response = client.post(f"/staff/councils/meetings/{held.pk}/news/")
    assert response.status_code == 403
    assert not NewsItem.objects.exists()
    assert AuditEvent.objects.filter(action="denied:news.write", allowed=False).exists()


def test_only_post(client, offices, held):
    sign_in(client, make_staff("district-ed", offices["district"], "editor"))
    assert client.get(f"/staff/councils/meetings/{held.pk}/news/").status_code == 405
    assert client.post("/staff/councils/meetings/999999/news/").status_code == 404


@pytest.mark.parametrize(("number", "word"), [(1, "اولین"), (12, "دوازدهمین"), (20, "بیستمین")])
def test_ordinals(number, word):
    assert services_public.ordinal(number) == word


def test_late_meetings_by_number(offices):
    c = f.council(offices["root"])
    meeting = f.meeting(c, offices["gov"], number=23)
    assert "جلسه شماره ۲۳" in services_public.compose(meeting).title
