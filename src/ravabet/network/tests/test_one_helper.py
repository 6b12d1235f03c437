"""The helpers that replaced several copies of the same question (docs/decisions.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils.translation import override

from ravabet.network.language import active_language, is_english
from ravabet.network.text import in_arabic_block
from ravabet.network.uploads import read_limited


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", True), ("en-us", True), ("en_GB", True), ("EN", True), ("fa", False), ("", False)],
)
def test_is_english_reads_the_primary_subtag(lang, expected):
    assert is_english(lang) is expected


def test_is_english_defaults_to_the_active_language():
    with override("en"):
        assert is_english() and active_language() == "en"
    with override("fa"):
        assert not is_english() and active_language() == "fa"


def test_one_percent_filter_in_both_languages():
    template = Template("{{ share|percent }}")
    with override("fa"):
        assert template.render(Context({"share": 0.8734})) == "۸۷٪"
        assert template.render(Context({"share": None})) == "—"
    with override("en"):
        assert template.render(Context({"share": 0.8734})) == "87%"


def test_comments_templates_use_the_shared_percent_filter():
    template = Template("{% load comments_tags %}{{ share|percent }}")
    with override("fa"):
        assert template.render(Context({"share": 0.5})) == "۵۰٪"


def test_read_limited_refuses_a_file_larger_than_declared():
    upload = SimpleUploadedFile("a.pdf", b"x" * 11)
    upload.size = 5  # a client may declare less than it sends
    with pytest.raises(ValidationError) as caught:
        read_limited(upload, 10)
    assert caught.value.code == "too_large"
    assert read_limited(SimpleUploadedFile("b.pdf", b"x" * 10), 10) == b"x" * 10


def test_arabic_block():
    assert in_arabic_block("ی") and in_arabic_block("ك") and in_arabic_block("۵")
    assert not in_arabic_block("a") and not in_arabic_block("\u200c")
