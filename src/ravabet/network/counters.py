"""Counters and once-only marks that every server process shares (rate limits, replay guards).

A per-process cache (the embedded default's local memory) would give each worker its own count:
with two workers four requests in a row answered 429, 200, 429, 429. So these never live in one
process's memory:

- with Redis (`REDIS_URL`): INCR + EXPIRE and SET NX EX, atomic in Redis;
- otherwise, and whenever Redis does not answer: the database (`network.SharedCounter`), one
  upsert statement per call (INSERT … ON CONFLICT … RETURNING, on SQLite and PostgreSQL alike).

Windows are fixed and aligned to the clock (the key carries the window's number), so a count
never needs resetting: a new window is a new row. Dead rows are purged now and then, by the
call that happens to draw the short straw (about one call in `PURGE_ONE_IN`).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.core.cache import caches
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from .cache import CacheUnavailable, ResilientRedisCache

T = TypeVar("T")

PURGE_ONE_IN = 200
_PREFIX = "ctr:"
# One statement each, the same on SQLite (3.35+) and PostgreSQL; "key" and "count" are quoted
# because both are keywords in some dialects.
_INCR = (
    'INSERT INTO network_sharedcounter ("key", "count", expires_at) VALUES (%s, 1, %s) '
    'ON CONFLICT ("key") DO UPDATE SET "count" = network_sharedcounter."count" + 1 '
    'RETURNING "count"'
)
# Inserted, or an expired mark taken over: a row comes back; a live mark: none.
_FIRST = (
    'INSERT INTO network_sharedcounter ("key", "count", expires_at) VALUES (%s, 1, %s) '
    'ON CONFLICT ("key") DO UPDATE SET "count" = 1, expires_at = excluded.expires_at '
    'WHERE network_sharedcounter.expires_at <= %s RETURNING "count"'
)


def _redis() -> ResilientRedisCache | None:
    backend = caches["default"]
    return backend if isinstance(backend, ResilientRedisCache) else None


def _maybe_purge(now: datetime) -> None:
    if secrets.randbelow(PURGE_ONE_IN) == 0:
        from .models import SharedCounter

        SharedCounter.objects.filter(expires_at__lt=now).delete()


def _retry_locked(statement: Callable[[], T]) -> T:
    """Run one short write, again after a moment if SQLite says a table is locked.

    SQLite answers "locked" at once (no busy wait) when two connections of one process share a
    cache (the test database), and "database is locked" after its busy timeout under heavy
    contention. Outside a transaction of the caller, trying again is safe: the statement is
    its own transaction. Inside one, the caller's transaction decides.
    """
    for attempt in range(40):
        try:
            return statement()
        except OperationalError as exc:
            if connection.in_atomic_block or "locked" not in str(exc) or attempt == 39:
                raise
            time.sleep(0.01 + secrets.randbelow(40) / 1000)  # jitter: the two writers part
    raise AssertionError("unreachable")


def _db_incr(key: str, expires: datetime) -> int:
    now = timezone.now()

    def write() -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_INCR, [key, expires])
            return int(cursor.fetchone()[0])

    count = _retry_locked(write)
    _maybe_purge(now)
    return count


def _db_first(key: str, expires: datetime) -> bool:
    now = timezone.now()

    def write() -> bool:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_FIRST, [key, expires, now])
            return cursor.fetchone() is not None

    first = _retry_locked(write)
    _maybe_purge(now)
    return first


def hit(scope: str, client: str, *, window: int) -> int:
    """Count one event of `client` in `scope`; return the count in the current window."""
    window = max(int(window), 1)
    slot = int(time.time()) // window
    key = f"{_PREFIX}{scope}:{client}:{slot}"[:200]
    redis = _redis()
    if redis is not None:
        try:
            full_key = redis.make_and_validate_key(key)

            def call() -> int:
                pipe = redis.redis_client().pipeline()
                pipe.incr(full_key)
                pipe.expire(full_key, window + 1)
                return int(pipe.execute()[0])

            return redis.strict(call)
        except CacheUnavailable:
            pass
    expires = timezone.now() + timedelta(seconds=window - (int(time.time()) % window) + 1)
    return _db_incr(key, expires)


def current(scope: str, client: str, *, window: int) -> int:
    """The count `hit` has reached in the current window, without counting (0 when none)."""
    window = max(int(window), 1)
    key = f"{_PREFIX}{scope}:{client}:{int(time.time()) // window}"[:200]
    redis = _redis()
    if redis is not None:
        try:
            full_key = redis.make_and_validate_key(key)
            return int(redis.strict(lambda: redis.redis_client().get(full_key)) or 0)
        except CacheUnavailable:
            pass
    from .models import SharedCounter

    row = SharedCounter.objects.filter(key=key).values_list("count", flat=True).first()
    return int(row or 0)


def first_use(name: str, *, ttl: int, durable: bool = False) -> bool:
    """True the first time `name` is marked within `ttl` seconds, False on every repeat.

    `durable=True` keeps the mark in the database even when Redis is configured: for claims
    that must hold across a Redis outage or restart (the scheduler's ticks, network/scheduler.py).
    """
    key = f"{_PREFIX}once:{name}"[:200]
    redis = None if durable else _redis()
    if redis is not None:
        try:
            full_key = redis.make_and_validate_key(key)
            return redis.strict(
                lambda: bool(redis.redis_client().set(full_key, b"1", nx=True, ex=ttl))
            )
        except CacheUnavailable:
            pass
    return _db_first(key, timezone.now() + timedelta(seconds=ttl))


def forget(name: str) -> None:
    """Remove the database mark `first_use(name, durable=True)` made (a lease given back)."""
    from .models import SharedCounter

    SharedCounter.objects.filter(key=f"{_PREFIX}once:{name}"[:200]).delete()
