"""The public portal's news pages, votes, feeds, sitemaps and the page cache, over real HTTP."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest

from ravabet.network.text import to_persian_digits
from ravabet.news import pagecache, services, viewcounts
from ravabet.news.models import NewsItem

pytestmark = pytest.mark.django_db


def test_news_page_shows_what_the_seeds_show(client, publish):
    item = publish(over_title="روتیتر خبر", lead="لید کوتاه")
    page = client.get(item.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    for text in (
        "روتیتر خبر",
        "لید کوتاه",
        to_persian_digits(str(item.code)),
        "این خبر برای شما مفید بود؟",
    ):
        assert text in html, text
    assert "Was this news useful?" not in html
    assert '"@type": "NewsArticle"' in html
    assert 'property="og:title"' in html
    assert pagecache.CSRF_MARK not in html


def test_wrong_slug_redirects_to_the_canonical_url(client, publish):
    item = publish()
    response = client.get(f"/news/{item.code}/old-title/")
    assert response.status_code == 301
    assert response["Location"] == item.get_absolute_url()
    assert client.get(f"/news/{item.code}/").status_code == 301


def test_unknown_code_is_a_persian_404(client, publish):
    publish()
    response = client.get("/news/999999/")
    assert response.status_code == 404
    assert "کد" in response.content.decode()


def test_one_vote_per_reader_and_staff_see_results(client, publish, people):
    item = publish()
    assert client.post(f"/news/{item.code}/useful/", {"useful": "yes"}).status_code == 302
    assert client.post(f"/news/{item.code}/useful/", {"useful": "no"}).status_code == 302
    item.refresh_from_db()
    assert (item.useful_yes, item.useful_no) == (1, 0)
    assert client.post(f"/news/{item.code}/useful/", {"useful": "maybe"}).status_code == 400


def test_vote_flood_is_rate_limited(client, publish):
    item = publish()
    codes = []
    for _ in range(25):
        client.cookies.pop("ravabet_reader", None)
        codes.append(client.post(f"/news/{item.code}/useful/", {"useful": "yes"}).status_code)
    assert codes[0] == 302 and codes[-1] == 429
    item.refresh_from_db()
    assert item.useful_yes == 1  # one client address: a fresh cookie jar is not a new vote


def test_a_fresh_cookie_jar_does_not_vote_again_but_another_address_does(client, publish):
    """Issue 11, item 19: one vote per reader key *and* per client address on each item."""
    item = publish()
    for _ in range(3):
        client.cookies.pop("ravabet_reader", None)
        client.post(f"/news/{item.code}/useful/", {"useful": "yes"})
    item.refresh_from_db()
    assert item.useful_yes == 1
    client.cookies.pop("ravabet_reader", None)
    client.post(f"/news/{item.code}/useful/", {"useful": "yes"}, REMOTE_ADDR="10.9.8.7")
    item.refresh_from_db()
    assert item.useful_yes == 2


def test_vote_needs_csrf(publish):
    from django.test import Client

    item = publish()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/news/{item.code}/useful/", {"useful": "yes"}).status_code == 403
    page = strict.get(item.get_absolute_url())
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token != pagecache.CSRF_MARK
    response = strict.post(
        f"/news/{item.code}/useful/", {"useful": "yes", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/office/ilam-gov/rss/",
        "/feeds/office/ilam-gov/atom/",
        "/feeds/group/council/rss/",
        "/feeds/tag/شورای-هماهنگی/atom/",
    ],
)
def test_feeds_parse_cleanly(client, publish, path):
    item = publish(body="<p>متن & نماد < و ></p>")
    response = client.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == [item.title]


def test_unknown_feed_kind_is_404(client):
    assert client.get("/feeds/nope/x/rss/").status_code == 404


def test_sitemaps_are_valid_xml(client, publish):
    item = publish()
    for path in ("/sitemap.xml", "/news-sitemap.xml"):
        response = client.get(path)
        assert response.status_code == 200
        root = ET.fromstring(response.content)  # noqa: S314 — our own server's output
        locs = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        assert any(str(item.code) in loc for loc in locs)


def test_pages_come_from_the_cache_until_something_changes(client, publish, people):
    item = publish(title="خبر نخست")
    office_home = item.office.get_absolute_url()
    assert client.get(office_home)["X-Page-Cache"] == "miss"
    assert client.get(office_home)["X-Page-Cache"] == "hit"
    second = publish(title="خبر تازه منتشرشده")
    response = client.get(office_home)
    assert response["X-Page-Cache"] == "miss"
    assert "خبر تازه منتشرشده" in response.content.decode()
    services.unpublish(people["editor"], second)
    assert "خبر تازه منتشرشده" not in client.get(office_home).content.decode()


def test_signed_in_staff_never_get_cached_pages(client, publish, people):
    from ravabet.conftest import sign_in

    item = publish()
    client.get(item.get_absolute_url())
    sign_in(client, people["editor"])
    assert "X-Page-Cache" not in client.get(item.get_absolute_url())


@pytest.mark.parametrize("count", [3, 25])
def test_query_counts_do_not_grow_with_the_archive(
    client, publish, count, django_assert_max_num_queries, settings
):
    settings.RAVABET_PAGE_CACHE_SECONDS = 0
    settings.RAVABET_STAMP_CHECK = 60  # stamps read once a minute, as in production (once a s)
    items = [publish(title=f"خبر شماره {n}") for n in range(count)]
    for path in (items[0].get_absolute_url(), items[0].office.get_absolute_url(), "/", "/news/"):
        with django_assert_max_num_queries(24):
            assert client.get(path).status_code == 200


def test_views_are_buffered_then_flushed(client, publish):
    item = publish()
    viewcounts.flush()
    for _ in range(3):
        assert client.get(item.get_absolute_url()).status_code == 200
    item.refresh_from_db()
    assert item.view_count == 0  # nothing written on the hot path
    assert viewcounts.pending()[item.code] == 3
    assert viewcounts.flush() == 3
    item.refresh_from_db()
    assert item.view_count == 3
    assert item.daily_views.get().count == 3


def test_most_viewed_follows_the_counts(client, publish):
    from ravabet.news import selectors

    quiet, popular = publish(title="کم‌بازدید"), publish(title="پربازدید")
    viewcounts.flush()
    for _ in range(4):
        client.get(popular.get_absolute_url())
    client.get(quiet.get_absolute_url())
    viewcounts.flush()
    assert [i.pk for i in selectors.most_viewed(limit=2)] == [popular.pk, quiet.pk]


def test_archive_group_tag_and_print_pages(client, publish):
    from ravabet.network.jalali import to_jalali_parts

    item = publish()
    y, m, _ = to_jalali_parts(item.published_at)
    for path in (
        "/news/",
        f"/news/archive/{y}/{m}/",
        "/news/group/council/",
        "/news/tag/شورای-هماهنگی/",
        f"/news/print/{item.code}/",
        f"/news/office/{item.office.slug}/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert item.title in response.content.decode(), path
    assert client.get("/news/archive/").status_code == 200
    assert client.get("/news/archive/1405/13/").status_code == 404
    assert client.get("/news/group/none/").status_code == 404


def test_translation_links_with_hreflang(client, publish):
    fa = publish(title="خبر فارسی")
    en = publish(title="English news", language="en", translation_of=fa)
    html = client.get(fa.get_absolute_url()).content.decode()
    assert f'hreflang="en" href="http://testserver{en.get_absolute_url()}"' in html


def test_drafts_are_never_public(client, people, offices):
    item = services.create_news(
        people["author"], offices["gov"], services.NewsData(title="محرمانه")
    )
    assert client.get(f"/news/{item.code}/").status_code == 404
    assert "محرمانه" not in client.get("/feeds/rss/").content.decode()
    assert NewsItem.objects.count() == 1


def test_fragment_slots_are_cached_with_the_page_and_retired_by_a_refresh(client, publish):
    from ravabet.news import pagecache, services

    calls = []

    def renderer(request, arg):
        calls.append(arg)
        return f"<p>fragment {arg} #{len(calls)}</p>"

    previous = pagecache._fragments.get("news_comments")  # the comments app's, if installed
    pagecache.register_fragment("news_comments", renderer)
    try:
        item = publish()
        first = client.get(item.get_absolute_url())
        second = client.get(item.get_absolute_url())
        assert second["X-Page-Cache"] == "hit"
        assert f"fragment {item.code} #1" in first.content.decode()
        assert f"fragment {item.code} #1" in second.content.decode()
        services.refresh_public_pages()  # what the app calls when its block changes
        third = client.get(item.get_absolute_url())
        assert f"fragment {item.code} #2" in third.content.decode()
    finally:
        pagecache._fragments.pop("news_comments", None)
        if previous is not None:
            pagecache.register_fragment("news_comments", previous)


def test_micro_cache_may_keep_only_pages_without_reader_parts(client, publish):
    item = publish()
    assert client.get(item.office.get_absolute_url())["X-Accel-Expires"] == "1"
    assert client.get(item.get_absolute_url())["X-Accel-Expires"] == "0"  # the vote form's token


def test_lists_beside_an_article_leave_out_the_item_and_its_translation(client, publish):
    from ravabet.news.models import NewsItem

    original = publish(title="هفته روابط عمومی", tags=["روابط عمومی"])
    english = publish(title="Public relations week", tags=["روابط عمومی"], language="en")
    NewsItem.objects.filter(pk=english.pk).update(translation_of=original)
    other = publish(title="خبر دیگری از همین گروه", tags=["روابط عمومی"])
    assert [t.name for t in other.tags.all()] == ["روابط عمومی"]
    html = client.get(original.get_absolute_url()).content.decode()
    aside = html.split('class="news-aside"')[1]
    assert other.title in aside
    assert "Public relations week" not in aside and original.title not in aside
