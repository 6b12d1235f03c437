"""Automatic triage: which policy reasons apply to a comment, each with a confidence 0..1.

Pure functions over text (no database): `triage()` is what the background task runs, and what
bench/comments_triage.py measures. Every detector is small and explainable:

* not Persian: the share of Latin letters among all letters; Persian in Latin letters
  ("Finglish") by Persian function words written in Latin; Arabic by Arabic-only letters and
  function words;
* off-topic: the share of the comment's content words (crudely stemmed) found in its item;
* insult or slander: the lexicon in data/insults.tsv, matched after `squash`;
* spam: links, handles, advertising words with a link or number, repeats, floods, duplicates;
* personal data: Iranian mobile numbers, national ID numbers with a valid check digit, emails.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from ravabet.network.text import fold, to_ascii_digits

from .policy import Reason

# A confidence at or above this is "the clearest case" a per-office setting may auto-reject.
AUTO_REJECT_AT = 0.95
# Labels below this are not kept.
MIN_CONFIDENCE = 0.5

_AR_SCRIPT = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef"
    "\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc"
)
_AR_SCRIPT_RE = re.compile(f"[{_AR_SCRIPT}]")
_LATIN_RE = re.compile("[A-Za-z\u00c0-\u024f]")
_WORD_RE = re.compile(r"[^\W\d_]+")
# Separators people put between the letters of a word to hide it: "ک.ث.ا.ف.ت", "ک-ث".
_HIDING_RE = re.compile(r"(?<=[^\W\d_])[.\-_*·•|~+'\"`٫،,]+(?=[^\W\d_])")
_REPEAT_RE = re.compile(r"([^\W\d_])\1+")


# --- normalisation for matching -------------------------------------------------------------


def squash(text: str) -> str:
    """The matching key: `fold` (Arabic letters, ZWNJ, digits, case), separators between
    letters removed and repeated letters collapsed ("کثاااافت" → "کثافت")."""
    text = fold(text)
    text = _HIDING_RE.sub("", text)
    return _REPEAT_RE.sub(r"\1", text)


def words(text: str) -> list[str]:
    """Words of squashed text; runs of single letters ("ک ث ا ف ت") are joined into one."""
    out: list[str] = []
    run: list[str] = []
    for word in _WORD_RE.findall(squash(text)):
        if len(word) == 1:
            run.append(word)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(word)
    if run:
        out.append("".join(run))
    return out


# --- insult or slander ----------------------------------------------------------------------

_LEVELS = {"strong": 0.97, "mild": 0.8, "accuse": 0.7}
_SUFFIXES = (
    "هایتان",
    "هایشان",
    "هاتون",
    "هاشون",
    "های",
    "ها",
    "تون",
    "شون",
    "ان",
    "ی",
    "ه",
    "ت",
    "ش",
)
LEXICON_PATH = Path(__file__).parent / "data" / "insults.tsv"


@functools.cache
def lexicon() -> dict[str, float]:
    """{squashed word: confidence} from data/insults.tsv."""
    entries: dict[str, float] = {}
    for line in LEXICON_PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _, level = line.partition("\t")
        key = squash(word).replace(" ", "")
        if key:
            entries[key] = _LEVELS.get(level.strip(), 0.8)
    return entries


def _lookup(word: str, entries: dict[str, float]) -> float:
    if word in entries:
        return entries[word]
    if _AR_SCRIPT_RE.match(word):
        for suffix in _SUFFIXES:
            stem = word[: -len(suffix)]
            if not word.endswith(suffix) or len(stem) < 3:
                continue
            # "زاده‌ها" folds to "زادهها" and the repeated ه collapses: try the stem with it.
            for candidate in (stem, stem + "ه"):
                if candidate in entries:
                    return entries[candidate]
    return 0.0


def insult_matches(text: str) -> list[tuple[str, float]]:
    """The lexicon words found in `text` (also across up to three neighbouring words)."""
    entries = lexicon()
    tokens = words(text)
    found: dict[str, float] = {}
    for i in range(len(tokens)):
        for n in (1, 2, 3):
            if i + n > len(tokens):
                break
            joined = "".join(tokens[i : i + n])
            if n > 1 and len(joined) < 4:
                continue
            score = _lookup(joined, entries)
            if score:
                found[joined] = max(found.get(joined, 0.0), score)
    return sorted(found.items(), key=lambda kv: -kv[1])


def _combine(scores: list[float]) -> float:
    remaining = 1.0
    for score in scores:
        remaining *= 1.0 - score
    return round(min(0.99, 1.0 - remaining), 3)


def insult_score(text: str) -> float:
    return _combine([score for _, score in insult_matches(text)])


# --- not Persian ----------------------------------------------------------------------------

# Persian function and common words as people write them in Latin letters; English words that
# look the same ("in", "be", "man", "to") are left out.
FINGLISH = frozenset(
    "salam salaam shoma ma ke ast hast hastam hastim nist chera khob kheili kheyli mamnoon "
    "mamnun merci baraye bara va dar az ba ro ra mikonam mikonim mikone mishe nemishe "
    "doroste dorost khoda lotfan tashakor mardom shahr aghaye agha khanom chi chon vali "
    "inja onja bayad nabayad konid shode shod dare daram darim midoonam midunam bekhatere "
    "akhe hala faghat khoobe khube khub kheily ostan ostandar masoolin masolin chera "
    "hamash hamishe kojast koja kei key kasi chize hich hichi pool pul gerun geroon".split()
)
_ARABIC_ONLY = re.compile("[ةيكىإأ]")
_ARABIC_WORDS = frozenset("في على إلى الى هذا هذه الذي التي كان ليس مع عند لقد قد".split())
_PERSIAN_ONLY = re.compile("[پچژگ]")


def script_share(text: str) -> tuple[float, float]:
    """(Arabic-script share, Latin share) of the letters in `text`; (0, 0) without letters."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0, 0.0
    arabic = sum(1 for c in letters if _AR_SCRIPT_RE.match(c))
    latin = sum(1 for c in letters if _LATIN_RE.match(c))
    return arabic / len(letters), latin / len(letters)


