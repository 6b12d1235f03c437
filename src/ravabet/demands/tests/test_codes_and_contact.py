"""Tracking codes and mobile numbers: property tests over what people type."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ravabet.demands import codes, contact
from ravabet.network.text import to_arabic_digits, to_persian_digits

code_bodies = st.text(alphabet="0123456789", min_size=12, max_size=12)


def make(body: str) -> str:
    return body + codes.check_digit(body)


def test_generated_codes_are_valid_and_distinct():
    seen = {codes.generate() for _ in range(2000)}
    assert len(seen) == 2000
    assert all(codes.is_valid(code) and len(code) == codes.LENGTH for code in seen)


@given(code_bodies)
def test_every_code_round_trips_through_display_and_any_digits(body):
    code = make(body)
    shown = codes.display(code)
    assert codes.parse(shown) == code
    assert codes.parse(to_persian_digits(shown)) == code
    assert codes.parse(to_arabic_digits(code)) == code
    assert codes.parse(" " + shown.replace("-", " ") + " ") == code


@given(code_bodies, st.integers(0, 12), st.integers(1, 9))
def test_any_single_mistyped_digit_is_caught_by_the_check(body, position, delta):
    code = make(body)
    wrong = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1 :]
    with pytest.raises(codes.CodeError) as error:
        codes.parse(wrong)
    assert error.value.reason == "check"


@given(code_bodies, st.integers(0, 11))
def test_any_swap_of_adjacent_digits_is_caught(body, position):
    code = make(body)
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    with pytest.raises(codes.CodeError) as error:
        codes.parse(swapped)
    assert error.value.reason == "check"


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_garbage_gives_a_code_error_never_a_crash(typed):
    try:
        code = codes.parse(typed)
    except codes.CodeError as error:
        assert error.reason in {"format", "check"}
    else:
        assert codes.is_valid(code)


@pytest.mark.parametrize(
    "typed", ["", "123", "12345678901234", "abcd-efgh-ijkl-m", "1234567890١٢x"]
)
def test_wrong_shapes_are_format_errors(typed):
    with pytest.raises(codes.CodeError) as error:
        codes.parse(typed)
    assert error.value.reason == "format"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_mobile_numbers_in_every_usual_spelling(rest):
    canonical = "09" + rest
    spellings = [
        canonical,
        to_persian_digits(canonical),
        to_arabic_digits(canonical),
        "+98" + canonical[1:],
        "+98 " + canonical[1:4] + " " + canonical[4:7] + " " + canonical[7:],
        "0098" + canonical[1:],
        canonical[1:],
        canonical[:4] + "-" + canonical[4:7] + "-" + canonical[7:],
    ]
    for typed in spellings:
        assert contact.normalize_mobile(typed) == canonical, typed


@pytest.mark.parametrize(
    "typed", ["", "02188888888", "0912345678", "091234567890", "۰۹۱۲abc۴۵۶۷", "+1 912 345 6789"]
)
def test_not_mobile_numbers(typed):
    assert contact.normalize_mobile(typed) is None


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_mobile_parser_never_crashes_and_only_returns_canonical_numbers(typed):
    result = contact.normalize_mobile(typed)
    assert result is None or (len(result) == 11 and result.startswith("09") and result.isdigit())
