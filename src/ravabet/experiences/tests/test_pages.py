"""The staff pages, through the Django test client: the form keeps what was typed, errors are
Persian and name their field, the workflow buttons work without JavaScript."""

from __future__ import annotations

import pytest

from ravabet.experiences.models import Experience

pytestmark = pytest.mark.django_db

FORM = {
    "title": "میز خبر نمایشگاه",
    "kind": "event",
    "period_start": "۱۴۰۵/۰۲/۱۰",
    "situation": "نمایشگاه کتاب یک هفته برپا بود.",
    "goal": "پوشش روزانه.",
    "steps": "میز خبر در ورودی\nبولتن روزانه",
    "results": "گزارش هر روز.",
    "lessons": "فهرست خبرنگاران را زودتر بفرستید | خبرنگاران، رویداد",
    "contact_name": "دبیر خبر",
}


def test_write_submit_through_the_pages(offices, people, signed_in):
    client = signed_in(people["author"])
    response = client.post(f"/staff/experiences/new/{offices['county'].slug}/", FORM)
    assert response.status_code == 302, response.content.decode()[:3000]
    item = Experience.objects.get()
    assert [lesson.text for lesson in item.lessons.all()] == ["فهرست خبرنگاران را زودتر بفرستید"]
    assert {t.name for t in item.lessons.get().tags.all()} == {"خبرنگاران", "رویداد"}
    assert item.steps.count() == 2 and item.year == 1405
    response = client.post(f"/experiences/{item.pk}/submit/", follow=True)
    assert "تجربه‌نگاری برای بازبینی فرستاده شد." in response.content.decode()
    item.refresh_from_db()
    assert item.status == "submitted"


def test_a_bad_date_keeps_the_form_and_names_the_field(offices, people, signed_in):
    client = signed_in(people["author"])
    response = client.post(
        f"/staff/experiences/new/{offices['county'].slug}/", {**FORM, "period_start": "۱۴۰۵/۱۳/۱"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "تاریخ شمسی نیست" in page and "دوره (از)" in page
    assert "میز خبر نمایشگاه" in page  # what was typed is kept


def test_news_evidence_must_be_the_offices_own(offices, people, signed_in):
    client = signed_in(people["author"])
    response = client.post(
        f"/staff/experiences/new/{offices['county'].slug}/", {**FORM, "news_codes": "۹۹۹۹"}
    )
    assert response.status_code == 422
    assert "خبر منتشرشده این دستگاه نیستند" in response.content.decode()


def test_another_offices_staff_cannot_write_for_it(offices, people, signed_in):
    client = signed_in(people["other"])
    response = client.post(f"/staff/experiences/new/{offices['county'].slug}/", FORM)
    assert response.status_code == 403
    assert not Experience.objects.exists()


def test_the_english_pages(published, client):
    page = client.get("/en/experiences/").content.decode()
    assert "Experience write-ups" in page and "Crisis communication" in page
    detail = client.get(f"/en/experiences/{published.pk}/").content.decode()
    assert "What was done" in detail and "Lessons" in detail


def test_search_labels_stay_persian_when_published_from_an_english_page(published):
    from django.utils.translation import override

    from ravabet.experiences import search_feed

    with override("en"):
        docs = search_feed.documents(published)
    assert docs[0].group_title == "ارتباطات بحران"


def test_a_drafts_page_names_what_is_still_empty(offices, people, signed_in):
    from ravabet.experiences import services

    from .conftest import complete_data

    item = services.create(people["author"], offices["county"], complete_data(goal=""))
    page = signed_in(people["author"]).get(f"/experiences/{item.pk}/").content.decode()
    assert "پیش از ارسال، این بخش‌ها را پر کنید" in page
    assert "هدف" in page.split("پیش از ارسال")[1].split("</p>")[0]
