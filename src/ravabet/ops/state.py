"""The shared state a scrape reports: task queue depth and age, outbox backlog, database and
cache up. Read at scrape time from the database, so every node reports the same figures."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from ravabet.network.cache import ResilientRedisCache

logger = logging.getLogger(__name__)
Figure = tuple[str, str, float, dict[str, str]]


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _cache_up() -> bool:
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        return backend.ping()
    return True


def _tasks() -> list[Figure]:
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return []
    from django.db.models import Min
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    summary: dict[str, Any] = ready.aggregate(oldest=Min("enqueued_at"))
    depth = ready.count()
    oldest = summary["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    running = DBTaskResult.objects.filter(status="RUNNING").count()
    return [
        ("ravabet_tasks_queued", "Tasks waiting for a worker", float(depth), {}),
        ("ravabet_tasks_oldest_age_seconds", "Age of the oldest waiting task", age, {}),
        ("ravabet_tasks_running", "Tasks a worker is running now", float(running), {}),
    ]


def _outbox() -> list[Figure]:
    from ravabet.network import outbox

    oldest = outbox.oldest_pending_at()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return [
        (
            "ravabet_outbox_pending",
            "Messages written but not yet delivered",
            float(outbox.pending_count()),
            {},
        ),
        ("ravabet_outbox_oldest_age_seconds", "Age of the oldest undelivered message", age, {}),
    ]


def figures() -> list[Figure]:
    up = _database_up()
    found: list[Figure] = [
        ("ravabet_database_up", "The database answers (1) or not (0)", float(up), {}),
        ("ravabet_cache_up", "The shared cache answers (1) or not (0)", float(_cache_up()), {}),
    ]
    if up:
        for part in (_tasks, _outbox):
            try:
                found += part()
            except Exception:  # one figure missing never hides the others
                logger.warning("metrics: %s failed", part.__name__, exc_info=True)
    return found
