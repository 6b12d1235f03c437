"""Reads of the newsroom. Every public list is a fixed number of queries, whatever the archive."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ravabet.network.models import Office
from ravabet.network.permissions import Action, offices_where

from .models import DailyViews, NewsGroup, NewsItem, Photo, Revision, Tag, UsefulVote

Status = NewsItem.Status


def public_items(now=None) -> QuerySet[NewsItem]:
    """Items readers may see: published, or scheduled with their time come."""
    now = now or timezone.now()
    return (
        NewsItem.objects.filter(
            Q(status=Status.PUBLISHED) | Q(status=Status.SCHEDULED, publish_at__lte=now)
        )
        .select_related("office", "group", "main_photo")
        .defer("body", "body_text")
    )


def _in_office(qs: QuerySet[NewsItem], office: Office | None, subtree: bool = False):
    if office is None:
        return qs
    if subtree:
        return qs.filter(office__path__startswith=office.path)
    return qs.filter(office=office)


def latest(office: Office | None = None, *, limit: int = 10, subtree: bool = False, group=None):
    qs = _in_office(public_items(), office, subtree)
    if group is not None:
        qs = qs.filter(group=group)
    return list(qs.order_by("-published_at", "-code")[:limit])


def most_viewed(
    office: Office | None = None, *, limit: int = 5, days: int = 30, group=None, subtree=False
):
    """Most viewed among the items published in the last `days` days."""
    since = timezone.now() - timedelta(days=days)
    qs = _in_office(public_items(), office, subtree).filter(published_at__gte=since)
    if group is not None:
        qs = qs.filter(group=group)
    return list(qs.order_by("-view_count", "-published_at")[:limit])


def top_story(office: Office | None = None, subtree: bool = False) -> NewsItem | None:
    qs = _in_office(public_items(), office, subtree).filter(main_photo__isnull=False)
    return qs.order_by("-published_at", "-code").first()


def groups() -> list[NewsGroup]:
    return list(NewsGroup.objects.all())


def by_group(office: Office | None = None, *, per_group: int = 4, subtree: bool = False):
    """[(group, [items])] for the groups that have public items; one query per group."""
    rows = []
    for group in groups():
        items = latest(office, limit=per_group, subtree=subtree, group=group)
        if items:
            rows.append((group, items))
    return rows


def group_by_slug(slug: str) -> NewsGroup:
    group = NewsGroup.objects.filter(slug=slug).first()
    if group is None:
        raise Http404(_("There is no such news group."))
    return group


def tag_by_slug(slug: str) -> Tag:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404(_("There is no such tag."))
    return tag


def public_item_by_code(code: int) -> NewsItem:
    item = (
        public_items()
        .defer(None)
        .select_related("translation_of", "translation")
        .prefetch_related(
            "tags", Prefetch("photos", queryset=Photo.objects.order_by("position", "id"))
        )
        .filter(code=code)
        .first()
    )
    if item is None:
        raise Http404(_("There is no published news item with this code."))
    return item


def related(item: NewsItem, *, limit: int = 5) -> list[NewsItem]:
    """Other public items sharing the most tags with this one."""
    tag_ids = [t.pk for t in item.tags.all()]
    if not tag_ids:
        return []
    from django.db.models import Count

    return list(
        public_items()
        .filter(tags__in=tag_ids)
        .exclude(pk=item.pk)
        .annotate(shared=Count("tags"))
        .order_by("-shared", "-published_at")[:limit]
    )


def items_for_page(qs: QuerySet[NewsItem], page: int, per_page: int = 20) -> dict[str, Any]:
    page = max(1, page)
    items = list(qs.order_by("-published_at", "-code")[(page - 1) * per_page : page * per_page + 1])
    return {
        "items": items[:per_page],
        "page": page,
        "has_next": len(items) > per_page,
        "has_previous": page > 1,
    }


def in_group(group: NewsGroup) -> QuerySet[NewsItem]:
    return public_items().filter(group=group)


def with_tag(tag: Tag) -> QuerySet[NewsItem]:
    return public_items().filter(tags=tag)


def of_office(office: Office) -> QuerySet[NewsItem]:
    return public_items().filter(office=office)


def in_range(start: date, end: date) -> QuerySet[NewsItem]:
    tz = timezone.get_current_timezone()
    from datetime import datetime, time

    return public_items().filter(
        published_at__gte=datetime.combine(start, time.min, tz),
        published_at__lt=datetime.combine(end, time.min, tz),
    )


def archive_months() -> list[tuple[int, int, int]]:
    """(Jalali year, month, count) of the archive, newest first (one query over dates)."""
    from ravabet.network.jalali import to_jalali_parts

    counts: dict[tuple[int, int], int] = {}
    for (day,) in public_items().values_list("published_at").order_by():
        if day is None:
            continue
        y, m, _d = to_jalali_parts(timezone.localtime(day))
        counts[(y, m)] = counts.get((y, m), 0) + 1
    return [(y, m, n) for (y, m), n in sorted(counts.items(), reverse=True)]


def feed_items(*, office=None, group=None, tag=None, limit: int = 30) -> list[NewsItem]:
    qs = public_items().defer(None)
    if office is not None:
        qs = qs.filter(office=office)
    if group is not None:
        qs = qs.filter(group=group)
    if tag is not None:
        qs = qs.filter(tags=tag)
    return list(qs.order_by("-published_at", "-code")[:limit])


# --- staff -----------------------------------------------------------------------------------


def staff_item(code: int) -> NewsItem:
    item = (
        NewsItem.objects.select_related("office", "group", "author", "main_photo")
        .prefetch_related("tags", "photos")
        .filter(code=code)
        .first()
    )
    if item is None:
        raise Http404(_("There is no news item with this code."))
    return item


def desk(office: Office, user: Any) -> dict[str, Any]:
    """The newsroom dashboard of one office."""
    base = (
        NewsItem.objects.filter(office=office).select_related("author").defer("body", "body_text")
    )
    week_ago = timezone.localdate() - timedelta(days=7)
    top = (
        DailyViews.objects.filter(news__office=office, day__gt=week_ago)
        .values("news__code", "news__title")
        .annotate(total=Sum("count"))
        .order_by("-total")[:10]
    )
    return {
        "my_drafts": list(
            base.filter(author=user, status=Status.DRAFT).order_by("-updated_at")[:50]
        ),
        "in_review": list(base.filter(status=Status.REVIEW).order_by("updated_at")[:50]),
        "scheduled": list(base.filter(status=Status.SCHEDULED).order_by("publish_at")[:50]),
        "recent": list(
            base.filter(status__in=[Status.PUBLISHED, Status.UNPUBLISHED]).order_by(
                "-published_at"
            )[:20]
        ),
        "most_read_week": list(top),
    }


def writable_offices(user: Any) -> QuerySet[Office]:
    return offices_where(user, Action.NEWS_WRITE)


def revisions(item: NewsItem) -> list[Revision]:
    return list(item.revisions.select_related("author"))


def votes_summary(item: NewsItem) -> dict[str, int]:
    return {
        "yes": item.useful_yes,
        "no": item.useful_no,
        "total": UsefulVote.objects.filter(news=item).count(),
    }


def item_by_source_id(source_id: str) -> NewsItem | None:
    return NewsItem.objects.filter(source_id=source_id).first()
