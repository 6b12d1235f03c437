"""Period keys in URLs and on the command line: parsed strictly, round-tripped."""

from __future__ import annotations

import pytest
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st

from ravabet.evaluation.selectors import parse_key


@given(st.text(max_size=30))
def test_any_text_is_a_key_or_a_404(text):
    try:
        year, month, slug = parse_key(text)
    except Http404:
        return
    assert year >= 0 and (month is None or 1 <= month <= 12) and isinstance(slug, str)


@given(
    st.integers(1300, 1600),
    st.one_of(st.none(), st.integers(1, 12)),
    st.sampled_from(["", "mehran", "ilam-roads"]),
)
def test_keys_round_trip(year, month, slug):
    key = f"{year}-{month:02d}" if month else str(year)
    if slug:
        key = f"{key}-{slug}"
    assert parse_key(key) == (year, month, slug)


@pytest.mark.parametrize("key", ["1405-13", "1405-00", "x-01", "", "-", "1405-08-"])
def test_bad_keys(key):
    if key == "1405-08-":
        assert parse_key(key) == (1405, 8, "")
        return
    with pytest.raises(Http404):
        parse_key(key)


def test_persian_digits_and_odd_digits():
    assert parse_key("۱۴۰۵-۰۸") == (1405, 8, "")
    with pytest.raises(Http404):
        parse_key("²")
