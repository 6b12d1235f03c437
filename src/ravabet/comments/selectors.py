"""Reads of the comments app: public threads, the moderation queue, responsiveness figures."""

from __future__ import annotations

from datetime import datetime
from statistics import median
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
)
from django.http import Http404
from django.utils.translation import gettext as _

from ravabet.network.models import Office

from .models import Comment
from .policy import Reason

Status = Comment.Status

SORTS = ("newest", "oldest", "triage")
REPORTED = "reported"  # a queue of its own: published comments that readers reported


def thread(kind: str, key: str) -> list[Comment]:
    """Published comments on one target, oldest first, each with `.shown_replies`."""
    # Official answers show their office's name: read with the replies, not one by one.
    replies = (
        Comment.objects.filter(status=Status.PUBLISHED)
        .select_related("office")
        .order_by("created_at", "id")
    )
    rows: list[Comment] = list(
        Comment.objects.filter(
            target_kind=kind, target_key=key, status=Status.PUBLISHED, parent__isnull=True
        )
        .select_related("office")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="shown_replies"))
        .order_by("created_at", "id")
    )
    return rows


def published(pk: int, kind: str | None = None, key: str | None = None) -> Comment | None:
    """A published comment by primary key (on the given target, when one is named), or None."""
    rows = Comment.objects.filter(pk=pk, status=Status.PUBLISHED)
    if kind is not None:
        rows = rows.filter(target_kind=kind, target_key=key)
    return rows.first()


def published_count(kind: str, key: str) -> int:
    return Comment.objects.filter(target_kind=kind, target_key=key, status=Status.PUBLISHED).count()


def comment(pk: int) -> Comment:
    row = Comment.objects.select_related("office", "parent").filter(pk=pk).first()
    if row is None:
        raise Http404(_("There is no such comment."))
    return row


def queue(
    office: Office, *, status: str = Status.PENDING, sort: str = "newest", label: str = ""
) -> QuerySet[Comment]:
    """The moderation queue of one office (readers' comments only, not official replies)."""
    qs = Comment.objects.filter(office=office, is_official=False).select_related("parent")
    if status == REPORTED:
        # Published comments that readers reported come back to the moderators, most reported
        # first; rejecting one takes it off the page.
        qs = qs.filter(status=Status.PUBLISHED, reports__gt=0)
        sort = "reports"
    elif status in Status.values:
        qs = qs.filter(status=status)
    if label == "none":
        qs = qs.filter(triaged_at__isnull=False, triage_score=0)
    elif label == "untriaged":
        qs = qs.filter(triaged_at__isnull=True)
    elif label in Reason.values:
        qs = qs.filter(triage__has_key=label)
    official = Comment.objects.filter(parent=OuterRef("pk"), is_official=True)
    qs = qs.annotate(answered=Exists(official))
    if sort == "reports":
        return qs.order_by("-reports", "-created_at")
    if sort == "oldest":
        return qs.order_by("created_at", "id")
    if sort == "triage":
        return qs.order_by(F_nulls_last("triage_score"), "-created_at")
    return qs.order_by("-created_at", "-id")


def F_nulls_last(field: str):
    return F(field).desc(nulls_last=True)


def by_ids(office: Office, ids: list[int]) -> list[Comment]:
    return list(Comment.objects.filter(office=office, is_official=False, pk__in=ids))


def _median_decision_hours(readers: QuerySet[Comment]) -> tuple[int, float | None]:
    """How many comments a person decided, and the median hours to decide, without loading
    them: a count, then the one or two middle rows by waiting time (three queries whatever the
    number of decided comments)."""
    decided = readers.filter(decided_at__isnull=False, decided_automatically=False)
    count = decided.count()
    if not count:
        return 0, None
    waited = ExpressionWrapper(F("decided_at") - F("created_at"), output_field=DurationField())
    by_wait = decided.annotate(waited=waited).order_by("waited", "pk")
    start = (count - 1) // 2
    middle = list(by_wait.values_list("created_at", "decided_at")[start : count // 2 + 1])
    # `decided` holds decided rows only; the test tells mypy what the query already ensures.
    hours = [(done - sent).total_seconds() / 3600 for sent, done in middle if done is not None]
    return count, round(median(hours), 1)


def responsiveness(office: Office) -> dict[str, Any]:
    """Time from submission to decision and the share of published comments answered."""
    readers = Comment.objects.filter(office=office, is_official=False)
    decided, median_hours = _median_decision_hours(readers)
    published = readers.filter(status=Status.PUBLISHED, parent__isnull=True)
    answered = published.filter(
        Exists(Comment.objects.filter(parent=OuterRef("pk"), is_official=True))
    ).count()
    total_published = published.count()
    return {
        "pending": readers.filter(status=Status.PENDING).count(),
        "reported": readers.filter(status=Status.PUBLISHED, reports__gt=0).count(),
        "decided": decided,
        "median_hours": median_hours,
        "published": total_published,
        "answered": answered,
        "answered_share": round(100 * answered / total_published) if total_published else None,
    }


def office_comment_figures(start: datetime, end: datetime) -> dict[int, dict[str, Any]]:
    """Per office, readers' comments of [start, end) (aware datetimes), for the evaluation.

    Keys: "received" (readers' top-level comments sent in the window and published),
    "answered" (of those, with an official answer of the office), "answer_hours" (hours from
    each answered comment to its first official answer, sorted). Offices with none are absent.
    Two queries, whatever the number of comments.
    """
    readers = Comment.objects.filter(
        is_official=False,
        parent__isnull=True,
        status=Status.PUBLISHED,
        created_at__gte=start,
        created_at__lt=end,
    )
    out: dict[int, dict[str, Any]] = {}
    for office_id, count in readers.values_list("office_id").annotate(n=Count("id")):
        out[office_id] = {"received": count, "answered": 0, "answer_hours": []}
    first_answer = {}
    for parent_id, asked, office_id, answered in (
        Comment.objects.filter(is_official=True, parent__in=readers.values("pk"))
        .values_list("parent_id", "parent__created_at", "parent__office_id", "created_at")
        .order_by("parent_id", "created_at", "id")
    ):
        if parent_id not in first_answer:
            first_answer[parent_id] = True
            figures = out[office_id]
            figures["answered"] += 1
            figures["answer_hours"].append(max(0.0, (answered - asked).total_seconds() / 3600))
    for figures in out.values():
        figures["answer_hours"].sort()
    return out
