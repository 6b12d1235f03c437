"""Damm check digits catch every single error and every adjacent swap (exhaustive on a sample)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ravabet.network.checkdigit import damm, damm_valid


@given(st.text(alphabet="0123456789", min_size=1, max_size=14))
def test_every_single_error_and_adjacent_swap_is_caught(body):
    code = body + damm(body)
    assert damm_valid(code)
    for i, digit in enumerate(code):
        for other in "0123456789":
            if other != digit:
                assert not damm_valid(code[:i] + other + code[i + 1 :])
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            assert not damm_valid(code[:i] + code[i + 1] + code[i] + code[i + 2 :])


def test_not_digits_is_not_valid():
    assert not damm_valid("")
    assert not damm_valid("12a4")
    assert not damm_valid("١٢٣")  # Arabic-Indic digits are turned into ASCII before the check
