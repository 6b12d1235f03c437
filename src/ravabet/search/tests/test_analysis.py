"""The analyser against the issue's examples, every word of the seed texts, and properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ravabet.conftest import shared_path
from ravabet.search.analysis import (
    MAX_QUERY_CLAUSES,
    analyse_query,
    index_terms,
    stem,
    terms,
)

ZWNJ = "\u200c"


def finds(query: str, document: str) -> bool:
    """Would a document with this text match this query (the backends' rule)?"""
    indexed = index_terms(document).split()
    analysed = analyse_query(query)
    return not analysed.is_empty and all(
        any(_contains(indexed, alt) for alt in clause) for clause in analysed.clauses
    )


def _contains(terms: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(terms[i : i + n]) == phrase for i in range(len(terms) - n + 1))


SAME = [
    ("روابطعمومیها", "روابط عمومی ها", "روابط‌عمومی‌ها"),
    ("هیأترئیسه", "هیأت‌رئیسه", "هیأت رئیسه"),
    ("كتاب يك", "کتاب یک"),
    ("۲۷", "٢٧", "27"),
    ("می شود", "می‌شود", "میشود"),
    ("نمی شود", "نمی‌شود", "نمیشود"),
    ("بزرگ ترین", "بزرگ‌ترین", "بزرگترین"),
    ("کتاب ها", "کتاب‌ها", "کتابها"),
    ("پروتکل های بهداشتی", "پروتکل‌های بهداشتی", "پروتکلهای بهداشتی"),
]


@pytest.mark.parametrize("group", SAME)
def test_issue_examples_find_each_other(group):
    for query in group:
        for document in group:
            assert finds(query, document), (query, document)


def test_plural_and_prefix_forms_find_the_plain_word():
    assert finds("خبر", "خبرها") and finds("خبرها", "خبر")
    assert finds("بزرگ", "بزرگترین") and finds("رود", "میرود")
    assert finds("گوید", "نمی‌گوید")


def test_words_that_only_start_with_mi_keep_it():
    assert stem("میلیون") == "میلیون"
    assert stem("میدان") == "میدان"
    assert stem("میلیونها") == "میلیون"
    assert not finds("لیون", "میلیون")


def test_short_words_are_not_cut_to_nothing():
    assert stem("ها") == "ها"
    assert stem("دفتر") == "دفتر"  # not دف + تر
    assert stem("کتابها") == "کتاب"


def test_stop_words_are_dropped_but_join_compounds():
    assert terms("در و به از") == []
    assert analyse_query("و").is_empty
    assert analyse_query("و در").clauses == ((("ودر",), ("و", "در")),)
    assert finds("به روز", "بهروز")


def test_syntax_never_survives():
    for text in ['"a" OR b*', "NEAR(x y)", "title: x", "x) OR (y", "'; DROP TABLE t; --"]:
        for term in analyse_query(text).all_terms:
            assert re.fullmatch(r"\w+", term), term


def test_long_queries_are_cut():
    query = analyse_query(" ".join(f"واژه{i}" for i in range(100)))
    assert len(query.clauses) == MAX_QUERY_CLAUSES
    assert analyse_query("ب" * 10_000).clauses


def _seed_words() -> list[str]:
    seeds = shared_path("seeds")  # skips without it, fails under CI
    words: set[str] = set()
    for path in sorted(seeds.glob("*.txt")):
        words.update(re.findall(r"[\w\u200c]+", path.read_text(encoding="utf-8")))
    return sorted(w for w in words if w.strip(ZWNJ))


ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})
ARABIC_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹0123456789", "٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩")
ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def variants(word: str) -> dict[str, str]:
    return {
        "zwnj dropped": word.replace(ZWNJ, ""),
        "zwnj spaced": word.replace(ZWNJ, " "),
        "arabic letters": word.translate(ARABIC),
        "arabic digits": word.translate(ARABIC_DIGITS),
        "ascii digits": word.translate(ASCII_DIGITS),
    }


def test_every_seed_word_in_every_spelling():
    words = _seed_words()
    assert len(words) > 300
    failures = []
    for word in words:
        if analyse_query(word).is_empty:
            continue  # a stop word on its own
        for kind, variant in variants(word).items():
            if not (finds(variant, word) and finds(word, variant)):
                failures.append((kind, word, variant))
    assert failures == []


def test_every_seed_word_finds_itself_with_a_plural_suffix():
    failures = []
    for word in _seed_words():
        if analyse_query(word).is_empty or not re.fullmatch(r"[\u0600-\u06ff]{3,}", word):
            continue
        for plural in (word + ZWNJ + "ها", word + " ها", word + "ها"):
            if not finds(word, plural):
                failures.append((word, plural))
    assert failures == []


@settings(deadline=None)  # the shared CI machine is slow at times
@given(st.text(max_size=300))
def test_any_text_analyses_without_error(text):
    indexed = index_terms(text)
    assert "  " not in indexed
    query = analyse_query(text)
    for clause in query.clauses:
        assert clause and all(alt for alt in clause)
    assert all(t and " " not in t and '"' not in t for t in query.all_terms)


PERSIAN = st.text(alphabet="ابپتثجچحخدرزسشعفقکگلمنوهیآ", min_size=2, max_size=8)


@settings(deadline=None)  # the shared CI machine is slow at times
@given(st.lists(PERSIAN, min_size=1, max_size=4))
def test_a_phrase_always_finds_itself_in_any_spacing(words):
    text = " ".join(words)
    assert finds(text, text) or analyse_query(text).is_empty
    for query in (ZWNJ.join(words), text):
        assert finds(query, text) or analyse_query(query).is_empty


@settings(deadline=None)  # the shared CI machine is slow at times
@given(st.lists(PERSIAN, min_size=2, max_size=4))
def test_a_compound_without_zwnj_finds_the_spaced_one(words):
    joined = ZWNJ.join(words)
    glued = "".join(words)
    if analyse_query(glued).is_empty:
        return
    # Two-part compounds are found in both directions.
    if len(words) == 2:
        assert finds(glued, joined)
        assert finds(joined, glued)
