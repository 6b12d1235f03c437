"""Issue 12 (search) and issue 13 item 7: Persian the way readers and pasted text write it.

Run on both databases: the long-address and failing-document tests matter most on
PostgreSQL (``DATABASE_URL=postgres://... pytest ...``), where a column's length is enforced.
"""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from hypothesis import given, settings
from hypothesis import strategies as st

from ravabet.search import backends, registry, selectors
from ravabet.search.analysis import analyse_query, index_terms, stem
from ravabet.search.models import SearchDocument
from ravabet.search.selectors import highlight
from ravabet.search.services import index_documents

from .conftest import make_doc

pytestmark = pytest.mark.django_db

# A 100-letter Persian title: its percent-encoded slug is about 600 characters.
LONG_TITLE = ("گزارش نشست شورای برنامه‌ریزی و توسعه استان درباره طرح‌های عمرانی " * 3)[:100]


def keys(page) -> list[str]:
    return [r.key for r in page.results]


def _long_url(title: str) -> str:
    from urllib.parse import quote

    return "/news/1001/" + quote(title.replace(" ", "-")) + "/"


# -- 1. long addresses, failures that stay alone, atomic rebuild ------------------------


def test_long_persian_address_is_indexed(offices):
    url = _long_url(LONG_TITLE)
    assert len(url) > 500
    doc = make_doc(offices["gov"], "long", LONG_TITLE, "متن خبر")
    doc = type(doc)(**{**doc.__dict__, "url": url})
    report = index_documents([doc])
    assert report.indexed == 1 and report.failed == []
    page = selectors.search("برنامه‌ریزی توسعه")
    assert keys(page) == ["long"]
    assert page.results[0].url == url


def test_a_failing_document_does_not_stop_the_others(offices, monkeypatch, caplog):
    write = backends.Backend._write

    def refuse_bad(self, rows):
        if any(r.key == "bad" for r in rows):
            raise DatabaseError("refused")
        return write(self, rows)

    monkeypatch.setattr(backends.Backend, "_write", refuse_bad)
    docs = [
        make_doc(offices["gov"], "a", "سیل در مهران"),
        make_doc(offices["gov"], "bad", "سیل بد"),
        make_doc(offices["gov"], "c", "سیل در ایلام"),
    ]
    report = index_documents(docs)
    assert report.indexed == 2
    assert [(s, k) for s, k, _ in report.failed] == [("test", "bad")]
    assert sorted(keys(selectors.search("سیل"))) == ["a", "c"]
    assert "test:bad not indexed" in caplog.text


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite does not enforce a column's length"
)
def test_a_document_postgresql_refuses_fails_alone(offices):
    docs = [
        make_doc(offices["gov"], "x" * 101, "کلید بیش از اندازه"),  # key is 100 characters
        make_doc(offices["gov"], "ok", "کلید درست اندازه"),
    ]
    report = index_documents(docs)
    assert report.indexed == 1 and len(report.failed) == 1
    assert keys(selectors.search("اندازه")) == ["ok"]


def test_an_analysis_error_fails_alone(offices, monkeypatch):
    to_row = backends.to_row

    def broken(doc):
        if doc.key == "bad":
            raise ValueError("broken text")
        return to_row(doc)

    monkeypatch.setattr(backends, "to_row", broken)
    report = index_documents(
        [make_doc(offices["gov"], "bad", "باران"), make_doc(offices["gov"], "ok", "باران")]
    )
    assert report.indexed == 1 and report.failed[0][1] == "bad"


@pytest.fixture
def source():
    """A registered source whose documents a test sets."""
    docs: list = []
    registry.register_source("quality", lambda: iter(docs))
    yield docs
    registry.unregister_source("quality")


def test_rebuild_that_fails_keeps_the_old_index(offices, source, monkeypatch):
    index_documents([make_doc(offices["gov"], "old", "خبر قدیمی نمایه", source="quality")])

    def explode():
        yield make_doc(offices["gov"], "new", "خبر تازه", source="quality")
        raise RuntimeError("the source broke half-way")

    monkeypatch.setattr(registry, "_SOURCES", {})
    registry.register_source("quality", explode)
    with pytest.raises(RuntimeError):
        call_command("rebuild_search_index", "--no-progress", stdout=io.StringIO())
    assert keys(selectors.search("نمایه")) == ["old"]  # emptied and refilled together
    assert not SearchDocument.objects.filter(key="new").exists()


