"""Prometheus metrics: requests by view and status, latency, the page cache's hit rate, and the
state of the task queue, the outbox, the database and the cache (`/metrics`).

Several processes serve one node (granian's workers), so per-request figures cannot live in
one process's memory. They are kept by prometheus_client's multiprocess mode: each process adds
to its own memory-mapped file in `RAVABET_METRICS_DIR` (default var/metrics), and a scrape sums
the files. No network round trip per request, and nothing lost when Redis is away; each node
answers for its own processes, and Prometheus scrapes every node (docs/decisions.md).
`ravabet serve` empties the folder when it starts (old processes' files would count twice).

Figures about shared state (queue depth and age, outbox backlog) are not counted per process:
they are read from the database when Prometheus asks, so every node reports the same truth.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)


def metrics_dir() -> Path:
    return Path(os.environ.get("RAVABET_METRICS_DIR") or settings.VAR_DIR / "metrics")


# prometheus_client chooses its value store when it is imported: the folder must be known first.
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir())
metrics_dir().mkdir(parents=True, exist_ok=True)

from prometheus_client import (  # noqa: E402
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.core import GaugeMetricFamily  # noqa: E402
from prometheus_client.registry import Collector  # noqa: E402

if values.ValueClass.__name__ != "MmapedValue":
    # Something imported prometheus_client before the folder was set: switch its store now,
    # before the metrics below are made (each reads values.ValueClass when it is created).
    values.ValueClass = values.MultiProcessValue()

REQUESTS = Counter(
    "ravabet_http_requests", "HTTP requests answered, by view and status", ["view", "status"]
)
LATENCY = Histogram(
    "ravabet_http_request_duration_seconds",
    "Time to answer a request (until the response starts), by view",
    ["view"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PAGE_CACHE = Counter(
    "ravabet_page_cache_responses",
    "Public pages by how the page cache answered (fast, hit, stale: from the cache; miss: "
    "rendered)",
    ["result"],
)

__all__ = ["CONTENT_TYPE_LATEST", "MetricsApplication", "render", "reset"]


def reset() -> None:
    """Empty the folder of per-process files (`ravabet serve`, before its workers start)."""
    folder = metrics_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.db"):
        path.unlink(missing_ok=True)


@lru_cache(maxsize=2048)
def view_name(path: str) -> str:
    """The URL pattern's name for a path (a bounded set of labels, never the path itself)."""
    from django.urls import Resolver404, resolve

    if path.startswith(settings.STATIC_URL):
        return "static"
    if path.startswith(settings.MEDIA_URL):
        return "media"
    from django.utils import translation

    # The URL map's language prefix follows the active language: resolve in the path's own.
    prefix = path.lstrip("/").split("/", 1)[0]
    codes = {code for code, _name in settings.LANGUAGES}
    language = prefix if prefix in codes else settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return "not-found"
    return match.view_name or getattr(match.func, "__name__", "view")


class MetricsApplication:
    """WSGI wrapper, outermost: it sees every answer, the fast path's cached pages included."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.perf_counter()
        seen: dict[str, Any] = {}

        def recording_start_response(status: str, headers: list, exc_info: Any = None) -> Any:
            seen["status"] = status[:3]
            seen["cache"] = next((v for n, v in headers if n.lower() == "x-page-cache"), None)
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, recording_start_response)
        except BaseException:
            seen.setdefault("status", "500")
            raise
        finally:
            try:
                self._record(environ, seen, time.perf_counter() - started)
            except Exception:  # metrics never break a response
                logger.exception("could not record a request's metrics")

    @staticmethod
    def _record(environ: dict[str, Any], seen: dict[str, Any], seconds: float) -> None:
        view = view_name(environ.get("PATH_INFO", "/"))
        REQUESTS.labels(view=view, status=seen.get("status", "500")).inc()
        LATENCY.labels(view=view).observe(seconds)
        if seen.get("cache"):
            PAGE_CACHE.labels(result=seen["cache"]).inc()


class SharedStateCollector(Collector):
    """Figures read from the database and the cache at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from . import state

        for name, help_text, value, labels in state.figures():
            family = GaugeMetricFamily(name, help_text, labels=list(labels))
            family.add_metric(list(labels.values()), value)
            yield family


def render() -> bytes:
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(metrics_dir()))
    registry.register(SharedStateCollector())
    return generate_latest(registry)
