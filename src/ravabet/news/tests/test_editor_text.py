"""The editor's plain fallback (issue 13, item 10): the body as text with line marks, never
tags, and back to HTML on save; the sanitiser keeps the item's own photos and no others."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ravabet.conftest import sign_in
from ravabet.news import richtext
from ravabet.news.forms import NewsForm

BODY = (
    "<h2>تیتر میانی</h2><p>بند با <strong>پررنگ</strong> و "
    '<a href="https://example.ir/">پیوند</a>.</p><ul><li>یک</li><li>دو</li></ul>'
    "<ol><li>نخست</li><li>دوم</li></ol><blockquote><p>نقل‌قول</p></blockquote>"
)


def test_editable_text_has_no_tags_and_keeps_the_structure():
    text = richtext.to_editable_text(richtext.sanitize(BODY))
    assert "<" not in text and ">" not in text.replace("> نقل", "")
    assert text == (
        "## تیتر میانی\n\nبند با پررنگ و پیوند.\n\n- یک\n- دو\n\n۱. نخست\n۲. دوم\n\n> نقل‌قول"
    )
    back = richtext.sanitize(richtext.from_editable_text(text))
    assert back == (
        "<h2>تیتر میانی</h2><p>بند با پررنگ و پیوند.</p><ul><li>یک</li><li>دو</li></ul>"
        "<ol><li>نخست</li><li>دوم</li></ol><blockquote><p>نقل‌قول</p></blockquote>"
    )


def test_text_that_looks_like_a_tag_stays_text():
    assert richtext.from_editable_text("a <b> c") == "<p>a &lt;b&gt; c</p>"


def test_only_the_sites_own_images_survive():
    clean = richtext.sanitize(
        '<p><img src="/media/news/2026/11/a.jpg" alt="عکس" onerror="x()">'
        '<img src="https://tracker.example/p.gif" alt="x"><img src="/media/../etc/passwd"></p>'
    )
    assert clean == '<p><img src="/media/news/2026/11/a.jpg" alt="عکس"></p>'


_words = (
    st.text(alphabet="ابپتثجچحخدذرزسشکگلمنوهی ", min_size=1, max_size=20)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
_block = st.one_of(
    _words.map(lambda w: f"<p>{w}</p>"),
    _words.map(lambda w: f"<h2>{w}</h2>"),
    _words.map(lambda w: f"<h3>{w}</h3>"),
    st.lists(_words, min_size=1, max_size=4).map(
        lambda ws: "<ul>" + "".join(f"<li>{w}</li>" for w in ws) + "</ul>"
    ),
    st.lists(_words, min_size=1, max_size=4).map(
        lambda ws: "<ol>" + "".join(f"<li>{w}</li>" for w in ws) + "</ol>"
    ),
    _words.map(lambda w: f"<blockquote><p>{w}</p></blockquote>"),
)


@given(st.lists(_block, min_size=1, max_size=6))
def test_block_structure_survives_the_round_trip(blocks):
    html = richtext.sanitize("".join(blocks))
    text = richtext.to_editable_text(html)
    assert "<" not in text
    assert richtext.sanitize(richtext.from_editable_text(text)) == html


FORM = {"title": "عنوان", "over_title": "", "lead": "", "tags": "", "language": "fa"}


def test_unchanged_text_keeps_bold_and_links_without_javascript():
    initial = {"body_html": richtext.sanitize(BODY)}
    text = richtext.to_editable_text(initial["body_html"])
    form = NewsForm(dict(FORM, body=text, body_format="text"), initial=initial)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == initial["body_html"]
    edited = NewsForm(dict(FORM, body=text + "\n\nبند تازه", body_format="text"), initial=initial)
    assert edited.is_valid()
    assert edited.cleaned_data["body"].endswith("<p>بند تازه</p>")
    assert "<h2>تیتر میانی</h2>" in edited.cleaned_data["body"]


@pytest.mark.django_db
def test_edit_page_shows_text_in_the_textarea_and_html_for_the_editor(client, people, publish):
    item = publish(body=BODY)
    sign_in(client, people["editor"])
    page = client.get(f"/staff/news/{item.code}/").content.decode()
    area = page.split('name="body"', 1)[1].split("</textarea>", 1)[0]
    assert "## تیتر میانی" in area
    assert "&lt;" not in area and "<p>" not in area  # no tag, escaped or not
    assert 'id="news-body-html"' in page
    assert 'data-editor="rich"' in page
    assert "vendor/quill/quill.js" in page
