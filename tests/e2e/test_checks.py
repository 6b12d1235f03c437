"""The judges themselves must be able to say no: each is shown a bad document and a good one."""

from __future__ import annotations

import pytest
from django.utils import feedgenerator

from . import checks

GOOD_PAGE = """<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>آزمون</title>
</head><body><main><h1>آزمون</h1><p>سامانه <bdi>Ravabet</bdi> در سال <bdi>2026</bdi></p>
<p lang="en" dir="ltr">English text</p><label for="q">جستجو</label><input id="q" name="q">
</main></body></html>"""

BAD_PAGE = """<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>آزمون</title>
</head><body><main><h1>آزمون</h1><p>سامانه Ravabet در سال 2026</p><input name="q">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>"""


@pytest.fixture
def blank(browser):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def test_bidi_check_catches_latin_mixed_into_persian(blank) -> None:
    blank.set_content(BAD_PAGE)
    assert checks.unisolated_latin(blank) == ["p: سامانه Ravabet در سال 2026"]
    blank.set_content(GOOD_PAGE)
    assert checks.unisolated_latin(blank) == []


def test_label_check_catches_an_unlabelled_field(blank) -> None:
    blank.set_content(BAD_PAGE)
    assert len(checks.unlabelled_controls(blank)) == 1
    blank.set_content(GOOD_PAGE)
    assert checks.unlabelled_controls(blank) == []


def test_axe_reports_serious_violations(blank) -> None:
    blank.set_content(BAD_PAGE)
    found = " ".join(checks.axe_violations(blank))
    assert "image-alt" in found and "label" in found
    blank.set_content(GOOD_PAGE)
    assert checks.axe_violations(blank) == []


def test_vnu_reports_errors() -> None:
    found = checks.vnu_errors(
        {"good": GOOD_PAGE, "bad": GOOD_PAGE.replace("<title>آزمون</title>", "")}
    )
    assert found["good"] == []
    assert found["bad"]


def _feed(title: str = "اخبار") -> bytes:
    feed = feedgenerator.Rss201rev2Feed(
        title=title, link="https://portal.example.ir/", description="اخبار شبکه", language="fa"
    )
    feed.add_item(title="خبر", link="https://portal.example.ir/news/1/", description="متن")
    return feed.writeString("utf-8").encode()


def test_feed_check() -> None:
    assert checks.feed_problems(_feed()) == []
    assert checks.feed_problems(_feed()[:-40])  # cut short: not well-formed
    assert checks.feed_problems(b"<html><body>not a feed</body></html>")


def test_sitemap_check() -> None:
    good = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://portal.example.ir/ilam/</loc><lastmod>2026-11-25</lastmod></url>"
        b"</urlset>"
    )
    assert checks.sitemap_problems(good) == []
    assert checks.sitemap_problems(good.replace(b"https://portal.example.ir", b""))
    assert checks.sitemap_problems(good.replace(b"sitemap/0.9", b"sitemap/0.8"))
    assert checks.sitemap_problems(good[:-5])


def test_broken_word_check(blank) -> None:
    box = '<p style="width: 5em; {}">Governorate Administration</p>'
    blank.set_content(box.format("word-break: break-all"))
    assert checks.broken_latin_words(blank)
    blank.set_content(box.format(""))
    assert checks.broken_latin_words(blank) == []
