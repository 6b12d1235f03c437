"""Reading the search index: the one `search(...)` the public page and other apps call."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ravabet.network import selectors as network
from ravabet.network.models import Office
from ravabet.network.permissions import Action, Reach, reach

from . import backends
from .analysis import Query, analyse_query, word_marks
from .models import SearchDocument

SNIPPET_WORDS = 32
MAX_PAGE = 100  # deeper pages are not served (nobody reads them; they cost the most)
RERANK_WINDOW = 50  # relevance: the backend's best 50 are re-ordered by proximity
PROXIMITY_GAP = 3  # query words this close in a document count as found together


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
    did_you_mean: str = ""
    analysed: Query | None = None

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


def rerank(ids: list[int], analysed: Query) -> list[int]:
    """Stable re-order of ranked ids: documents with the query's words together first."""
    if len(ids) < 2:
        return ids
    clause_of: dict[str, tuple[int, ...]] = {}
    for n, clause in enumerate(analysed.clauses):
        for term in dict.fromkeys(alt[0] for alt in clause):
            clause_of[term] = (*clause_of.get(term, ()), n)
    count = len(analysed.clauses)
    rows = SearchDocument.objects.filter(pk__in=ids).values_list("pk", "title_terms", "body_terms")
    score = {
        pk: max(_proximity(title, clause_of, count), _proximity(body, clause_of, count))
        for pk, title, body in rows
    }
    return sorted(ids, key=lambda pk: -score.get(pk, 0))


def staff_reach(user: Any) -> Reach:
    """Whose non-public documents `user` finds: the same rule as the staff pages of a news item
    (`Action.NEWS_READ_ANY`: anyone's in the offices where the user edits news, their own where
    they only write it), expressed in the office and owner the document carries."""
    return reach(user, Action.NEWS_READ_ANY)


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
    visible = staff_reach(user)
    filters = backends.Filters(
        office_ids=(
            tuple(network.subtree(office).values_list("pk", flat=True)) if office else None
        ),
        visible_offices=visible.offices,
        own_offices=visible.own_offices,
        owner_id=visible.user_id,
        all_visible=visible.everything,
        group=(group or "")[:100],
        tag=(tag or "")[:200],
        language=language if language in ("fa", "en") else "",
        date_from=_as_start(date_from),
        date_to=_as_end(date_to),
    )
    backend = backends.backend()
    sort = "date" if sort == "date" else "relevance"
    offset = (page - 1) * per_page
    if sort == "relevance" and offset + per_page <= RERANK_WINDOW and len(analysed.clauses) > 1:
        # The best RERANK_WINDOW by the backend's rank, then words found together first.
        ids, total = backend.search(analysed, filters, sort=sort, offset=0, limit=RERANK_WINDOW)
        ids = rerank(ids, analysed)[offset : offset + per_page]
    else:
        ids, total = backend.search(analysed, filters, sort=sort, offset=offset, limit=per_page)
    result.total = min(total, backends.COUNT_CAP)
    result.total_capped = total > backends.COUNT_CAP
    rows = SearchDocument.objects.select_related("office").in_bulk(ids)
    terms = analysed.all_terms
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
    if total == 0:
        result.did_you_mean = suggest(analysed, backend)
    return result


def suggest(analysed: Query, backend: backends.Backend | None = None) -> str:
    """A spelling the index knows for each unknown word of the query, or ""."""
    backend = backend or backends.backend()
    primary = analysed.primary_terms
    known = backend.document_counts(
        alt[0] for clause in analysed.clauses for alt in clause if len(alt) == 1
    )
    changed = False
    words = []
    for clause, term in zip(analysed.clauses, primary, strict=True):
        if any(len(alt) == 1 and alt[0] in known for alt in clause):
            words.append(term)
            continue
        candidates = backend.similar_terms(term)
        if candidates:
            words.append(candidates[0])
            changed = True
        else:
            words.append(term)
    return " ".join(words) if changed else ""


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
