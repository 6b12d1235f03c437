"""The listing with facets (fixed number of queries), facet links from a write-up's page, the CSV
export, and finding lessons through the search app."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ravabet.experiences import search_feed, selectors, services
from ravabet.experiences.models import Experience

from .conftest import complete_data

pytestmark = pytest.mark.django_db


def _publish(offices, people, office_key="county", audience="public", **change):
    item = services.create(people["author_of"][office_key], offices[office_key],
                           complete_data(**change))  # fmt: skip
    services.submit(people["author_of"][office_key], item)
    services.review(people["reviewer"], item, "approve")
    return services.publish(people["author_of"][office_key], item, audience)


@pytest.fixture
def many(offices, people):
    people["author_of"] = {"county": people["author"], "agency": people["other"]}

    def make(count: int, **change):
        return [
            _publish(
                offices,
                people,
                "county" if i % 2 else "agency",
                kind="crisis" if i % 3 else "training",
                tags=[f"برچسب {i % 4}", "بحران"],
                title=f"تجربه شماره {i}",
                **change,
            )
            for i in range(count)
        ]

    return make


def _queries(user, filters) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = selectors.listing(user, filters)
        for item in result.items:
            list(item.tags.all())
            item.office.name  # noqa: B018
    return len(captured.captured_queries)


def test_the_listing_runs_a_fixed_number_of_queries(many, people):
    from django.contrib.auth.models import AnonymousUser

    many(3)
    filters = selectors.Filters(tag="بحران")
    few = _queries(AnonymousUser(), filters)
    many(25)
    assert _queries(AnonymousUser(), filters) == few
    assert selectors.listing(AnonymousUser(), filters).total == 28


def test_facets_count_with_the_other_filters(many):
    from django.contrib.auth.models import AnonymousUser

    many(6)
    result = selectors.listing(AnonymousUser(), selectors.Filters(kind="training"))
    assert result.total == 2
    kinds = {v.value: v.count for v in result.facets["kind"]}
    assert kinds == {"crisis": 4, "training": 2}  # the kind facet ignores its own filter
    offices = {v.value: v.count for v in result.facets["office"]}
    assert sum(offices.values()) == 2
    assert {v.value for v in result.facets["year"]} == {"1405"}


def test_each_facet_value_on_a_writeup_page_links_to_the_filtered_list(published, client):
    page = client.get(f"/experiences/{published.pk}/").content.decode()
    tag = published.tags.get(name="سیل")
    for query in (
        "?kind=crisis",
        f"?office={published.office.slug}",
        "?level=county",
        "?year=1405",
        f"?tag={quote(tag.key)}",
    ):
        assert f'/experiences/{query}"' in page, query
        listing = client.get("/experiences/" + query)
        assert listing.status_code == 200
        assert published.title in listing.content.decode()


def test_listing_page_in_persian(published, client):
    page = client.get("/experiences/").content.decode()
    assert "تجربه‌نگاری‌ها" in page and "ارتباطات بحران" in page and published.title in page


def test_csv_export_of_a_filtered_list(many, client):
    many(4)
    response = client.get("/experiences/export.csv?kind=training")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 1 + 2
    assert all(row[2] == "آموزش" for row in rows[1:])


def test_csv_export_leaves_out_network_only_writeups_for_readers(offices, people, client):
    people["author_of"] = {"county": people["author"]}
    _publish(offices, people, audience="network", title="ویژه شبکه")
    body = b"".join(client.get("/experiences/export.csv").streaming_content).decode()
    assert "ویژه شبکه" not in body


def _search(query, user=None):
    from ravabet.search.selectors import search

    return search(query, user=user)


def test_a_lesson_is_found_with_arabic_letters_and_without_zwnj(published):
    search_feed.reindex(published.pk)
    for query in ("هماهنگي رسانه اي", "رسانهای پیش از بحران", "سخنگوی واحد"):
        page = _search(query)
        sources = {(r.source, r.url) for r in page.results}
        assert any(
            source == search_feed.LESSON_SOURCE and "#lesson-" in url for source, url in sources
        ), (query, sources)


def test_network_only_writeups_are_not_found_by_readers(offices, people):
    people["author_of"] = {"county": people["author"]}
    item = _publish(offices, people, audience="network", title="ویژه کارکنان شبکه")
    search_feed.reindex(item.pk)
    assert _search("ویژه کارکنان").total == 0
    assert _search("ویژه کارکنان", user=people["author"]).total >= 1


def test_withdrawing_removes_writeup_and_lessons_from_search(published, people):
    search_feed.reindex(published.pk)
    assert _search("سخنگوی واحد").total >= 1
    services.unpublish(people["author"], published)
    search_feed.reindex(published.pk)
    assert _search("سخنگوی واحد").total == 0


def test_a_removed_lesson_leaves_the_index(published, people):
    search_feed.reindex(published.pk)
    data = complete_data()
    data.lessons = data.lessons[:1]
    services.update(people["author"], published, data)
    search_feed.reindex(published.pk)
    assert _search("سخنگوی واحد تناقض").total == 0
    assert Experience.objects.get(pk=published.pk).indexed_lessons == 1
