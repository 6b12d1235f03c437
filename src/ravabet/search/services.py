"""How other apps feed the search index: one small interface, no imports upward.

An app describes each of its searchable objects as an :class:`IndexableDocument` and
calls :func:`schedule_index` when it is published or edited and :func:`schedule_remove`
when it is unpublished or deleted (or the synchronous :func:`index_document` /
:func:`remove_document`). Sources register how to list all their documents in
`registry.register_source` for the `rebuild_search_index` command.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from . import backends
from .backends import IndexReport

logger = logging.getLogger(__name__)

__all__ = [
    "IndexReport",
    "IndexableDocument",
    "index_document",
    "index_documents",
    "remove_document",
    "schedule_index",
    "schedule_remove",
]


@dataclass(frozen=True)
class IndexableDocument:
    source: str  # e.g. "news"
    key: str  # the source's own id, e.g. str(item.pk)
    office_id: int  # network Office pk
    title: str
    text: str  # plain text (lead + body); callers strip HTML
    url: str  # absolute path of the public page
    language: str = "fa"  # "fa" | "en"
    published_at: datetime | None = None
    is_public: bool = True  # False: drafts / unpublished — only staff of that office find them
    group: str = ""  # group slug (filter)
    group_title: str = ""  # shown in filters/results
    tags: tuple[str, ...] = ()  # tag names (filter)
    over_title: str = ""
    # Who owns a non-public document (a draft's author): `network.permissions.reach` shows it
    # to its owner where they may only read their own (docs/search.md).
    owner_id: int | None = None
    code: str = ""  # the source's public code (a news code): searchable as a number

    def to_json(self) -> dict[str, Any]:
        """JSON-able form for background task arguments."""
        data = asdict(self)
        data["tags"] = list(self.tags)
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IndexableDocument:
        data = dict(data)
        data["tags"] = tuple(data.get("tags") or ())
        published = data.get("published_at")
        data["published_at"] = parse_datetime(published) if published else None
        return cls(**data)


def index_document(doc: IndexableDocument) -> IndexReport:
    """Add or replace one document in the index, now."""
    return index_documents([doc])


def index_documents(docs: Iterable[IndexableDocument]) -> IndexReport:
    """Add or replace many documents (bulk indexing; one transaction when all is well).

    A document that cannot be analysed or written fails alone: it is logged and listed
    in the returned report's ``failed``, and every other document is indexed.
    """
    report = IndexReport()
    rows = []
    for doc in docs:
        try:
            rows.append(backends.to_row(doc))
        except Exception as exc:  # one bad document must not stop the rest
            source, key = getattr(doc, "source", "?"), str(getattr(doc, "key", "?"))
            logger.warning("search: document %s:%s not indexed: %r", source, key, exc)
            report.failed.append((source, key, repr(exc)[:300]))
    report.add(backends.backend().index(rows))
    return report


def remove_document(source: str, key: str) -> None:
    """Drop one document from the index, now (no error if it is not there)."""
    backends.backend().remove(source, str(key))


def clear_index(source: str | None = None) -> None:
    backends.backend().clear(source)


def schedule_index(doc: IndexableDocument) -> None:
    """Index `doc` in the background (django-tasks; the database queue by default)."""
    from .tasks import index_document_task

    index_document_task.enqueue(doc.to_json())


def schedule_remove(source: str, key: str) -> None:
    """Remove a document in the background."""
    from .tasks import remove_document_task

    remove_document_task.enqueue(source, str(key))
