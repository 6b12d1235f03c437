"""The full-text backends behind one interface: SQLite FTS5 (embedded) and PostgreSQL.

Both index the *analysed* text (`analysis.index_terms`), so the Persian rules live in one
place and the databases only match whole terms:

* **SQLite**: an external-content FTS5 table over `search_document(title_terms,
  body_terms)` with the `ascii` tokenizer (every non-ASCII character is a word character,
  so a Persian term stays one token), kept in step by triggers; BM25 ranking with the
  title weighted 3:1; an `fts5vocab` table gives document counts for "did you mean".
* **PostgreSQL**: a generated `tsvector` column, `to_tsvector('simple', ...)` over the
  analysed terms (positions kept for compound phrases; the database needs a UTF-8
  locale such as C.UTF-8 so the parser sees Persian letters as letters), title weight
  A, body weight B, a GIN index; ranking with `ts_rank` over at most
  `RANK_CANDIDATES` newest matches so common words stay fast; `search_term` with a pg_trgm
  GIN index for "did you mean".

Queries never reach the database as syntax typed by a person: each term is produced by
the analyser (letters and digits only) and quoted.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from django.db import DatabaseError, connection, transaction

from ravabet.network.text import to_ascii_digits

from .analysis import CODE_TERM_PREFIX, Query, index_terms
from .models import SearchDocument, SearchTerm

logger = logging.getLogger(__name__)

# Relevance ranks only this many matches: the newest (PostgreSQL) or the last indexed
# (SQLite), so that a word in half the archive costs no more than a rare one.
RANK_CANDIDATES = 1000
COUNT_CAP = 1000  # totals above this are shown as "more than 1,000"
# PostgreSQL: from this estimated share of matching documents on, the newest 1,001 matches
# are found by walking the newest-first index (about 1,001 / share rows tested, each
# reading its tsvector); below it, by reading every match from the GIN index and sorting.
NEWEST_FIRST_SHARE = 0.15

# The columns one indexed document writes, in the order of `Row`.
_COLUMNS = (
    "source",
    "key",
    "office_id",
    "language",
    "published_at",
    "is_public",
    "group",
    "group_title",
    "tags",
    "url",
    "title",
    "over_title",
    "text",
    "title_terms",
    "body_terms",
    "owner_id",
)


class Row(NamedTuple):
    """One `search_document` row, ready to write (analysed once, no model instance)."""

    source: str
    key: str
    office_id: int
    language: str
    published_at: datetime | None
    is_public: bool
    group: str
    group_title: str
    tags: str
    url: str
    title: str
    over_title: str
    text: str
    title_terms: str
    body_terms: str
    owner_id: int | None = None


def _upsert_sql() -> str:
    names = ", ".join(f'"{c}"' for c in _COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in _COLUMNS[2:])
    return (
        f"INSERT INTO search_document ({names}) VALUES ({marks}) "  # noqa: S608
        f'ON CONFLICT ("source", "key") DO UPDATE SET {updates}'
    )


_UPSERT = _upsert_sql()


@dataclass
class IndexReport:
    """What one bulk write did: how many documents were written, and which failed (each
    failure is ``(source, key, reason)``; the others were written all the same)."""

    indexed: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, other: IndexReport) -> None:
        self.indexed += other.indexed
        self.failed.extend(other.failed)


@dataclass(frozen=True)
class Filters:
    """What narrows a search. Non-public documents are shown from `visible_offices`, and those
    owned by `owner_id` from `own_offices` (`network.permissions.reach`, the "own draft" rule);
    `all_visible`: every non-public document (a superuser)."""

    office_ids: tuple[int, ...] | None = None
    visible_offices: tuple[int, ...] = ()
    own_offices: tuple[int, ...] = ()
    owner_id: int | None = None
    all_visible: bool = False
    group: str = ""
    tag: str = ""
    language: str = ""
    date_from: datetime | None = None
    date_to: datetime | None = None  # exclusive


def _where(filters: Filters) -> tuple[list[str], list[Any]]:
    sql: list[str] = []
    params: list[Any] = []
    visible = ["d.is_public"]
    if filters.visible_offices:
        marks = ", ".join(["%s"] * len(filters.visible_offices))
        visible.append(f"d.office_id IN ({marks})")
        params.extend(filters.visible_offices)
    if filters.own_offices and filters.owner_id is not None:
        marks = ", ".join(["%s"] * len(filters.own_offices))
        visible.append(f"(d.owner_id = %s AND d.office_id IN ({marks}))")
        params.extend([filters.owner_id, *filters.own_offices])
    if not filters.all_visible:
        sql.append(visible[0] if len(visible) == 1 else "(" + " OR ".join(visible) + ")")
    if filters.office_ids is not None:
        if not filters.office_ids:
            sql.append("1 = 0")
        else:
            marks = ", ".join(["%s"] * len(filters.office_ids))
            sql.append(f"d.office_id IN ({marks})")
            params.extend(filters.office_ids)
    if filters.group:
        sql.append('d."group" = %s')
        params.append(filters.group)
    if filters.tag:
        sql.append("d.tags LIKE %s")
        params.append("%|" + filters.tag.replace("%", "").replace("_", "") + "|%")
    if filters.language:
        sql.append("d.language = %s")
        params.append(filters.language)
    if filters.date_from:
        sql.append("d.published_at >= %s")
        params.append(filters.date_from)
    if filters.date_to:
        sql.append("d.published_at < %s")
        params.append(filters.date_to)
    return sql, params


def tags_field(tags: Iterable[str]) -> str:
    cleaned = [t.replace("|", " ").strip() for t in tags]
    cleaned = [t for t in cleaned if t]
    return "|" + "|".join(cleaned) + "|" if cleaned else ""


def to_row(doc) -> Row:
    """The `Row` for an `IndexableDocument`, analysed once."""
    title = doc.title or ""
    over_title = doc.over_title or ""
    text = doc.text or ""
    return Row(
        doc.source,
        str(doc.key),
        doc.office_id,
        doc.language or "fa",
        doc.published_at,
        bool(doc.is_public),
        doc.group or "",
        doc.group_title or "",
        tags_field(doc.tags),
        doc.url,
        title,
        over_title,
        text,
        index_terms(f"{over_title} {title}") + _code_terms(getattr(doc, "code", "")),
        index_terms(f"{text} {' '.join(doc.tags)}"),
        getattr(doc, "owner_id", None),
    )


def _code_terms(code: str) -> str:
    """A document's code as title terms: the number, and the code term only «کد خبر
    ۱۰۰۱» looks for (see `analysis.CODE_TERM_PREFIX`)."""
    digits = to_ascii_digits(str(code or "")).strip().lstrip("0")
    if not digits.isdigit() or not digits.isascii():
        return ""
    return f" {digits} {CODE_TERM_PREFIX}{digits}"


def _best(candidates: list[tuple], offset: int, limit: int) -> list[int]:
    """Ids of ``(id, score, published_at)`` rows, lowest score first, then newest first.

    The rows come newest-indexed first; Python's sort is stable, so equal keys keep it.
    """
    # Undated rows last: (False, None) sorts below every (True, date).
    ranked = sorted(candidates, key=lambda row: (row[2] is not None, row[2]), reverse=True)
    ranked.sort(key=lambda row: row[1])
    return [row[0] for row in ranked[offset : offset + limit]]


class Backend:
    vendor = ""

    # -- writing -------------------------------------------------------------------
    def index(self, rows: Sequence[Row]) -> IndexReport:
        """Insert or replace documents (matched by source and key).

        One prepared statement for all rows (``executemany``) in one transaction: no
        model instances, and nothing read back. If the database refuses it, the rows are
        written again one by one, each in its own savepoint, so one bad document fails
        alone: it is logged and reported, the others are written.
        """
        report = IndexReport()
        if not rows:
            return report
        # The last of several rows with one (source, key) wins, as sequential calls would.
        rows = list({(r.source, r.key): r for r in rows}.values())
        try:
            self._write(rows)
        except DatabaseError:
            for row in rows:
                try:
                    self._write([row])
                except DatabaseError as exc:
                    logger.warning(
                        "search: document %s:%s not indexed: %s", row.source, row.key, exc
                    )
                    report.failed.append((row.source, row.key, str(exc).strip()[:300]))
                else:
                    report.indexed += 1
        else:
            report.indexed = len(rows)
        return report

    def _write(self, rows: Sequence[Row]) -> None:
        # The model field's own conversion (a naive datetime is taken in the default zone).
        adapt = SearchDocument._meta.get_field("published_at").get_db_prep_value
        params = [(*r[:4], adapt(r.published_at, connection), *r[5:]) for r in rows]
        with transaction.atomic(), connection.cursor() as cursor:
            self._before_write(rows)
            cursor.executemany(_UPSERT, params)

    def remove(self, source: str, key: str) -> None:
        with transaction.atomic():
            rows = list(SearchDocument.objects.filter(source=source, key=str(key)))
            self._before_write(rows, removing=True)
            SearchDocument.objects.filter(source=source, key=str(key)).delete()

    def clear(self, source: str | None = None) -> None:
        with transaction.atomic():
            docs = SearchDocument.objects.all()
            if source:
                docs = docs.filter(source=source)
            docs.delete()
            if not source:
                SearchTerm.objects.all().delete()

    def _before_write(
        self, rows: Sequence[Row] | Sequence[SearchDocument], removing: bool = False
    ) -> None:
        """Hook for vocabulary bookkeeping."""

    # -- reading -------------------------------------------------------------------
    def search(
        self, query: Query, filters: Filters, *, sort: str, offset: int, limit: int
    ) -> tuple[list[int], int]:
        raise NotImplementedError

    def document_counts(self, terms: Iterable[str]) -> dict[str, int]:
        raise NotImplementedError

    def similar_terms(self, term: str) -> list[str]:
        """Known terms one edit away from ``term``, the most common first (both backends:
        a typo of a name is far likelier to mean the common word than the rare one)."""
        counts = self.document_counts(edits(term))
        return sorted(counts, key=lambda t: (-counts[t], t))[:5]


class SQLiteBackend(Backend):
    vendor = "sqlite"

    @staticmethod
    def match_expression(query: Query) -> str:
        # Terms are letters and digits only (see analysis), so quoting cannot be escaped.
        clauses = []
        for clause in query.clauses:
            alternatives = " OR ".join('"' + " ".join(alt) + '"' for alt in clause)
            clauses.append(f"({alternatives})")
        return " AND ".join(clauses)

    def search(
        self, query: Query, filters: Filters, *, sort: str, offset: int, limit: int
    ) -> tuple[list[int], int]:
        where, params = _where(filters)
        base = (
            "FROM search_fts JOIN search_document d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH %s AND " + " AND ".join(where)
        )
        base_params = [self.match_expression(query), *params]
        with connection.cursor() as cursor:
            if sort != "date":
                # BM25 over the newest RANK_CANDIDATES matches only (FTS5 walks its rowids
                # backwards and stops), so a common word does not rank the whole index.
                # One more row than that tells "more than COUNT_CAP" apart, so the one
                # pass over the index both ranks and counts.
                cursor.execute(
                    f"SELECT d.id, bm25(search_fts, 3.0, 1.0), d.published_at {base} "
                    "ORDER BY search_fts.rowid DESC LIMIT %s",
                    [*base_params, max(RANK_CANDIDATES, COUNT_CAP + 1)],
                )
                candidates = cursor.fetchall()
                return _best(candidates[:RANK_CANDIDATES], offset, limit), len(candidates)
            cursor.execute(
                f"SELECT d.id {base} ORDER BY d.published_at DESC, d.id DESC LIMIT %s OFFSET %s",
                [*base_params, limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 {base} LIMIT %s)",  # noqa: S608
                [*base_params, COUNT_CAP + 1],
            )
            total = cursor.fetchone()[0]
        return ids, total

    def document_counts(self, terms: Iterable[str]) -> dict[str, int]:
        terms = list(dict.fromkeys(terms))
        if not terms:
            return {}
        found: dict[str, int] = {}
        with connection.cursor() as cursor:
            for start in range(0, len(terms), 400):
                chunk = terms[start : start + 400]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT term, doc FROM search_fts_vocab WHERE term IN ({marks})",  # noqa: S608
                    chunk,
                )
                found.update(dict(cursor.fetchall()))
        return found


class PostgresBackend(Backend):
    vendor = "postgresql"

    @staticmethod
    def tsquery(query: Query) -> str:
        clauses = []
        for clause in query.clauses:
            alternatives = " | ".join(" <-> ".join(f"'{t}'" for t in alt) for alt in clause)
            clauses.append(f"({alternatives})")
        return " & ".join(clauses)

    def _before_write(
        self, rows: Sequence[Row] | Sequence[SearchDocument], removing: bool = False
    ) -> None:
        counts: Counter[str] = Counter()
        keys = {(r.source, r.key) for r in rows}
        if keys:
            by_source: dict[str, list[str]] = {}
            for source, key in keys:
                by_source.setdefault(source, []).append(key)
            for source, source_keys in by_source.items():
                for title_terms, body_terms in SearchDocument.objects.filter(
                    source=source, key__in=source_keys
                ).values_list("title_terms", "body_terms"):
                    counts.subtract(set(f"{title_terms} {body_terms}".split()))
        if not removing:
            for row in rows:
                counts.update(set(f"{row.title_terms} {row.body_terms}".split()))
        changes = {term: n for term, n in counts.items() if n and len(term) <= 200}
        if not changes:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_term (term, documents) "
                "SELECT * FROM unnest(%s::text[], %s::int[]) "
                "ON CONFLICT (term) DO UPDATE SET documents = search_term.documents "
                "+ EXCLUDED.documents",
                [list(changes), list(changes.values())],
            )

    def search(
        self, query: Query, filters: Filters, *, sort: str, offset: int, limit: int
    ) -> tuple[list[int], int]:
        where, params = _where(filters)
        condition = "d.vector @@ to_tsquery('simple', %s) AND " + " AND ".join(where)
        tsquery = self.tsquery(query)
        with connection.cursor() as cursor:
            if sort != "date":
                # Rank only the newest RANK_CANDIDATES matches: common words stay fast. One
                # more row tells "more than COUNT_CAP" apart: one pass ranks and counts.
                if self._share(query) >= NEWEST_FIRST_SHARE:
                    # Common: walk `search_document_newest` and stop at the 1,001st match.
                    matches = (
                        "SELECT d.id, d.published_at FROM search_document d "  # noqa: S608
                        f"WHERE {condition} ORDER BY d.published_at DESC NULLS LAST, d.id DESC "
                        "LIMIT %s"
                    )
                else:
                    # Rarer: every match from the GIN index first (a term needs no tsvector
                    # read), then the newest; an ordered walk would test many rows per match.
                    matches = (
                        "WITH m AS MATERIALIZED (SELECT d.id, d.published_at "  # noqa: S608
                        f"FROM search_document d WHERE {condition}) "
                        "SELECT id, published_at FROM m "
                        "ORDER BY published_at DESC NULLS LAST, id DESC LIMIT %s"
                    )
                cursor.execute(
                    "SELECT c.id, -ts_rank(d.vector, to_tsquery('simple', %s)), c.published_at "  # noqa: S608
                    f"FROM ({matches}) c JOIN search_document d ON d.id = c.id "
                    "ORDER BY c.published_at DESC NULLS LAST, c.id DESC",
                    [tsquery, tsquery, *params, max(RANK_CANDIDATES, COUNT_CAP + 1)],
                )
                candidates = cursor.fetchall()
                return _best(candidates[:RANK_CANDIDATES], offset, limit), len(candidates)
            cursor.execute(
                f"SELECT d.id FROM search_document d WHERE {condition} "  # noqa: S608
                "ORDER BY d.published_at DESC NULLS LAST, d.id DESC LIMIT %s OFFSET %s",
                [tsquery, *params, limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM search_document d WHERE {condition} "  # noqa: S608
                "LIMIT %s) c",
                [tsquery, *params, COUNT_CAP + 1],
            )
            total = cursor.fetchone()[0]
        return ids, total

    def _share(self, query: Query) -> float:
        """Estimated share of documents the query matches, from `search_term` counts.

        Clauses are taken as independent; phrase alternatives are left out, so the
        estimate errs low (towards the plan that reads every match, which is bounded).
        """
        singles = {alt[0] for clause in query.clauses for alt in clause if len(alt) == 1}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, documents, (SELECT reltuples FROM pg_class "
                "WHERE oid = 'search_document'::regclass) FROM search_term "
                "WHERE term = ANY(%s) AND documents > 0",
                [list(singles)],
            )
            rows = cursor.fetchall()
        if not rows:
            return 0.0
        counts = {term: documents for term, documents, _ in rows}
        total = max(rows[0][2], *counts.values(), 1)
        share = 1.0
        for clause in query.clauses:
            found = sum(counts.get(alt[0], 0) for alt in clause if len(alt) == 1)
            share *= min(1.0, found / total)
        return share

    def document_counts(self, terms: Iterable[str]) -> dict[str, int]:
        terms = list(dict.fromkeys(terms))
        return dict(
            SearchTerm.objects.filter(term__in=terms, documents__gt=0).values_list(
                "term", "documents"
            )
        )

    def similar_terms(self, term: str) -> list[str]:
        # One edit away first, ranked by how common (primary-key look-ups); only when
        # there is none, the trigram neighbours, still weighed by how common they are.
        found = super().similar_terms(term)
        if found:
            return found
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM search_term WHERE term %% %s AND documents > 0 "
                "ORDER BY similarity(term, %s) * ln(documents + 2) DESC, term LIMIT 5",
                [term, term],
            )
            return [row[0] for row in cursor.fetchall()]


_ALPHABET = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآئ"


def edits(word: str) -> set[str]:
    """Every word one edit (delete, swap, replace, insert) away from `word`."""
    if not word or len(word) > 40:
        return set()
    letters = (
        _ALPHABET
        if any("\u0600" <= c <= "\u06ff" for c in word)
        else ("abcdefghijklmnopqrstuvwxyz")
    )
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(word)
    return out


def backend() -> Backend:
    """The backend for the default database."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise RuntimeError(f"search does not support the {connection.vendor} database")


def rows_for(documents: Iterable) -> list[Row]:
    return [to_row(doc) for doc in documents]
