"""Persian text normalisation for everything people type into Ravabet.

This module owns the canonical form of user-typed text and the search key derived
from it:

* :func:`normalize` is applied to all user input on the way in (titles, bodies,
  names, search queries). It never drops a letter or a digit; only spaces, ZWNJ,
  kashida and invisible control characters may disappear or move.
* :func:`fix_half_space` holds the ZWNJ (نیم‌فاصله, U+200C) and spacing rules on
  their own; :func:`normalize` uses it.
* :func:`fold` turns normalised text into a comparison/search key.
* :func:`strip_controls` removes invisible control characters and is exported for
  code that renders user text.
* Digit and letter conversions are thin wrappers over ``persiantools``.

Character-level mappings come from ``persiantools`` (``persiantools.characters`` and
``persiantools.digits``). The ZWNJ placement rules are ours, because no library
implements them the way the project's reference vectors expect
(``shared/data/normalization/persian_tools_vectors.jsonl``).
"""

from __future__ import annotations

import re
import unicodedata

from persiantools import characters as _pt_characters
from persiantools import digits as _pt_digits

__all__ = [
    "ZWNJ",
    "arabic_to_persian_letters",
    "expand_presentation_forms",
    "fix_half_space",
    "fold",
    "normalize",
    "strip_controls",
    "to_arabic_digits",
    "to_ascii_digits",
    "to_persian_digits",
]

ZWNJ = "\u200c"
KASHIDA = "\u0640"

# ---------------------------------------------------------------------------
# Character classes
# ---------------------------------------------------------------------------

# Letters of the Arabic script (Persian letters included), without the kashida.
_AR_LETTERS = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef"
    "\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc"
)
# Combining marks of the Arabic script (harakat, superscript alef, Quranic marks).
_AR_MARKS = "\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08ca-\u08ff"

# The Arabic Unicode block (Persian letters, digits and marks in it): the one table of "is
# this character in the Persian script?" for code that splits text where the script changes
# (search's tokeniser); `_AR_LETTERS` above is the stricter "is it a letter?".
ARABIC_BLOCK = "\u0600-\u06ff"


def in_arabic_block(char: str) -> bool:
    """True for one character of the Arabic Unicode block (U+0600..U+06FF)."""
    return "\u0600" <= char <= "\u06ff"


_AR_LETTER_RE = re.compile(f"[{_AR_LETTERS}]")
_AR_LETTER_OR_MARK_RE = re.compile(f"[{_AR_LETTERS}{_AR_MARKS}]")
# A "word run" is a maximal sequence of Arabic-script letters, marks and ZWNJ.
_TRAILING_RUN_RE = re.compile(f"[{_AR_LETTERS}{_AR_MARKS}{ZWNJ}]+\\Z")
_LEADING_RUN_RE = re.compile(f"\\A[{_AR_LETTERS}{_AR_MARKS}{ZWNJ}]+")

# Bidi controls: embeddings/overrides, isolates, LRM/RLM and the Arabic letter mark.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
# C0 controls except tab and newline, DEL, C1 controls, and the BOM / ZWNBSP.
_CONTROL_RE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}\ufeff]")

# Line breaks other than "\n" (CR LF, CR, VT, FF, NEL, LS, PS) become "\n".
_LINE_BREAK_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Every other Unicode space (NBSP, en/em spaces, narrow NBSP, ideographic space, ...).
_UNICODE_SPACE_RE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")

_SPACES_RE = re.compile(" {2,}")
_ZWNJ_RUN_RE = re.compile(f"{ZWNJ}{{2,}}")
_BLANK_LINES_RE = re.compile("\n{3,}")

# Punctuation that never takes a space before it, and openers that never take one after.
_CLOSING_PUNCT = "،؛؟.,!:;?)]}»…"
_OPENING_PUNCT = "([{«"
_SPACE_BEFORE_CLOSER_RE = re.compile(f" +(?=[{re.escape(_CLOSING_PUNCT)}])")
_SPACE_AFTER_OPENER_RE = re.compile(f"(?<=[{re.escape(_OPENING_PUNCT)}]) +")

# ---------------------------------------------------------------------------
# ZWNJ vocabulary (decided from the reference vectors, see fix_half_space)
# ---------------------------------------------------------------------------