def test_rebuild_reports_a_bad_document_and_keeps_the_rest(offices, source, monkeypatch):
    monkeypatch.setattr(registry, "_SOURCES", {"quality": registry._SOURCES["quality"]})
    source.extend(
        [make_doc(offices["gov"], "a", "دوباره سازی"), make_doc(offices["gov"], "bad", "سازی")]
    )
    write = backends.Backend._write

    def refuse_bad(self, rows):
        if any(r.key == "bad" for r in rows):
            raise DatabaseError("refused")
        return write(self, rows)

    monkeypatch.setattr(backends.Backend, "_write", refuse_bad)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 سند نمایه نشد"):
        call_command("rebuild_search_index", "--no-progress", stdout=io.StringIO(), stderr=err)
    assert "test:bad" in err.getvalue()
    assert keys(selectors.search("دوباره")) == ["a"]


# -- 2. ezafe and enclitics ------------------------------------------------------------


@pytest.fixture
def words_doc(offices):
    index_documents(
        [
            make_doc(
                offices["gov"],
                "w",
                "دانشگاه میشیگان و قطعه نخست",
                "تجربه کارگر در کشور با قهوه و فاصله ۹ کیلومتر تا کبوتر و رئیس هیأت همه‌پرسی "
                "استانداری",
            ),
            make_doc(offices["gov"], "k", "کیلوم", "واژه‌ای دیگر"),
        ]
    )


@pytest.mark.parametrize(
    "query",
    [
        "دانشگاه‌ی میشیگان",
        "دانشگاه ی میشیگان",
        "قطعه ی نخست",
        "قطعه‌ی نخست",
        "تجربهی کارگر",
        "قهوهش",
        "قهوه‌اش",
    ],
)
def test_ezafe_and_enclitics_find_the_bare_word(words_doc, query):
    assert keys(selectors.search(query)) == ["w"]


def test_a_lone_yeh_is_not_a_required_word():
    assert analyse_query("قطعه ی نخست").primary_terms == ("قطعه", "نخست")


# -- 4. presentation forms, «ھ», «ئ»/«ی» -------------------------------------------------


def _isolated(text: str) -> str:
    """``text`` in isolated presentation forms (what NFKC must undo)."""
    forms: dict[str, str] = {}
    for code in range(0xFE70, 0xFEFF):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and parts[0] == "<isolated>":
            forms.setdefault(chr(int(parts[1], 16)), chr(code))
    for code in range(0xFB50, 0xFE00):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and parts[0] == "<isolated>":
            forms.setdefault(chr(int(parts[1], 16)), chr(code))
    return "".join(forms.get(c, c) for c in text)


@pytest.mark.parametrize(
    "query",
    ["ﺍﺳﺘﺎﻧﺪﺍﺭﯼ", "ھمه‌پرسی", "رییس هیات", "رئیس هیئت", "ﺭﺋﯿﺲ"],
)
def test_other_unicode_forms_and_spellings(words_doc, query):
    assert keys(selectors.search(query)) == ["w"]


def test_hyat_raeese_finds_the_hamza_spelling(indexed):
    assert keys(selectors.search("هیات رییسه")) == ["2"]


_FA = st.text(alphabet="ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی ", min_size=1, max_size=40)


@given(_FA)
@settings(max_examples=200, deadline=None)
def test_presentation_forms_index_like_the_letters(text):
    assert index_terms(_isolated(text)) == index_terms(text)


@given(_FA)
@settings(max_examples=200, deadline=None)
def test_heh_doachashmee_indexes_like_heh(text):
    assert index_terms(text.replace("ه", "\u06be")) == index_terms(text)


@given(_FA)
@settings(max_examples=200, deadline=None)
def test_hamza_yeh_indexes_like_yeh(text):
    assert index_terms(text.replace("ی", "ئ")) == index_terms(text)


