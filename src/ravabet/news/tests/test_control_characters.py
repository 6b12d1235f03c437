"""A NUL (or another control character) in an address is a 400 for every route, at the edge:
on PostgreSQL a NUL reaching a query was a 500 (`/news/tag/%00/`, the tag, group, office feeds).
Run this file on PostgreSQL too (DATABASE_URL, docs/configuration.md)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ravabet.network.edge import bad_address
from ravabet.news.tests.test_fastpath import app, call  # noqa: F401 — the fixture is used

ADDRESSES = [
    "/news/tag/%00/",
    "/news/tag/%E2%80%8C%00x/",
    "/news/group/%00/",
    "/news/office/%00/",
    "/feeds/tag/%00/rss/",
    "/feeds/group/%00/atom/",
    "/feeds/office/%00/rss/",
    "/news/%00/",
    "/%00/",
    "/en/news/tag/%01/",
    "/search/?q=%00",
    "/news/?page=1%00",
    "/news/tag/a%1Fb/",
    "/demands/track/?code=%00",
    "/accounts/login/%00",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_control_character_in_the_address_is_a_400(client, db, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "درخواست نامعتبر" in response.content.decode()


@pytest.mark.parametrize("address", ["/news/tag/%00/", "/feeds/tag/%00/rss/"])
def test_the_fast_path_refuses_them_too(app, publish, address):  # noqa: F811
    publish()
    for _ in range(2):  # a second request would be a cache hit if the first had been stored
        status, _headers, _body = call(app, address)
        assert status.startswith("400")


def test_a_post_with_a_nul_in_the_address_is_refused(client, db):
    assert client.post("/news/1/useful/%00", {"useful": "yes"}).status_code == 400


def test_ordinary_addresses_pass(client, publish):
    item = publish(tags=["شورای هماهنگی"])
    assert client.get("/news/tag/شورای-هماهنگی/").status_code in (200, 404)
    assert client.get(item.get_absolute_url()).status_code == 200
    assert client.get("/search/?q=%D8%B1%D9%88%D8%A7%D8%A8%D8%B7%0Aline").status_code == 200


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"])))
def test_text_without_controls_is_never_refused(text):
    from urllib.parse import quote

    assert not bad_address("/news/tag/" + text + "/", "q=" + quote(text))


_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]))


@given(_TEXT, st.sampled_from(["\x00", "\x01", "\x1b", "\x7f"]), _TEXT)
def test_any_control_anywhere_is_refused(before, control, after):
    from urllib.parse import quote

    assert bad_address("/" + before + control + after, "")
    assert bad_address("/", "q=" + quote(before + control + after))
