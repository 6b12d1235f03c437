"""The one Persian analysis pipeline, used when indexing and when querying.

Text → words → terms, in this order:

1. **Words.** A word is a run of letters, digits, combining marks, kashida and ZWNJ.
   Everything else (spaces, punctuation, FTS/SQL syntax such as ``" * : ( )``,
   control characters) only separates words, so no query can carry operators.
2. **Parts.** A word is cut at each ZWNJ, and each part is folded with
   :func:`ravabet.network.text.fold` (Arabic ``ي ك`` → Persian, every digit set → ASCII,
   diacritics and kashida removed, lower case). Folding is cached per part, which is
   what makes indexing fast: news vocabulary repeats.
3. **Affix gluing.** A part that is only a verbal prefix (``می``, ``نمی``) is glued to
   the next part, a part that is only a plural or comparative suffix (``ها``, ``های``,
   ``تر``, ``ترین`` ...) to the previous one. So ``می شود``, ``می‌شود`` and ``میشود``
   all become ``میشود`` before stemming, whichever separator the writer used.
4. **Light stemming.** Plural/possessive suffixes (``ها های هایی هایش`` ...), then the
   comparative ``تر``/``ترین``, then the verbal prefixes ``نمی``/``می`` are removed when
   enough of the word stays (and the word is not one of the common words that merely
   start with ``می``, e.g. ``میلیون``, ``میدان``).
5. **Stop words** never stand as a query term of their own.
6. **Compounds.** The index keeps every term in order (stop words too), so a compound
   can be matched both ways at query time: a query word typed without ZWNJ or space
   (``روابطعمومیها``) also looks for the *phrase* of its two halves at every cut point
   (``"روابط عمومی"``), and two query words (``روابط عمومی``) also look for the single
   term they make when written together (``روابطعمومی``). This is the "trigram index
   or equivalent" of the issue: exact compound matching instead of approximate.

On the query side each word becomes a *clause*: the word's stem OR the joined terms it
forms with its neighbours OR the phrases its halves make OR its *derivational variants*
(`variants`: the ezafe/indefinite/adjectival «ی», the enclitic «ش» after «ه», the plurals
in «ان»/«ات»/«گان»/«یان», both ways). Clauses are ANDed by the backends.

Search folds more than `network.text.fold` (one table, `_SEARCH_FOLD`, applied after it):
Arabic presentation forms (text pasted from PDF and Word) through NFKC, «ھ» (U+06BE) as
«ه», «ئ» as «ی» (رئیس/رییس, مسائل/مسایل) and a few whole-word spellings (هیئت/هیأت).
Digits glued to Persian letters (``۹کیلومتر``) are cut apart before anything else.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from ravabet.network.text import ARABIC_BLOCK, ZWNJ, fold, in_arabic_block, strip_controls

__all__ = [
    "CODE_TERM_PREFIX",
    "MAX_QUERY_CLAUSES",
    "MAX_QUERY_LENGTH",
    "Query",
    "analyse_query",
    "index_terms",
    "search_fold",
    "stem",
    "terms",
    "variants",
    "word_marks",
    "word_spans",
    "word_stems",
]

# A document's code (a news code) is indexed as this prefix + the code's digits, beside
# the plain number: a term prose never holds, so «کد خبر ۱۰۰۱» finds exactly one.
CODE_TERM_PREFIX = "code"
MAX_QUERY_LENGTH = 500  # characters of a query that are analysed; the rest is ignored
MAX_QUERY_CLAUSES = 12  # words of a query that count

# Letters, digits, marks, kashida and ZWNJ make words; the underscore does not.
_WORD_RE = re.compile(r"[\w\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200c]+")
_PERSIAN_RE = re.compile(f"[{ARABIC_BLOCK}]")

# What search folds beyond `network.text.fold` (kept here, in one place; the normaliser
# may learn the same letters, which then changes nothing here). Presentation forms are
# expanded by NFKC first (`_fold_part`).
_SEARCH_FOLD = str.maketrans({"\u06be": "ه", "ئ": "ی"})
# Whole-word spellings that differ by more than one letter, as folded (prefix → prefix,
# so that derived forms follow: هیئت‌ها, مسئولان, مسئولیت).
_SPELLING_PREFIXES = (("هییت", "هیات"), ("مسیول", "مسوول"))
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
# A digit glued to a Persian letter, either side (۹کیلومتر, کیلومتر۹); Latin words such
# as covid19 are left whole.
_FA_LETTER = "\u0621-\u065f\u066e-\u06d3\u06d5"
_DIGIT_LETTER_RE = re.compile(f"(?<=\\d)(?=[{_FA_LETTER}])|(?<=[{_FA_LETTER}])(?=\\d)")

_PREFIXES = frozenset({"می", "نمی"})
_PLURAL_SUFFIXES = (
    "هایشان",
    "هایتان",
    "هایمان",
    "هایش",
    "هایت",
    "هایم",
    "هایی",
    "های",
    "ها",
)
_COMPARATIVE_SUFFIXES = ("ترین", "تر")
_SUFFIXES = frozenset(_PLURAL_SUFFIXES + _COMPARATIVE_SUFFIXES)
_AFFIXES = _SUFFIXES | _PREFIXES

# Common words that begin with "می" but carry no verbal prefix.
_MI_WORDS = frozenset(
    {
        "میلیون",
        "میلیارد",
        "میدان",
        "میراث",
        "میز",
        "میزان",
        "میزبان",
        "میان",
        "میانه",
        "میهمان",
        "میهن",
        "میوه",
        "میل",
        "میلاد",
        "میلادی",
        "میر",
        "میرزا",
        "میثاق",
        "میکروب",
        "میکرو",
        "میگو",
        "مینا",
        "میش",
        "میخ",
        "میعاد",
        "میقات",
    }
)

STOP_WORDS = frozenset(
    {
        # Persian function words (folded forms).
        "و",
        "ی",  # the ezafe written apart (قطعه ی نخست): never a required word
        # Enclitic pronouns written apart (قهوه‌اش, کتاب‌شان).
        "اش",
        "ام",
        "ات",
        "مان",
        "تان",
        "شان",
        "در",
        "به",
        "از",
        "که",
        "این",
        "آن",
        "را",
        "با",
        "است",
        "برای",
        "تا",
        "یا",
        "هم",
        "بر",
        "نیز",
        "اما",
        "اگر",
        "هر",
        "چه",
        "یک",
        "ای",
        "وی",
        "او",
        "ما",
        "ها",
        "های",
        "می",
        "نمی",
        "تر",
        "ترین",
        "اند",
        "نیست",
        "هست",
        "خود",
        "پس",
        "چون",
        "زیرا",
        "ولی",
        # English function words.
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "was",
        "with",
    }
)


_PLURAL_SET = frozenset(_PLURAL_SUFFIXES)
PLURAL_SUFFIXES = _PLURAL_SUFFIXES  # for showing a corrected word with its ZWNJ
WORD_RE = _WORD_RE  # what a word is, for mapping query words back to the text typed
_COMPARATIVE_SET = frozenset(_COMPARATIVE_SUFFIXES)


def _strip_plural(word: str) -> str:
    # Every plural suffix starts with "ها": one search from the end, one set lookup.
    i = word.rfind("ها")
    if i >= 2 and word[i:] in _PLURAL_SET:
        return word[:i]
    return word


# Words that end in «تر» without being comparatives (from the news corpus: the words
# ending in «تر» whose stem without it hardly occurs). Units in «متر»/«لیتر» are caught
# by their ending.
_NOT_COMPARATIVE = frozenset(
    {
        "کبوتر",
        "انگشتر",
        "دفاتر",
        "دختر",
        "تیاتر",
        "تییاتر",
        "تیتر",
        "اکتر",
        "توییتر",
        "تویتر",
        "کامپیوتر",
        "منچستر",
        "تهاتر",
        "پوستر",
        "خاکستر",
        "فیلتر",
        "کاراکتر",
        "کارکتر",
        "هلیکوپتر",
        "هلیکوباکتر",
        "دکتر",
        "رجیستر",
        "کاداستر",
        "ارکستر",
        "شوستر",
        "کنیستر",
        "تواتر",
        "متواتر",
        "اسپرینتر",
        "کوارتر",
        "شبستر",
        "لابستر",
        "بستر",
        "اختر",
        "مستر",
        "ماستر",
        "اکستر",
        "چپتر",
        "گستر",
        "کلاستر",
        "اسکوتر",
        "اسکناتر",
        "دفتر",
        "شتر",
        "چتر",
        "میلیلیتر",
        "میکرولیتر",
        "لیتر",
        "فاکتور",
    }
)
# Units of length: «مهمتر» and «محکمتر» are comparatives, so «متر» alone cannot be.
_NOT_COMPARATIVE_ENDINGS = ("لومتر", "لیمتر", "انتیمتر", "نانومتر", "رومتر", "پارامتر", "دختر")


def _strip_comparative(word: str) -> str:
    i = word.rfind("تر")
    if i >= 3 and word[i:] in _COMPARATIVE_SET:
        base = word[: i + 2]  # the word without «ین»: «کیلومترین» is no superlative either
        if base in _NOT_COMPARATIVE or base.endswith(_NOT_COMPARATIVE_ENDINGS):
            return word
        return word[:i]
    return word


def _is_mi_word(word: str) -> bool:
    return word in _MI_WORDS or any(word.startswith(w) for w in _MI_WORDS if len(w) >= 4)


def _strip_prefix(word: str) -> str:
    if word[:1] not in ("م", "ن"):
        return word
    for prefix in ("نمی", "می"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3 and not _is_mi_word(word):
            return word[len(prefix) :]
    return word


_is_persian = in_arabic_block


@functools.lru_cache(maxsize=1 << 20)
def stem(word: str) -> str:
    """Light stem of one folded word (no ZWNJ): suffixes, then the verbal prefix."""
    if word and any(_is_persian(c) for c in word):
        return _strip_prefix(_strip_plural(_strip_comparative(_strip_plural(word))))
    return word


@functools.lru_cache(maxsize=1 << 20)
def _joinable(word: str) -> tuple[bool, bool]:
    """(ends with a Persian letter, starts with one)."""
    return _is_persian(word[-1]), _is_persian(word[0])


def join(left: str, right: str) -> str:
    """The joined term of two neighbouring words: their stems written as one."""
    return stem(left) + stem(right)


def search_fold(text: str) -> str:
    """The search key of one word: `network.text.fold`, then what only search folds
    (presentation forms, «ھ», «ئ», whole-word spellings; see the module docstring)."""
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    # fold() never adds a space inside one run of letters; drop any to be safe.
    key = fold(text).replace(" ", "").translate(_SEARCH_FOLD)
    for written, spelling in _SPELLING_PREFIXES:
        if key.startswith(written):
            key = spelling + key[len(written) :]
    return key


@functools.lru_cache(maxsize=200_000)
def _fold_part(part: str) -> str:
    return search_fold(part)


@functools.lru_cache(maxsize=100_000)
def _parts(raw: str) -> tuple[str, ...]:
    """Folded parts of one raw word, cut at ZWNJ; empty parts dropped."""
    out = []
    for piece in raw.split(ZWNJ):
        folded = _fold_part(piece)
        if folded:
            out.append(folded)
    return tuple(out)


def _glue(parts: list[str]) -> list[str]:
    """Glue lone prefixes to the next part and lone suffixes to the previous one."""
    words: list[str] = []
    pending = ""
    for part in parts:
        if part in _SUFFIXES and words and not pending and _is_persian(words[-1][-1]):
            words[-1] += part
            continue
        if part in _PREFIXES:
            pending += part
            continue
        words.append(pending + part)
        pending = ""
    if pending:
        words.append(pending)
    return words


_YEH = "[\u06cc\u064a\u0649]"  # Persian and Arabic yeh, as typed (before folding)
# A lone plural/comparative suffix after a word, or a lone verbal prefix before one,
# loses the space or ZWNJ in front of / after it (the same rule as `_glue`, on raw text).
# Both patterns begin with what they consume, so the regular expression engine skips
# ahead to the few places they can match; the look-behind each needs (a Persian
# character before the gap; no word character before the prefix) is checked on a match.
_GLUE_SUFFIX_RE = re.compile(
    "[ \u200c]+"
    f"(?=(?:ها(?:{_YEH}(?:{_YEH}|ش|ت|م|شان|تان|مان)?|ش|ت|م|شان|تان|مان)?|تر(?:{_YEH}ن)?)"
    "(?![\\w\u200c]))"
)
_GLUE_PREFIX_RE = re.compile(f"(ن?م{_YEH})[ \u200c]+(?=[{ARABIC_BLOCK}])")
_WORD_CHAR_RE = re.compile(r"[\w\u200c]")


def _glue_suffix(match: re.Match[str]) -> str:
    at = match.start()
    return "" if at and in_arabic_block(match.string[at - 1]) else match.group()


def _glue_prefix(match: re.Match[str]) -> str:
    at = match.start()
    if at and _WORD_CHAR_RE.match(match.string, at - 1):
        return match.group()
    return match.group(1)


def _raw_words(text: str) -> list[str]:
    """The words of ``text`` as written, after lone affixes were glued to their word."""
    text = strip_controls(text).replace("_", " ")
    if _PRESENTATION_RE.search(text):
        # Pasted from PDF or Word: letters in presentation forms, which the affix rules
        # below do not see as Persian.
        text = unicodedata.normalize("NFKC", text)
    text = _DIGIT_LETTER_RE.sub(" ", text)
    text = _GLUE_PREFIX_RE.sub(_glue_prefix, _GLUE_SUFFIX_RE.sub(_glue_suffix, text))
    return _WORD_RE.findall(text)


def _words(text: str) -> list[str]:
    parts = list(chain.from_iterable(map(_parts, _raw_words(text))))
    if _AFFIXES.isdisjoint(parts):
        return parts
    return _glue(parts)  # affixes the regular expressions could not see (e.g. after kashida)


def _can_join(left: str, right: str) -> bool:
    return _joinable(left)[0] and _joinable(right)[1]


def terms(text: str) -> list[str]:
    """The unigram terms of ``text`` in order (stemmed, stop words removed)."""
    out = []
    for word in _words(text):
        term = stem(word)
        if term not in STOP_WORDS:
            out.append(term)
    return out


class _WordTerms(dict[str, str]):
    """Raw word → its terms, space-separated ("" for none): the whole per-word pipeline
    (ZWNJ cut, folding, stemming) done once per distinct written word.

    Words with a lone affix part are remembered in ``affixed``: only text holding one of
    them needs the gluing that looks across words.
    """

    LIMIT = 300_000  # distinct written words kept (news vocabulary; ~60 MB at most)

    def __init__(self) -> None:
        super().__init__()
        self.affixed: set[str] = set()

    def __missing__(self, raw: str) -> str:
        parts = _parts(raw)
        if not _AFFIXES.isdisjoint(parts):
            self.affixed.add(raw)
        if len(self) >= self.LIMIT:
            self.clear()
        value = self[raw] = " ".join(map(stem, parts))
        return value


_WORD_TERMS = _WordTerms()


def index_terms(text: str) -> str:
    """The terms to index for ``text``, in order and space-separated.

    Stop words are indexed too (so that a compound typed as one word can be found as
    the phrase of its parts, e.g. ``همزمان`` as ``هم زمان``); queries never use them
    on their own.
    """
    raw = _raw_words(text)
    found = list(map(_WORD_TERMS.__getitem__, raw))
    if _WORD_TERMS.affixed.isdisjoint(raw):
        # No lone affix anywhere: each word's terms stand on their own.
        return " ".join(filter(None, found))
    return " ".join(map(stem, _glue(list(chain.from_iterable(map(_parts, raw))))))


Alternative = tuple[str, ...]  # one term, or a phrase of adjacent terms


@dataclass(frozen=True)
class Query:
    """An analysed query: ``clauses`` are ANDed, the alternatives inside one clause ORed.

    An alternative is one term, or a phrase of two terms that must stand next to each
    other (a compound the query wrote as one word, the document as two).
    """

    clauses: tuple[tuple[Alternative, ...], ...]
    words: tuple[str, ...]  # the glued, folded words the clauses came from
    # Per clause, the word's other derivations (`variants`): tried only when the query as
    # written finds less than a page, so they never change the ranking of exact matches.
    derived: tuple[tuple[Alternative, ...], ...] = ()

    @property
    def has_derived(self) -> bool:
        return any(self.derived)

    def widened(self) -> Query:
        """The query with each clause also matching its word's other derivations."""
        if not self.has_derived:
            return self
        clauses = tuple(c + d for c, d in zip(self.clauses, self.derived, strict=True))
        return Query(clauses, self.words)

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def all_terms(self) -> frozenset[str]:
        return frozenset(t for clause in self.clauses for alt in clause for t in alt)

    @property
    def highlight_terms(self) -> frozenset[str]:
        """Terms whose words are marked in results: every single-term alternative, and
        the content terms of phrases (never a stop word or a lone affix such as «می»)."""
        out = set()
        for clause in self.clauses:
            for alt in clause:
                if len(alt) == 1:
                    out.add(alt[0])
                else:
                    out.update(t for t in alt if len(t) > 2 and t not in STOP_WORDS)
        return frozenset(out - _AFFIXES)

    @property
    def primary_terms(self) -> tuple[str, ...]:
        return tuple(clause[0][0] for clause in self.clauses)


