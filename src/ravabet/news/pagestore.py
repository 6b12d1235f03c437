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
- **Scoped retirement.** A page is kept with what it depends on (`deps`: the numbers of the
  `network.versioning` stamps it was rendered under, e.g. its office's and its group's news
  scope, see `pagecache.retire`). It is served only while those stamps have not moved; a page of
  an office that did not publish outlives the publication, one that shows the item does not. An
  outdated page is the stale copy while its new copy renders (the stampede guard above).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.core.cache import cache

from ravabet.network import versioning

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


Deps = dict[str, int] | None


def current(deps: Deps) -> bool:
    """Whether a page kept with `deps` is still what would be rendered now."""
    if not deps:
        return True
    stamps = versioning.numbers()
    return all(stamps.get(name, (0, None))[0] == number for name, number in deps.items())


def get(prefix: str, version: str, digest: str) -> tuple[Deps, Any] | None:
    """(deps, page) of this version, from this process's copy when it is current, else from
    the shared cache (whether current or not: an outdated page is the stale copy)."""
    key = _key(prefix, version, digest)
    use_local = _local_enabled()
    if use_local:
        kept = local.get(version, key)
        if kept is not None and current(kept[0]):
            return kept
    kept = cache.get(key)
    if kept is not None and use_local and current(kept[0]):
        local.put(version, key, kept)
    return kept


def find(prefix: str, version: str, digest: str) -> tuple[str, Any, Deps]:
    """What to do for this request: (HIT, page, its deps), (STALE, older page, None) or
    (RENDER, holds_lock, None)."""
    kept = get(prefix, version, digest)
    if kept is not None and current(kept[0]):
        return HIT, kept[1], kept[0]
    outdated = kept[1] if kept is not None else None
    lock = _lock_key(prefix, version, digest)
    if cache.add(lock, 1, LOCK_SECONDS):
        # The page may have been stored (and its lock given back) since the read above.
        kept = get(prefix, version, digest)
        if kept is not None and current(kept[0]):
            cache.delete(lock)
            return HIT, kept[1], kept[0]
        return RENDER, True, None
    if outdated is not None:
        return STALE, outdated, None  # a scope it shows has moved on; its new copy is rendering
    previous = cache.get(_last_key(prefix, digest))
    if previous is not None and previous != version:
        stale = cache.get(_key(prefix, previous, digest))
        if stale is not None:
            return STALE, stale[1], None
    deadline = time.monotonic() + WAIT_SECONDS
    # A lock nobody can see (cache down, or the render just ended) is no reason to wait.
    while cache.get(lock) is not None and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        kept = get(prefix, version, digest)
        if kept is not None and current(kept[0]):
            return HIT, kept[1], kept[0]
    kept = get(prefix, version, digest)
    if kept is not None and current(kept[0]):
        return HIT, kept[1], kept[0]
    return RENDER, False, None


def store(
    prefix: str, version: str, digest: str, entry: Any, seconds: int, deps: Deps = None
) -> None:
    """Keep a rendered page with the stamps it depends on, and remember its version as this
    address's last good one."""
    key = _key(prefix, version, digest)
    kept = (deps, entry)
    # The pointer outlives the page a little: the old copy itself expires with its own timeout.
    cache.set_many({key: kept, _last_key(prefix, digest): version}, seconds)
    if _local_enabled():
        local.put(version, key, kept)


def release(prefix: str, version: str, digest: str) -> None:
    """Give the render lock back (after storing, or when the page was not storable)."""
    cache.delete(_lock_key(prefix, version, digest))
