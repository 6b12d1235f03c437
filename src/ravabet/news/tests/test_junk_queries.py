"""Cached pages are keyed only on the query parameters the page reads: junk query strings
(`?utm=<random>`) never add cache entries, through Django or through the fast path."""

from __future__ import annotations

import secrets
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.cache import caches

from ravabet.news import pagecache
from ravabet.news.tests.test_fastpath import app  # noqa: F401 — the fixture is used


def call(app, path, query=""):  # noqa: F811
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": "GET"}
    environ["HTTP_HOST"] = "testserver"
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


def _entries() -> int:
    from ravabet.network.cache import ResilientRedisCache

    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):  # the suite run with REDIS_URL
        return len(backend.redis_client().keys(f"{backend.key_prefix}:*"))
    # The local-memory cache of the default run: its private dict (not in the stubs).
    return len(backend._cache)  # type: ignore[attr-defined]


def test_100_junk_query_strings_add_no_cache_entries(client, publish):
    item = publish()
    for path in ("/news/", item.get_absolute_url(), "/"):
        assert client.get(path).status_code == 200
    before = _entries()
    for _ in range(100):
        response = client.get(f"/news/?utm={secrets.token_hex(8)}")
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "hit"
    for _ in range(20):
        junk = secrets.token_hex(6)
        assert client.get(f"{item.get_absolute_url()}?utm={junk}&fbclid={junk}").status_code == 200
        assert client.get(f"/?ref={junk}").status_code == 200
    assert _entries() == before


def test_the_junk_never_shows_in_the_page(client, publish):
    publish()
    body = client.get("/news/?utm=tracking-code-123").content.decode()
    assert "tracking-code-123" not in body


def test_values_the_page_would_not_keep_are_rendered_but_not_stored(client, publish):
    publish()
    assert client.get("/news/").status_code == 200
    before = _entries()
    for value in ("02", "abc", "999999", "1&page=2", ""):
        response = client.get(f"/news/?page={value}")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    assert _entries() == before


def test_a_page_that_reads_a_parameter_is_kept_per_value(client, publish):
    for n in range(3):
        publish(title=f"خبر شماره {n}")
    assert client.get("/news/?page=2")["X-Page-Cache"] == "miss"
    assert client.get("/news/?page=2&utm=x")["X-Page-Cache"] == "hit"


def test_the_fast_path_stores_only_canonical_query_strings(app, publish):  # noqa: F811
    publish()
    call(app, "/news/")
    assert ("X-Page-Cache", "fast") in call(app, "/news/")[1]
    before = _entries()
    for _ in range(30):
        status, headers, _body = call(app, "/news/", f"utm={secrets.token_hex(8)}")
        assert status.startswith("200")
        assert ("X-Page-Cache", "fast") not in headers
    for value in ("02", "abc"):
        call(app, "/news/", f"page={value}")
    assert _entries() == before


@pytest.mark.parametrize(
    ("query", "params", "expected"),
    [
        ("", ("page",), ("", True)),
        ("page=2", ("page",), ("page=2", True)),
        ("utm=1&page=2", ("page",), ("page=2", False)),
        ("page=2", (), ("", False)),
        ("page=02", ("page",), None),
        ("page=2&page=3", ("page",), None),
        ("reply=7&page=1", ("page", "reply"), ("page=1&reply=7", False)),
    ],
)
def test_cache_query(query, params, expected):
    assert pagecache.cache_query(query, params) == expected
