"""Reading the search index: the one `search(...)` the public page and other apps call."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ravabet.network import selectors as network
from ravabet.network.models import Office
from ravabet.network.permissions import Action, Reach, reach
from ravabet.network.text import ZWNJ, to_ascii_digits, to_persian_digits

from . import backends
from .analysis import (
    CODE_TERM_PREFIX,
    PLURAL_SUFFIXES,
    WORD_RE,
    Query,
    analyse_query,
    search_fold,
    stem,
    word_marks,
)
from .models import SearchDocument

SNIPPET_WORDS = 32
MAX_PAGE = 100  # deeper pages are not served (nobody reads them; they cost the most)
RERANK_WINDOW = 50  # relevance: the backend's best 50 are re-ordered by proximity
PROXIMITY_GAP = 3  # query words this close in a document count as found together
# Fewer exact results than this and the query is tried again with the known words one
# edit away from each word the index does not know (the commonest FUZZY_CHOICES of them).
FUZZY_BELOW = 3
FUZZY_CHOICES = 3
# A query that is only a news code: «کد خبر ۱۰۰۱», «کد: 1001», «1001».
_CODE_QUERY_RE = re.compile(r"^\s*(?P<label>کد\s*(?:خبر)?\s*[:：]?)?\s*#?(?P<code>\d{1,18})\s*$")


@dataclass(frozen=True)
class SearchResult:
    title: SafeString  # highlighted, escaped
    snippet: SafeString  # highlighted, escaped
    url: str
    source: str
    key: str
    office: Office
    published_at: datetime | None
    language: str
    is_public: bool
    group: str
    group_title: str
    tags: list[str]
    over_title: str


@dataclass
class SearchPage:
    query: str
    results: list[SearchResult] = field(default_factory=list)
    total: int = 0
    total_capped: bool = False  # there are more than `total` results
    page: int = 1
    per_page: int = 10
    did_you_mean: str = ""  # a spelling to try, as the reader would write it
    fuzzy: bool = False  # the results are those of `did_you_mean`: nothing matched as typed
    analysed: Query | None = None
    filtered: bool = False  # some filter narrowed the search (the empty page says so)

    @property
    def num_pages(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.total / self.per_page)))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def is_empty_query(self) -> bool:
        return self.analysed is None or self.analysed.is_empty


def _as_start(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time.min))


def _as_end(value: date | datetime | None) -> datetime | None:
    """`date_to` is inclusive for dates (the whole day), exact for datetimes."""
    if value is None or isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value + timedelta(days=1), time.min))


def highlight(text: str, terms: frozenset[str], *, window: int | None = None) -> SafeString:
    """`text` escaped, matched words in <mark>; with `window`, the best run of words only."""
    if not text:
        return mark_safe("")
    spans, hit = word_marks(text, terms)
    start_word, end_word = 0, len(spans)
    if window is not None and len(spans) > window:
        best, best_score = 0, -1
        score = sum(hit[:window])
        for i in range(len(spans) - window + 1):
            if i:
                score += hit[i + window - 1] - hit[i - 1]
            if score > best_score:
                best, best_score = i, score
        start_word, end_word = best, best + window
    if not spans:
        return mark_safe(escape(text[:300]))  # noqa: S308
    begin = spans[start_word][0] if start_word else 0
    finish = spans[end_word - 1][1] if end_word < len(spans) else len(text)
    out = ["… " if begin else ""]
    cursor = begin
    for (s, e), marked in zip(spans[start_word:end_word], hit[start_word:end_word], strict=True):
        if marked:
            out.append(escape(text[cursor:s]))
            out.append(f"<mark>{escape(text[s:e])}</mark>")
            cursor = e
    out.append(escape(text[cursor:finish]))
    if finish < len(text):
        out.append(" …")
    return mark_safe("".join(out))  # noqa: S308


def _proximity(terms: str, clause_of: dict[str, tuple[int, ...]], clauses: int) -> int:
    """How many neighbouring query words stand within PROXIMITY_GAP terms of each other.

    ``terms`` is a document's stored terms; ``clause_of`` maps each term a clause may
    start with to the clauses it stands for. One pass over the terms finds every position.
    """
    positions: list[set[int]] = [set() for _ in range(clauses)]
    words = terms.split()
    for i in [i for i, term in enumerate(words) if term in clause_of]:
        for clause in clause_of[words[i]]:
            positions[clause].add(i)
    score = 0
    for left, right in itertools.pairwise(positions):
        if right and any(p + gap in right for p in left for gap in range(1, PROXIMITY_GAP + 1)):
            score += 1
    return score


def nearness(ids: list[int], analysed: Query) -> dict[int, int]:
    """Per document, how many neighbouring query words stand together (`_proximity`), from
    one read of the documents' stored terms."""
    if not ids:
        return {}
    clause_of: dict[str, tuple[int, ...]] = {}
    for n, clause in enumerate(analysed.clauses):
        for term in dict.fromkeys(alt[0] for alt in clause):
            clause_of[term] = (*clause_of.get(term, ()), n)
    count = len(analysed.clauses)
    rows = SearchDocument.objects.filter(pk__in=ids).values_list("pk", "title_terms", "body_terms")
    return {
        pk: max(_proximity(title, clause_of, count), _proximity(body, clause_of, count))
        for pk, title, body in rows
    }


