"""Moderators through real HTTP: the queue, decisions, edits, official answers, triage marks."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from ravabet.comments import selectors, services
from ravabet.comments.models import Comment, OfficeCommentSettings, TriageMark
from ravabet.network.models import AuditEvent

pytestmark = pytest.mark.django_db


def make(item, text="نشست خوبی درباره روابط عمومی بود", **fields):
    return Comment.objects.create(
        target_kind="news", target_key=str(item.code), office=item.office, text=text, **fields
    )


@pytest.fixture
def queue_url(offices):
    return f"/staff/{offices['gov'].slug}/comments/"


def test_only_moderators_of_the_office(client, staff_client, offices, queue_url, item):
    assert client.get(queue_url).status_code == 302  # to sign in
    author_client, _ = staff_client("author")
    assert author_client.get(queue_url).status_code == 403
    assert AuditEvent.objects.filter(action="denied:comments.moderate").exists()


def test_sibling_office_moderator_is_refused(staff_client, offices, queue_url):
    c, _ = staff_client("moderator", "agency")
    assert c.get(queue_url).status_code == 403


def test_queue_shows_triage_and_sorts_and_filters(staff_client, queue_url, item):
    plain = make(item)
    rude = make(item, "این مدیر واقعا احمق است")
    services.run_triage(plain.pk)
    services.run_triage(rude.pk)
    untriaged = make(item, "هنوز برچسب ندارد")
    c, _ = staff_client("moderator")
    html = c.get(queue_url + "?sort=triage").content.decode()
    assert html.index("احمق") < html.index("نشست خوبی")
    assert "توهین یا تهمت و افترا" in html and "Insult or slander" not in html
    html = c.get(queue_url + "?label=insult").content.decode()
    assert "احمق" in html and "نشست خوبی" not in html
    html = c.get(queue_url + "?label=untriaged").content.decode()
    assert untriaged.text in html and "احمق" not in html
    html = c.get(queue_url + "?sort=oldest").content.decode()
    assert html.index("نشست خوبی") < html.index("هنوز برچسب")


def test_a_long_queue_is_paged_and_keeps_its_filters(staff_client, queue_url, item):
    from ravabet.comments.staff_views import QUEUE_PAGE

    Comment.objects.bulk_create(
        Comment(
            target_kind="news",
            target_key=str(item.code),
            office=item.office,
            text=f"نظر شماره {n} درباره نشست",
        )
        for n in range(QUEUE_PAGE + 7)
    )
    c, _ = staff_client("moderator")
    first = c.get(queue_url + "?sort=oldest").content.decode()
    assert first.count('name="ids"') == QUEUE_PAGE
    assert "نظر شماره 0 درباره" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert "sort=oldest" in first.split('rel="next"')[0].rsplit("href=", 1)[1]
    second = c.get(queue_url + "?sort=oldest&page=2").content.decode()
    assert second.count('name="ids"') == 7 and 'rel="prev"' in second and 'rel="next"' not in second
    assert f"نظر شماره {QUEUE_PAGE + 6} درباره" in second
    assert c.get(queue_url + "?page=abc").status_code == 200  # a bad page number is page 1


def test_reported_comments_come_back_to_moderators_and_rejecting_unpublishes(
    client, staff_client, queue_url, item
):
    calm = make(item, "نظر آرام درباره نشست", status=Comment.Status.PUBLISHED)
    disputed = make(item, "نظری که خوانندگان گزارش کردند", status=Comment.Status.PUBLISHED)
    for reader in ("r1", "r2"):
        assert services.report(disputed, reader)
    assert services.report(calm, "r3")
    c, _ = staff_client("moderator")
    page = c.get(queue_url).content.decode()
    assert "?status=reported" in page  # the count links to the queue of reported comments
    reported = c.get(queue_url + "?status=reported").content.decode()
    assert reported.index("نظری که خوانندگان") < reported.index("نظر آرام")  # most reported first
    response = c.post(
        queue_url + "?status=reported", {"action": "reject", "ids": [disputed.pk], "note": "تهمت"}
    )
    assert response.status_code == 302
    assert "نظری که خوانندگان" not in client.get(item.get_absolute_url()).content.decode()
    assert "نظری که خوانندگان" not in c.get(queue_url + "?status=reported").content.decode()


def test_bulk_approve_and_reject_with_reason(staff_client, queue_url, item):
    a, b, d = make(item, "یک"), make(item, "دو"), make(item, "سه")
    c, user = staff_client("moderator")
    response = c.post(queue_url, {"action": "approve", "ids": [a.pk, b.pk]})
    assert response.status_code == 302
    response = c.post(queue_url, {"action": "reject", "ids": [d.pk], "reason": "off_topic"})
    assert response.status_code == 302
    statuses = dict(Comment.objects.values_list("text", "status"))
    assert statuses == {"یک": "published", "دو": "published", "سه": "rejected"}
    assert Comment.objects.get(text="سه").reject_reason == "off_topic"
    assert AuditEvent.objects.filter(action="comments.approve", actor=user).count() == 2
    assert AuditEvent.objects.filter(action="comments.reject", actor=user).count() == 1


def test_reject_needs_a_reason_and_free_text_works(staff_client, queue_url, item):
    row = make(item)
    c, _ = staff_client("moderator")
    response = c.post(queue_url, {"action": "reject", "ids": [row.pk]})
    assert response.status_code == 422
    assert "دلیل رد را بگویید" in response.content.decode()
    assert Comment.objects.get().status == "pending"
    c.post(queue_url, {"action": "reject", "ids": [row.pk], "note": "تکراری است"})
    row.refresh_from_db()
    assert (row.status, row.reject_note) == ("rejected", "تکراری است")


def test_nothing_selected_is_a_clear_400(staff_client, queue_url, item):
    c, _ = staff_client("moderator")
    response = c.post(queue_url, {"action": "approve"})
    assert response.status_code == 400


def test_comments_of_other_offices_cannot_be_decided_here(staff_client, queue_url, publish, item):
    other_item = publish(office_key="agency", title="خبر راه")
    foreign = make(other_item)
    c, _ = staff_client("moderator")
    assert c.post(queue_url, {"action": "approve", "ids": [foreign.pk]}).status_code == 400
    assert Comment.objects.get().status == "pending"


def test_edit_before_publish_is_recorded(staff_client, offices, item):
    row = make(item, "متن با غلط املایی")
    c, _user = staff_client("moderator")
    url = f"/staff/{offices['gov'].slug}/comments/{row.pk}/"
    assert c.post(url, {"op": "edit", "edit-text": "متن درست"}).status_code == 302
    row.refresh_from_db()
    assert (row.text, row.original_text, row.edited) == ("متن درست", "متن با غلط املایی", True)
    event = AuditEvent.objects.get(action="comments.edit")
    assert event.changes["text"] == ["متن با غلط املایی", "متن درست"]


def test_reply_as_office_is_shown_marked(client, staff_client, offices, item):
    row = make(item, status="published")
    c, _user = staff_client("moderator")
    url = f"/staff/{offices['gov'].slug}/comments/{row.pk}/"
    assert c.post(url, {"op": "reply", "reply-text": "پیگیری شد؛ سپاس از شما"}).status_code == 302
    reply = Comment.objects.get(is_official=True)
    assert reply.parent == row and reply.status == "published"
    c.logout()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "پیگیری شد" in page
    assert "پاسخ رسمی" in page and offices["gov"].name_fa in page
    figures = selectors.responsiveness(offices["gov"])
    assert figures["answered_share"] == 100


def test_cannot_reply_to_pending(staff_client, offices, item):
    row = make(item)
    c, _ = staff_client("moderator")
    url = f"/staff/{offices['gov'].slug}/comments/{row.pk}/"
    response = c.post(url, {"op": "reply", "reply-text": "پاسخ"})
    assert response.status_code == 422
    assert not Comment.objects.filter(is_official=True).exists()


def test_mark_label_wrong_is_kept(staff_client, offices, item):
    row = make(item, "این گزارش درباره الاغ‌های وحشی است")  # a wrong label: the animal
    services.run_triage(row.pk)
    row.refresh_from_db()
    assert "insult" in row.triage
    c, user = staff_client("moderator")
    url = f"/staff/{offices['gov'].slug}/comments/{row.pk}/"
    assert c.post(url, {"op": "wrong", "label": "insult"}).status_code == 302
    assert c.post(url, {"op": "wrong", "label": "insult"}).status_code == 302
    mark = TriageMark.objects.get()
    assert (mark.label, mark.moderator, mark.text) == ("insult", user, row.text)
    assert mark.confidence == row.triage["insult"]


def test_auto_reject_only_clearest_when_enabled(staff_client, offices, item):
    clear = make(item, "کد ملی من ۰۰۱۲۳۴۵۶۷۹ است")  # a valid check digit
    unsure = make(item, "این مدیر واقعا احمق است")
    services.run_triage(clear.pk)
    clear.refresh_from_db()
    assert clear.status == "pending"  # the setting is off by default
    c, _ = staff_client("moderator")
    c.post(f"/staff/{offices['gov'].slug}/comments/settings/", {"auto_reject": "on"})
    assert OfficeCommentSettings.objects.get(office=offices["gov"]).auto_reject
    services.run_triage(clear.pk)
    services.run_triage(unsure.pk)
    clear.refresh_from_db()
    unsure.refresh_from_db()
    assert (clear.status, clear.reject_reason, clear.decided_automatically) == (
        "rejected",
        "personal_data",
        True,
    )
    assert unsure.status == "pending"


def test_responsiveness_times(offices, item, people):
    from datetime import timedelta

    from django.utils import timezone

    moderator = people["editor"]
    row = make(item)
    Comment.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=3))
    row.refresh_from_db()
    services.approve(moderator, [row])
    figures = selectors.responsiveness(offices["gov"])
    assert figures["decided"] == 1 and 2.9 <= figures["median_hours"] <= 3.1
    assert figures["answered_share"] == 0


# The worker closes connections it finds inside a transaction (PostgreSQL): run this test in
# autocommit mode, as the worker runs in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_submission_enqueues_triage_and_db_worker_runs_it(
    client, comment_form, submit_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url, comment_form(text="salam chera javab nemidid"))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.triaged_at is None
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    comment.refresh_from_db()
    assert "not_persian" in comment.triage and comment.triaged_at is not None


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_immediate_backend_triages_on_submit(
    client, comment_form, submit_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(submit_url, comment_form(text="برای خرید فالوور ارزان به www.example.ir بروید"))
    assert "spam" in Comment.objects.get().triage


def test_triage_failure_loses_nothing(
    client, comment_form, submit_url, django_capture_on_commit_callbacks
):
    with (
        override_settings(TASKS={"default": {"BACKEND": "no.such.Backend"}}),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(submit_url, comment_form(text="نظر من درباره نشست"))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == "pending" and comment.triaged_at is None


def test_marks_export_as_json_lines(item, people):
    import io
    import json

    row = make(item, "مسئول این کار دزد نیست ولی کند است")
    services.run_triage(row.pk)
    row.refresh_from_db()
    services.mark_label_wrong(people["editor"], row, "insult")
    out = io.StringIO()
    call_command("export_triage_marks", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {
            "label": "insult",
            "confidence": row.triage["insult"],
            "text": row.text,
            "target": f"news:{item.code}",
            "marked_at": lines[0]["marked_at"],
        }
    ]
