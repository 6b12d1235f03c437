"""What the newsroom tells the search index: one document per item, public or not.

Staff find non-public items (`is_public=False`) as far as `network.permissions.reach` lets them
read them (editors anyone's in their offices, authors their own: `owner_id`); readers only what
is published.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ravabet.search.registry import register_source
from ravabet.search.services import (
    IndexableDocument,
    IndexReport,
    index_documents,
    schedule_index,
)

from .models import NewsItem


def document(item: NewsItem) -> IndexableDocument:
    return IndexableDocument(
        source="news",
        key=str(item.pk),
        office_id=item.office_id,
        title=item.title,
        text="\n".join(part for part in (item.lead, item.body_text) if part),
        url=item.get_absolute_url(),
        language=item.language,
        published_at=item.public_time,
        is_public=item.is_public,
        group=item.group.slug if item.group is not None else "",
        group_title=item.group.title_fa if item.group is not None else "",
        tags=tuple(tag.name for tag in item.tags.all()),
        over_title=item.over_title,
        owner_id=item.author_id,
        code=str(item.code),
    )


def update(item: NewsItem) -> None:
    """Queue the item's (re)indexing in the background (after a staff step)."""
    schedule_index(document(item))


def _items(pks: Iterable[int] | None = None):
    items = NewsItem.objects.select_related("group").prefetch_related("tags").order_by("pk")
    return items if pks is None else items.filter(pk__in=list(pks))


def index_now(pks: list[int], batch: int = 500) -> IndexReport:
    """Index items at once, in batches (imports: one bulk write instead of a task per item).

    An item the index refuses fails alone (logged, and listed in the report): the rest
    of the import is still indexed.
    """
    report = IndexReport()
    for start in range(0, len(pks), batch):
        report.add(index_documents(document(item) for item in _items(pks[start : start + batch])))
    return report


def all_documents() -> Iterator[IndexableDocument]:
    for item in _items().iterator(chunk_size=500):
        yield document(item)


def register() -> None:
    """Called from the app's ready(): the rebuild command walks every news item."""
    register_source("news", all_documents, NewsItem.objects.count)
