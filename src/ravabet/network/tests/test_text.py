"""Tests for ravabet.network.text: reference vectors, examples and properties."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ravabet.conftest import SHARED, missing, shared_path
from ravabet.network import text
from ravabet.network.text import (
    ZWNJ,
    arabic_to_persian_letters,
    expand_presentation_forms,
    fix_half_space,
    fold,
    normalize,
    strip_controls,
    to_arabic_digits,
    to_ascii_digits,
    to_persian_digits,
)

VECTORS_NAME = "persian_tools_vectors.jsonl"
VECTORS_MISSING = (
    f"reference vectors not found: expected ../shared/data/normalization/{VECTORS_NAME}"
    " next to the repository root (the shared folder is not part of the repo)"
)
# Our own cases (written for this project, kept in the repository): they run on every clone.
OWN_CASES = Path(__file__).with_name("data") / "normalisation_vectors.jsonl"


def _own_cases() -> list:
    params = []
    with OWN_CASES.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            case = json.loads(line)
            params.append(pytest.param(case, id=f"{number}-{case['function']}"))
    return params


@pytest.mark.parametrize("case", _own_cases())
def test_own_normalisation_case(case):
    function = getattr(text, case["function"])
    assert function(case["input"], **case["kwargs"]) == case["expected"], case["note"]


def test_own_cases_cover_zwnj_digits_and_letters():
    functions = {p.values[0]["function"] for p in _own_cases()}
    assert {"fix_half_space", "arabic_to_persian_letters", "to_persian_digits"} <= functions
    assert {"to_ascii_digits", "to_arabic_digits", "normalize", "fold"} <= functions


def _repo_root() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    return None


def _vectors_file() -> Path | None:
    root = _repo_root()
    if root is None:
        return None
    path = SHARED / "data" / "normalization" / VECTORS_NAME
    return path if path.is_file() else None


def _load_vectors() -> list:
    path = _vectors_file()
    if path is None:  # the test then skips, or fails under CI (ravabet.conftest.missing)
        return [pytest.param(None, id="vectors-missing")]
    params = []
    with path.open(encoding="utf-8") as fh:  # read in place, never copied into the repo
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            vector = json.loads(line)
            marks: tuple[()] | pytest.MarkDecorator = ()
            if vector.get("status") != "pass":
                marks = pytest.mark.skip(reason=f"upstream status {vector.get('status')!r}")
            params.append(pytest.param(vector, marks=marks, id=f"{number}-{vector['function']}"))
    return params


# Upstream (persian-tools, TypeScript) function -> ours. The upstream digit functions
# convert exactly one source set, so ours are called with the other set switched off.
FUNCTIONS = {
    "halfSpace": (fix_half_space, {}),
    "toPersianChars": (arabic_to_persian_letters, {}),
    "digitsArToFa": (to_persian_digits, {"from_ascii": False}),
    "digitsEnToFa": (to_persian_digits, {"from_arabic": False}),
    "digitsArToEn": (to_ascii_digits, {"from_persian": False}),
    "digitsFaToEn": (to_ascii_digits, {"from_arabic": False}),
    "digitsEnToAr": (to_arabic_digits, {"from_persian": False}),
    "digitsFaToAr": (to_arabic_digits, {"from_ascii": False}),
}


VECTORS = _load_vectors()
HALF_SPACE_VECTORS = [
    p for p in VECTORS if p.values[0] is None or p.values[0]["function"] == "halfSpace"
]


@pytest.mark.parametrize("vector", VECTORS)
def test_reference_vector(vector):
    if vector is None:
        missing(VECTORS_MISSING)
    function, kwargs = FUNCTIONS[vector["function"]]
    assert function(vector["input"], **kwargs) == vector["expected"]


@pytest.mark.parametrize("vector", HALF_SPACE_VECTORS)
def test_reference_half_space_vectors_also_hold_for_normalize(vector):
    if vector is None:
        missing(VECTORS_MISSING)
    assert normalize(vector["input"]) == vector["expected"]


def test_vectors_file_is_found_when_shared_folder_exists():
    root = _repo_root()
    assert root is not None and (root / "pyproject.toml").is_file()
    shared_path()  # skips without the folder, fails under CI
    assert _vectors_file() is not None


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("روابط عمومي ها", "روابط عمومی‌ها"),
        ("مي شود", "می‌شود"),
        ("٢٧", "۲۷"),
        ("ساعت ٢٧ و 27 و ۲۷", "ساعت ۲۷ و 27 و ۲۷"),
        ("كتاب ي", "کتاب ی"),
        ("مصطفى", "مصطفی"),
        ("سلام\u202eدنیا\u202c", "سلامدنیا"),
        ("\u2067خبر\u2069 \u200fتازه\u200e", "خبر تازه"),
        ("سلامـــت", "سلامت"),
        ("خبر  فوری   امروز", "خبر فوری امروز"),
        ("خبر\u00a0فوری\u2009امروز\u202f!", "خبر فوری امروز!"),
        ("  خبر  ", "خبر"),
        ("سلام ، خوبی ؟", "سلام، خوبی؟"),
        ("( خبر )", "(خبر)"),
        ("خانه\u200c\u200c\u200cها", "خانه‌ها"),
        ("\u200cخانه\u200c ها\u200c", "خانه‌ها"),
        ("۲۰\u200cها", "۲۰ها"),
        ("a\x00b\x07c\x9fd", "abcd"),
        ("خط یک  \r\nخط دو\t\r\n\r\n\r\n\r\nخط سه\n", "خط یک\nخط دو\n\nخط سه"),
        ("\n\nمتن\n\n", "متن"),
        ("ستون\tدوم", "ستون\tدوم"),
        ("دِرس", "دِرس"),  # persiantools' ar_to_fa would drop this kasra
        ("لباس های تر", "لباس‌های تر"),
        ("بزرگ تر و کوچک ترین", "بزرگتر و کوچکترین"),
        ("این ها و آن ها", "این‌ها و آن‌ها"),
        ("به تهران رفت", "به تهران رفت"),
        ("او هم رفت", "او هم رفت"),
        ("میز", "میز"),
        ("test ها", "test ها"),
        ("ا\u0653", "آ"),
    ],
)
def test_normalize_examples(raw, expected):
    assert normalize(raw) == expected


# --------------------------------------------------------------------------- our own vectors

CASES_FILE = Path(__file__).parent / "data" / "normalisation_cases.jsonl"
CASES = [
    json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['function']}-{c['input']}" for c in CASES])
def test_normalisation_case(case):
    """Each case carries the reason for the choice in its "why" field (issue 12)."""
    function = {"normalize": normalize, "fold": fold}[case["function"]]
    assert case["why"].strip()
    assert function(case["input"]) == case["expected"]


def test_may_is_not_joined_but_verbs_are():
    assert normalize("ماه می سال") == "ماه می سال"
    assert normalize("در ماه می سال گذشته می رفتند") == f"در ماه می سال گذشته می{ZWNJ}رفتند"


def test_strip_controls_keeps_zwnj_newline_and_tab():
    assert strip_controls("a\u200cb\nc\td\u202ee\u2066f\ufeff") == "a\u200cb\nc\tdef"


def test_fold_examples():
    assert fold("روابط‌عمومی‌ها") == fold("روابطعمومیها")
    assert fold("روابط عمومي ها") == fold("روابط عمومی‌ها")
    assert fold("۲۷") == fold("٢٧") == fold("27") == "27"
    assert fold("Ravabet NEWS") == "ravabet news"
    assert fold("مُحَمَّد") == fold("محمد")
    assert fold("مسئله") == fold("مسیله")
    assert fold("رئیس") == fold("رییس")
    assert fold("آب") == "آب"
    assert fold("أحمد") == fold("إحمد") == "احمد"
    assert fold("مؤسسه") == "موسسه"
    assert fold("مدرسة") == "مدرسه"
    assert fold("خانهٔ") == fold("خانۀ") == "خانه"
    assert fold("ن\u200cمی رود") == fold(fold("ن\u200cمی رود"))


def test_digit_wrappers_accept_ints():
    assert to_persian_digits(1405) == "۱۴۰۵"
    assert to_ascii_digits("۱۴۰۵/٠٢") == "1405/02"
    assert to_arabic_digits(0) == "٠"
    with pytest.raises(TypeError):
        to_persian_digits(None)


# --------------------------------------------------------------------------- properties

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآأئؤة"
ALPHABET = (
    PERSIAN_LETTERS
    + "يكى"  # Arabic yeh, kaf, alef maksura
    + "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
    + "  \u00a0\u2009\u200c\u0640\n\t"  # spaces, ZWNJ, kashida
    + "،؛؟.,!:()«»"
    + "\u064e\u0650\u064f\u0651"  # a few harakat
    + "\u202e\u200f\x00"  # controls
    + "abcXYZ"
)
TOKENS = ["می", "نمی", "بی", "ها", "های", "هایی", "تر", "ترین", "به", "هر", "هم", "این", "جا"]
TOKENS += ["آن", "که", "چند", "سال", "خانه", "مي", "كه", " ", " ", "\u200c", "\n", "ـ"]
# Issue 12: glued digits, ordinal suffixes, "ای", compounds, "May", presentation forms, "ھ".
TOKENS += ["۹", "9", "٩", "م", "ام", "مین", "ها", "ای", "زمین", "لرزه", "ماه", "رود", "ﺍ", "ﻻ"]
TOKENS += ["\ufe8e\ufeb3", "\ufdfd", "\ufe70", "\ufe77", "ھ", "رئیس", "F16"]

persianish = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(alphabet=ALPHABET, max_size=6)), max_size=14
).map("".join)

KASHIDA = "\u0640"
LETTER_MAP = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def letters(text: str) -> Counter:
    text = expand_presentation_forms(text)
    text = to_ascii_digits(unicodedata.normalize("NFC", text)).translate(LETTER_MAP)
    return Counter(
        ch for ch in text if ch != KASHIDA and (unicodedata.category(ch)[0] == "L" or ch.isdigit())
    )


PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


@PROPERTY_SETTINGS
@given(persianish)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@PROPERTY_SETTINGS
@given(persianish)
def test_normalize_never_loses_letters(text):
    assert letters(normalize(text)) == letters(text)


@PROPERTY_SETTINGS
@given(persianish)
def test_normalize_output_shape(text):
    out = normalize(text)
    assert "  " not in out
    assert out == out.strip()
    assert f" {ZWNJ}" not in out and f"{ZWNJ} " not in out
    assert not out.startswith(ZWNJ) and not out.endswith(ZWNJ)
    assert not any(ch in out for ch in "يكى")
    assert KASHIDA not in out
    assert "\u202e" not in out and "\x00" not in out
    assert "\n\n\n" not in out


def test_comparative_suffix_is_not_glued_to_a_number():
    # Found by the idempotence property: "۹م تر" glued to "۹متر" became "۹ متر" next time.
    assert fix_half_space("۹م تر") == "۹م تر"
    assert fix_half_space(fix_half_space("۹م تر")) == "۹م تر"
    assert fix_half_space("بزرگ تر") == "بزرگتر"


@PROPERTY_SETTINGS
@given(persianish)
def test_fix_half_space_is_idempotent(text):
    once = fix_half_space(text)
    assert fix_half_space(once) == once


@PROPERTY_SETTINGS
@given(persianish)
def test_fold_is_idempotent_and_absorbs_normalize(text):
    key = fold(text)
    assert fold(key) == key
    assert fold(normalize(text)) == key
    assert ZWNJ not in key


LATIN = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ0123456789'-_/@#", min_size=1, max_size=10),
    min_size=1,
    max_size=10,
).map(" ".join)


@PROPERTY_SETTINGS
@given(LATIN)
def test_normalize_never_changes_latin_text(text):
    # Latin words and ASCII digits with single spaces (no closing punctuation, whose
    # leading space is a spacing rule): nothing to canonicalise.
    if text.strip() != text or "  " in text:
        return
    assert normalize(text) == text
    assert fold(text) == text.lower()


@PROPERTY_SETTINGS
@given(persianish)
def test_normalize_length_bounds(text):
    out = normalize(text)
    expanded = expand_presentation_forms(text)
    digits = sum(ch.isdigit() for ch in text)
    # Spaces are only ever added around digits (at most one on each side of a digit run).
    assert len(out) <= len(expanded) + 2 * digits
    assert len(out) >= sum(letters(text).values())


@PROPERTY_SETTINGS
@given(persianish)
def test_normalize_leaves_no_presentation_forms_or_glued_digit_words(text):
    out = normalize(text)
    assert not any("\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefe" for ch in out)
    assert "ھ" not in out