def rerank(ids: list[int], analysed: Query) -> list[int]:
    """Stable re-order of ranked ids: documents with the query's words together first."""
    if len(ids) < 2:
        return ids
    score = nearness(ids, analysed)
    return sorted(ids, key=lambda pk: -score.get(pk, 0))


def rank_derived_in(
    exact: list[int], exact_near: dict[int, int], found: list[int], wide: Query
) -> list[int]:
    """The exact ranking (`exact`, already reranked, with its nearness) with the documents that
    only the widened query `wide` found (`found`, its backend order) ranked in: before the
    exact matches whose words stand *less* together, after every exact match whose words
    stand as close (so a phrase typed as written keeps its place, and a rare variant's BM25
    weight never lifts a derived match over the form the reader typed)."""
    seen = set(exact)
    derived = [pk for pk in found if pk not in seen]
    near = {**nearness(derived, wide), **exact_near}
    flagged = [(pk, 0) for pk in exact] + [(pk, 1) for pk in derived]
    flagged.sort(key=lambda row: (-near.get(row[0], 0), row[1]))  # stable: each order kept
    return [pk for pk, _ in flagged]


def staff_reach(user: Any) -> Reach:
    """Whose non-public documents `user` finds: the same rule as the staff pages of a news item
    (`Action.NEWS_READ_ANY`: anyone's in the offices where the user edits news, their own where
    they only write it), expressed in the office and owner the document carries."""
    return reach(user, Action.NEWS_READ_ANY)


def _visibility(user: Any) -> dict[str, Any]:
    """The `Filters` fields that say which non-public documents `user` finds (`staff_reach`)."""
    visible = staff_reach(user)
    return {
        "visible_offices": visible.offices,
        "own_offices": visible.own_offices,
        "owner_id": visible.user_id,
        "all_visible": visible.everything,
    }


