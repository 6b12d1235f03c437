"""The Redis cache backend that survives Redis: an outage makes the site slower, never broken.

Every cache call of Ravabet (the fast path, cached pages and fragments, sessions' copies, the
office tree) goes through Django's cache API, so the guard lives here, once, instead of at each
call site: when Redis does not answer, a read is a miss, a write is skipped, and the backend
stops asking for `RETRY_SECONDS` (a short circuit breaker, so a request does not pay a failed
connection per call). After that one call tries again: the site recovers by itself.

State that must stay correct without the cache (rate limits, replay guards) does not rely on
this quiet fallback: `network.counters` asks `strict()` and falls back to the database.
`/healthz/ready` reports the outage (`status()`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
T = TypeVar("T")

try:  # redis-py is installed wherever REDIS_URL is used
    from redis.exceptions import RedisError

    CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)
except ImportError:  # pragma: no cover
    CACHE_ERRORS = (OSError,)

# Per process, shared by the threads' backend instances: when Redis last failed and why.
_state: dict[str, Any] = {"down_until": 0.0, "error": ""}
_lock = threading.Lock()


class CacheUnavailable(Exception):
    """The shared cache did not answer (raised only by the strict calls)."""


def status() -> tuple[bool, str]:
    """(up, last error) as this process last saw the cache."""
    return time.monotonic() >= _state["down_until"], _state["error"]


def _trip(exc: BaseException) -> None:
    with _lock:
        first = time.monotonic() >= _state["down_until"]
        _state["down_until"] = time.monotonic() + RETRY_SECONDS
        _state["error"] = f"{type(exc).__name__}: {exc}"[:300]
    if first:
        logger.warning("cache unavailable, serving without it: %s", _state["error"])


def _recovered() -> None:
    if _state["error"]:
        with _lock:
            _state["down_until"], _state["error"] = 0.0, ""
        logger.warning("cache available again")


class ResilientRedisCache(RedisCache):
    """Django's Redis cache; errors make reads misses and writes no-ops (see the module doc)."""

    def _guard(self, default: T, call: Callable[[], T]) -> T:
        if time.monotonic() < _state["down_until"]:
            return default
        try:
            result = call()
        except CACHE_ERRORS as exc:
            _trip(exc)
            return default
        if _state["error"]:
            _recovered()
        return result

    def strict(self, call: Callable[[], T]) -> T:
        """Run a call against Redis or raise CacheUnavailable (no quiet default)."""
        if time.monotonic() < _state["down_until"]:
            raise CacheUnavailable(_state["error"])
        try:
            result = call()
        except CACHE_ERRORS as exc:
            _trip(exc)
            raise CacheUnavailable(str(exc)) from exc
        if _state["error"]:
            _recovered()
        return result

    def ping(self) -> bool:
        """Ask Redis directly, past the breaker (for the readiness check)."""
        try:
            self._cache.get_client(write=True).ping()
        except CACHE_ERRORS as exc:
            _trip(exc)
            return False
        _recovered()
        return True

    def redis_client(self) -> Any:
        """The redis-py client (for atomic counters: `network.counters`)."""
        return self._cache.get_client(write=True)

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self._guard(False, lambda: super(ResilientRedisCache, self).add(
            key, value, timeout, version
        ))  # fmt: skip

    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        return self._guard(default, lambda: super(ResilientRedisCache, self).get(
            key, default, version
        ))  # fmt: skip

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        return self._guard(None, lambda: super(ResilientRedisCache, self).set(
            key, value, timeout, version
        ))  # fmt: skip

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._guard(False, lambda: super(ResilientRedisCache, self).touch(
            key, timeout, version
        ))  # fmt: skip

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard(False, lambda: super(ResilientRedisCache, self).delete(key, version))

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._guard({}, lambda: super(ResilientRedisCache, self).get_many(keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard(False, lambda: super(ResilientRedisCache, self).has_key(key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A miss is what a vanished key gives too: callers already handle ValueError.
        def call() -> int:
            return super(ResilientRedisCache, self).incr(key, delta, version)

        if time.monotonic() < _state["down_until"]:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        try:
            return call()
        except CACHE_ERRORS as exc:
            _trip(exc)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        return self._guard(
            list(data), lambda: super(ResilientRedisCache, self).set_many(data, timeout, version)
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        return self._guard(
            None, lambda: super(ResilientRedisCache, self).delete_many(keys, version)
        )

    def clear(self) -> None:
        return self._guard(None, lambda: super(ResilientRedisCache, self).clear())