def _splits(word: str) -> list[Alternative]:
    """Phrases a word typed without space or ZWNJ may stand for (``روابطعمومیها`` →
    ``روابط عمومی``): two or three parts of at least two letters each."""
    if len(word) < 4 or not (_is_persian(word[0]) and _is_persian(word[-1])):
        return []
    out: list[Alternative] = [(stem(word[:k]), stem(word[k:])) for k in range(2, len(word) - 1)]
    if len(word) <= 14:  # three parts, e.g. بیبیسی → بی بی سی
        out += [
            (stem(word[:j]), stem(word[j:k]), stem(word[k:]))
            for j in range(2, len(word) - 3)
            for k in range(j + 2, len(word) - 1)
        ]
    return out


# «ش» after «ه» is an enclitic (قهوهش) except in these words, where it is the word's own.
_OWN_SH = frozenset({"کاهش", "پژوهش", "خواهش", "نکوهش", "جهش", "گویش"})


@functools.lru_cache(maxsize=100_000)
def variants(term: str) -> tuple[str, ...]:
    """Terms of the same word in another derivation, for a query term (a stem).

    Both ways, so that the query and the text may each have either form: the «ی» of the
    ezafe, the indefinite and the adjective (تجربهی/تجربه, کشوری/کشور), the enclitic «ش»
    after «ه» (قهوهش/قهوه), the plurals in «ان», «ات», «یان», «گان» (کارگران/کارگر,
    اقدامات/اقدام, دانشجویان/دانشجو, نمایندگان/نماینده). Only at query time: the index
    keeps each written form, so an exact query still ranks its own form by BM25, and a
    rule that over-reaches costs an extra alternative, never a lost word.
    """
    if len(term) < 3 or not (_is_persian(term[0]) and _is_persian(term[-1])):
        return ()
    out: list[str] = []
    if term.endswith("ی") and len(term) >= 4:
        out.append(term[:-1])
    if term.endswith("هش") and len(term) >= 4 and term not in _OWN_SH:
        out.append(term[:-1])
    if len(term) >= 5:
        if term.endswith("یان"):
            out.append(term[:-3])
        if term.endswith("گان"):
            out.append(term[:-3] + "ه")
        if term.endswith(("ان", "ات")):
            out.append(term[:-2])
        if term.endswith("جات"):
            out.append(term[:-3])
    last = term[-1]
    if last != "ی":  # the ezafe or adjectival «ی» of any word (شورای, مطبوعاتی, جبرانی)
        out.append(term + "ی")
    if last in "او":
        out.append(term + "یی")
    # Its plurals («مهم» is too short to take «ان»: مهمان is a guest). A word that already
    # ends in «ان» may still be singular (جوان → جوانان).
    if last == "ه":
        out += [term[:-1] + "گان", term + "ش"]
    elif last in "او":
        out.append(term + "یان")
    elif last != "ی" and len(term) >= 4:
        out += [term + "ان", term + "ات"]
    return tuple(dict.fromkeys(v for v in out if len(v) >= 3 and v != term and v not in STOP_WORDS))


