"""`isolate_latin`: Latin runs inside Persian text come out wrapped in <bdi>, everything escaped."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from ravabet.network.templatetags.persian import isolate_latin


def test_a_decision_code_in_a_persian_line_is_isolated_whole():
    out = isolate_latin("مصوبه ILM-۱-۳ — شورای هماهنگی")
    assert out == 'مصوبه <bdi dir="ltr">ILM-۱-۳</bdi> — شورای هماهنگی'


def test_safe_markup_keeps_its_tags_and_only_text_is_isolated():
    from django.utils.safestring import mark_safe

    out = isolate_latin(mark_safe("هماهنگی <mark>رسانه‌ای</mark> و ILM &amp; کد"))
    assert out == 'هماهنگی <mark>رسانه‌ای</mark> و <bdi dir="ltr">ILM</bdi> &amp; کد'


def test_markup_in_the_text_is_escaped_not_trusted():
    out = isolate_latin("<script>alert(1)</script> «خبر»")
    assert "<script>" not in out and "&lt;script&gt;" in out


@given(st.text(alphabet="abcXYZ019 -<>&\"'سلامیک۱۲۳\u200c", max_size=60))
def test_the_text_survives_and_no_latin_is_left_outside_an_isolate(text):
    out = str(isolate_latin(text))
    assert html.unescape(re.sub(r"</?bdi[^>]*>", "", out)) == text
    outside = re.sub(r"<bdi[^>]*>.*?</bdi>", "", out)
    assert not re.search(r"[A-Za-z0-9]", html.unescape(re.sub(r"&\w+;|&#\d+;", "", outside)))
