"""Issue 20: a publication retires only the cached pages that show the item (pagecache.retire).

Its office's pages and every office's above it, its group's pages and the articles of that group,
and the pages of any publication (province home, latest, tags, feeds); an article of another
office and group stays cached. Taking an item back retires every page.
"""

from __future__ import annotations

import pytest

from ravabet.news import pagecache, services
from ravabet.news.models import NewsGroup

from .test_fastpath import app, call, header  # noqa: F401  # the WSGI fixture and helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_group(db) -> NewsGroup:
    return NewsGroup.objects.get(slug="media")


def state(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response["X-Page-Cache"]


def test_an_unrelated_article_survives_a_publication(client, publish, offices, media_group):
    # Cached first: an article of the agency (media group), the agency's and the district's
    # home, the county's home, the province home.
    unrelated = publish(title="خبر راه و شهرسازی", office_key="agency", group=media_group)
    pages = {
        "unrelated article": unrelated.get_absolute_url(),
        "agency home": offices["agency"].get_absolute_url(),
        "district home": offices["district"].get_absolute_url(),
        "county home": offices["county"].get_absolute_url(),
        "governorate home": offices["gov"].get_absolute_url(),
        "province home": "/",
        "latest": "/news/",
    }
    for path in pages.values():
        client.get(path)
    assert {name: state(client, path) for name, path in pages.items()} == dict.fromkeys(
        pages, "hit"
    )

    publish(title="خبر تازه فرمانداری مهران", office_key="county")  # council group

    after = {name: state(client, path) for name, path in pages.items()}
    assert after == {
        "unrelated article": "hit",  # another office, another group
        "agency home": "hit",  # a sibling branch of the tree
        "district home": "hit",  # below the county: it does not show the county's items
        "county home": "miss",  # the item's office
        "governorate home": "miss",  # offices above it show their subtree's news
        "province home": "miss",
        "latest": "miss",
    }
    assert "خبر تازه فرمانداری مهران" in client.get("/").content.decode()
    assert "خبر تازه فرمانداری مهران" in client.get(pages["county home"]).content.decode()


def test_a_publication_in_the_group_retires_that_groups_articles(client, publish, media_group):
    first = publish(title="نخستین خبر رسانه", office_key="agency", group=media_group)
    other_group = publish(title="خبر شورا", office_key="agency")
    client.get(first.get_absolute_url())
    client.get(other_group.get_absolute_url())
    client.get(f"/news/group/{media_group.slug}/")
    publish(title="دومین خبر رسانه", office_key="county", group=media_group)
    # The article's aside lists its group's latest news: it now names the new item.
    response = client.get(first.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "دومین خبر رسانه" in response.content.decode()
    assert state(client, f"/news/group/{media_group.slug}/") == "miss"
    assert state(client, other_group.get_absolute_url()) == "hit"


def test_an_edit_retires_the_items_own_article_and_its_old_group(
    client, publish, people, group, media_group
):
    item = publish(title="عنوان نخست")
    client.get(item.get_absolute_url())
    client.get(f"/news/group/{group.slug}/")
    services.update_news(
        people["editor"],
        item,
        services.NewsData(title="عنوان ویرایش‌شده", lead="لید", body="متن", group=media_group),
    )
    response = client.get(item.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "عنوان ویرایش‌شده" in response.content.decode()
    # The old group's page listed it under its old title.
    old_group = client.get(f"/news/group/{group.slug}/")
    assert old_group["X-Page-Cache"] == "miss"
    assert "عنوان نخست" not in old_group.content.decode()


def test_taking_an_item_back_retires_every_page(client, publish, people, offices, media_group):
    unrelated = publish(title="خبر راه و شهرسازی", office_key="agency", group=media_group)
    taken = publish(title="خبری که پس گرفته می‌شود", office_key="county")
    client.get(unrelated.get_absolute_url())
    services.unpublish(people["manager"], taken)
    # Any article's aside ("related") may have listed it.
    assert state(client, unrelated.get_absolute_url()) == "miss"
    assert "خبری که پس گرفته می‌شود" not in client.get("/").content.decode()


def test_scheduling_changes_the_due_time_but_retires_nothing(client, publish, people, offices):
    from datetime import timedelta

    from django.utils import timezone

    from ravabet.network import versioning

    item = publish(title="خبر نخست")
    client.get("/")
    draft = services.create_news(
        people["editor"], offices["gov"], services.NewsData(title="خبر زمان‌دار", lead="", body="")
    )
    at = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    services.publish(people["editor"], draft, at=at)
    assert versioning.read(pagecache.PAGES)[1] == at
    assert state(client, "/") == "hit"
    assert state(client, item.get_absolute_url()) == "miss"  # first request: never cached


def test_a_publication_during_a_render_leaves_that_page_outdated(client, publish, offices):
    """The page is kept under the numbers read *before* the view ran: one rendered while an
    item was being published is not served as current afterwards."""
    publish(title="خبر نخست", office_key="county")
    home = offices["county"].get_absolute_url()
    original = pagecache.page_deps

    def late(request, stamps):
        deps = original(request, stamps)
        publish(title="خبری در میانه", office_key="county")  # committed mid-render
        return deps

    pagecache.page_deps = late
    try:
        assert state(client, home) == "miss"
    finally:
        pagecache.page_deps = original
    response = client.get(home)
    assert response["X-Page-Cache"] == "miss"
    assert "خبری در میانه" in response.content.decode()


def test_the_fast_path_keeps_the_scopes_too(app, publish, offices, media_group):  # noqa: F811
    unrelated = publish(title="خبر راه و شهرسازی", office_key="agency", group=media_group)
    paths = [unrelated.get_absolute_url(), offices["county"].get_absolute_url()]
    for path in paths:
        call(app, path)
    assert [header(call(app, path)[1], "X-Page-Cache") for path in paths] == [["fast"], ["fast"]]
    publish(title="خبر تازه فرمانداری مهران", office_key="county")
    article, county = (call(app, path) for path in paths)
    assert header(article[1], "X-Page-Cache") == ["fast"]
    assert header(county[1], "X-Page-Cache") == ["miss"]
    assert "خبر تازه فرمانداری مهران" in county[2].decode()
    assert not header(county[1], pagecache.DEPS_HEADER)  # never sent to the reader


def test_publishing_a_translation_retires_the_original_article(client, publish, media_group):
    fa = publish(title="خبر فارسی", group=media_group)
    client.get(fa.get_absolute_url())
    assert state(client, fa.get_absolute_url()) == "hit"
    en = publish(title="English news", language="en", translation_of=fa, group=None)
    response = client.get(fa.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert f'hreflang="en" href="http://testserver{en.get_absolute_url()}"' in (
        response.content.decode()
    )


def test_stamps_stay_few_one_pair_per_office_and_one_per_group(client, publish, offices):
    from ravabet.network.models import Stamp

    for n in range(5):
        publish(title=f"خبر {n}", office_key="district")
    names = set(Stamp.objects.filter(name__startswith="news.").values_list("name", flat=True))
    chain = offices["district"].ancestor_ids()
    assert names <= {
        pagecache.PAGES,
        pagecache.ANY,
        *(pagecache.office_scope(pk) for pk in chain),
        *(pagecache.articles_scope(pk) for pk in chain),
        *(pagecache.group_scope(g) for g in NewsGroup.objects.values_list("pk", flat=True)),
    }