def analyse_query(text: str) -> Query:
    """Analyse a query the way documents are indexed; never raises, never returns syntax."""
    if not isinstance(text, str):
        return Query((), ())
    words = _words(text[:MAX_QUERY_LENGTH])
    clauses: list[tuple[Alternative, ...]] = []
    kept: list[str] = []
    stop_clauses: list[tuple[Alternative, ...]] = []
    derived: list[tuple[Alternative, ...]] = []
    for i, word in enumerate(words):
        term = stem(word)
        joined: list[Alternative] = []
        if i > 0 and _can_join(words[i - 1], word):
            joined += [(stem(words[i - 1] + word),), (join(words[i - 1], word),)]
        if i + 1 < len(words) and _can_join(word, words[i + 1]):
            joined += [(stem(word + words[i + 1]),), (join(word, words[i + 1]),)]
        if term in STOP_WORDS:
            # Stop words count only as part of a compound, and only if nothing else does.
            phrases = []
            if i > 0:
                phrases.append((stem(words[i - 1]), term))
            if i + 1 < len(words):
                phrases.append((term, stem(words[i + 1])))
            only_joined = tuple(dict.fromkeys([*joined, *phrases]))
            if only_joined and only_joined not in stop_clauses:
                stop_clauses.append(only_joined)
            continue
        alternatives = tuple(dict.fromkeys([(term,), *joined, *_splits(word)]))
        if alternatives not in clauses:
            clauses.append(alternatives)
            kept.append(word)
            derived.append(tuple((v,) for v in variants(term) if (v,) not in alternatives))
        if len(clauses) >= MAX_QUERY_CLAUSES:
            break
    if not clauses and stop_clauses:
        clauses = stop_clauses[:MAX_QUERY_CLAUSES]
        kept = [clause[0][0] for clause in clauses]
        derived = [() for _ in clauses]
    return Query(tuple(clauses), tuple(kept), tuple(derived))


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every word of ``text`` as written (for highlighting)."""
    for match in _WORD_RE.finditer(text):
        yield match.start(), match.end()


def word_marks(text: str, terms: frozenset[str]) -> tuple[list[tuple[int, int]], list[bool]]:
    """(start, end) of every word of ``text`` as written, and whether it stands for one of
    ``terms`` (for highlighting). Each distinct word is looked up once."""
    spans: list[tuple[int, int]] = []
    hits: list[bool] = []
    seen: dict[str, bool] = {}
    for match in _WORD_RE.finditer(text):
        raw = match.group()
        hit = seen.get(raw)
        if hit is None:
            if ZWNJ in raw:
                hit = not word_stems(raw).isdisjoint(terms)
            elif _DIGIT_LETTER_RE.search(raw):  # ۹کیلومتر: indexed as two words
                hit = not terms.isdisjoint(index_terms(raw).split())
            else:  # one part: its one term (what `word_stems` would find), from the cache
                hit = _WORD_TERMS[raw] in terms
            seen[raw] = hit
        spans.append(match.span())
        hits.append(hit)
    return spans, hits


@functools.lru_cache(maxsize=100_000)
def word_stems(raw: str) -> frozenset[str]:
    """Every term one written word can stand for: its parts' stems and their glued stem."""
    parts = _parts(raw)
    # A lone affix part («می» of «می‌شود») is no word of its own: never marked alone.
    found = {stem(p) for p in parts if p not in _AFFIXES}
    glued = _glue(list(parts))
    found.update(stem(w) for w in glued)
    if len(glued) > 1:
        found.add(stem("".join(glued)))
    return frozenset(found - _AFFIXES)
