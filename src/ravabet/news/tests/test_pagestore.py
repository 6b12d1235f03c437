"""One render per miss under load (stale copies meanwhile), and the per-process page copy in front
of the shared cache (news/pagestore.py)."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from ravabet.network import cache as network_cache
from ravabet.news import pagecache, pagestore

from .test_fastpath import app, call, header  # noqa: F401  # the fast path's fixture and helpers

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def version(monkeypatch):
    """The page version, set by the test (threads must not read the stamp from the database)."""
    current = {"value": "1.0"}
    monkeypatch.setattr(pagecache, "page_version", lambda: current["value"])
    cache.clear()
    pagestore.local.clear()
    yield current
    cache.clear()
    pagestore.local.clear()


def slow_view(renders, seconds=0.3):
    @pagecache.cached_page
    def view(request):
        with renders["lock"]:
            renders["count"] += 1
            number = renders["count"]
        time.sleep(seconds)
        return HttpResponse(f"render {number}")

    return view


def counter():
    return {"count": 0, "lock": threading.Lock()}


def together(view, n=8):
    """n requests for the same page at once; their (X-Page-Cache, body) pairs."""
    factory = RequestFactory()
    results, start = [], threading.Barrier(n)

    def one():
        request = factory.get("/popular/")
        start.wait()
        response = view(request)
        results.append((response["X-Page-Cache"], response.content.decode()))

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_misses_without_a_stale_copy_render_once_and_wait(version):
    renders = counter()
    results = together(slow_view(renders))
    assert renders["count"] == 1
    assert sorted(label for label, _ in results) == ["hit"] * 7 + ["miss"]
    assert {body for _, body in results} == {"render 1"}


def test_after_a_publish_one_request_renders_and_the_others_get_the_stale_copy(version):
    renders = counter()
    view = slow_view(renders)
    assert view(RequestFactory().get("/popular/")).content == b"render 1"
    version["value"] = "2.0"  # a publication
    results = together(view)
    assert renders["count"] == 2
    assert sorted(results) == [("miss", "render 2")] + [("stale", "render 1")] * 7
    after = view(RequestFactory().get("/popular/"))
    assert (after["X-Page-Cache"], after.content) == ("hit", b"render 2")


def test_a_failed_render_gives_the_lock_back(version):
    @pagecache.cached_page
    def broken(request):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        broken(RequestFactory().get("/popular/"))
    renders = counter()
    started = time.monotonic()
    assert slow_view(renders, 0)(RequestFactory().get("/popular/"))["X-Page-Cache"] == "miss"
    assert time.monotonic() - started < 0.5  # did not wait for a lock nobody holds


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "ravabet.network.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there: the cache is down
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
)
def test_with_the_cache_down_every_request_renders_at_once(monkeypatch):
    monkeypatch.setattr(pagecache, "page_version", lambda: "1.0")
    monkeypatch.setitem(network_cache._state, "down_until", 0.0)
    try:
        renders = counter()
        started = time.monotonic()
        results = together(slow_view(renders, 0.05), n=4)
        assert renders["count"] == 4
        assert {label for label, _ in results} == {"miss"}
        assert time.monotonic() - started < 1.5  # nobody waited for a lock
    finally:
        network_cache._state.update(down_until=0.0, error="")


class CountingCache:
    """The shared cache with its reads counted (stands for Redis: each call a round trip)."""

    def __init__(self, real):
        self.real, self.gets = real, 0

    def get(self, *args, **kwargs):
        self.gets += 1
        return self.real.get(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


@override_settings(RAVABET_PAGE_LOCAL_CACHE=True)
def test_a_second_hit_is_served_from_the_process_copy_without_a_shared_cache_call(
    version, monkeypatch
):
    counting = CountingCache(cache)
    monkeypatch.setattr(pagestore, "cache", counting)
    renders = counter()
    view = slow_view(renders, 0)
    view(RequestFactory().get("/popular/"))
    before = counting.gets
    second = view(RequestFactory().get("/popular/"))
    assert (second["X-Page-Cache"], second.content) == ("hit", b"render 1")
    assert counting.gets == before
    assert renders["count"] == 1


@override_settings(RAVABET_PAGE_LOCAL_CACHE=True)
def test_the_process_copy_never_serves_a_page_of_an_older_stamp(version):
    renders = counter()
    view = slow_view(renders, 0)
    view(RequestFactory().get("/popular/"))
    assert len(pagestore.local) == 1
    version["value"] = "2.0"
    fresh = view(RequestFactory().get("/popular/"))
    assert (fresh["X-Page-Cache"], fresh.content) == ("miss", b"render 2")


@override_settings(RAVABET_PAGE_LOCAL_ENTRIES=3, RAVABET_PAGE_LOCAL_BYTES=10_000)
def test_the_process_copy_is_bounded():
    pages = pagestore.LocalPages()
    for n in range(5):
        pages.put("1", f"k{n}", b"x" * 100)
    assert len(pages) == 3
    assert pages.get("1", "k0") is None and pages.get("1", "k4") == b"x" * 100
    for n in range(5):
        pages.put("1", f"big{n}", b"x" * 2400)
    assert pages._bytes <= 10_000


@override_settings(RAVABET_PAGE_LOCAL_CACHE=True)
def test_a_publish_retires_the_fast_paths_process_copy(app, publish):  # noqa: F811
    pagestore.local.clear()
    item = publish(title="اول")
    path = item.office.get_absolute_url()
    call(app, path)
    _, headers, _ = call(app, path)
    assert header(headers, "X-Page-Cache") == ["fast"]
    publish(title="خبر تازه پس از نسخهٔ محلی")
    _, headers, body = call(app, path)
    assert header(headers, "X-Page-Cache") == ["miss"]
    assert "خبر تازه پس از نسخهٔ محلی" in body.decode()
    pagestore.local.clear()