def finglish_share(text: str) -> float:
    """Share of Latin words that are Persian words written in Latin letters."""
    latin_words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    if not latin_words:
        return 0.0
    return sum(1 for w in latin_words if w in FINGLISH) / len(latin_words)


def not_persian_score(text: str) -> float:
    text = _LINK_RE.sub(" ", _EMAIL_RE.sub(" ", text))
    arabic_share, latin_share = script_share(text)
    if arabic_share == latin_share == 0.0:
        return 0.0
    score = 0.0
    if latin_share >= 0.5:
        score = 0.5 + 0.4 * latin_share  # English or another Latin-script language
        fing = finglish_share(text)
        if fing >= 0.2:
            score = max(score, 0.8 + min(0.15, fing / 2))  # Persian in Latin letters
    elif latin_share < 0.5:
        raw = text.split()
        arabic_words = sum(1 for w in raw if w in _ARABIC_WORDS)
        arabic_letters = len(_ARABIC_ONLY.findall(text))
        persian_letters = len(_PERSIAN_ONLY.findall(text))
        if arabic_words >= 2 and arabic_letters > persian_letters:
            score = 0.85
        elif arabic_letters >= 3 and persian_letters == 0 and arabic_words >= 1:
            score = 0.7
        else:
            score = max(0.0, latin_share - 0.1)  # mixed text: weak evidence at most
    return round(score, 3)


# --- off-topic ------------------------------------------------------------------------------

