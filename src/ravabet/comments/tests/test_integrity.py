"""Issue 11 in the comments app: decisions write only their own columns, lock then check, read a
fixed number of rows whatever the number of comments, and work from a comment's own page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ravabet.comments import selectors, services
from ravabet.comments.models import Comment
from ravabet.conftest import make_staff
from ravabet.network.models import AuditEvent

pytestmark = pytest.mark.django_db


def make(item, text="نشست خوبی درباره روابط عمومی بود", **fields):
    return Comment.objects.create(
        target_kind="news", target_key=str(item.code), office=item.office, text=text, **fields
    )


@pytest.fixture
def moderator(offices):
    return make_staff("moderator-x", offices["gov"], "moderator")


def _selects(ctx: CaptureQueriesContext) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT"))


# --- whole-row saves ------------------------------------------------------------------------------


def test_approving_keeps_the_triage_labels_written_meanwhile(item, moderator):
    comment = make(item, "این مدیر واقعا احمق است")
    stale = Comment.objects.get(pk=comment.pk)  # what the queue page loaded
    services.run_triage(comment.pk)  # the background task finishes in between
    assert services.approve(moderator, [stale]) == 1
    comment.refresh_from_db()
    assert comment.status == "published"
    assert "insult" in comment.triage and comment.triaged_at is not None


def test_rejecting_keeps_likes_and_reports_counted_meanwhile(item, moderator):
    comment = make(item, status=Comment.Status.PUBLISHED)
    stale = Comment.objects.get(pk=comment.pk)
    assert services.vote(comment, "reader-1", like=True)
    assert services.report(comment, "reader-2")
    assert services.reject(moderator, [stale], reason="off_topic") == 1
    comment.refresh_from_db()
    assert (comment.status, comment.likes, comment.reports) == ("rejected", 1, 1)


def test_edit_keeps_counts_and_labels(item, moderator):
    comment = make(item, status=Comment.Status.PUBLISHED)
    stale = Comment.objects.get(pk=comment.pk)
    services.vote(comment, "reader-1", like=False)
    services.edit(moderator, stale, "متن ویراسته درباره نشست")
    comment.refresh_from_db()
    assert (comment.text, comment.dislikes, comment.original_text) == (
        "متن ویراسته درباره نشست",
        1,
        "نشست خوبی درباره روابط عمومی بود",
    )


# --- lock-then-check ------------------------------------------------------------------------------


def test_the_permission_is_asked_of_the_locked_row(item, offices, moderator):
    """A comment moved to another office after the page loaded it: the check sees the move."""
    comment = make(item)
    stale = Comment.objects.select_related("office").get(pk=comment.pk)
    Comment.objects.filter(pk=comment.pk).update(office=offices["agency"])
    with pytest.raises(PermissionDenied):
        services.approve(moderator, [stale])
    with pytest.raises(PermissionDenied):
        services.edit(moderator, stale, "ویرایش")
    comment.refresh_from_db()
    assert comment.status == "pending" and comment.text == "نشست خوبی درباره روابط عمومی بود"
    # Each refusal is audited although its transaction rolled back (the same refusal again
    # within minutes counts on the first row: network.services.record_refusal).
    refusals = AuditEvent.objects.filter(actor=moderator, allowed=False)
    assert sum(refusals.values_list("repeats", flat=True)) == 2


# --- N+1 queries ----------------------------------------------------------------------------------


def test_approving_reads_a_fixed_number_of_rows(item, moderator):
    def reads(n: int) -> int:
        rows = [make(item, f"نظر {i} درباره نشست") for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            services.approve(moderator, selectors.by_ids(item.office, [r.pk for r in rows]))
        return _selects(ctx)

    reads(1)  # the moderator's memberships are read once per request (cached on the user)
    assert reads(2) == reads(7)


def test_official_answers_on_the_thread_read_their_office_with_them(item, moderator, offices):
    parent = make(item, "پرسش درباره نشست", status=Comment.Status.PUBLISHED)

    def reads() -> int:
        with CaptureQueriesContext(connection) as ctx:
            names = [
                reply.office.name
                for row in selectors.thread("news", str(item.code))
                for reply in row.shown_replies  # type: ignore[attr-defined]  # Prefetch to_attr
            ]
        assert names and all(names)
        return len(ctx.captured_queries)

    services.reply_as_office(moderator, parent, "پاسخ نخست روابط عمومی")
    one = reads()
    for n in range(5):
        services.reply_as_office(moderator, parent, f"پاسخ {n} روابط عمومی")
    assert reads() == one


def test_the_queue_page_reads_a_fixed_number_of_rows(staff_client, item, offices):
    client, _user = staff_client("moderator")
    url = f"/staff/{offices['gov'].slug}/comments/"
    now = timezone.now()

    def decided(n: int) -> None:
        for i in range(n):
            make(
                item,
                f"نظر بررسی‌شده {i}",
                status=Comment.Status.PUBLISHED,
                created_at=now - timedelta(hours=i + 1),
                decided_at=now,
            )

    decided(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    decided(40)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_median_decision_time_without_loading_every_comment(item, offices):
    now = timezone.now()
    for hours in (1, 2, 3, 10):
        make(
            item,
            status=Comment.Status.PUBLISHED,
            created_at=now - timedelta(hours=hours),
            decided_at=now,
        )
    figures = selectors.responsiveness(offices["gov"])
    assert (figures["decided"], figures["median_hours"]) == (4, 2.5)
    make(item, created_at=now - timedelta(hours=30), decided_at=now, status="rejected")
    assert selectors.responsiveness(offices["gov"])["median_hours"] == 3.0


# --- decisions from a comment's own page ------------------------------------------------------


def test_approve_and_reject_from_the_comment_page(client, staff_client, item, offices):
    comment = make(item, "نظری برای صفحه خودش درباره نشست")
    c, user = staff_client("moderator")
    url = f"/staff/{offices['gov'].slug}/comments/{comment.pk}/"
    response = c.post(url, {"op": "approve"}, follow=True)
    assert response.status_code == 200
    assert "نظر منتشر شد" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == "published" and comment.decided_by == user
    assert comment.text in client.get(item.get_absolute_url()).content.decode()

    no_reason = c.post(url, {"op": "reject"})
    assert no_reason.status_code == 422
    assert "دلیل رد را بگویید" in no_reason.content.decode()
    response = c.post(url, {"op": "reject", "reason": "off_topic"}, follow=True)
    assert "نظر رد شد" in response.content.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.reject_reason) == ("rejected", "off_topic")
    assert comment.text not in client.get(item.get_absolute_url()).content.decode()
    assert AuditEvent.objects.filter(actor=user, action="comments.reject").count() == 1
