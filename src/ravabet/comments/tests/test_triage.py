"""The triage's detectors, with property tests for the matcher and the number detectors."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ravabet.comments import triage
from ravabet.comments.policy import Reason
from ravabet.network.text import to_persian_digits

NEWS = "نشست شورای هماهنگی روابط عمومی استان ایلام با حضور استاندار برگزار شد"


def test_plain_polite_comment_gets_no_label():
    assert triage.triage("ممنون از پیگیری مسئولین روابط عمومی استان", NEWS) == {}


def test_each_reason_is_found():
    assert Reason.INSULT in triage.triage("مدیرکل واقعا احمق است", NEWS)
    assert Reason.NOT_PERSIAN in triage.triage("salam chera in kar ro nemikonid", NEWS)
    assert Reason.NOT_PERSIAN in triage.triage("This meeting was a waste of time for all", NEWS)
    assert Reason.OFF_TOPIC in triage.triage("فوتبال دیشب پرسپولیس استقلال بازی گل داور", NEWS)
    assert Reason.SPAM in triage.triage("خرید فالوور ارزان در www.example.ir", NEWS)
    assert Reason.PERSONAL_DATA in triage.triage("شماره من ۰۹۱۲ ۳۴۵ ۶۷۸۹ است", NEWS)


def test_arabic_is_not_persian_but_persian_is():
    assert triage.not_persian_score("هذا الخبر في الموقع على الصفحة") >= 0.8
    assert triage.not_persian_score("این خبر درباره نشست روابط عمومی است") == 0.0


def test_finglish_scores_higher_than_english():
    finglish = triage.not_persian_score("salam chera kheili dir javab midid")
    english = triage.not_persian_score("hello why do you answer so late")
    assert finglish > english >= 0.5


def test_floods_and_duplicates_are_spam():
    assert triage.spam_score("نظر عادی", recent_from_client=8) >= 0.5
    assert triage.spam_score("نظر عادی", duplicates=1) >= 0.5
    assert triage.spam_score("نظر عادی") == 0.0


def test_clearest_only_above_threshold():
    assert triage.clearest({"insult": 0.97}) == "insult"
    assert triage.clearest({"insult": 0.8, "spam": 0.85}) is None
    assert triage.clearest({}) is None


def test_lexicon_words_all_match_themselves():
    for word in triage.lexicon():
        assert triage.insult_matches(word), word


def test_ordinary_words_that_contain_insults_do_not_match():
    # «کس» (person) and «خر» inside «خرید» are not insults.
    assert triage.insult_score("هیچ کس برای خرید نیامد") == 0.0


# --- property tests -------------------------------------------------------------------------

WORDS = sorted(w for w in triage.lexicon() if triage._AR_SCRIPT_RE.match(w))
HIDERS = st.sampled_from([" ", "\u200c", ".", "-", "_", "*"])


@st.composite
def disguised(draw):
    """An insult with letters repeated, separators or spaces inserted, Arabic letters used."""
    word = draw(st.sampled_from(WORDS))
    out = []
    hider = draw(HIDERS)
    spread = draw(st.booleans())
    for i, letter in enumerate(word):
        out.append(letter * draw(st.integers(1, 3)))
        if spread and i < len(word) - 1:
            out.append(hider)
    text = "".join(out).replace("ی", "ي").replace("ک", "ك") if draw(st.booleans()) else "".join(out)
    return word, text


@settings(max_examples=200, deadline=None)
@given(disguised(), st.sampled_from(["", "این آقا ", "واقعا "]), st.sampled_from(["", " است", "!"]))
def test_disguised_insults_are_found(pair, before, after):
    word, text = pair
    assert triage.insult_score(before + text + after) >= 0.7, (word, text)


def national_id(first9: str) -> str:
    total = sum(int(first9[i]) * (10 - i) for i in range(9)) % 11
    return first9 + str(total if total < 2 else 11 - total)


@given(st.from_regex(r"\A[0-9]{9}\Z"))
def test_national_ids_with_check_digit(first9):
    number = national_id(first9)
    if len(set(number)) == 1:
        return
    assert triage.valid_national_id(number)
    wrong = number[:9] + str((int(number[9]) + 1) % 10)
    assert not triage.valid_national_id(wrong)
    assert triage.national_ids(f"کد ملی من {to_persian_digits(number)} است") == [number]


@given(
    st.from_regex(r"\A9[0-9]{9}\Z"),
    st.sampled_from(["0", "+98", "0098", "98"]),
    st.sampled_from(["", " ", "-"]),
    st.booleans(),
)
def test_mobile_numbers_in_any_digits_and_spacing(rest, prefix, sep, persian):
    number = f"{prefix}{rest[:3]}{sep}{rest[3:6]}{sep}{rest[6:]}"
    shown = to_persian_digits(number) if persian else number
    assert triage.mobile_numbers(f"با {shown} تماس بگیرید")
    assert triage.personal_data_score(f"با {shown} تماس بگیرید") >= 0.9


@given(st.text(alphabet="ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی ", min_size=1, max_size=80))
def test_script_share_of_persian_letters(text):
    arabic, latin = triage.script_share(text)
    if text.strip():
        assert arabic == 1.0 and latin == 0.0
        assert triage.not_persian_score(text) < 0.5


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=3, max_size=80))
def test_script_share_of_latin_letters(text):
    if not text.strip():
        return
    assert triage.script_share(text) == (0.0, 1.0)
    assert triage.not_persian_score(text) >= 0.5


def test_benchmark_sets_are_well_formed():
    data = Path(__file__).resolve().parents[4] / "bench" / "data"
    news = json.loads((data / "comments_news.json").read_text(encoding="utf-8"))
    for name, least in (("comments_labelled.jsonl", 60), ("comments_heldout.jsonl", 20)):
        lines = (data / name).read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line]
        assert len(rows) >= least
        for row in rows:
            assert set(row["labels"]) <= set(Reason.values) and row["news"] in news
