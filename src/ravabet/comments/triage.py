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
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ravabet.network.text import expand_presentation_forms, strip_controls, to_ascii_digits

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

# The matching key is `network.text.fold` without its spacing rules: every comment and every
# sentence of an item goes through it, and fold's ZWNJ/spacing passes (repeated until stable)
# cost ten times more than the rest while changing nothing the matcher looks at (it joins
# neighbouring words itself). tests/test_triage.py checks the two agree on words.
_KEY_TABLE = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ة": "ه",
        "ۀ": "ه",
        "ئ": "ی",
        "\u200c": None,
        "\u200d": None,
        "\u0640": None,
        **{chr(c): None for c in range(0x064B, 0x0660)},
        "\u0670": None,
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0x0660 + i): str(i) for i in range(10)},
    }
)


def fold_letters(text: str) -> str:
    """`network.text.fold`'s letters and digits, without its spacing rules."""
    text = strip_controls(expand_presentation_forms(text))
    return unicodedata.normalize("NFC", text).translate(_KEY_TABLE).lower()


def squash(text: str) -> str:
    """The matching key: fold's letters (Arabic letters, presentation forms, «ئ», diacritics,
    ZWNJ, digits, case), separators between letters removed and repeated letters collapsed
    ("کثاااافت" → "کثافت")."""
    text = _HIDING_RE.sub("", fold_letters(text))
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
# Only a single profanity reaches the auto-reject level: several weaker words together stay
# below it, so a news-style sentence about spies, traitors and fraud is never auto-rejected.
_COMBINED_CAP = 0.94
_SUFFIXES = (
    "هایتان",
    "هایشان",
    "هاتون",
    "هاشون",
    "هایی",
    "ترین",
    "های",
    "ها",
    "تون",
    "شون",
    "تر",
    "ان",
    "ند",
    "ید",
    "ین",
    "ی",
    "ه",
    "ت",
    "ش",
    "ا",  # informal plural: "عوضیا", "احمقا"
    "ن",  # informal "they are": "فاسدن"
)
# An accusation names a person: "دزد", "دزدها", "جاسوسان", "دزدند". The same word with «ی»
# names the crime («دزدی» theft, «جاسوسی» espionage, «کلاهبرداری» fraud), which news and
# comments report every day, so accusations take only plural and "they are" endings.
_ACCUSE_SUFFIXES = frozenset(
    ("هایتان", "هایشان", "هاتون", "هاشون", "هایی", "های", "ها", "ان", "ین", "ند", "ید", "ن", "ا")
)
# Words a disguised insult is never split around: "زنی که" is not "زنیکه", "مردی که" is not
# "مردیکه". A lexicon word matched across a space needs every part to be a content word.
_FUNCTION_WORDS = frozenset(
    "که را و از به با در تا این آن یه یک هم هر چه اون رو بر یا نه ای می نمی".split()
)
LEXICON_PATH = Path(__file__).parent / "data" / "insults.tsv"
SAFE_PATH = Path(__file__).parent / "data" / "not_insults.txt"


@dataclass(frozen=True)
class Entry:
    """One lexicon word or phrase: its confidence, its level and its context rule."""

    score: float
    level: str
    phrase: bool = False
    unless: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()


def _context(spec: str) -> tuple[frozenset[str], frozenset[str]]:
    unless: set[str] = set()
    needs: set[str] = set()
    for part in spec.split(";"):
        kind, _, listed = part.strip().partition(":")
        target = unless if kind == "unless" else needs if kind == "with" else None
        if target is None:
            continue
        target.update(squash(w).replace(" ", "") for w in listed.split(",") if w.strip())
    return frozenset(unless), frozenset(needs)


@functools.cache
def entries() -> dict[str, Entry]:
    """{squashed word: Entry} from data/insults.tsv (word, level, optional context rule)."""
    out: dict[str, Entry] = {}
    for line in LEXICON_PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, level, context = ([*line.split("\t"), "", ""])[:3]
        key = squash(word).replace(" ", "")
        if not key:
            continue
        level = level.strip() or "mild"
        unless, needs = _context(context)
        out[key] = Entry(_LEVELS.get(level, 0.8), level, " " in word.strip(), unless, needs)
    return out


