"""Issue 11 in the newsroom: no lost updates, safe revision numbers, honest translations, the
"own draft" rule for every staff read, and the workflow steps that had no test."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from ravabet.conftest import make_staff, sign_in
from ravabet.network.models import AuditEvent
from ravabet.network.permissions import Action, may, reach
from ravabet.network.text import to_persian_digits
from ravabet.news import search_feed, services, viewcounts
from ravabet.news.models import NewsItem, Revision
from ravabet.search import selectors as search
from ravabet.search.services import index_document

from .conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

FORM = {
    "title": "عنوان ویرایش‌شده",
    "over_title": "",
    "lead": "لید",
    "body": "متن",
    "tags": "",
    "language": "fa",
    "source_line": "",
}


def _draft(people, offices, who="author", title="پیش‌نویس"):
    return services.create_news(people[who], offices["gov"], services.NewsData(title=title))


# --- item 3: whole-row saves ------------------------------------------------------------------


def test_editing_keeps_views_flushed_meanwhile(client, people, publish):
    item = publish()
    sign_in(client, people["editor"])
    stale = NewsItem.objects.get(pk=item.pk)  # what a request loads before the flush
    for _ in range(5):
        viewcounts.count_view(item.code)
    assert viewcounts.flush() == 5
    services.update_news(people["editor"], stale, services.NewsData(title="عنوان تازه"))
    item.refresh_from_db()
    assert (item.title, item.view_count) == ("عنوان تازه", 5)
    # And through the staff form.
    for _ in range(2):
        viewcounts.count_view(item.code)
    viewcounts.flush()
    response = client.post(f"/staff/news/{item.code}/", {**FORM, "title": "از فرم"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.view_count) == ("از فرم", 7)


def test_workflow_steps_keep_votes_cast_meanwhile(people, publish):
    item = publish()
    stale = NewsItem.objects.get(pk=item.pk)
    assert services.vote(item, "reader-1", True, "address-1")
    assert services.vote(item, "reader-2", False, "address-2")
    services.unpublish(people["editor"], stale)
    item.refresh_from_db()
    assert (item.status, item.useful_yes, item.useful_no) == ("unpublished", 1, 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only")
def test_concurrent_revisions_number_in_turn(people, offices, monkeypatch):
    """Six writers at once, each reading the last number and then (a little later) inserting the
    next: without the item's row lock they take the same number and all but one fail."""
    import time

    from django.db import connections, transaction

    item = _draft(people, offices, "editor")
    real_create = Revision.objects.create

    def slow_create(**fields):
        time.sleep(0.2)  # widen the gap between reading the last number and inserting
        return real_create(**fields)

    monkeypatch.setattr(Revision.objects, "create", slow_create)
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def revise(n: int) -> None:
        try:
            barrier.wait()
            if n % 2:
                services.update_news(
                    people["editor"],
                    NewsItem.objects.get(pk=item.pk),
                    services.NewsData(title=f"ویرایش {n}"),
                )
            else:
                with transaction.atomic():
                    services._revise(NewsItem.objects.get(pk=item.pk), people["editor"], "")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection, so the database can be reset

    threads = [threading.Thread(target=revise, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Revision.objects.filter(news=item).values_list("number", flat=True))
    assert numbers == list(range(1, 8))


# --- items 4 and 15: translations ---------------------------------------------------------------


def test_a_second_english_version_is_a_clear_form_error(client, people, publish):
    original = publish()
    first = publish(title="Council meeting", language="en")
    services.update_news(
        people["editor"],
        first,
        services.NewsData(title="Council meeting", language="en", translation_of=original),
    )
    second = publish(title="The council met", language="en")
    sign_in(client, people["editor"])
    response = client.post(
        f"/staff/news/{second.code}/",
        {**FORM, "title": "The council met", "language": "en", "translation_of": original.code},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f"خبر {to_persian_digits(str(original.code))} پیش‌تر ترجمه‌ای دارد" in html
    second.refresh_from_db()
    assert second.translation_of_id is None
    english = client.post(
        f"/en/staff/news/{second.code}/",
        {**FORM, "title": "The council met", "language": "en", "translation_of": original.code},
    )
    assert english.status_code == 422
    assert "already has a translation" in english.content.decode()


def test_a_second_translation_through_the_service_is_refused(people, publish):
    original = publish()
    services.create_news(
        people["editor"],
        original.office,
        services.NewsData(title="One", language="en", translation_of=original),
    )
    with pytest.raises(ValidationError) as refused:
        services.create_news(
            people["editor"],
            original.office,
            services.NewsData(title="Two", language="en", translation_of=original),
        )
    assert refused.value.code == "translation_taken"


def test_no_translation_of_another_offices_item(client, people, offices, publish):
    theirs = publish(office_key="agency")  # an item of a sibling office
    mine = _draft(people, offices)
    sign_in(client, people["author"])
    response = client.post(
        f"/staff/news/{mine.code}/",
        {**FORM, "language": "en", "translation_of": theirs.code},
    )
    assert response.status_code == 422
    code = to_persian_digits(str(theirs.code))
    assert f"شما اجازه ویرایش خبر {code} را ندارید" in response.content.decode()
    mine.refresh_from_db()
    assert mine.translation_of_id is None
    assert not NewsItem.objects.filter(translation_of=theirs).exists()


# --- items 6 and 18: the own-draft rule for every staff read --------------------------------------


@pytest.fixture
def colleague(offices):
    return make_staff("author2", offices["gov"], "author")


def test_an_author_cannot_open_or_edit_a_colleagues_draft(client, people, offices, colleague):
    draft = _draft(people, offices)
    photo = services.add_photo(people["author"], draft, upload(jpeg_bytes()), "عکس")
    sign_in(client, colleague)
    for url in (
        f"/staff/news/{draft.code}/",
        f"/staff/news/{draft.code}/revisions/",
        f"/staff/news/{draft.code}/revisions/?a=1&b=1",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/staff/news/{draft.code}/", FORM).status_code == 403
    assert client.post(f"/staff/news/{draft.code}/step/", {"step": "submit"}).status_code == 403
    assert client.post(f"/staff/news/photos/{photo.pk}/delete/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_news(colleague, draft, services.NewsData(title="ربوده"))
    draft.refresh_from_db()
    assert draft.title == "پیش‌نویس" and draft.photos.count() == 1
    # Every refusal is audited; repeats of one refusal count on its first row (record_refusal).
    refusals = AuditEvent.objects.filter(actor=colleague, allowed=False)
    assert sum(refusals.values_list("repeats", flat=True)) >= 6
    # The author and an editor of the office still read it, and the editor edits it.
    sign_in(client, people["author"])
    assert client.get(f"/staff/news/{draft.code}/revisions/").status_code == 200
    sign_in(client, people["editor"])
    assert client.get(f"/staff/news/{draft.code}/revisions/").status_code == 200
    assert client.post(f"/staff/news/{draft.code}/", FORM).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "عنوان ویرایش‌شده"


def test_search_shows_an_author_their_drafts_and_not_a_colleagues(people, offices, colleague):
    mine = _draft(people, offices, title="پیش‌نویس سیلاب")
    theirs = services.create_news(colleague, offices["gov"], services.NewsData(title="سیلاب دوم"))
    for item in (mine, theirs):
        index_document(search_feed.document(item))
    found = {r.key for r in search.search("سیلاب", user=people["author"]).results}
    assert found == {str(mine.pk)}
    found = {r.key for r in search.search("سیلاب", user=people["editor"]).results}
    assert found == {str(mine.pk), str(theirs.pk)}


def test_desk_lists_only_what_the_user_may_read(client, people, offices, colleague):
    theirs = services.create_news(colleague, offices["gov"], services.NewsData(title="نوشته همکار"))
    services.submit_for_review(colleague, theirs)
    sign_in(client, people["author"])
    assert "نوشته همکار" not in client.get(f"/staff/{offices['gov'].slug}/news/").content.decode()
    sign_in(client, people["editor"])
    assert "نوشته همکار" in client.get(f"/staff/{offices['gov'].slug}/news/").content.decode()


def test_the_queryset_rule_and_may_agree(people, offices, colleague, publish):
    items = [
        _draft(people, offices),
        services.create_news(colleague, offices["gov"], services.NewsData(title="همکار")),
        publish(),
        publish(office_key="agency"),
    ]
    for user in (people["author"], colleague, people["editor"], people["sibling_editor"]):
        rule = reach(user, Action.NEWS_READ_ANY).q()
        listed = set(NewsItem.objects.filter(rule).values_list("pk", flat=True))
        allowed = {i.pk for i in items if may(user, Action.NEWS_READ_ANY, i)}
        assert listed == allowed, user


# --- steps that had no test ---------------------------------------------------------------------


def test_send_back_returns_a_draft_to_its_author(client, people, offices):
    draft = _draft(people, offices)
    services.submit_for_review(people["author"], draft)
    sign_in(client, people["editor"])
    response = client.post(
        f"/staff/news/{draft.code}/step/", {"step": "send_back", "note": "منبع را بنویسید"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"
    event = AuditEvent.objects.get(action="news.send_back")
    assert event.changes["note"] == [None, "منبع را بنویسید"]
    # The author may edit it again; an author may not send back.
    services.update_news(people["author"], draft, services.NewsData(title="با منبع"))
    services.submit_for_review(people["author"], draft)
    with pytest.raises(PermissionDenied):
        services.send_back(people["author"], draft)


def test_remove_photo_picks_a_new_main_photo_and_deletes_the_files(
    client, people, publish, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    item = publish()
    first = services.add_photo(people["editor"], item, upload(jpeg_bytes()), "یک")
    second = services.add_photo(people["editor"], item, upload(jpeg_bytes()), "دو")
    item.refresh_from_db()
    assert item.main_photo_id == first.pk
    names = [first.image.name, *first.renditions.values()]
    sign_in(client, people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/news/photos/{first.pk}/delete/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.main_photo_id == second.pk
    assert not any(default_storage.exists(name) for name in names)


def test_restoring_a_revision_of_another_item_is_refused(client, people, offices):
    one = _draft(people, offices, "editor", "یک")
    other = _draft(people, offices, "editor", "دو")
    foreign = other.revisions.get()
    with pytest.raises(ValidationError):
        services.restore_revision(people["editor"], one, foreign)
    sign_in(client, people["editor"])
    # Over HTTP a revision is found through its own item only: number 2 of `one` is not there.
    assert client.post(f"/staff/news/{one.code}/revisions/2/restore/").status_code == 404
    one.refresh_from_db()
    assert one.title == "یک"
