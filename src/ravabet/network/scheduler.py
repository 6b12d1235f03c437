"""Periodic jobs: one small loop (`ravabet scheduler`, started by `ravabet serve`) for every app.

django-tasks has no periodic schedule, so this loop does the timing. A job is named by a
dotted path in `RAVABET_SCHEDULE` ({path: seconds}): a django-tasks task is enqueued (the task
worker does the work), a plain function is called here (for checks so cheap that a task row
each time would cost more than the check: the newsroom's "is a scheduled item due?").
Several schedulers at once are harmless: every job is idempotent. A failing job is reported
and tried again next round; it never stops the others.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def jobs() -> dict[str, int]:
    return {path: max(int(seconds), 1) for path, seconds in settings.RAVABET_SCHEDULE.items()}


def run_job(path: str) -> Any:
    """Run (or enqueue) one job now."""
    job: Any = import_string(path)
    if hasattr(job, "enqueue"):
        return job.enqueue()
    return job()


def loop(stop: Callable[[], bool], *, report: Callable[[str], None] = logger.warning) -> None:
    """Run every job when it is due until `stop()` says so (checked every second)."""
    schedule = jobs()
    next_run = dict.fromkeys(schedule, 0.0)
    while not stop():
        now = time.monotonic()
        for path, every in schedule.items():
            if now < next_run[path]:
                continue
            next_run[path] = now + every
            close_old_connections()  # a long-lived process: drop a connection the server closed
            try:
                run_job(path)
            except Exception as exc:  # the database may be briefly away: next round
                report(f"scheduled job {path} failed: {type(exc).__name__}: {exc}")
        time.sleep(min(1.0, max(0.05, min(next_run.values()) - time.monotonic())))