@functools.cache
def lexicon() -> dict[str, float]:
    """{squashed word: confidence} from data/insults.tsv."""
    return {key: entry.score for key, entry in entries().items()}


@functools.cache
def safe_words() -> frozenset[str]:
    """Ordinary words that contain or look like a lexicon word (data/not_insults.txt)."""
    lines = SAFE_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(
        squash(line).replace(" ", "") for line in lines if line.strip() and line[0] != "#"
    )


_SUFFIX_LENGTHS = sorted({len(suffix) for suffix in _SUFFIXES}, reverse=True)
_SUFFIX_SET = frozenset(_SUFFIXES)


@functools.cache
def _entry_starts() -> frozenset[str]:
    # Most words of a comment start with two letters no lexicon word starts with: a set
    # lookup rejects them before any suffix is tried (the matcher runs over whole news items).
    return frozenset(key[:2] for key in entries())


@functools.cache
def _safe_starts() -> frozenset[str]:
    return frozenset(key[:2] for key in safe_words())


def _lookup(word: str, table: dict[str, Entry]) -> tuple[str, Entry] | None:
    if word[:2] not in _entry_starts():
        return None
    if word in table:
        return word, table[word]
    if not _AR_SCRIPT_RE.match(word):
        return None
    for length in _SUFFIX_LENGTHS:
        suffix = word[-length:]
        stem = word[:-length]
        if suffix not in _SUFFIX_SET or len(stem) < 3:
            continue
        # "زاده‌ها" squashes to "زادها" (the repeated ه collapses): try the stem with it.
        candidates = (stem, stem + "ه") if suffix[0] == "ه" else (stem,)
        for candidate in candidates:
            entry = table.get(candidate)
            if entry is None:
                continue
            if entry.level == "accuse" and suffix not in _ACCUSE_SUFFIXES:
                continue
            # The informal endings are short enough to end names and ordinary words
            # («گفت و گوها», «کیرا», «انگلن»): "ا" only after «ی» («عوضیا»), "ن" only on
            # accusations, which need a person near them anyway («همه‌شون فاسدن»).
            if suffix == "ا" and not candidate.endswith("ی"):
                continue
            if suffix == "ن" and entry.level != "accuse":
                continue
            return candidate, entry
    return None


def _context_allows(entry: Entry, tokens: list[str], start: int, stop: int) -> bool:
    if not (entry.unless or entry.needs):
        return True
    near = set(tokens[max(0, start - 3) : start]) | set(tokens[stop : stop + 3])
    if entry.unless & near:
        return False
    return not entry.needs or bool(entry.needs & near)


def insult_matches(text: str) -> list[tuple[str, float]]:
    """The lexicon words found in `text` (also across up to three neighbouring words)."""
    table = entries()
    safe = safe_words()
    tokens = words(text)
    # Tokens that belong to an ordinary word or name («اسکله», «هرزه گوین») are skipped.
    blocked: set[int] = set()
    safe_starts = _safe_starts()
    for i in range(len(tokens)):
        if tokens[i][:2] not in safe_starts:
            continue
        for n in (3, 2, 1):
            if i + n <= len(tokens) and "".join(tokens[i : i + n]) in safe:
                blocked.update(range(i, i + n))
                break
    found: dict[str, float] = {}
    starts = _entry_starts()
    for i in range(len(tokens)):
        if len(tokens[i]) > 1 and tokens[i][:2] not in starts:
            continue  # neither the word nor a join starting with it can be in the lexicon
        for n in (1, 2, 3):
            if i + n > len(tokens):
                break
            if blocked and blocked.intersection(range(i, i + n)):
                break
            parts = tokens[i : i + n]
            joined = "".join(parts)
            if n > 1 and len(joined) < 4:
                continue
            hit = _lookup(joined, table)
            if hit is None:
                continue
            key, entry = hit
            # A word hidden by a space ("بی شرف", "حروم زاده") has a part of three letters or
            # more; two short words in a row ("ری دی", "اس کل") are other words.
            if n > 1 and not entry.phrase:
                if _FUNCTION_WORDS.intersection(parts) or max(map(len, parts)) < 3:
                    continue
            if not _context_allows(entry, tokens, i, i + n):
                continue
            found[key] = max(found.get(key, 0.0), entry.score)
    return sorted(found.items(), key=lambda kv: -kv[1])


