"""Reads from a PostgreSQL streaming replica, where a view asks for them and only when safe.

Set `RAVABET_REPLICA_URL` and views decorated with `@reads_from_replica` (public lists, news
pages, search, figures) may read from the replica. Everything else reads and writes the primary.
Lag is what makes replicas dangerous (a citizen sends a demand and its tracking page says "no
such demand"; an editor publishes and the home page, re-rendered at once from a replica that
has not replayed the publication yet, is cached without it). So a decorated view reads from the
replica only when all of these hold:

- the request is a GET or HEAD;
- the client has not written recently: every other request (POST, …) pins its client to the
  primary for `RAVABET_PIN_SECONDS` through a signed cookie (`PinMiddleware`);
- the replica has replayed all the WAL the primary had written when the request began (one
  `pg_current_wal_lsn()` on the primary, one comparison on the replica): a page rendered from
  the replica is never older than the request. This also covers writes by others (the task
  worker, the scheduler, another editor) which no pin cookie can see;
- no transaction is open on the primary (the router sends reads inside `atomic()` there);
- the replica answers: a failed connection sends the view to the primary and the replica is
  left alone for `RETRY_SECONDS` (per process; a local observation, like the cache's breaker).

The response says where it read from (`X-Ravabet-Read: replica|primary`), for operators and
for the tests that pause replication on purpose (tests/scale/test_replica.py).
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
REPLICA = "replica"
PIN_COOKIE = "ravabet_pin"
PIN_SALT = "ravabet.network.replica.pin"
RETRY_SECONDS = 5.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_reading = contextvars.ContextVar("ravabet_replica_reads", default=False)
_state: dict[str, Any] = {"down_until": 0.0}


def configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads go to the replica only inside a decorated view, outside any transaction."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same rows on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"  # the replica follows the primary's schema by itself


def pinned(request: HttpRequest) -> bool:
    value = request.COOKIES.get(PIN_COOKIE)
    if not value:
        return False
    try:
        signing.loads(value, salt=PIN_SALT, max_age=settings.RAVABET_PIN_SECONDS)
    except signing.BadSignature:  # expired or forged: not pinned
        return False
    return True


def _trip(exc: BaseException) -> None:
    first = time.monotonic() >= _state["down_until"]
    _state["down_until"] = time.monotonic() + RETRY_SECONDS
    if first:
        logger.warning("replica unavailable, reading from the primary: %s", exc)
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass


def caught_up() -> bool:
    """Has the replica replayed everything the primary has written so far?"""
    if time.monotonic() < _state["down_until"]:
        return False
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            primary_lsn = cursor.fetchone()[0]
    except DatabaseError:
        return False  # the primary's own trouble shows up in the view, not here
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)", [primary_lsn]
            )
            return bool(cursor.fetchone()[0])
    except DatabaseError as exc:
        _trip(exc)
        return False


def _run(
    view: Callable[..., HttpResponse], request: HttpRequest, *args: Any, **kwargs: Any
) -> HttpResponse:
    token = _reading.set(True)
    try:
        return view(request, *args, **kwargs)
    finally:
        _reading.reset(token)


def reads_from_replica(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let this view read from the replica when that is safe (see the module's docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not configured():
            return view(request, *args, **kwargs)
        source = "primary"
        if request.method in ("GET", "HEAD") and not pinned(request) and caught_up():
            try:
                response = _run(view, request, *args, **kwargs)
                source = "replica"
            except DatabaseError as exc:
                if not _failed_on_replica():
                    raise
                _trip(exc)
                response = view(request, *args, **kwargs)
        else:
            response = view(request, *args, **kwargs)
        response["X-Ravabet-Read"] = source
        return response

    return wrapper


def _failed_on_replica() -> bool:
    connection = connections[REPLICA]
    return connection.connection is None or not connection.is_usable()


class PinMiddleware:
    """After any request that may write (not GET/HEAD/OPTIONS/TRACE), pin the client to the
    primary for RAVABET_PIN_SECONDS: its next pages show what it has just done."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if configured() and request.method not in SAFE_METHODS:
            seconds = int(settings.RAVABET_PIN_SECONDS)
            response.set_cookie(
                PIN_COOKIE,
                signing.dumps(1, salt=PIN_SALT),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