# -- 5. stemming -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("کیلومتر", "کیلومتر"),
        ("کبوتر", "کبوتر"),
        ("انگشتر", "انگشتر"),
        ("دفاتر", "دفاتر"),
        ("بزرگتر", "بزرگ"),
        ("مهمتر", "مهم"),
        ("بیشترین", "بیش"),
    ],
)
def test_comparative_rule_knows_its_exceptions(word, expected):
    assert stem(word) == expected


def test_kilometre_does_not_match_a_made_up_stem(words_doc):
    assert keys(selectors.search("کیلومتر")) == ["w"]
    assert keys(selectors.search("کیلوم")) == ["k"]


@pytest.mark.parametrize("query", ["کارگران", "کارگر", "کشوری", "کشور"])
def test_plurals_and_adjectival_yeh_relate_to_the_word(offices, query):
    index_documents(
        [
            make_doc(offices["gov"], "p", "کارگران کشوری"),
            make_doc(offices["gov"], "s", "کارگر کشور"),
        ]
    )
    assert sorted(keys(selectors.search(query))) == ["p", "s"]


@given(
    st.integers(min_value=0, max_value=99999),
    st.sampled_from(["کیلومتر", "درصد", "نفر", "میلیارد", "روز"]),
    st.sampled_from(["0123456789", "۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩"]),
)
@settings(max_examples=150, deadline=None)
def test_glued_digits_index_like_spaced(number, word, digits):
    written = str(number).translate(str.maketrans("0123456789", digits))
    assert index_terms(f"{written}{word}") == index_terms(f"{written} {word}")
    assert index_terms(f"{word}{written}") == index_terms(f"{word} {written}")


def test_glued_digits_find_the_spaced_text(words_doc):
    assert keys(selectors.search("۹کیلومتر")) == ["w"]


def test_exact_form_ranks_before_derived_forms(offices):
    # The plural document is newer and shorter (it would win on rank or date alone).
    index_documents(
        [
            make_doc(offices["gov"], "singular", "کارگر نمونه", "متن بلندتر درباره کارگر نمونه"),
            make_doc(offices["gov"], "plural", "کارگران"),
        ]
    )
    assert keys(selectors.search("کارگر")) == ["singular", "plural"]
    assert keys(selectors.search("کارگران")) == ["plural", "singular"]


def test_derived_forms_wait_until_the_exact_query_finds_less_than_a_page(offices):
    index_documents(
        [make_doc(offices["gov"], f"s{i}", f"کارگر شماره {i}") for i in range(10)]
        + [make_doc(offices["gov"], "plural", "کارگران")]
    )
    page = selectors.search("کارگر")
    assert "plural" not in keys(page) and page.total == 10


def test_a_derived_form_with_the_words_together_is_ranked_in_when_the_typed_words_fill_pages(
    offices,
):
    # Twelve items have both typed words apart; one says the singular with the words together.
    filler = [
        make_doc(offices["gov"], f"f{i}", f"گزارش {i}", f"کارگران امروز آمدند و بعد {i} ساختمانی")
        for i in range(12)
    ]
    target = make_doc(offices["gov"], "target", "خبر کار", "بیمه کارگر ساختمانی در استان")
    index_documents([target, *filler])
    page = selectors.search("کارگران ساختمانی")
    assert page.total == 13
    assert keys(page)[0] == "target"
    assert "<mark>کارگر</mark> <mark>ساختمانی</mark>" in page.results[0].snippet


def test_an_exact_match_with_its_words_together_stays_ahead_of_a_derived_one(offices):
    # The derived form is rarer, so BM25 alone would put its document first.
    index_documents(
        [
            make_doc(offices["gov"], "derived", "کارگران ساختمانی", "بیمه"),
            make_doc(offices["gov"], "exact", "کارگر ساختمانی", "متن بلندتر درباره بیمه کارگر"),
            *[make_doc(offices["gov"], f"c{i}", f"کارگر شماره {i}", "متن") for i in range(5)],
        ]
    )
    assert keys(selectors.search("کارگر ساختمانی"))[:2] == ["exact", "derived"]
    assert keys(selectors.search("کارگران ساختمانی"))[:2] == ["derived", "exact"]