def _combine(scores: list[float]) -> float:
    remaining = 1.0
    for score in scores:
        remaining *= 1.0 - score
    combined = min(0.99, 1.0 - remaining)
    # Only a single word can be "the clearest case" (see _COMBINED_CAP).
    combined = min(combined, max(max(scores, default=0.0), _COMBINED_CAP))
    return round(combined, 3)


# Text between quotation marks is reported speech: a book title («حرامزاده استانبول») or a
# quoted argument in a news item. A profanity there is still flagged, never auto-rejected.
_QUOTED_RE = re.compile(r"«[^«»]*»|\u201c[^\u201c\u201d]*\u201d|\"[^\"]*\"")


def insult_score(text: str) -> float:
    quoted = " ".join(_QUOTED_RE.findall(text))
    if not quoted:
        return _combine([score for _, score in insult_matches(text)])
    outside = _QUOTED_RE.sub(" ، ", text)
    scores = [score for _, score in insult_matches(outside)]
    scores += [min(score, _COMBINED_CAP) for _, score in insult_matches(quoted)]
    return _combine(scores)


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


# Hashtags and handles are names, not language: "#Ilam" or "@ostandari_ilam" in a Persian
# comment says nothing about the language it is written in. A Persian hashtag's words count.
_LATIN_TAG_RE = re.compile(r"(?<![\w@#])[#@][A-Za-z0-9_]+")
_TAG_MARK_RE = re.compile(r"#(?=\w)")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def without_tags(text: str) -> str:
    """`text` without links, emails, Latin hashtags and handles; "#" before other words dropped."""
    text = _URL_RE.sub(" ", _EMAIL_RE.sub(" ", text))
    text = _LINK_RE.sub(" ", text)
    text = _LATIN_TAG_RE.sub(" ", text)
    return _TAG_MARK_RE.sub("", text).replace("_", " ")


def script_share(text: str) -> tuple[float, float]:
    """(Arabic-script share, Latin share) of the words in `text`; (0, 0) without words.

    Words, not letters: one long English hashtag or name must not outweigh a sentence of
    Persian. A word belongs to the script most of its letters are in."""
    arabic = latin = total = 0
    for word in _WORD_RE.findall(text):
        letters = [c for c in word if c.isalpha()]
        if not letters:
            continue
        total += 1
        in_arabic = sum(1 for c in letters if _AR_SCRIPT_RE.match(c))
        in_latin = sum(1 for c in letters if _LATIN_RE.match(c))
        if in_arabic > in_latin:
            arabic += 1
        elif in_latin > in_arabic:
            latin += 1
    if not total:
        return 0.0, 0.0
    return arabic / total, latin / total


def finglish_share(text: str) -> float:
    """Share of Latin words that are Persian words written in Latin letters."""
    latin_words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    if not latin_words:
        return 0.0
    return sum(1 for w in latin_words if w in FINGLISH) / len(latin_words)


def not_persian_score(text: str) -> float:
    text = without_tags(text)
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


# --- news text as sentences (for the corpus check and the benchmark) -----------------------

_SENTENCE_END_RE = re.compile(r"(?<=[.!?؟])\s+|\n+")


def sentences(text: str) -> list[str]:
    """`text` split after ". ! ? ؟" followed by a space, and at line breaks; empty parts dropped."""
    return [part.strip() for part in _SENTENCE_END_RE.split(text) if part.strip()]


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
