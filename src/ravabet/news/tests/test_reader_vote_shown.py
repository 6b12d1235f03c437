"""After a reload the "useful?" buttons show the reader's earlier answer, on cached pages too."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ravabet.news import readervotes

from .test_fastpath import app, call, header  # noqa: F401 — the fast path fixture

pytestmark = pytest.mark.django_db


def _pressed(html: str) -> dict[str, str]:
    box = html.split('id="useful"', 1)[1].split("</section>", 1)[0]
    return dict(re.findall(r'value="(yes|no)" class="secondary" aria-pressed="(true|false)"', box))


def test_answer_shows_pressed_after_reload_from_the_page_cache(client, publish):
    item = publish()
    first = client.get(item.get_absolute_url()).content.decode()
    assert _pressed(first) == {"yes": "false", "no": "false"}
    client.post(f"/news/{item.code}/useful/", {"useful": "no"})
    client.get(item.get_absolute_url())  # the page with the thank-you message (not cached)
    again = client.get(item.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    assert _pressed(again.content.decode()) == {"yes": "false", "no": "true"}
    assert "@@ravabet-useful" not in again.content.decode()


def test_a_second_vote_keeps_showing_the_first_answer(client, publish):
    item = publish()
    client.post(f"/news/{item.code}/useful/", {"useful": "yes"})
    client.cookies.pop(readervotes.COOKIE)  # e.g. the cookie was cleared, not the reader key
    client.post(f"/news/{item.code}/useful/", {"useful": "no"})  # "already voted"
    html = client.get(item.get_absolute_url()).content.decode()
    assert _pressed(html) == {"yes": "true", "no": "false"}


def test_the_fast_path_fills_the_answer_too(app, publish):  # noqa: F811
    item = publish()
    path = item.get_absolute_url()
    call(app, path)
    _status, headers, body = call(app, path, cookie=f"{readervotes.COOKIE}={item.code}y")
    assert header(headers, "X-Page-Cache") == ["fast"]
    assert _pressed(body.decode()) == {"yes": "true", "no": "false"}
    _status, headers, body = call(app, path)
    assert _pressed(body.decode()) == {"yes": "false", "no": "false"}


@given(st.text(max_size=300))
def test_any_cookie_value_is_safe(value):
    answers = readervotes.parse(value)
    assert all(code.isdigit() and choice in ("yes", "no") for code, choice in answers.items())
    filled = readervotes.fill(b'<button value="yes"@@ravabet-useful:12:yes@@>', value)
    assert filled in (
        b'<button value="yes" aria-pressed="true">',
        b'<button value="yes" aria-pressed="false">',
    )