# Verbal and negative prefixes written as separate words: "می رود" -> "می‌رود".
_ZWNJ_PREFIXES = frozenset({"بی"})
_VERB_PREFIXES = frozenset({"می", "نمی"})
# Plural and plural+pronoun suffixes written as separate words: "خانه ها" -> "خانه‌ها".
_ZWNJ_SUFFIXES = frozenset(
    {"ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان"}
)
# Comparative/superlative suffixes are glued with no ZWNJ: "بزرگ تر" -> "بزرگتر".
_GLUED_SUFFIXES = frozenset({"تر", "ترین"})
# Words after which "تر" is the adjective "wet" (or nonsense), never a suffix.
_GLUED_SUFFIX_BLOCKERS = frozenset(
    {
        "و",
        "که",
        "را",
        "از",
        "به",
        "با",
        "در",
        "تا",
        "یا",
        "هم",
        "نه",
        "بر",
        "هر",
        "چه",
        "این",
        "آن",
        "ها",
        "های",
    }
)
# Two-word compounds joined with ZWNJ. Kept as an explicit list: a general rule for
# "به"/"هم"/"این"/"آن"/"چند" + any word would damage ordinary prose ("به تهران").
_ZWNJ_COMPOUNDS = frozenset(
    {
        ("به", "هر"),
        ("به", "وجود"),
        ("هم", "زمان"),
        ("هم", "چنین"),
        ("هم", "چنان"),
        ("این", "جا"),
        ("آن", "جا"),
        ("این", "که"),
        ("آن", "که"),
        ("آن", "چه"),
        ("چند", "سال"),
        # Compounds whose parts are written apart by people but joined in standard spelling.
        # Listed one by one: "زمین" or "آتش" followed by any word is ordinary prose.
        ("زمین", "لرزه"),
        ("پس", "لرزه"),
        ("آتش", "سوزی"),
        ("آتش", "نشانی"),
        ("آتش", "نشان"),
        ("پیش", "بینی"),
        ("بهره", "برداری"),
        ("راه", "اندازی"),
    }
)

# "می" and "نمی" are joined only to a word that looks like a verb: "می" is also a word
# ("ماه می سال": May), and a noun after it must stay apart. A verb is a stem from these
# lists followed by a personal ending. Regular past stems are the present stem + "ید"
# (خر -> خرید), so they need not be listed. Unknown verbs simply stay spaced: a missed
# join is harmless, a wrong one changes the sentence.
_PRESENT_STEMS = frozenset(
    """
    رو آ آی کن شو دان خواه توان گو گوی دار بین یاب ده گیر زن خور نویس خوان پرس رس ساز
    گذار گذر افت انداز بر آور کش پوش فروش خر نشین ایست پذیر کوش جنگ ترس پز شناس فهم گرد
    مان رسان بخش بند پرداز سوز شکن فرست گشا گشای پیوند چرخ لرز خند گر گری گرای جو جوی
    کاه افزا افزای آموز خیز نگر نما نمای پسند ریز بار تاب تاز چین دو دوان ران خواب زی
    سنج شوی کوب گریز گزین نواز ورز باش شمار شنو شنا شتاب کاو لغز خواب پرور پراکن
    آفرین آمیز آرا آرای آسا رنج رقص کوچ گذران بال خشک طلب چسب جنب جه
    ر ش د گ تون دون خوا خو یا ند
    """.split()
)
_PAST_STEMS = frozenset(
    """
    رفت کرد شد دانست خواست توانست گفت داشت دید یافت داد گرفت زد خورد نوشت خواند ساخت
    گذاشت گذشت افتاد انداخت برد آورد فروخت نشست ایستاد پذیرفت پخت شناخت گشت ماند
    بست پرداخت سوخت شکست فرستاد گشود پیوست گریست جست آمد آموخت افزود نگریست نمود ریخت
    راند کاست زیست بود شنید شنفت زیست کشت پنداشت انگاشت برخاست خاست
    """.split()
)
_PRESENT_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند", "ه", "ن", "ین")
_PAST_ENDINGS = ("", "م", "ی", "یم", "ید", "ند", "ه", "ن", "ین")
# Object pronouns people glue to a verb: "می‌گیرمش", "می‌خواهمشان".
_CLITICS = ("", "ش", "شان", "ت", "تان", "م", "مان", "شون", "تون")

