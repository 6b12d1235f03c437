"""Which apps feed the index, for rebuilding it from scratch.

A source registers in its AppConfig.ready()::

    from ravabet.search.registry import register_source
    register_source("news", all_news_documents, count=lambda: NewsItem.objects.count())
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .services import IndexableDocument


@dataclass(frozen=True)
class Source:
    name: str
    documents: Callable[[], Iterable[IndexableDocument]]
    count: Callable[[], int] | None = None


_SOURCES: dict[str, Source] = {}


def register_source(
    name: str,
    documents: Callable[[], Iterable[IndexableDocument]],
    count: Callable[[], int] | None = None,
) -> None:
    """Register (or replace) a source of searchable documents under `name`."""
    _SOURCES[name] = Source(name, documents, count)


def unregister_source(name: str) -> None:
    _SOURCES.pop(name, None)


def sources() -> list[Source]:
    return list(_SOURCES.values())
