"""Per-reader marks on cached pages cannot be forged from a comment (the comment itself:
comments/tests/test_marks_in_comments.py), and reading a page never writes: scheduled items are
published by the scheduler, on time, not by a reader's request."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ravabet.network import captcha, scheduler
from ravabet.network.models import Stamp
from ravabet.news import pagecache, services
from ravabet.news.models import NewsItem


def test_the_marks_carry_a_secret_of_the_deployment(settings):
    assert captcha.MARK_NONCE in pagecache.CSRF_MARK
    assert captcha.MARK.startswith("@@ravabet-captcha-" + captcha.MARK_NONCE)
    settings.SECRET_KEY = "another-deployment-" + "z" * 40
    assert captcha.mark_nonce() != captcha.MARK_NONCE


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_reading_pages_does_not_publish_or_write(client, people, offices):
    item = services.create_news(people["editor"], offices["gov"], services.NewsData(title="آینده"))
    services.publish(people["editor"], item, timezone.now() + timedelta(hours=1))
    past = timezone.now() - timedelta(seconds=1)
    NewsItem.objects.filter(pk=item.pk).update(publish_at=past)
    Stamp.objects.filter(name=pagecache.PAGES).update(due=past)
    with CaptureQueriesContext(connection) as queries:
        for path in ("/", "/news/", f"/news/{item.code}/", "/feeds/rss/"):
            client.get(path)
    assert _writes(queries.captured_queries) == []
    item.refresh_from_db()
    assert item.status == "scheduled"
    # The scheduler's job publishes it; the next request shows it.
    assert pagecache.publish_if_due() == 1
    item.refresh_from_db()
    assert item.status == "published"
    assert client.get(f"/news/{item.code}/", follow=True).status_code == 200


def test_the_scheduler_runs_its_jobs_and_survives_a_failing_one(settings, db, monkeypatch):
    # The loop drops stale connections; here that would end the test's transaction.
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)
    calls = []
    settings.RAVABET_SCHEDULE = {
        "ravabet.news.pagecache.publish_if_due": 1,
        "ravabet.no.such.job": 1,
    }
    rounds = iter(range(3))
    scheduler.loop(lambda: next(rounds, None) is None, report=calls.append)
    assert any("ravabet.no.such.job" in line for line in calls)
    assert not any("publish_if_due" in line for line in calls), calls


def test_nothing_due_costs_one_read(db):
    with CaptureQueriesContext(connection) as queries:
        assert pagecache.publish_if_due() == 0
    assert len(queries.captured_queries) == 1
