"""What the experiences app tells the search index: a write-up and each of its lessons.

A lesson is a document of its own (source `experiences-lesson`), so that a search for a lesson's
words finds the lesson, linked to its place on the write-up's page. Only published write-ups
are indexed: public ones for everyone (`is_public=True`); ones published to the network only
as non-public documents of the author's office, found by its staff as far as
`network.permissions.reach` lets them read it (and by their author: `owner_id`), like the
newsroom's drafts — never by readers. Everyone else on the network finds them in the
listing (/experiences/), which applies the network rule itself (docs/experiences.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.db import transaction
from django.utils.translation import override

from ravabet.search.registry import register_source
from ravabet.search.services import (
    IndexableDocument,
    IndexReport,
    index_documents,
    remove_document,
)

from .models import Experience, Lesson, Status

log = logging.getLogger(__name__)

SOURCE = "experiences"
LESSON_SOURCE = "experiences-lesson"


def _base(experience: Experience) -> dict:
    return {
        "office_id": experience.office_id,
        "language": "fa",
        "published_at": experience.published_at,
        "is_public": experience.is_public,
        "group": experience.kind,
        "group_title": str(experience.get_kind_display()),
        "owner_id": experience.author_id,
    }


def documents(experience: Experience) -> list[IndexableDocument]:
    """The write-up and its lessons as documents (labels in Persian, whatever the request's
    language: the index is read in both)."""
    with override("fa"):
        return _documents(experience)


def _documents(experience: Experience) -> list[IndexableDocument]:
    tags = tuple(tag.name for tag in experience.tags.all())
    sections = [
        experience.situation,
        experience.goal,
        *(step.text for step in experience.steps.all()),
        experience.results,
        experience.worked,
        experience.did_not_work,
        *(lesson.text for lesson in experience.lessons.all()),
        experience.recommendations,
    ]
    docs = [
        IndexableDocument(
            source=SOURCE,
            key=str(experience.pk),
            title=experience.title,
            text="\n".join(part for part in sections if part),
            url=experience.get_absolute_url(),
            tags=tags,
            over_title=str(experience.get_kind_display()),
            **_base(experience),
        )
    ]
    for lesson in experience.lessons.all():
        docs.append(
            IndexableDocument(
                source=LESSON_SOURCE,
                key=f"{experience.pk}.{lesson.position}",
                title=lesson.text[:200],
                text=f"{lesson.text}\n{experience.title}",
                url=f"{experience.get_absolute_url()}#lesson-{lesson.position}",
                tags=tuple(tag.name for tag in lesson.tags.all()) or tags,
                over_title=experience.title[:200],
                **_base(experience),
            )
        )
    return docs


def _rows():
    return Experience.objects.prefetch_related("tags", "steps", "lessons__tags").order_by("pk")


def reindex(experience_id: int) -> IndexReport:
    """Bring the index in line with the write-up now: its documents, or none when it is not
    published (lessons removed since the last indexing go too)."""
    experience = _rows().filter(pk=experience_id).first()
    if experience is None:
        return IndexReport()
    published = experience.status == Status.PUBLISHED
    lessons = len(experience.lessons.all()) if published else 0
    # Lesson documents are keyed "<write-up>.<position>": those past today's count go.
    for position in range(lessons + 1, experience.indexed_lessons + 1):
        remove_document(LESSON_SOURCE, f"{experience.pk}.{position}")
    Experience.objects.filter(pk=experience.pk).update(indexed_lessons=lessons)
    if not published:
        remove_document(SOURCE, str(experience.pk))
        return IndexReport()
    return index_documents(documents(experience))


def update(experience: Experience) -> None:
    """After the writer's transaction commits, the index follows at once: a publication is a
    rare staff step with a handful of documents, and the author expects to find it next. If the
    index cannot be written then, the background task tries again (and `rebuild_search_index`
    repairs whatever is left)."""
    pk = experience.pk

    def follow() -> None:
        try:
            reindex(pk)
        except Exception:
            log.exception("experiences: indexing write-up %s failed; queued again", pk)
            from .tasks import reindex_task

            reindex_task.enqueue(pk)

    transaction.on_commit(follow)


def all_documents() -> Iterator[IndexableDocument]:
    for experience in _rows().filter(status=Status.PUBLISHED).iterator(chunk_size=200):
        yield from documents(experience)


def _count() -> int:
    published = Experience.objects.filter(status=Status.PUBLISHED)
    return published.count() + Lesson.objects.filter(experience__in=published).count()


def register() -> None:
    register_source(SOURCE, all_documents, _count)