# ---------------------------------------------------------------------------
# Digits and letters (thin wrappers over persiantools)
# ---------------------------------------------------------------------------

# persiantools has no Arabic-Indic <-> ASCII tables of its own; these two fill the gap
# for the cases where the third digit set must be left untouched.
_AR_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_ASCII_TO_AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# persiantools.characters.ar_to_fa also deletes a kasra after د ب ز ذ ش س (its map has
# entries like "دِ" -> "د"), which would silently drop diacritics the author typed.
# We use only its single-character letter mappings (ي ى -> ی, ك -> ک).
_AR_TO_FA_LETTERS = str.maketrans(
    {k: v for k, v in _pt_characters.CHARACTER_MAP_AR_TO_FA.items() if len(k) == 1}
)


# Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) arrive in text pasted from PDFs
# and old word processors: each is one shape of an ordinary letter. NFKC maps them back, but
# NFKC on the whole text would also rewrite things people chose (superscripts, full-width
# Latin, ligatures like "ﬁ", the "…" character), so only these two blocks go through it.
# The isolated and medial forms of the harakat (U+FE70-U+FE7F) decompose to a space or a
# kashida plus the mark: we keep the mark alone. NFKC leaves "﷽" whole; the table spells it.
def _presentation_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)]:
        char = chr(code)
        plain = unicodedata.normalize("NFKC", char)
        if plain == char:
            continue
        if len(plain) == 2 and plain[0] in " \u0640" and unicodedata.category(plain[1]) == "Mn":
            plain = plain[1]
        table[code] = plain
    table[0xFDFD] = "بسم الله الرحمن الرحیم"
    # "ھ" (U+06BE, heh doachashmee) is how Urdu and some keyboards write "ه".
    table[0x06BE] = "ه"
    return table


_PRESENTATION_FORMS = _presentation_table()
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufefe\u06be]")


def expand_presentation_forms(text: str) -> str:
    """Write Arabic presentation forms, «﷽» and «ھ» as the ordinary letters they stand for."""
    if not _PRESENTATION_RE.search(text):
        return text
    return text.translate(_PRESENTATION_FORMS)


def _as_text(value: str | int) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"expected str or int, got {type(value).__name__}")
    return value if isinstance(value, str) else str(value)


def to_persian_digits(
    value: str | int, *, from_ascii: bool = True, from_arabic: bool = True
) -> str:
    """Return ``value`` with ASCII and Arabic-Indic digits written as Persian ``۰-۹``.

    ``from_ascii=False`` leaves ASCII digits alone; ``from_arabic=False`` leaves
    Arabic-Indic digits alone. Ints are accepted (``27`` -> ``"۲۷"``).
    """
    text = _as_text(value)
    if from_ascii:
        text = _pt_digits.en_to_fa(text)
    if from_arabic:
        text = _pt_digits.ar_to_fa(text)
    return text


def to_ascii_digits(
    value: str | int, *, from_persian: bool = True, from_arabic: bool = True
) -> str:
    """Return ``value`` with Persian and Arabic-Indic digits written as ASCII ``0-9``."""
    text = _as_text(value)
    if from_persian:
        text = _pt_digits.fa_to_en(text)
    if from_arabic:
        text = text.translate(_AR_TO_ASCII)
    return text


def to_arabic_digits(
    value: str | int, *, from_ascii: bool = True, from_persian: bool = True
) -> str:
    """Return ``value`` with ASCII and Persian digits written as Arabic-Indic ``٠-٩``."""
    text = _as_text(value)
    if from_persian:
        text = _pt_digits.fa_to_ar(text)
    if from_ascii:
        text = text.translate(_ASCII_TO_AR)
    return text


def arabic_to_persian_letters(text: str) -> str:
    """Map Arabic ``ي`` and ``ى`` to Persian ``ی`` and Arabic ``ك`` to Persian ``ک``."""
    return text.translate(_AR_TO_FA_LETTERS)


# ---------------------------------------------------------------------------
# Control characters
# ---------------------------------------------------------------------------