STOPWORDS = frozenset(
    squash(w)
    for w in (
        "و در به از که این آن را با برای تا است بود شد شده می نمی هم یا اما ولی اگر چون "
        "هر همه خیلی بسیار چه چرا کجا کی چی من ما شما او آنها ایشان خود یک دو سه نیز باید "
        "هست نیست هستند کرد کرده کند کنند کنید کنیم داره دارد دارند داریم بشه شود شوند "
        "بر پس پیش روی زیر بین هیچ فقط حتی الان امروز دیگر دیگه رو اون این ها های ای"
    ).split()
)
# Words any comment on any news may use: thanks, praise, criticism of officials.
GENERIC = frozenset(
    squash(w)
    for w in (
        "ممنون ممنونم تشکر متشکرم سپاس سپاسگزارم عالی احسنت خسته نباشید موفق باشید خدا قوت "
        "مسئولین مسئولان مسئول مردم استان شهر دولت پیگیری خبر گزارش کار کارها خوب بد "
        "لطفا درود آفرین دست مریزاد امیدوارم انشاالله پیگیر مدیر مدیرکل مدیران قطع وصل "
        "تماس شماره جواب پاسخ اعلام زمان حرف همه خانه محله سال روز قول کسی چیزی وقت زود دیر"
    ).split()
)


def _key(word: str) -> str:
    """A crude stem: the first four letters (three for three-letter words)."""
    return word[:4]


def stems(text: str) -> set[str]:
    """Content words of `text` as crude stems (stopwords dropped)."""
    return {_key(w) for w in words(text) if len(w) >= 2 and w not in STOPWORDS}


_GENERIC_KEYS = frozenset(_key(w) for w in GENERIC)


def similarity(comment: str, reference: str) -> float:
    """Share of the comment's content words (not generic ones) that occur in the reference."""
    own = stems(comment) - _GENERIC_KEYS
    if not own:
        return 1.0
    return len(own & stems(reference)) / len(own)


def off_topic_score(comment: str, reference: str) -> float:
    if not reference.strip():
        return 0.0
    own = stems(comment)
    content = own - _GENERIC_KEYS
    if len(content) < 3:
        return 0.0  # too short to judge ("ممنون از پیگیری")
    overlap = similarity(comment, reference)
    generic = len(own) - len(content)
    score = (0.9 if len(content) >= 4 else 0.7) - 4.0 * overlap - 0.1 * generic
    return round(max(0.0, min(0.9, score)), 3)


# --- spam -----------------------------------------------------------------------------------

_LINK_RE = re.compile(
    r"(https?://|www\.|t\.me/|\b[a-z0-9-]{2,}\.(?:ir|com|net|org|info|xyz|me|io|co|site|online)\b"
    r"|(?<![\w.])@[a-z0-9_]{4,})",
    re.IGNORECASE,
)
ADS = frozenset(
    squash(w)
    for w in (
        "تخفیف خرید فروش کلیک عضویت عضو کانال درآمد وام سفارش رایگان تبلیغ پیج فالو فالوور "
        "شارژ جایزه ثبتنام قیمت ارزان واتساپ تلگرام اینستاگرام بازاریابی سود پورسانت"
    ).split()
)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_DIGIT_SEPARATORS = re.compile(r"(?<=\d)[\s\-.()]+(?=\d)")
_LONG_NUMBER_RE = re.compile(r"(?<!\d)\d{8,}(?!\d)")
_CHAR_RUN_RE = re.compile(r"(.)\1{7,}")


def spam_score(text: str, *, recent_from_client: int = 0, duplicates: int = 0) -> float:
    ascii_text = _EMAIL_RE.sub(" ", to_ascii_digits(text))
    has_link = bool(_LINK_RE.search(ascii_text))
    digits = _DIGIT_SEPARATORS.sub("", ascii_text)
    has_number = any(not valid_national_id(m.group()) for m in _LONG_NUMBER_RE.finditer(digits))
    ads = len({w for w in words(text) if w in ADS})
    tokens = words(text)
    repeated = bool(_CHAR_RUN_RE.search(text)) or (
        len(tokens) >= 6 and len(set(tokens)) / len(tokens) < 0.4
    )
    scores: list[float] = []
    if has_link:
        scores.append(0.96 if ads else 0.85)
    if has_number and ads:
        scores.append(0.9)
    if ads >= 3 and not scores:
        scores.append(0.6)
    if repeated:
        scores.append(0.75)
    if duplicates:
        scores.append(0.8)
    if recent_from_client >= 5:
        scores.append(min(0.9, 0.5 + 0.05 * recent_from_client))
    return max(scores, default=0.0)


