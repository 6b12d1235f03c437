"""The newsroom feeds the search app: published items for readers, drafts for their own staff."""

from __future__ import annotations

import re

import pytest

from ravabet.news import services
from ravabet.search import selectors as search

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def titles(page) -> list[str]:
    return [re.sub(r"</?mark>", "", str(result.title)) for result in page.results]


def test_published_items_are_found_in_every_spelling(
    settings, people, offices, group, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        item = services.create_news(
            people["editor"],
            offices["gov"],
            services.NewsData(title="نشست روابط‌عمومی‌ها در استانداری", group=group),
        )
        draft_results = titles(search.search("روابطعمومیها"))
        services.publish(people["editor"], item)
    assert item.title not in draft_results  # readers never find drafts
    assert item.title in titles(search.search("روابطعمومیها"))
    assert item.title in titles(search.search("روابط عمومي ها"))
    assert item.title in titles(search.search("روابط‌عمومی", user=people["editor"]))
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(people["editor"], item)
    assert item.title not in titles(search.search("روابطعمومیها"))


def test_staff_find_their_own_drafts_only(
    settings, people, offices, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        services.create_news(
            people["author"], offices["gov"], services.NewsData(title="پیش‌نویس محرمانه نشست")
        )
    assert titles(search.search("محرمانه", user=people["author"])) == ["پیش‌نویس محرمانه نشست"]
    assert titles(search.search("محرمانه", user=people["sibling_editor"])) == []
    assert titles(search.search("محرمانه")) == []


def test_imports_are_indexed_at_once(offices):
    from ravabet.news.importer import import_lines

    import_lines(['{"title": "خبر بایگانی درباره هیأت‌رئیسه", "source_id": "s1"}'], offices["gov"])
    assert titles(search.search("هیأترئیسه")) == ["خبر بایگانی درباره هیأت‌رئیسه"]