def search(
    query: str,
    *,
    user: Any = None,
    office: Office | None = None,
    group: str = "",
    tag: str = "",
    date_from: date | datetime | None = None,
    date_to: date | datetime | None = None,
    language: str = "",
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 10,
) -> SearchPage:
    """Search the index. Any text is a valid query; it never raises for what people type.

    `office` narrows to that office and the offices under it. Signed-in staff also find
    non-public documents of the offices where they may write news. `date_to` is inclusive.
    """
    query = query if isinstance(query, str) else ""
    per_page = max(1, min(int(per_page), 50))
    page = max(1, min(int(page), MAX_PAGE))
    analysed = analyse_query(query)
    result = SearchPage(query=query, page=page, per_page=per_page, analysed=analysed)
    if analysed.is_empty:
        return result
    filters = backends.Filters(
        office_ids=(
            tuple(network.subtree(office).values_list("pk", flat=True)) if office else None
        ),
        **_visibility(user),
        group=(group or "")[:100],
        tag=(tag or "")[:200],
        language=language if language in ("fa", "en") else "",
        date_from=_as_start(date_from),
        date_to=_as_end(date_to),
    )
    result.filtered = bool(
        office or group or tag or date_from or date_to or language in ("fa", "en")
    )
    backend = backends.backend()
    sort = "date" if sort == "date" else "relevance"
    offset = (page - 1) * per_page

    def run(q: Query) -> tuple[list[int], int]:
        if sort == "relevance" and offset + per_page <= RERANK_WINDOW and len(q.clauses) > 1:
            # The best RERANK_WINDOW by the backend's rank, then words found together first.
            found, count = backend.search(q, filters, sort=sort, offset=0, limit=RERANK_WINDOW)
            return rerank(found, q)[offset : offset + per_page], count
        return backend.search(q, filters, sort=sort, offset=offset, limit=per_page)

    shown = analysed
    upto = offset + per_page
    ranked_in = (
        sort == "relevance"
        and upto <= RERANK_WINDOW
        and len(analysed.clauses) > 1
        and analysed.has_derived
    )
    if ranked_in:
        # Several words: the other derivations of each word are ranked in, not only tried
        # when the words as typed find less than a page (`rank_derived_in`): an article with
        # «کارگر» beside the other words is found by «کارگران …» even when the words as typed
        # fill pages elsewhere, apart. Skipped when every result up to this page already has
        # all the words together (nothing derived could come before them).
        found, total = backend.search(analysed, filters, sort=sort, offset=0, limit=RERANK_WINDOW)
        near = nearness(found, analysed)
        ranked = sorted(found, key=lambda pk: -near.get(pk, 0))
        together = len(analysed.clauses) - 1
        if len(ranked) < upto or any(near.get(pk, 0) < together for pk in ranked[:upto]):
            wide = analysed.widened()
            more, more_total = backend.search(
                wide, filters, sort=sort, offset=0, limit=RERANK_WINDOW
            )
            ranked = rank_derived_in(ranked, near, more, wide)
            exact_ids = set(found)
            if more_total > total or any(pk not in exact_ids for pk in ranked[offset:upto]):
                # Derived matches shown: their words are marked too.
                total, shown = max(total, more_total), wide
        ids = ranked[offset:upto]
    else:
        ids, total = run(analysed)
    if total < per_page and not ranked_in and analysed.has_derived:
        # Less than a page as written: the words' other derivations too (کارگر/کارگران,
        # کشور/کشوری, تجربه‌ی/تجربه), ranked after every exact match.
        wide = analysed.widened()
        if sort == "date":
            more, more_total = backend.search(
                wide, filters, sort=sort, offset=offset, limit=per_page
            )
        else:
            exact = ids if page == 1 else run_first_page(backend, analysed, filters, per_page)
            wanted = offset + per_page + len(exact)
            if wanted <= RERANK_WINDOW and len(wide.clauses) > 1:
                # Ranked as any query: the backend's best, then words found together first.
                found, more_total = backend.search(
                    wide, filters, sort=sort, offset=0, limit=RERANK_WINDOW
                )
                found = rerank(found, wide)
            else:
                found, more_total = backend.search(wide, filters, sort=sort, offset=0, limit=wanted)
            seen = set(exact)
            more = [*exact, *(pk for pk in found if pk not in seen)][offset : offset + per_page]
        if more_total > total:
            ids, total, shown = more, more_total, wide
    if total < FUZZY_BELOW:
        fixes = corrections(shown, backend)
        if fixes:
            result.did_you_mean = suggestion_text(query, fixes)
            widened = widen(shown, fixes)
            more, more_total = run(widened)
            if more_total > total:
                ids, total, shown = more, more_total, widened
                result.fuzzy = True
    code = news_code(query)
    if code and page == 1:
        # The item with this code first (its code is one of its title's terms, so it is
        # usually found anyway; this makes it the first result whatever the ranking).
        exact, _ = backend.search(
            Query((((CODE_TERM_PREFIX + code,),),), (code,)),
            filters,
            sort="relevance",
            offset=0,
            limit=2,
        )
        if len(exact) == 1:
            ids = [exact[0], *[pk for pk in ids if pk != exact[0]]][:per_page]
            total = max(total, 1)
    result.total = min(total, backends.COUNT_CAP)
    result.total_capped = total > backends.COUNT_CAP
    rows = SearchDocument.objects.select_related("office").in_bulk(ids)
    terms = shown.highlight_terms
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            continue
        result.results.append(
            SearchResult(
                title=highlight(row.title, terms),
                snippet=highlight(row.text, terms, window=SNIPPET_WORDS),
                url=row.url,
                source=row.source,
                key=row.key,
                office=row.office,
                published_at=row.published_at,
                language=row.language,
                is_public=row.is_public,
                group=row.group,
                group_title=row.group_title,
                tags=row.tag_list,
                over_title=row.over_title,
            )
        )
    return result


