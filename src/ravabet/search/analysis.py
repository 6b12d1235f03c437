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
5. **Stop words** are dropped from the unigram terms.
6. **Joined terms.** Each pair of neighbouring words also yields the stem of the two
   written as one (``روابط عمومی ها`` → ``روابطعمومی``). A compound typed without ZWNJ
   or space (``روابطعمومیها``) stems to the same term, so each of the three spellings
   finds the others. This is the "trigram index or equivalent" of the issue: it finds
   missing-ZWNJ compounds exactly instead of approximately.

On the query side each word becomes a *clause*: the word's stem OR the joined terms it
forms with its neighbours in the query. Clauses are ANDed by the backends.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ravabet.network.text import ZWNJ, fold, strip_controls

__all__ = [
    "MAX_QUERY_CLAUSES",
    "MAX_QUERY_LENGTH",
    "Query",
    "analyse_query",
    "index_terms",
    "stem",
    "terms",
    "word_spans",
    "word_stems",
]

MAX_QUERY_LENGTH = 500  # characters of a query that are analysed; the rest is ignored
MAX_QUERY_CLAUSES = 12  # words of a query that count

# Letters, digits, marks, kashida and ZWNJ make words; the underscore does not.
_WORD_RE = re.compile(r"(?:[^\W_]|[\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200c])+")
_PERSIAN_RE = re.compile(r"[\u0600-\u06ff]")

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


def _strip_plural(word: str) -> str:
    for suffix in _PLURAL_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word


def _strip_comparative(word: str) -> str:
    for suffix in _COMPARATIVE_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _is_mi_word(word: str) -> bool:
    return word in _MI_WORDS or any(word.startswith(w) for w in _MI_WORDS if len(w) >= 4)


def _strip_prefix(word: str) -> str:
    for prefix in ("نمی", "می"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3 and not _is_mi_word(word):
            return word[len(prefix) :]
    return word


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Light stem of one folded word (no ZWNJ): suffixes, then the verbal prefix."""
    if not _PERSIAN_RE.search(word):
        return word
    word = _strip_plural(word)
    word = _strip_comparative(word)
    word = _strip_plural(word)
    return _strip_prefix(word)


@functools.lru_cache(maxsize=200_000)
def _fold_part(part: str) -> str:
    # fold() may leave a space inside a "part" only if normalisation split it; it never
    # does for a single run of letters, but be safe: separators are dropped.
    return fold(part).replace(" ", "")


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
        if part in _SUFFIXES and words and not pending and _PERSIAN_RE.match(words[-1][-1]):
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


def _words(text: str) -> list[str]:
    parts: list[str] = []
    for match in _WORD_RE.finditer(strip_controls(text)):
        parts.extend(_parts(match.group()))
    return _glue(parts)


def _can_join(left: str, right: str) -> bool:
    return bool(_PERSIAN_RE.match(left[-1]) and _PERSIAN_RE.match(right[0]))


def terms(text: str) -> list[str]:
    """The unigram terms of ``text`` in order (stemmed, stop words removed)."""
    out = []
    for word in _words(text):
        term = stem(word)
        if term not in STOP_WORDS:
            out.append(term)
    return out


def index_terms(text: str) -> str:
    """The terms to index for ``text``: unigrams and joined neighbours, space-separated."""
    words = _words(text)
    out: list[str] = []
    previous = ""
    for word in words:
        term = stem(word)
        if term not in STOP_WORDS:
            out.append(term)
        if previous and _can_join(previous, word):
            out.append(stem(previous + word))
        previous = word
    return " ".join(out)


@dataclass(frozen=True)
class Query:
    """An analysed query: ``clauses`` are ANDed, the terms inside one clause ORed."""

    clauses: tuple[tuple[str, ...], ...]
    words: tuple[str, ...]  # the glued, folded words the clauses came from (for suggestions)

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def all_terms(self) -> frozenset[str]:
        return frozenset(t for clause in self.clauses for t in clause)


def analyse_query(text: str) -> Query:
    """Analyse a query the way documents are indexed; never raises, never returns syntax."""
    if not isinstance(text, str):
        return Query((), ())
    words = _words(text[:MAX_QUERY_LENGTH])
    clauses: list[tuple[str, ...]] = []
    kept: list[str] = []
    stop_clauses: list[tuple[str, ...]] = []
    for i, word in enumerate(words):
        term = stem(word)
        joined_before = stem(words[i - 1] + word) if i > 0 and _can_join(words[i - 1], word) else ""
        joined_after = (
            stem(word + words[i + 1])
            if i + 1 < len(words) and _can_join(word, words[i + 1])
            else ""
        )
        if term in STOP_WORDS:
            # Stop words count only as part of a compound, and only if nothing else does.
            joined = tuple(dict.fromkeys(t for t in (joined_before, joined_after) if t))
            if joined and joined not in stop_clauses:
                stop_clauses.append(joined)
            continue
        alternatives = tuple(dict.fromkeys(t for t in (term, joined_before, joined_after) if t))
        if alternatives not in clauses:
            clauses.append(alternatives)
            kept.append(word)
        if len(clauses) >= MAX_QUERY_CLAUSES:
            break
    if not clauses and stop_clauses:
        clauses = stop_clauses[:MAX_QUERY_CLAUSES]
        kept = [alternatives[0] for alternatives in clauses]
    return Query(tuple(clauses), tuple(kept))


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every word of ``text`` as written (for highlighting)."""
    for match in _WORD_RE.finditer(text):
        yield match.start(), match.end()


@functools.lru_cache(maxsize=100_000)
def word_stems(raw: str) -> frozenset[str]:
    """Every term one written word can stand for: its parts' stems and their glued stem."""
    parts = _parts(raw)
    found = {stem(p) for p in parts}
    glued = _glue(list(parts))
    found.update(stem(w) for w in glued)
    if len(glued) > 1:
        found.add(stem("".join(glued)))
    return frozenset(found)
