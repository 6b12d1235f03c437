"""Where whole cached pages are kept: the shared cache, a small per-process copy in front of it,
and the guard against a stampede when a popular page misses.

Both page layers (`pagecache.cached_page` and the WSGI fast path) keep a page under
`<prefix>:<page version>:<digest of the address>`. This module adds two things to that:

- **One render per miss.** After a publication every page misses at once. The first request for
  a page takes a short lock in the shared cache (`cache.add`, `LOCK_SECONDS`; never in process
  memory, so it holds across processes and servers) and renders it; the others meanwhile get the
  copy of the previous version (found through a per-address pointer, `<prefix>-last:<digest>`),
  or, when there is none, wait up to `WAIT_SECONDS` for the fresh one and render it themselves
  after that. The cache being down never blocks a request: a lock that cannot be taken and
  cannot be seen means "render it yourself".
- **A per-process copy in front of Redis** (`RAVABET_PAGE_LOCAL_CACHE`): a hit then costs neither
  a network round trip nor an unpickle. Its keys carry the page version like the shared ones, and
  it is emptied whenever the process sees a new version, so it never serves a page of an older
  stamp than the shared cache would. It is bounded (LRU by count and by bytes) and its copies
  live at most `RAVABET_PAGE_LOCAL_SECONDS`. On by default only when the shared cache is not the
  per-process memory cache (then it would only duplicate it).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.core.cache import cache

LOCK_SECONDS = 5  # a render that takes longer lets a second request try
WAIT_SECONDS = 1.0  # how long a request without a stale copy waits for the fresh one
POLL_SECONDS = 0.05

HIT, STALE, RENDER = "hit", "stale", "render"


def _local_enabled() -> bool:
    configured = getattr(settings, "RAVABET_PAGE_LOCAL_CACHE", None)
    if configured is not None:
        return bool(configured)
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", "")).lower()
    return "locmem" not in backend and "dummy" not in backend


def _size(value: Any) -> int:
    if isinstance(value, bytes | str):
        return len(value)
    if isinstance(value, tuple | list):
        return 16 + sum(_size(part) for part in value)
    return 16


class LocalPages:
    """A bounded LRU of pages for one process (thread-safe), emptied on a new page version."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, int, Any]] = OrderedDict()
        self._bytes = 0
        self._version: str | None = None

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._version = None

    def _see(self, version: str) -> None:
        if version != self._version:
            self._entries.clear()
            self._bytes = 0
            self._version = version

    def get(self, version: str, key: str) -> Any | None:
        with self._lock:
            self._see(version)
            found = self._entries.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self._entries[key]
                self._bytes -= found[1]
                return None
            self._entries.move_to_end(key)
            return found[2]

    def put(self, version: str, key: str, entry: Any) -> None:
        max_entries = int(getattr(settings, "RAVABET_PAGE_LOCAL_ENTRIES", 500))
        max_bytes = int(getattr(settings, "RAVABET_PAGE_LOCAL_BYTES", 8 * 1024 * 1024))
        seconds = float(getattr(settings, "RAVABET_PAGE_LOCAL_SECONDS", 60))
        size = _size(entry)
        if size > max_bytes // 4 or max_entries <= 0:
            return  # one huge page must not push out hundreds of ordinary ones
        with self._lock:
            self._see(version)
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (time.monotonic() + seconds, size, entry)
            self._bytes += size
            while len(self._entries) > max_entries or self._bytes > max_bytes:
                _, (_, dropped, _) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def __len__(self) -> int:
        return len(self._entries)


local = LocalPages()


def _key(prefix: str, version: str, digest: str) -> str:
    return f"{prefix}:{version}:{digest}"


def _lock_key(prefix: str, version: str, digest: str) -> str:
    return f"{prefix}-lock:{version}:{digest}"


def _last_key(prefix: str, digest: str) -> str:
    return f"{prefix}-last:{digest}"


def get(prefix: str, version: str, digest: str) -> Any | None:
    """The page of this version, from this process's copy or the shared cache."""
    key = _key(prefix, version, digest)
    use_local = _local_enabled()
    if use_local:
        entry = local.get(version, key)
        if entry is not None:
            return entry
    entry = cache.get(key)
    if entry is not None and use_local:
        local.put(version, key, entry)
    return entry


def find(prefix: str, version: str, digest: str) -> tuple[str, Any]:
    """What to do for this request: (HIT, page), (STALE, older page) or (RENDER, holds_lock)."""
    entry = get(prefix, version, digest)
    if entry is not None:
        return HIT, entry
    lock = _lock_key(prefix, version, digest)
    if cache.add(lock, 1, LOCK_SECONDS):
        # The page may have been stored (and its lock given back) since the read above.
        entry = get(prefix, version, digest)
        if entry is not None:
            cache.delete(lock)
            return HIT, entry
        return RENDER, True
    previous = cache.get(_last_key(prefix, digest))
    if previous is not None and previous != version:
        stale = cache.get(_key(prefix, previous, digest))
        if stale is not None:
            return STALE, stale
    deadline = time.monotonic() + WAIT_SECONDS
    # A lock nobody can see (cache down, or the render just ended) is no reason to wait.
    while cache.get(lock) is not None and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        entry = get(prefix, version, digest)
        if entry is not None:
            return HIT, entry
    entry = get(prefix, version, digest)
    if entry is not None:
        return HIT, entry
    return RENDER, False


def store(prefix: str, version: str, digest: str, entry: Any, seconds: int) -> None:
    """Keep a rendered page, and remember its version as this address's last good one."""
    key = _key(prefix, version, digest)
    # The pointer outlives the page a little: the old copy itself expires with its own timeout.
    cache.set_many({key: entry, _last_key(prefix, digest): version}, seconds)
    if _local_enabled():
        local.put(version, key, entry)


def release(prefix: str, version: str, digest: str) -> None:
    """Give the render lock back (after storing, or when the page was not storable)."""
    cache.delete(_lock_key(prefix, version, digest))
