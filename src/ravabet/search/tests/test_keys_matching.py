"""`keys_matching`: one group's matching keys, for an app's own filtered list."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from ravabet.conftest import make_staff
from ravabet.search import selectors
from ravabet.search.services import index_documents

from .conftest import make_doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(offices):
    def at(day: int) -> datetime:
        return timezone.make_aware(datetime(2026, 5, day, 10, 0))

    index_documents(
        [
            make_doc(offices["gov"], "10", "مصوبه تجربه‌نگاری", "ثبت تجربه‌ها", group="dec",
                     published_at=at(1)),
            make_doc(offices["gov"], "11", "مصوبه تجربه نگاری دوم", "", group="dec",
                     published_at=at(3)),
            make_doc(offices["gov"], "12", "تجربهنگاری داخلی", "", group="dec", is_public=False,
                     published_at=at(4)),
            make_doc(offices["gov"], "13", "خبر تجربه‌نگاری", "", group="news",
                     published_at=at(5)),
        ]
    )  # fmt: skip


def test_only_the_group_newest_first_public_for_readers(decisions):
    assert selectors.keys_matching("تجربه‌نگاری", group="dec") == ["11", "10"]


def test_staff_of_the_office_also_find_internal_ones(decisions, offices):
    editor = make_staff("ed", offices["gov"], "editor")
    assert selectors.keys_matching("تجربه نگاری", group="dec", user=editor) == ["12", "11", "10"]


@pytest.mark.parametrize("query", ["", "   ", "؟!", None])
def test_no_words_match_nothing(decisions, query):
    assert selectors.keys_matching(query, group="dec") == []


def test_limit(decisions):
    assert selectors.keys_matching("مصوبه", group="dec", limit=1) == ["11"]
