"""Cache stampede after a publish, and the cached page with Redis behind a per-process copy.

    .venv/bin/python bench/stampede.py                      # local-memory cache
    REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python bench/stampede.py

In one process, with `--threads` threads (default 16) requesting `--pages` popular pages (default
20) through `pagecache.cached_page` around a view that costs `--render-ms` of CPU (default 40, an
uncached article: issue 20). Modes:
  stampede before   every request that misses renders (no lock, no stale copy): the old code
  stampede after    news/pagestore.py: one render per miss, the others get the stale copy
Each publishes (bumps the page version) every `--publish-every` seconds for `--duration` seconds
and reports renders per miss (renders / (publishes × pages)) and req/s. With REDIS_URL it also
measures cached-page hits with and without the per-process copy (RAVABET_PAGE_LOCAL_CACHE).
Every row carries the load average when it was measured (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
os.environ.setdefault("RAVABET_SECRET_KEY", "bench-only-not-secret")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402

from ravabet.network import versioning  # noqa: E402
from ravabet.news import pagecache, pagestore  # noqa: E402

_version = {"n": 1}
pagecache.page_version = lambda: f"{_version['n']}.0"  # type: ignore[assignment]  # no database
versioning.numbers = lambda: {}  # type: ignore[assignment]  # no scopes: the version alone retires


def _old_find(prefix: str, version: str, digest: str) -> tuple[str, object, object]:
    kept = pagestore.get(prefix, version, digest)
    if kept is not None and pagestore.current(kept[0]):
        return pagestore.HIT, kept[1], kept[0]
    return pagestore.RENDER, False, None


def run(args: argparse.Namespace, *, stampede: bool, publish: bool) -> tuple[float, float]:
    renders = {"n": 0}
    lock = threading.Lock()
    body = "<p>" + "خبر " * 6000 + "</p>"  # ~50 kB, a news page's size

    @pagecache.cached_page
    def view(request):
        with lock:
            renders["n"] += 1
        end = time.process_time() + args.render_ms / 1000 / 2
        while time.process_time() < end:  # CPU, as a render is (thread time: GIL shared)
            pass
        return HttpResponse(body)

    find = pagestore.find
    if not stampede:
        pagestore.find = _old_find  # type: ignore[assignment]
    factory = RequestFactory()
    paths = [f"/news/{n}/" for n in range(args.pages)]
    done = {"n": 0}
    stop = time.monotonic() + args.duration
    publishes = {"n": 0}

    def reader(index: int) -> None:
        n = index
        while time.monotonic() < stop:
            view(factory.get(paths[n % len(paths)]))
            n += 1
            with lock:
                done["n"] += 1

    for path in paths:  # warm: every page cached once
        view(factory.get(path))
    renders["n"] = 0
    threads = [threading.Thread(target=reader, args=(i,)) for i in range(args.threads)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while publish and time.monotonic() < stop:
        _version["n"] += 1
        publishes["n"] += 1
        time.sleep(args.publish_every)
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    pagestore.find = find  # type: ignore[assignment]
    per_miss = renders["n"] / max(1, publishes["n"] * args.pages) if publish else 0.0
    return per_miss, done["n"] / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--render-ms", type=float, default=40)
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--publish-every", type=float, default=1.0)
    args = parser.parse_args()
    cache.clear()
    backend = "redis" if os.environ.get("REDIS_URL") else "local memory"
    print(
        f"cache: {backend}; {args.threads} threads, {args.pages} pages, {args.render_ms} ms render"
    )
    print(f"| {'mode':<36} | renders/miss | req/s | load avg |")
    print(f"|{'-' * 38}|--------------|-------|----------|")
    rows = [
        ("after publishes, before (no lock)", dict(stampede=False, publish=True), None),
        ("after publishes, after (lock+stale)", dict(stampede=True, publish=True), None),
    ]
    if backend == "redis":
        rows += [
            ("cached hits, Redis only", dict(stampede=True, publish=False), False),
            ("cached hits, Redis + process copy", dict(stampede=True, publish=False), True),
        ]
    for label, kwargs, local in rows:
        pagestore.local.clear()
        with override_settings(RAVABET_PAGE_LOCAL_CACHE=local):
            per_miss, rate = run(args, **kwargs)
        load = os.getloadavg()[0]
        shown = f"{per_miss:.2f}" if kwargs["publish"] else "—"
        print(f"| {label:<36} | {shown:>12} | {rate:>5.0f} | {load:>8.2f} |")
    cache.clear()


if __name__ == "__main__":
    main()
