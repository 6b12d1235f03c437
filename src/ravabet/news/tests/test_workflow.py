"""The newsroom workflow through real HTTP: write, review, schedule, publish, unpublish, revise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ravabet.conftest import sign_in
from ravabet.network.jalali import format_datetime
from ravabet.network.models import AuditEvent
from ravabet.news import services
from ravabet.news.models import NewsItem, Revision

pytestmark = pytest.mark.django_db

FORM = {
    "title": "برگزاری نشست كارگروه آموزش",  # Arabic kāf on purpose
    "over_title": "",
    "lead": "لید",
    "body": "<p>متن</p><script>alert(1)</script>",
    "tags": "آموزش، روابط عمومی",
    "language": "fa",
    "source_line": "",
}


def test_author_writes_editor_publishes(client, people, offices):
    sign_in(client, people["author"])
    response = client.post(f"/staff/{offices['gov'].slug}/news/new/", FORM)
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.title == "برگزاری نشست کارگروه آموزش"  # normalised
    assert "<script" not in item.body and "متن" in item.body
    assert item.status == "draft" and item.code > 1000
    assert sorted(t.name for t in item.tags.all()) == ["آموزش", "روابط عمومی"]
    assert client.post(f"/staff/news/{item.code}/step/", {"step": "submit"}).status_code == 302
    # the author may not publish: 403, and the refusal is audited
    assert client.post(f"/staff/news/{item.code}/step/", {"step": "publish"}).status_code == 403
    assert AuditEvent.objects.filter(action="denied:news.publish", allowed=False).exists()
    client.post("/accounts/logout/")
    sign_in(client, people["editor"])
    response = client.post(f"/staff/news/{item.code}/step/", {"step": "publish", "publish_at": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "published" and item.published_at is not None
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    assert format_datetime(item.published_at) in page.content.decode()
    actions = list(
        AuditEvent.objects.filter(object_id=str(item.pk)).values_list("action", flat=True)
    )
    for action in ("news.create", "news.submit", "news.publish"):
        assert action in actions


def test_codes_are_sequential(people, offices):
    data = services.NewsData(title="یک")
    first = services.create_news(people["editor"], offices["gov"], data)
    second = services.create_news(people["editor"], offices["gov"], data)
    assert second.code == first.code + 1


def test_schedule_in_the_past_is_refused_with_a_clear_message(client, people, offices):
    item = services.create_news(people["editor"], offices["gov"], services.NewsData(title="خبر"))
    sign_in(client, people["editor"])
    response = client.post(
        f"/staff/news/{item.code}/step/", {"step": "publish", "publish_at": "1400/01/01 10:00"}
    )
    assert response.status_code == 422
    assert "گذشته" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "draft"
    response = client.post(
        f"/staff/news/{item.code}/step/", {"step": "publish", "publish_at": "not a date"}
    )
    assert response.status_code == 422


def test_scheduled_item_appears_when_its_time_comes(client, people, offices):
    item = services.create_news(people["editor"], offices["gov"], services.NewsData(title="آینده"))
    at = timezone.now() + timedelta(hours=2)
    services.publish(people["editor"], item, at)
    assert item.status == "scheduled"
    assert client.get(f"/news/{item.code}/").status_code == 404
    from ravabet.network import versioning
    from ravabet.network.models import Stamp
    from ravabet.news.pagecache import PAGES

    # the cache knows when to look again
    assert versioning.read(PAGES)[1] == at.replace(microsecond=0)
    past = timezone.now() - timedelta(seconds=1)
    NewsItem.objects.filter(pk=item.pk).update(publish_at=past)
    Stamp.objects.filter(name=PAGES).update(due=past)
    # Publishing is the scheduler's job (`ravabet scheduler`), not a reader's request's.
    from ravabet.network import scheduler

    scheduler.run_job("ravabet.news.pagecache.publish_if_due")
    assert client.get(f"/news/{item.code}/", follow=True).status_code == 200
    item.refresh_from_db()
    assert item.status == "published"


def test_sibling_office_editor_cannot_touch(client, people, publish):
    item = publish()
    sign_in(client, people["sibling_editor"])
    assert client.get(f"/staff/news/{item.code}/").status_code == 403
    assert client.post(f"/staff/news/{item.code}/step/", {"step": "unpublish"}).status_code == 403
    item.refresh_from_db()
    assert item.status == "published"


def test_manager_of_parent_unpublishes(client, people, publish):
    item = publish()
    sign_in(client, people["manager"])
    assert client.post(f"/staff/news/{item.code}/step/", {"step": "unpublish"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "unpublished"
    assert client.get(item.get_absolute_url()).status_code == 404


def test_every_save_is_a_revision_and_restore_works(client, people, publish):
    item = publish(title="عنوان نخست")
    sign_in(client, people["editor"])
    form = dict(FORM, title="عنوان دوم", body="متن دوم")
    assert client.post(f"/staff/news/{item.code}/", form).status_code == 302
    assert Revision.objects.filter(news=item).count() == 2
    page = client.get(f"/staff/news/{item.code}/revisions/?a=1&b=2")
    assert page.status_code == 200
    text = page.content.decode()
    # Word by word: the shared word stays plain, only the changed word is struck and added.
    assert 'عنوان <del class="diff">نخست</del><ins class="diff">دوم</ins>' in text
    assert client.post(f"/staff/news/{item.code}/revisions/1/restore/").status_code == 302
    item.refresh_from_db()
    assert item.title == "عنوان نخست"
    assert Revision.objects.filter(news=item).count() == 3


def test_invalid_form_keeps_what_was_typed(client, people, offices):
    sign_in(client, people["author"])
    response = client.post(
        f"/staff/{offices['gov'].slug}/news/new/", dict(FORM, title="", lead="لید نگه‌داشته")
    )
    assert response.status_code == 422
    assert "لید نگه‌داشته" in response.content.decode()
    assert NewsItem.objects.count() == 0


def test_desk_lists_drafts_review_and_scheduled(client, people, offices):
    services.create_news(people["author"], offices["gov"], services.NewsData(title="پیش‌نویس من"))
    sign_in(client, people["author"])
    page = client.get(f"/staff/{offices['gov'].slug}/news/")
    assert page.status_code == 200
    assert "پیش‌نویس من" in page.content.decode()


def test_revision_diff_compares_words_and_names_people(client, people, publish):
    item = publish(title="نشست", body="<p>کارگروه رسانه امروز برنامه امسال را بررسی کرد.</p>")
    people["editor"].first_name, people["editor"].last_name = "مریم", "کریمی"
    people["editor"].save(update_fields=["first_name", "last_name"])
    sign_in(client, people["editor"])
    body = "کارگروه رسانه دیروز برنامه امسال را بررسی کرد."
    assert (
        client.post(f"/staff/news/{item.code}/", dict(FORM, title="نشست", body=body)).status_code
        == 302
    )
    text = client.get(f"/staff/news/{item.code}/revisions/?a=1&b=2").content.decode()
    assert '<del class="diff">امروز</del><ins class="diff">دیروز</ins>' in text
    assert '<del class="diff">کارگروه' not in text  # not the whole line
    assert "مریم کریمی" in text  # the reviser by full name, not "editor"
    assert "۱ ← " in text  # Persian digits, the arrow pointing the way RTL text reads
    desk = client.get(f"/staff/{item.office.slug}/news/").content.decode()
    assert "مریم کریمی" in desk  # the desk's author column: a name, not "editor1"
    assert "<bdi>editor1</bdi>" not in desk
