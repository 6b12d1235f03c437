"""A news item's useful vote behind a trusted proxy: each reader has a budget of their own, and a
forged X-Forwarded-For from anyone else shares one (network.clientaddr; moved here from the
network app's tests because they use the newsroom, which network may not import)."""

from __future__ import annotations

import pytest

from ravabet.conftest import make_staff

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.RAVABET_TRUSTED_PROXIES = [PROXY, "fd00::/8"]


def _vote(client, code: int, reader: int, remote: str = PROXY):
    return client.post(
        f"/news/{code}/useful/",
        {"useful": "yes"},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=f"198.51.100.{reader}",
    )


@pytest.fixture
def news_code(offices):
    from ravabet.news import services
    from ravabet.news.models import NewsGroup

    editor = make_staff("editor1", offices["gov"], "editor")
    data = services.NewsData(
        title="نشست شورای هماهنگی",
        lead="لید خبر",
        body="متن خبر",
        group=NewsGroup.objects.get(slug="council"),
        tags=["شورا"],
    )
    item = services.publish(editor, services.create_news(editor, offices["gov"], data))
    return item.code


def test_21_readers_behind_the_proxy_each_have_their_own_vote_budget(
    behind_proxy, client, news_code
):
    """The vote limit is 20 per client per 10 minutes: one shared budget would refuse the 21st."""
    statuses = [_vote(client, news_code, reader).status_code for reader in range(1, 22)]
    assert 429 not in statuses, statuses
    assert set(statuses) == {302}


def test_a_spoofed_header_from_an_untrusted_peer_shares_one_budget(behind_proxy, client, news_code):
    statuses = [
        _vote(client, news_code, reader, remote="203.0.113.7").status_code
        for reader in range(1, 22)
    ]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
