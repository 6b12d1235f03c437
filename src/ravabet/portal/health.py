"""Health checks for the operator and the load balancer.

`/healthz` is liveness: the process answers (nothing else is asked, so a Redis outage never
gets a healthy process restarted). `/healthz/ready` is readiness: the database, the cache and
the task queue, one line each, as JSON. Only the database being away makes it 503 (nothing can
be served without it); the cache or the task worker being away makes the site slower or
later, not unusable, so they are reported as `degraded` with 200 — a load balancer that
pulled every instance out whenever Redis blinked would turn a slow site into no site.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from ravabet.network.cache import ResilientRedisCache

TASKS_STALLED_AFTER = timedelta(minutes=10)


def liveness(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure here is the answer, not an error page
        return f"down: {type(exc).__name__}"
    return "ok"


def _cache() -> str:
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        return "ok" if backend.ping() else "down: Redis does not answer"
    try:
        backend.set("healthz:probe", 1, 10)
        return "ok" if backend.get("healthz:probe") == 1 else "down: the cache lost a value"
    except Exception as exc:
        return f"down: {type(exc).__name__}"


def _tasks() -> str:
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return "ok"
    from django_tasks_db.models import DBTaskResult

    try:
        stale = DBTaskResult.objects.ready().filter(
            enqueued_at__lt=timezone.now() - TASKS_STALLED_AFTER
        )
        if stale.exists():
            return "down: tasks wait for more than 10 minutes (is the task worker running?)"
    except Exception as exc:
        return f"down: {type(exc).__name__}"
    return "ok"


def readiness(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database()}
    if checks["database"] == "ok":
        checks["tasks"] = _tasks()
    checks["cache"] = _cache()
    healthy = all(value == "ok" for value in checks.values())
    status = "ok" if healthy else ("down" if checks["database"] != "ok" else "degraded")
    response = JsonResponse({"status": status, **checks}, status=503 if status == "down" else 200)
    response["Cache-Control"] = "no-store"
    return response