def run_first_page(
    backend: backends.Backend, analysed: Query, filters: backends.Filters, per_page: int
) -> list[int]:
    """The first page of relevance results, as `search` shows it (for merging)."""
    found, _ = backend.search(analysed, filters, sort="relevance", offset=0, limit=RERANK_WINDOW)
    return rerank(found, analysed)[:per_page] if len(analysed.clauses) > 1 else found[:per_page]


@dataclass(frozen=True)
class Correction:
    """A query word the index does not know, and the known words one edit away."""

    clause: int  # index in `Query.clauses`
    word: str  # the folded word as typed (affixes kept)
    best: str  # the folded word to suggest (affixes kept: «میشود» for «میشبد»)
    terms: tuple[str, ...]  # the stems to try, the commonest first


def corrections(analysed: Query, backend: backends.Backend | None = None) -> list[Correction]:
    """For each word of the query the index does not know, its likeliest spellings.

    Candidates are the written words one edit away (delete, swap, replace, insert),
    looked up by their stem; the most common in the index win (a typo of a name means
    the common word far more often than a rare one that happens to be closer). On
    PostgreSQL, a word with no neighbour one edit away falls back to pg_trgm.
    """
    backend = backend or backends.backend()
    known = backend.document_counts(
        alt[0] for clause in analysed.clauses for alt in clause if len(alt) == 1
    )
    out = []
    for n, (clause, word) in enumerate(zip(analysed.clauses, analysed.words, strict=True)):
        if any(len(alt) == 1 and known.get(alt[0]) for alt in clause):
            continue
        if len(word) < 3 or word.isdigit():
            continue
        spelled: dict[str, str] = {}
        for candidate in sorted(backends.edits(word)):
            spelled.setdefault(stem(candidate), candidate)
        counts = backend.document_counts(spelled)
        ranked = sorted(counts, key=lambda t: (-counts[t], t))[:FUZZY_CHOICES]
        if not ranked and isinstance(backend, backends.PostgresBackend):
            ranked = backend.similar_terms(stem(word))[:FUZZY_CHOICES]
            spelled.update({t: t for t in ranked})
        if ranked:
            out.append(Correction(n, word, spelled[ranked[0]], tuple(ranked)))
    return out


def widen(analysed: Query, fixes: list[Correction]) -> Query:
    """`analysed` with each corrected clause also matching its candidate spellings."""
    clauses = list(analysed.clauses)
    for fix in fixes:
        extra = tuple((t,) for t in fix.terms if (t,) not in clauses[fix.clause])
        clauses[fix.clause] = clauses[fix.clause] + extra
    return Query(tuple(clauses), analysed.words)