def strip_controls(text: str) -> str:
    """Remove invisible control characters that can corrupt or spoof displayed text.

    Removed: bidi embeddings/overrides/isolates (U+202A-U+202E, U+2066-U+2069), the
    LRM/RLM marks (U+200E, U+200F), the Arabic letter mark (U+061C), the byte-order
    mark (U+FEFF), DEL and every C0/C1 control character except tab and newline.
    Nothing else is touched (ZWNJ and ZWJ stay).
    """
    return _CONTROL_RE.sub("", text)


# ---------------------------------------------------------------------------
# ZWNJ and spacing
# ---------------------------------------------------------------------------


def _keeps_zwnj(char: str) -> bool:
    """True if a ZWNJ may stand next to ``char`` (a letter of the Arabic script or a mark)."""
    return bool(_AR_LETTER_RE.match(char)) or unicodedata.category(char).startswith("M")


def _clean_zwnj(line: str) -> str:
    """Collapse repeated ZWNJ and drop any ZWNJ that is not inside a word."""
    line = _ZWNJ_RUN_RE.sub(ZWNJ, line)
    if ZWNJ not in line:
        return line
    out = []
    last = len(line) - 1
    for i, char in enumerate(line):
        if char == ZWNJ and not (
            0 < i < last and _keeps_zwnj(line[i - 1]) and _keeps_zwnj(line[i + 1])
        ):
            continue
        out.append(char)
    return "".join(out)


def _looks_like_verb(word: str) -> bool:
    """True if ``word`` is a known verb stem with a personal ending (and maybe a clitic)."""
    if ZWNJ in word:
        return False
    for clitic in _CLITICS:
        if clitic and not word.endswith(clitic):
            continue
        body = word[: len(word) - len(clitic)] if clitic else word
        if body == "توان":  # "می‌توان": the impersonal form has no ending
            return True
        for ending in _PRESENT_ENDINGS:
            stem = body[: len(body) - len(ending)]
            if body.endswith(ending) and stem in _PRESENT_STEMS:
                return True
        for ending in _PAST_ENDINGS:
            stem = body[: len(body) - len(ending)] if ending else body
            if ending and not body.endswith(ending):
                continue
            if stem in _PAST_STEMS or (stem.endswith("ید") and stem[:-2] in _PRESENT_STEMS):
                return True
    return False


def _glue(left: str, right: str) -> str:
    """Decide what separates two space-separated tokens: " ", ZWNJ or nothing."""
    if not right or not _AR_LETTER_RE.match(right[0]):
        return " "
    if not left or not _AR_LETTER_OR_MARK_RE.match(left[-1]):
        return " "
    left_run = _TRAILING_RUN_RE.search(left)
    right_run = _LEADING_RUN_RE.match(right)
    left_word = left_run.group() if left_run else ""
    right_word = right_run.group() if right_run else ""
    if left_word in _VERB_PREFIXES:
        return ZWNJ if _looks_like_verb(right_word) else " "
    if left_word in _ZWNJ_PREFIXES:
        return ZWNJ
    # The indefinite/relative "ای" after a final "ه" is written with ZWNJ: "زلزله‌ای".
    if right_word == "ای" and left_word.endswith("ه"):
        return ZWNJ
    if (left_word, right_word) in _ZWNJ_COMPOUNDS:
        return ZWNJ
    if right_word in _ZWNJ_SUFFIXES:
        return ZWNJ
    if (
        right_word in _GLUED_SUFFIXES
        and left_word.rsplit(ZWNJ, 1)[-1] not in _GLUED_SUFFIX_BLOCKERS
        # Not after a number ("۹م تر"): glued, "۹متر" would read as nine metres next time.
        and not any(ch.isdigit() for ch in left)
    ):
        return ""
    return " "


def _join_affixes(line: str) -> str:
    """Join prefixes, suffixes and listed compounds to their neighbours, left to right.

    Each decision looks at the word built so far on the left (including earlier joins)
    and the next token on the right; this is what makes the rules idempotent.
    """
    tokens = line.split(" ")
    words: list[str] = []
    current = tokens[0]
    for token in tokens[1:]:
        glue = _glue(current, token)
        if glue == " ":
            words.append(current)
            current = token
        else:
            current = current + glue + token
    words.append(current)
    return " ".join(words)


