"""The WSGI fast path in front of Django: same pages, same headers, per-reader CSRF and counts."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from ravabet.news import pagecache, viewcounts
from ravabet.news.fastpath import FastPath

pytestmark = pytest.mark.django_db(transaction=False)


def call(app, path, cookie=""):
    # As a WSGI server passes it: percent-decoded bytes, as latin-1 text.
    raw = unquote_to_bytes(path).decode("latin-1")
    environ = {"PATH_INFO": raw, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver"}
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


def header(headers, name):
    return [value for key, value in headers if key.lower() == name.lower()]


@pytest.fixture
def app():
    # As Django's test client does: a request must not close the test's database connection
    # (on PostgreSQL that would end the test's transaction).
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield FastPath(WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_second_request_is_served_in_front_of_django_with_the_same_headers(app, publish):
    item = publish()
    path = item.office.get_absolute_url()
    status, first_headers, first = call(app, path)
    assert status.startswith("200") and header(first_headers, "X-Page-Cache") == ["miss"]
    status, headers, body = call(app, path)
    assert header(headers, "X-Page-Cache") == ["fast"]
    assert body == first
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert header(headers, name) == header(first_headers, name), name
    assert not header(headers, "X-Ravabet-Capture")


@pytest.fixture
def without_comment_fragment():
    """The news page as it is without the comments app (no per-reader fragment on it)."""
    previous = pagecache._fragments.pop("news_comments", None)
    yield
    if previous is not None:
        pagecache.register_fragment("news_comments", previous)


def test_csrf_token_is_the_readers_own_and_works(app, publish, without_comment_fragment):
    item = publish()
    call(app, item.get_absolute_url())  # store
    _, headers, body = call(app, item.get_absolute_url())
    assert header(headers, "X-Page-Cache") == ["fast"]
    assert pagecache.CSRF_MARK.encode() not in body
    cookie = header(headers, "Set-Cookie")[0].split(";")[0]  # csrftoken=<secret>
    token = body.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    strict = Client(enforce_csrf_checks=True)
    name, secret = cookie.split("=", 1)
    strict.cookies[name] = secret
    response = strict.post(
        f"/news/{item.code}/useful/", {"useful": "yes", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    # a reader who already has the cookie keeps it (no new cookie, a token masked from it)
    _, headers, body = call(app, item.get_absolute_url(), cookie=cookie)
    assert not header(headers, "Set-Cookie")


def test_fast_hits_count_views(app, publish, without_comment_fragment):
    item = publish()
    viewcounts.discard()
    for _ in range(3):
        call(app, item.get_absolute_url())
    assert viewcounts.pending() == {item.code: 3}


def test_staff_and_readers_with_messages_bypass_it(app, publish):
    item = publish()
    path = item.office.get_absolute_url()
    call(app, path)
    _, headers, _ = call(app, path, cookie="sessionid=abc")
    assert header(headers, "X-Page-Cache") != ["fast"]
    _, headers, _ = call(app, path, cookie="messages=xyz")
    assert header(headers, "X-Page-Cache") != ["fast"]


def test_a_publish_retires_fast_pages(app, publish):
    item = publish(title="اول")
    path = item.office.get_absolute_url()
    call(app, path)
    call(app, path)
    publish(title="خبر تازه برای مسیر سریع")
    _, headers, body = call(app, path)
    assert header(headers, "X-Page-Cache") == ["miss"]
    assert "خبر تازه برای مسیر سریع" in body.decode()


def test_news_page_with_comment_form_is_served_fast_with_a_question_per_reader(app, publish):
    item = publish()
    call(app, item.get_absolute_url())
    answers = [call(app, item.get_absolute_url()) for _ in range(2)]
    tokens = []
    for _, headers, body in answers:
        assert header(headers, "X-Page-Cache") == ["fast"]
        assert b'id="comment-form"' in body and b"@@ravabet-" not in body
        tokens.append(body.split(b'name="captcha_token" value="')[1].split(b'"')[0])
        assert header(headers, "X-Accel-Expires") != ["1"]  # a micro-cache must not keep it
    assert tokens[0] != tokens[1]
    from ravabet.network import captcha

    captcha.verify(tokens[0].decode(), str(_answer(answers[0][2])), "reader-1")


def _answer(body: bytes) -> int:
    """Solve the page's question as a reader would (Persian digits, + or −)."""
    import re

    from ravabet.network.text import to_ascii_digits

    question = re.search(r'for="id_captcha_answer">[^:<]*:\s*([^<=]+)=', body.decode())[1]
    a, op, b = to_ascii_digits(question).split()
    return int(a) + int(b) if op == "+" else int(a) - int(b)


def test_plain_http_under_https_goes_to_django_and_is_redirected(app, publish, settings):
    from ravabet.news import fastpath

    item = publish()
    path = item.office.get_absolute_url()
    call(app, path)
    call(app, path)
    assert not fastpath.eligible(
        {"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_HOST": "evil.example"}
    )
    settings.SECURE_SSL_REDIRECT = True
    status, _, _ = call(FastPath(WSGIHandler()), path)  # middleware read the setting at start
    assert status.startswith("301")