def _as_written(word: str, persian: bool) -> str:
    """A folded word as a reader writes it: ZWNJ after a verbal prefix and before a
    plural suffix the stemmer would remove, Persian digits on a Persian query."""
    core = stem(word)
    if core != word and word.endswith(core) and word[: -len(core)] in ("می", "نمی"):
        word = word[: -len(core)] + ZWNJ + core
    else:
        for suffix in PLURAL_SUFFIXES:
            if word.endswith(suffix) and stem(word) == stem(word[: -len(suffix)]):
                word = word[: -len(suffix)] + ZWNJ + suffix
                break
    return to_persian_digits(word) if persian else word


def suggestion_text(query: str, fixes: list[Correction]) -> str:
    """The query with each corrected word replaced, every other word left as typed."""
    wanted = {fix.word: fix.best for fix in fixes}
    tokens = list(WORD_RE.finditer(query))
    persian = any("\u0600" <= c <= "\u06ff" for c in query)
    out, cursor, i, changed = [], 0, 0, False
    while i < len(tokens):
        for width in (1, 2, 3):  # «می شبد» was glued into one word before analysis
            span = tokens[i : i + width]
            folded = search_fold("".join(t.group() for t in span))
            if len(span) == width and folded in wanted:
                out.append(query[cursor : span[0].start()])
                out.append(_as_written(wanted[folded], persian))
                cursor, i, changed = span[-1].end(), i + width, True
                break
        else:
            i += 1
    out.append(query[cursor:])
    return "".join(out).strip() if changed else ""


def news_code(query: str) -> str:
    """The news code when the query is only one («کد خبر ۱۰۰۱», «1001»), else ""."""
    match = _CODE_QUERY_RE.match(to_ascii_digits(query or "")[:100])
    return match.group("code").lstrip("0") if match else ""


def code_match(query: str, *, user: Any = None) -> str:
    """The address of the one document with the news code the query names after «کد»
    («کد خبر ۱۰۰۱»), or "" (the page then searches as usual)."""
    match = _CODE_QUERY_RE.match(to_ascii_digits(query or "")[:100])
    if not match or not match.group("label"):
        return ""
    code = match.group("code").lstrip("0")
    ids, _ = backends.backend().search(
        Query((((CODE_TERM_PREFIX + code,),),), (code,)),
        backends.Filters(**_visibility(user)),
        sort="relevance",
        offset=0,
        limit=2,
    )
    if len(ids) != 1:
        return ""
    return SearchDocument.objects.filter(pk=ids[0]).values_list("url", flat=True).first() or ""


def groups() -> list[tuple[str, str]]:
    """(slug, title) of every group in the index, for the filter menu."""
    rows = (
        SearchDocument.objects.filter(is_public=True)
        .exclude(group="")
        .values_list("group", "group_title")
        .distinct()
        .order_by("group_title")
    )
    return list(dict(rows).items())


def keys_matching(query: str, *, group: str, user: Any = None, limit: int = 1000) -> list[str]:
    """The keys of one group's documents that match `query`, newest first, at most `limit`.

    For an app's own list narrowed by words (the council's decisions register filters its rows
    by these keys, then by its own columns). The words' other derivations match too (a list
    wants every row, not the best ten); what `user` may not see is left out as in `search`.
    Any text is valid; a query with no words matches nothing.
    """
    analysed = analyse_query(query if isinstance(query, str) else "")
    if analysed.is_empty or not group:
        return []
    filters = backends.Filters(**_visibility(user), group=group[:100])
    limit = max(1, min(int(limit), backends.COUNT_CAP))
    ids, _ = backends.backend().search(
        analysed.widened(), filters, sort="date", offset=0, limit=limit
    )
    keys = dict(SearchDocument.objects.filter(pk__in=ids).values_list("pk", "key"))
    return [keys[pk] for pk in ids if pk in keys]
