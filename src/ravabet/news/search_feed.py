"""What the newsroom tells the search index: one document per item, public or not."""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps

from .models import NewsItem


def _search_installed() -> bool:
    return apps.is_installed("ravabet.search")


def document(item: NewsItem):  # -> ravabet.search.services.IndexableDocument
    from ravabet.search.services import IndexableDocument

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
        group=item.group.slug if item.group_id else "",
        group_title=item.group.title_fa if item.group_id else "",
        tags=tuple(tag.name for tag in item.tags.all()),
        over_title=item.over_title,
    )


def update(item: NewsItem) -> None:
    """Queue the item's (re)indexing in the background."""
    if not _search_installed():
        return
    from ravabet.search.services import schedule_index

    schedule_index(document(item))


def all_documents() -> Iterator:
    items = NewsItem.objects.select_related("group").prefetch_related("tags").order_by("pk")
    for item in items.iterator(chunk_size=500):
        yield document(item)


def register() -> None:
    """Called from the app's ready(): the rebuild command walks every news item."""
    if not _search_installed():
        return
    from ravabet.search.registry import register_source

    register_source("news", all_documents, NewsItem.objects.count)