def test_derived_ranking_keeps_the_query_as_written_for_single_words_and_date_order(offices):
    index_documents(
        [make_doc(offices["gov"], f"s{i}", f"کارگر شماره {i}") for i in range(10)]
        + [make_doc(offices["gov"], "plural", "کارگران شماره")]
    )
    assert "plural" not in keys(selectors.search("کارگر"))
    assert "plural" not in keys(selectors.search("کارگر شماره", sort="date"))
    assert "plural" in keys(selectors.search("کارگر شماره", per_page=20))


# -- 6. highlighting -----------------------------------------------------------------------


def test_highlight_never_marks_the_verb_prefix_alone():
    text = "این کار انجام می‌شود و او می‌رود."
    marked = highlight(text, analyse_query("می‌شود").highlight_terms)
    assert "<mark>می‌شود</mark>" in marked
    assert "<mark>می‌رود</mark>" not in marked and "<mark>می</mark>" not in marked
    text = "در ماه می کار انجام می‌شود و او می‌رود."
    marked = highlight(text, analyse_query("ماه می").highlight_terms)
    assert "<mark>ماه</mark>" in marked
    assert "می‌رود</mark>" not in marked and "می‌شود</mark>" not in marked


# -- 3. typos ------------------------------------------------------------------------------


@pytest.fixture
def typo_docs(offices):
    docs = [
        make_doc(offices["gov"], f"m{i}", f"بودجه {i} میلیارد ریالی کشور", "") for i in range(6)
    ]
    docs.append(make_doc(offices["gov"], "rare", "ملیارد", "یک غلط چاپی"))
    docs.append(make_doc(offices["gov"], "v", "این طرح اجرا می‌شود", ""))
    index_documents(docs)


def test_typo_falls_back_to_the_commonest_word(typo_docs):
    page = selectors.search("منلیارد")
    assert page.fuzzy is True
    assert page.did_you_mean == "میلیارد"  # not the rarer «ملیارد», one edit away too
    assert set(keys(page)) >= {f"m{i}" for i in range(6)}


def test_suggestion_is_written_as_typed(typo_docs):
    page = selectors.search("بودجه ۳ منلیارد")
    assert page.did_you_mean == "بودجه ۳ میلیارد"  # Persian digit kept, never «3»
    assert keys(page) == ["m3"]
    page = selectors.search("اجرا می‌شبد")
    assert page.did_you_mean == "اجرا می‌شود"


def test_suggestion_on_the_page_with_no_results(client, typo_docs):
    response = client.get("/search/", {"q": "منلیارد زززز"})
    assert response.status_code == 200
    assert 'class="did-you-mean"' in response.text
    assert ">میلیارد زززز</a>" in response.text
    assert "پالایه‌های دفتر و تاریخ" in response.text


# -- 7. news codes, the empty page, the date filter's label --------------------------------


@pytest.fixture
def coded(offices):
    doc = make_doc(offices["gov"], "c1", "خبری با کد", "متن بی‌شماره", code="1001")
    other = make_doc(offices["gov"], "c2", "خبر دیگر", "این متن به 1001 اشاره دارد")
    index_documents([doc, other])


@pytest.mark.parametrize("query", ["1001", "۱۰۰۱", "کد خبر ۱۰۰۱", "کد خبر: 1001"])
def test_news_code_is_found_first(coded, query):
    assert keys(selectors.search(query))[0] == "c1"


@pytest.mark.parametrize("query", ["کد خبر ۱۰۰۱", "کد ۱۰۰۱"])
def test_code_query_opens_the_item(client, coded, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == "/news/c1/"


def test_bare_number_searches_rather_than_redirects(client, coded):
    response = client.get("/search/", {"q": "۱۰۰۱"})
    assert response.status_code == 200


def test_no_results_page_suggests_what_to_try(client, indexed):
    response = client.get("/search/", {"q": "ژژژژژ", "date_from": "1405/01/01"})
    text = response.text
    assert "می‌توانید این‌ها را بیازمایید" in text
    assert "همین واژه‌ها بدون پالایه‌ها" in text
    assert "?q=%DA%98%DA%98%DA%98%DA%98%DA%98" in text


def test_date_filter_label_is_the_search_apps_own(client):
    response = client.get("/search/")
    assert "از تاریخ" in response.text
    assert "فرستنده" not in response.text
