"""The newsroom's documents in search (issue 12 item 1, issue 13 item 7): a long Persian title
on PostgreSQL, and the news code as a searchable term. Here because they import the newsroom,
which the search app's own tests may not (docs/architecture.md)."""

from __future__ import annotations

import json

import pytest

from ravabet.search import selectors

pytestmark = pytest.mark.django_db

LONG_TITLE = ("گزارش نشست شورای برنامه‌ریزی و توسعه استان درباره طرح‌های عمرانی " * 3)[:100]


def keys(page) -> list[str]:
    return [result.key for result in page.results]


def test_imported_item_with_long_title_is_searchable(offices):
    from ravabet.news.importer import import_lines

    report = import_lines(
        [json.dumps({"title": LONG_TITLE, "source_id": "long-1"}, ensure_ascii=False)],
        offices["gov"],
    )
    assert report.created == 1
    page = selectors.search("طرح‌های عمرانی")
    assert len(page.results) == 1
    assert len(page.results[0].url) > 500


def test_news_feed_puts_the_code_into_the_document(offices):
    from ravabet.news.importer import import_lines
    from ravabet.news.models import NewsItem

    import_lines([json.dumps({"title": "خبر کددار", "source_id": "c-1"})], offices["gov"])
    item = NewsItem.objects.get(source_id="c-1")
    page = selectors.search(f"کد خبر {item.code}")
    assert keys(page)[0] == str(item.pk)