# --- personal data --------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?98|0098|0)?9\d{9}(?!\d)")
_NAMED_ID_RE = re.compile(r"(کد|شماره) ?ملی\w* ?\D{0,12}\d{10}(?!\d)")
_TEN_DIGITS_RE = re.compile(r"(?<!\d)\d{10}(?!\d)")


def valid_national_id(number: str) -> bool:
    """Iranian national ID (کد ملی): ten digits whose last is the check digit."""
    number = to_ascii_digits(number)
    if not re.fullmatch(r"\d{10}", number) or len(set(number)) == 1:
        return False
    total = sum(int(number[i]) * (10 - i) for i in range(9)) % 11
    check = int(number[9])
    return check == total if total < 2 else check == 11 - total


def mobile_numbers(text: str) -> list[str]:
    digits = _DIGIT_SEPARATORS.sub("", to_ascii_digits(text))
    return [m.group() for m in _MOBILE_RE.finditer(digits)]


def national_ids(text: str) -> list[str]:
    digits = _DIGIT_SEPARATORS.sub("", to_ascii_digits(text))
    return [m.group() for m in _TEN_DIGITS_RE.finditer(digits) if valid_national_id(m.group())]


def personal_data_score(text: str) -> float:
    if national_ids(text):
        return 0.97
    if mobile_numbers(text):
        return 0.93
    if _NAMED_ID_RE.search(squash(text)):
        return 0.85  # ten digits called a national ID, even with a wrong check digit
    if _EMAIL_RE.search(text):
        return 0.6
    return 0.0


# --- all together ---------------------------------------------------------------------------


def triage(
    text: str, reference: str = "", *, recent_from_client: int = 0, duplicates: int = 0
) -> dict[str, float]:
    """{reason: confidence} for the reasons that apply (confidence ≥ MIN_CONFIDENCE)."""
    not_persian = not_persian_score(text)
    insult = insult_score(text)
    personal = personal_data_score(text)
    # Off-topic is judged only when nothing else explains the comment: insults and personal
    # data are about the people in the news, and a text in another language cannot be compared.
    judged = max(not_persian, insult, personal) < MIN_CONFIDENCE
    scores = {
        Reason.INSULT.value: insult,
        Reason.NOT_PERSIAN.value: not_persian,
        Reason.OFF_TOPIC.value: off_topic_score(text, reference) if judged else 0.0,
        Reason.SPAM.value: spam_score(
            text, recent_from_client=recent_from_client, duplicates=duplicates
        ),
        Reason.PERSONAL_DATA.value: personal,
    }
    return {reason: score for reason, score in scores.items() if score >= MIN_CONFIDENCE}


def clearest(labels: dict[str, float]) -> str | None:
    """The reason to auto-reject for, when the triage is almost certain; else None."""
    reason, score = max(labels.items(), key=lambda kv: kv[1], default=(None, 0.0))
    return reason if score >= AUTO_REJECT_AT else None


# --- the simpler baseline (for the benchmark) -----------------------------------------------


def baseline(text: str, raw_lexicon: list[str]) -> dict[str, float]:
    """Lexicon only, no normalisation: what a first attempt would do."""
    lowered = text.lower()
    labels: dict[str, float] = {}
    padded = f" {text} "
    if any(f" {word} " in padded for word in raw_lexicon):
        labels[Reason.INSULT.value] = 1.0
    if not _AR_SCRIPT_RE.search(text):
        labels[Reason.NOT_PERSIAN.value] = 1.0
    if "http" in lowered or "www." in lowered:
        labels[Reason.SPAM.value] = 1.0
    if re.search(r"09\d{9}", text):
        labels[Reason.PERSONAL_DATA.value] = 1.0
    return labels
