"""A list shows the items of its page's language: the Persian home no English item, and back."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ENGLISH_TITLE = "Ilam council meets on public relations week"
PERSIAN_TITLE = "نشست شورای هماهنگی روابط عمومی‌ها"


@pytest.fixture
def two_languages(publish):
    persian = publish(title=PERSIAN_TITLE)
    english = publish(title=ENGLISH_TITLE, language="en", tags=["council"])
    return persian, english


@pytest.mark.parametrize(
    "path", ["/", "/ilam-gov/", "/news/", "/news/group/council/", "/news/office/ilam-gov/"]
)
def test_persian_lists_leave_english_items_out(client, two_languages, path):
    html = client.get(path).content.decode()
    assert PERSIAN_TITLE in html
    assert ENGLISH_TITLE not in html


@pytest.mark.parametrize("path", ["/en/", "/en/ilam-gov/", "/en/news/", "/en/news/group/council/"])
def test_english_lists_leave_persian_items_out(client, two_languages, path):
    html = client.get(path).content.decode()
    assert ENGLISH_TITLE in html
    assert PERSIAN_TITLE not in html


def test_meta_line_isolates_date_and_office(client, two_languages):
    html = client.get("/").content.decode()
    card = html.split('class="news-card"', 1)[1].split("</li>", 1)[0]
    assert '<p class="meta"><bdi><time' in card
    assert "· <bdi>" in card