# A digit glued to a word ("۹کیلومتر", "ماده۵") is two words. The exceptions are the
# suffixes that belong to the number: ordinals ("۵م", "۲۰مین", "۳ام", "۱۰امین"), plurals
# ("دهه ۶۰ها", "۲۰های") and the adjectival/indefinite "ی" ("۶۰ی"). Only Arabic-script letters
# are separated: "F16", "MP3", "4K" are names and stay whole; a digit in any of the three
# sets counts.
_NUMBER_SUFFIXES = "مین|امین|م|ام|ها|های|هایی|ی|ای"
_DIGIT = "0-9\u06f0-\u06f9\u0660-\u0669"
_DIGIT_THEN_WORD_RE = re.compile(
    f"(?<=[{_DIGIT}])(?=[{_AR_LETTERS}])(?!(?:{_NUMBER_SUFFIXES})(?![{_AR_LETTERS}{_AR_MARKS}]))"
)
_WORD_THEN_DIGIT_RE = re.compile(f"(?<=[{_AR_LETTERS}{_AR_MARKS}])(?=[{_DIGIT}])")


def _space_digits(line: str) -> str:
    line = _DIGIT_THEN_WORD_RE.sub(" ", line)
    return _WORD_THEN_DIGIT_RE.sub(" ", line)


def _fix_line(line: str) -> str:
    line = _clean_zwnj(line)
    line = _space_digits(line)
    line = _SPACES_RE.sub(" ", line).strip(" \t")
    line = _SPACE_BEFORE_CLOSER_RE.sub("", line)
    line = _SPACE_AFTER_OPENER_RE.sub("", line)
    return _join_affixes(line)


def fix_half_space(text: str) -> str:
    """Apply the ZWNJ (half-space) and spacing rules, line by line.

    Spacing: runs of spaces collapse to one; spaces and tabs at the ends of each line
    are removed; spaces before ``، ؛ ؟ . , ! : ; ? ) ] } » …`` and after
    ``( [ { «`` are removed.

    ZWNJ: repeated ZWNJ collapse to one; a ZWNJ survives only between two letters of
    the Arabic script (or next to a combining mark), so ZWNJ at the start or end of a
    word, next to a space, a digit or punctuation is dropped. Then, where two words
    are separated by a single space:

    * a digit glued to an Arabic-script word is separated by a space (``۹کیلومتر`` ->
      ``۹ کیلومتر``, ``ماده۵`` -> ``ماده ۵``), except the number's own suffixes (ordinal
      ``م مین ام امین``, plural ``ها های هایی``, ``ی ای``: ``۲۰مین``, ``دهه ۶۰ها``);
    * after ``بی`` the space becomes a ZWNJ (``بی دلیل`` -> ``بی‌دلیل``); after ``می`` /
      ``نمی`` only when the next word looks like a verb (a known stem with a personal
      ending: ``می رود`` -> ``می‌رود``), because ``می`` is also a word (``ماه می سال``);
    * ``ای`` after a word ending in ``ه`` gets a ZWNJ (``زلزله ای`` -> ``زلزله‌ای``);
    * before the plural suffixes ``ها های هایی`` (and ``هایم هایت هایش هایمان هایتان
      هایشان``) the space becomes a ZWNJ (``خانه ها`` -> ``خانه‌ها``);
    * before ``تر`` / ``ترین`` the space is removed with no ZWNJ, as the reference
      vectors require (``بزرگ تر`` -> ``بزرگتر``), except after function words and
      plural suffixes, where ``تر`` means "wet";
    * a short list of compounds gets a ZWNJ: ``به‌هر به‌وجود هم‌زمان هم‌چنین هم‌چنان
      این‌جا آن‌جا این‌که آن‌که آن‌چه چند‌سال زمین‌لرزه پس‌لرزه آتش‌سوزی آتش‌نشانی
      آتش‌نشان پیش‌بینی بهره‌برداری راه‌اندازی``.

    Words already written without a space (``میرود``) are left alone: there is no
    safe way to tell ``میرود`` from ``میز``. Only spaces and ZWNJ ever change; a space
    is only ever added between a digit and a letter.
    """
    return "\n".join(_fix_line(line) for line in text.split("\n"))


