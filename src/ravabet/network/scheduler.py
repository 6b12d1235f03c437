"""Periodic jobs: one small loop (`ravabet scheduler`, started by `ravabet serve`) for every app.

django-tasks has no periodic schedule, so this loop does the timing. A job is named by a
dotted path in `RAVABET_SCHEDULE` ({path: seconds}): a django-tasks task is enqueued (the task
worker does the work), a plain function is called here (for checks so cheap that a task row
each time would cost more than the check: the newsroom's "is a scheduled item due?").

Every node of a multi-server deployment runs `ravabet serve`, so several schedulers run at
once. Each job still runs once per period, on one node at a time:

- **one tick per period**: time is cut into windows of the job's period, aligned to the
  database's clock (not the node's: the clocks of two machines drift). Before running a job a
  scheduler claims the window (`counters.first_use(..., durable=True)`: one INSERT … ON
  CONFLICT in the database, never in Redis, so a Redis restart cannot hand the same window out
  twice). The first claim wins; the others skip the window.
- **one node at a time**: a job whose run outlasts its period must not be started again beside
  itself. On PostgreSQL the run holds a session advisory lock (`pg_try_advisory_lock`), which
  the server drops by itself when the holder's connection dies; elsewhere a lease row with an
  expiry (`LEASE_SECONDS`) plays that part and is given back when the run ends.

A failing job is reported and tried again next window; it never stops the others.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.module_loading import import_string

from . import counters

logger = logging.getLogger(__name__)
# How long a run may hold its lease on a database without advisory locks before another node
# may take the job over (a node that died mid-run gives nothing back).
LEASE_SECONDS = 600


def jobs() -> dict[str, int]:
    return {path: max(int(seconds), 1) for path, seconds in settings.RAVABET_SCHEDULE.items()}


def run_job(path: str) -> Any:
    """Run (or enqueue) one job now, without claiming or locking (`ravabet scheduler --once`)."""
    job: Any = import_string(path)
    if hasattr(job, "enqueue"):
        return job.enqueue()
    return job()


def database_time() -> float:
    """Seconds since the epoch by the database's clock (the one clock every node shares)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT extract(epoch FROM clock_timestamp())")
            return float(cursor.fetchone()[0])
    return time.time()  # SQLite: the database is a file on this machine; its clock is ours


def _lock_key(path: str) -> int:
    # A signed 64-bit number from the job's name, the form pg_try_advisory_lock takes.
    return int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big", signed=True)


@contextmanager
def job_lock(path: str) -> Iterator[bool]:
    """Hold the job's lock for the block; yields False (and holds nothing) when another has it."""
    if connection.vendor == "postgresql":
        key = _lock_key(path)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            got = bool(cursor.fetchone()[0])
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    name = f"sched-run:{path}"
    got = counters.first_use(name, ttl=LEASE_SECONDS, durable=True)
    try:
        yield got
    finally:
        if got:
            counters.forget(name)


def claim(path: str, every: int, now: float | None = None) -> bool:
    """Claim this job's current window; True for the first scheduler to ask, once per window."""
    now = database_time() if now is None else now
    window = int(now) // every
    return counters.first_use(f"sched:{path}:{window}", ttl=every + 60, durable=True)


def run_if_due(path: str, every: int, now: float | None = None) -> bool:
    """Run the job if this scheduler wins its current window and its lock; True if it ran."""
    if not claim(path, every, now):
        return False
    with job_lock(path) as got:
        if not got:
            logger.info("scheduled job %s is still running elsewhere; window skipped", path)
            return False
        run_job(path)
        return True


def loop(stop: Callable[[], bool], *, report: Callable[[str], None] = logger.warning) -> None:
    """Offer every job its window when one starts, until `stop()` says so (checked every second).

    Every scheduler asks once per window, at its start by the database's clock; the database
    decides which one runs it.
    """
    schedule = jobs()
    next_try = dict.fromkeys(schedule, 0.0)
    while not stop():
        now = time.time()
        for path, every in schedule.items():
            if now < next_try[path]:
                continue
            next_try[path] = now + 1.0  # the database did not answer: ask again in a second
            close_old_connections()  # a long-lived process: drop a connection the server closed
            try:
                db_now = database_time()
                # The next window starts by the database's clock; wait for it by ours.
                next_try[path] = now + (int(db_now) // every + 1) * every - db_now + 0.05
                run_if_due(path, every, db_now)
            except Exception as exc:  # the database may be briefly away: next window
                report(f"scheduled job {path} failed: {type(exc).__name__}: {exc}")
        time.sleep(min(1.0, max(0.05, min(next_try.values()) - time.time())))
