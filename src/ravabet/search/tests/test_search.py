"""The index and `selectors.search` on the real database (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from ravabet.conftest import make_staff
from ravabet.search import selectors
from ravabet.search.models import SearchDocument
from ravabet.search.services import index_document, remove_document

from .conftest import make_doc

pytestmark = pytest.mark.django_db

VARIANTS = [
    "روابطعمومیها",
    "روابط عمومی ها",
    "روابط‌عمومی‌ها",
    "روابط عمومی",
    "روابط‌عمومی",
    "روابطعمومی",
]


def keys(page) -> set[str]:
    return {r.key for r in page.results}


@pytest.mark.parametrize("query", VARIANTS)
def test_every_spelling_of_a_compound_finds_the_others(indexed, query):
    assert "1" in keys(selectors.search(query))


@pytest.mark.parametrize("query", ["هیأترئیسه", "هیأت‌رئیسه", "هیات رئیسه", "هيأت رئيسه"])
def test_hamza_zwnj_and_arabic_letters(indexed, query):
    assert keys(selectors.search(query)) == {"2"}


@pytest.mark.parametrize("query", ["۲۷ اردیبهشت", "٢٧ اردیبهشت", "27 اردیبهشت", "1405", "۱۴۰۵"])
def test_digits_in_every_script(indexed, query):
    assert keys(selectors.search(query)) == {"2"}


@pytest.mark.parametrize("query", ["میشود برگزار", "می شود برگزار", "می‌شود برگزار"])
def test_verb_prefix_spellings(indexed, query):
    assert keys(selectors.search(query)) == {"1"}


def test_written_without_zwnj_in_the_document_found_by_the_spaced_query(offices):
    index_document(make_doc(offices["gov"], "x", "اخبار روابطعمومیها", "متن"))
    assert keys(selectors.search("روابط عمومی ها")) == {"x"}
    assert keys(selectors.search("روابط‌عمومی")) == {"x"}


def test_drafts_only_for_staff_who_may_read_them(indexed, offices):
    """The "own draft" rule of `network.permissions`: editors and managers find every draft of
    their offices, an author only their own (issue 11, items 6 and 18)."""
    assert keys(selectors.search("سیل")) == set()
    county_author = make_staff("author-county", offices["county"], "author")
    assert keys(selectors.search("سیل", user=county_author)) == set()  # a colleague's draft
    index_document(
        make_doc(offices["county"], "5", "پیش‌نویس دیگر درباره سیل", is_public=False,
                 owner_id=county_author.pk)
    )  # fmt: skip
    assert keys(selectors.search("سیل", user=county_author)) == {"5"}
    county_editor = make_staff("editor-county", offices["county"], "editor")
    assert keys(selectors.search("سیل", user=county_editor)) == {"4", "5"}
    # A manager above reaches the subtree; an author elsewhere does not.
    root_manager = make_staff("manager-root", offices["root"], "manager")
    assert keys(selectors.search("سیل", user=root_manager)) == {"4", "5"}
    agency_author = make_staff("author-agency", offices["agency"], "author")
    assert keys(selectors.search("سیل", user=agency_author)) == set()
    responder = make_staff("responder-county", offices["county"], "responder")
    assert keys(selectors.search("سیل", user=responder)) == set()


def test_filters(indexed, offices):
    assert keys(selectors.search("برگزار")) == {"1", "2"}
    assert keys(selectors.search("برگزار", office=offices["county"])) == {"2"}
    # An office's filter takes in the offices under it.
    assert keys(selectors.search("برگزار", office=offices["gov"])) == {"1", "2"}
    assert keys(selectors.search("برگزار", office=offices["district"])) == set()
    assert keys(selectors.search("برگزار", group="council")) == {"2"}
    assert keys(selectors.search("برگزار", tag="ایلام")) == {"1"}
    assert keys(selectors.search("برگزار", tag="ایل")) == set()
    assert keys(selectors.search("bridge", language="en")) == {"3"}
    assert keys(selectors.search("bridge", language="fa")) == set()
    assert keys(selectors.search("برگزار", date_from=date(2026, 5, 1))) == {"1"}
    assert keys(selectors.search("برگزار", date_to=date(2026, 1, 5))) == {"2"}
    assert keys(selectors.search("برگزار", date_to=date(2026, 1, 4))) == set()


def test_sort_by_date_and_relevance(indexed):
    by_date = selectors.search("برگزار", sort="date")
    assert [r.key for r in by_date.results] == ["1", "2"]
    # Title matches outrank body matches.
    by_rank = selectors.search("هیأت رئیسه برگزار")
    assert [r.key for r in by_rank.results] == ["2"]


def test_words_found_together_rank_first(offices):
    from ravabet.search.services import index_documents

    scattered = "آب " * 5 + "متن بلند " * 30 + "شیرین " * 5
    index_documents(
        [
            make_doc(offices["gov"], "scattered", "گزارش", scattered),
            make_doc(offices["gov"], "together", "گزارش دیگر", "متن درباره آب شیرین استان"),
        ]
    )
    assert [r.key for r in selectors.search("آب شیرین").results] == ["together", "scattered"]


def test_pagination(offices):
    from ravabet.search.services import index_documents

    index_documents(
        [make_doc(offices["gov"], str(i), f"گزارش شماره {i}", "گزارش سالانه") for i in range(25)]
    )
    first = selectors.search("گزارش", per_page=10)
    third = selectors.search("گزارش", per_page=10, page=3)
    assert first.total == 25 and first.num_pages == 3 and first.has_next
    assert len(third.results) == 5 and not third.has_next and third.has_previous
    assert not keys(first) & keys(third)


def test_highlighted_snippet_is_escaped(offices):
    index_document(
        make_doc(
            offices["gov"], "h", "<b>عنوان</b> روابط‌عمومی", "متن <script>x</script> روابطعمومیها"
        )
    )
    result = selectors.search("روابط عمومی").results[0]
    assert "<mark>روابط‌عمومی</mark>" in result.title
    assert "&lt;b&gt;" in result.title
    assert "<mark>روابطعمومیها</mark>" in result.snippet
    assert "<script>" not in result.snippet


def test_highlight_picks_the_window_with_the_match():
    text = " ".join(["پر"] * 200) + " زلزله " + " ".join(["پر"] * 200)
    terms = selectors.analyse_query("زلزله").all_terms
    snippet = selectors.highlight(text, terms, window=10)
    assert "<mark>زلزله</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_did_you_mean(indexed):
    # One letter wrong (ت → ن): nothing matches as typed, so the fuzzy fallback finds the
    # article and the suggestion is shown as written.
    page = selectors.search("بهداشنی")
    assert page.fuzzy is True
    assert keys(page) == {"1"}
    assert page.did_you_mean == "بهداشتی"
    assert selectors.search(page.did_you_mean).total == 1
    assert selectors.search("برگزار").did_you_mean == ""


def test_update_and_remove(indexed, offices):
    index_document(make_doc(offices["gov"], "1", "عنوان تازه", "متن دیگر"))
    assert keys(selectors.search("پروتکل")) == set()
    assert keys(selectors.search("تازه")) == {"1"}
    assert SearchDocument.objects.filter(source="test", key="1").count() == 1
    remove_document("test", "1")
    assert keys(selectors.search("تازه")) == set()
    remove_document("test", "missing")  # no error


BAD_QUERIES = [
    "",
    "   ",
    "x" * 10_000,
    "روابط " * 2000,
    '"',
    '"روابط',
    "*",
    "روابط*",
    "NEAR",
    "NEAR(روابط عمومی)",
    "روابط NEAR عمومی",
    ":",
    "title_terms: روابط",
    "body_terms:",
    "AND OR NOT",
    "روابط AND",
    "'; DROP TABLE search_document; --",
    "1' OR '1'='1",
    "%",
    "_",
    "\\",
    "( ) { } [ ] ^ - + ~ | & ! <->",
    "\x00\x01\x1b[31m روابط \u202e\u200f",
    "روابطpublic relationsعمومی ۲۷abc٢٧",
    "🙂🙂",
    "\u200c\u200c\u200c",
    "ـــ",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_give_a_normal_result(indexed, query):
    page = selectors.search(query)
    assert page.total >= 0
    assert SearchDocument.objects.count() == 4