# ---------------------------------------------------------------------------
# normalize / fold
# ---------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Return the canonical form of user-typed Persian (or mixed) text.

    Steps, in order:

    1. Line breaks (CR LF, CR, VT, FF, NEL, U+2028, U+2029) become ``\\n``.
    2. :func:`strip_controls` (bidi controls, C0/C1 controls except tab/newline, BOM).
    3. :func:`expand_presentation_forms`: Arabic presentation forms (U+FB50-U+FDFF,
       U+FE70-U+FEFF) become ordinary letters (NFKC on those characters only), ``﷽`` is
       spelt out and ``ھ`` (U+06BE) becomes ``ه``. Nothing else is compatibility-folded.
       Kashida / tatweel (ـ) is removed.
    4. Unicode NFC (composes e.g. decomposed ``آ``).
    5. Arabic ``ي ى`` -> ``ی`` and ``ك`` -> ``ک``; Arabic-Indic digits ``٠-٩`` ->
       Persian ``۰-۹``. Persian and ASCII digits are kept as the author typed them.
    6. Non-breaking and other Unicode spaces become a plain space.
    7. :func:`fix_half_space` (spacing and ZWNJ rules, per line).
    8. At most one blank line between paragraphs; no leading/trailing blank lines.
    9. NFC again (removing a stray ZWNJ can leave a composable Latin pair).

    The function is idempotent and never removes a letter or digit. Spellings are not
    rewritten beyond the canonical letters: ``رئیس`` and ``رییس`` both stay as typed
    (:func:`fold` makes them compare equal), and digits, quotes and punctuation keep the
    script the author used.
    """
    text = _LINE_BREAK_RE.sub("\n", text)
    text = strip_controls(text)
    text = expand_presentation_forms(text)
    text = text.replace(KASHIDA, "")
    text = unicodedata.normalize("NFC", text)
    text = arabic_to_persian_letters(text)
    text = to_persian_digits(text, from_ascii=False)
    text = _UNICODE_SPACE_RE.sub(" ", text)
    text = fix_half_space(text)
    text = _BLANK_LINES_RE.sub("\n\n", text).strip("\n")
    return unicodedata.normalize("NFC", text)


_DIACRITICS_RE = re.compile("[\u064b-\u065f\u0670]")
# "ئ" -> "ی": the same words are written both ways (رئیس/رییس, پائیز/پاییز, دائم/دایم,
# جزئی/جزیی) and no Persian word pair differs only there. normalize() keeps what people wrote;
# only the comparison key treats them as one. "هیأت"/"هیات" already meet through "أ" -> "ا".
_FOLD_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "ٱ": "ا", "ؤ": "و", "ة": "ه", "ۀ": "ه", "ئ": "ی"}
)


def _fold_once(text: str) -> str:
    text = normalize(text)
    text = to_ascii_digits(text)
    text = text.lower()
    text = text.replace(ZWNJ, "")
    text = _DIACRITICS_RE.sub("", text)
    return text.translate(_FOLD_LETTERS)


def fold(text: str) -> str:
    """Return a comparison/search key for ``text``. Not for display.

    * :func:`normalize` first (Arabic letters, spacing, ZWNJ rules, controls, kashida).
    * All digits become ASCII: ``fold("۲۷") == fold("٢٧") == fold("27") == "27"``.
    * Latin letters are lower-cased (``str.lower``).
    * ZWNJ is removed entirely, so ``روابط‌عمومی‌ها`` and ``روابطعمومیها`` fold equal.
      Spaces are *not* removed: ``روابط عمومی`` (two words) stays two words.
    * Diacritics (harakat U+064B-U+065F, including hamza above/below, and the
      superscript alef U+0670) are removed.
    * ``أ إ ٱ`` -> ``ا``, ``ؤ`` -> ``و``, ``ة`` -> ``ه`` and ``ۀ`` -> ``ه`` (the same
      as ``هٔ`` once its hamza mark is removed).
    * ``ئ`` -> ``ی`` (``رئیس`` and ``رییس`` fold equal; ``normalize`` keeps either).
    * ``آ`` is kept (it is a distinct letter in Persian).

    Removing ZWNJ can expose a word to the spacing rules again (``ن‌می رود``), so the
    steps are repeated until the key stops changing; ``fold`` is idempotent and
    ``fold(normalize(x)) == fold(x)``.
    """
    key = _fold_once(text)
    # Every extra round can only remove spaces, so this terminates quickly.
    for _ in range(len(key) + 1):
        again = _fold_once(key)
        if again == key:
            break
        key = again
    return key
