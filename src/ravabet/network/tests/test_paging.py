"""`?page=` is read the same way by every list, and never fails."""

from __future__ import annotations

from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from ravabet.network.paging import MAX_PAGE, page_number, parse_page


def test_ordinary_pages():
    assert parse_page("3") == 3
    assert parse_page("۱۲") == 12  # Persian digits
    assert parse_page("٤") == 4  # Arabic-Indic digits
    assert parse_page(" 7 ") == 7


def test_nonsense_is_the_first_page():
    for value in (None, "", "0", "-5", "abc", "2.5", "1e9", "½", "٣x", "²"):
        assert parse_page(value) == 1, value


def test_huge_numbers_are_the_last_page():
    assert parse_page("9" * 50) == MAX_PAGE
    assert parse_page("9" * 10_000) == MAX_PAGE
    assert parse_page("250", last=100) == 100


def test_from_the_request():
    request = RequestFactory().get("/x/", {"page": "۴", "p": "2"})
    assert page_number(request) == 4
    assert page_number(request, name="p") == 2
    assert page_number(RequestFactory().get("/x/")) == 1


@given(st.text(), st.integers(min_value=1, max_value=10**6))
def test_any_text_gives_a_page_in_range(value, last):
    assert 1 <= parse_page(value, last=last) <= last


@given(st.integers(min_value=1, max_value=MAX_PAGE))
def test_a_page_in_range_reads_back(number):
    assert parse_page(str(number)) == number
