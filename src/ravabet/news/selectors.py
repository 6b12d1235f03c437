"""Reads of the newsroom. Every public list is a fixed number of queries, whatever the archive."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ravabet.network.models import Office
from ravabet.network.permissions import Action, offices_where
from ravabet.network.selectors import office_by_id

from .models import DailyViews, NewsGroup, NewsItem, Photo, Revision, Tag, UsefulVote

Status = NewsItem.Status


def public_items(language: str | None = None) -> QuerySet[NewsItem]:
    """Items readers see in lists: published ones, newest first, straight off an index.

    Scheduled items become `published` on the first request after their time (the page cache's
    `generation()` runs `services.publish_due`), so lists need no slower OR over two states.
    With `language` ("fa", "en"), only the items written in it: a page lists its own language.
    """
    qs = _card_rows().filter(status=Status.PUBLISHED)
    return qs if language is None else qs.filter(language=language)


# What lists read: a card (title, dates, office name, photo), sitemaps and the top story.
# Naming the columns keeps each list query narrow: building ~60 columns over three joins into
# model objects cost more than the queries themselves on the home pages.
_CARD_FIELDS = (
    "id", "code", "slug", "language", "over_title", "title", "lead", "status", "publish_at",
    "published_at", "updated_at", "view_count", "office_id", "group_id", "main_photo_id",
    "translation_of_id",
    "office__slug", "office__name_fa", "office__name_en", "office__path", "office__kind",
    "office__parent_id", "office__is_active",
    "main_photo__image", "main_photo__width", "main_photo__height", "main_photo__alt",
    "main_photo__caption", "main_photo__renditions", "main_photo__news_id",
    "main_photo__office_id",
)  # fmt: skip


def _card_rows() -> QuerySet[NewsItem]:
    """What a news card shows: the item without its body, with its office and main photo."""
    return NewsItem.objects.select_related("office", "main_photo").only(*_CARD_FIELDS)


def _visible(now=None) -> Q:
    now = now or timezone.now()
    return Q(status=Status.PUBLISHED) | Q(status=Status.SCHEDULED, publish_at__lte=now)


WIDE_SUBTREE = 12


def _in_office(qs: QuerySet[NewsItem], office: Office | None, subtree: bool = False):
    if office is None:
        return qs
    if subtree:
        ids = getattr(office, "_subtree_ids", None)  # one query per page, not per block
        if ids is None:
            ids = list(
                Office.objects.filter(path__startswith=office.path).values_list("pk", flat=True)
            )
            office._subtree_ids = ids
        return qs.filter(office_id__in=ids)
    return qs.filter(office=office)


def latest(
    office: Office | None = None,
    *,
    limit: int = 10,
    subtree: bool = False,
    group=None,
    language: str | None = None,
):
    base = public_items(language)
    if group is not None:
        base = base.filter(group=group)
    if office is not None and subtree:
        _in_office(base, office, subtree)  # resolves the subtree's office ids once
        if len(office._subtree_ids) > WIDE_SUBTREE:
            # Most items belong to a wide subtree: read the newest rows off the date index and
            # keep the subtree's; only when too few qualify ask the database to filter.
            ids = set(office._subtree_ids)
            window = base.order_by("-published_at", "-code")[: limit * 4]
            found = [item for item in window if item.office_id in ids]
            if len(found) >= limit or len(window) < limit * 4:
                return found[:limit]
    qs = _in_office(base, office, subtree)
    return list(qs.order_by("-published_at", "-code")[:limit])


TOP_STORY_WINDOW = 20


def most_viewed(
    office: Office | None = None,
    *,
    limit: int = 5,
    days: int = 30,
    group=None,
    subtree=False,
    language: str | None = None,
):
    """Most viewed among the items published in the last `days` days."""
    since = timezone.now() - timedelta(days=days)
    qs = _in_office(public_items(language), office, subtree).filter(published_at__gte=since)
    if group is not None:
        qs = qs.filter(group=group)
    return list(qs.order_by("-view_count", "-published_at")[:limit])


def top_story(
    office: Office | None = None, subtree: bool = False, *, language: str | None = None
) -> NewsItem | None:
    """The newest item with a photo among the latest few (bounded work on any archive)."""
    recent = latest(office, limit=TOP_STORY_WINDOW, subtree=subtree, language=language)
    return next((item for item in recent if item.main_photo_id), None)


def groups() -> list[NewsGroup]:
    return list(NewsGroup.objects.all())


BY_GROUP_WINDOW = 60


def by_group(
    office: Office | None = None,
    *,
    per_group: int = 4,
    subtree: bool = False,
    language: str | None = None,
):
    """[(group, [items])] for the groups that have public items.

    The newest `BY_GROUP_WINDOW` items usually fill every group's block in one query; only a
    group still short of items when the window is full gets a query of its own (so at most one
    query per group, whatever the archive's size).
    """
    rows = groups()
    window = latest(office, limit=BY_GROUP_WINDOW, subtree=subtree, language=language)
    found: dict[int, list[NewsItem]] = {group.pk: [] for group in rows}
    for item in window:
        shelf = found.get(item.group_id)
        if shelf is not None and len(shelf) < per_group:
            shelf.append(item)
    if len(window) == BY_GROUP_WINDOW:
        for group in rows:
            if len(found[group.pk]) < per_group:
                found[group.pk] = latest(
                    office, limit=per_group, subtree=subtree, group=group, language=language
                )
    return [(group, found[group.pk]) for group in rows if found[group.pk]]


def group_by_id(pk: int) -> NewsGroup | None:
    return NewsGroup.objects.filter(pk=pk).first()


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
        NewsItem.objects.filter(_visible())
        .select_related("office", "group", "main_photo", "translation_of", "translation")
        .prefetch_related(
            "tags", Prefetch("photos", queryset=Photo.objects.order_by("position", "id"))
        )
        .filter(code=code)
        .first()
    )
    if item is None:
        raise Http404(_("There is no published news item with this code."))
    return item


_HEAD_FIELDS = (
    "id", "code", "slug", "language", "status", "publish_at", "updated_at", "group_id",
    "office_id", "translation_of_id",
)  # fmt: skip
_HEAD_SQL = (
    "SELECT id, code, slug, language, status, publish_at, updated_at, group_id, office_id, "
    "translation_of_id "
    "FROM news_newsitem "
    "WHERE code = %s AND (status = %s OR (status = %s AND publish_at <= %s))"
)


def public_item_head(code: int) -> NewsItem:
    """A published item's identity, version and office, in one small query: what its page needs
    before the cached parts are looked up (the body is read only when they are rebuilt).

    Plain SQL over the code's unique index: on a page served from cached parts this is the only
    query, and building it through the ORM cost ten times the query itself (bench/news_pages.py).
    """
    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(timezone.now())  # as the ORM stores it
        cursor.execute(_HEAD_SQL, [code, Status.PUBLISHED, Status.SCHEDULED, now])
        row = cursor.fetchone()
    if row is None:
        raise Http404(_("There is no published news item with this code."))
    item = NewsItem(**dict(zip(_HEAD_FIELDS, row, strict=True)))
    item.office = office_by_id(item.office_id)
    return item


def public_summary(code: int) -> NewsItem | None:
    """A published item's identity and plain text only (one query; for apps that attach to it)."""
    return (
        NewsItem.objects.filter(_visible(), code=code)
        .select_related("office")
        .only(
            "pk", "code", "slug", "language", "status", "publish_at", "over_title", "title",
            "lead", "body_text", "office",
        )
        .first()
    )  # fmt: skip


RELATED_TAGS = 5


def related(item: NewsItem, *, limit: int = 5) -> list[NewsItem]:
    """Recent public items sharing the most tags with this one, in at most 7 small queries."""
    through = NewsItem.tags.through
    shared: dict[int, int] = {}
    for tag in list(item.tags.all())[:RELATED_TAGS]:
        recent = (
            through.objects.filter(tag_id=tag.pk)
            .exclude(newsitem_id=item.pk)
            .order_by("-newsitem_id")
            .values_list("newsitem_id", flat=True)[: limit * 4]
        )
        for news_id in recent:
            shared[news_id] = shared.get(news_id, 0) + 1
    if not shared:
        return []
    # Rank by shared tags, then newest first (a higher id came later), and load only the few
    # that can be shown: building model rows costs more than the queries here.
    best = sorted(shared, key=lambda pk: (-shared[pk], -pk))[: limit * 2]
    # Looked up by primary key alone, the status checked here: with `status` in the WHERE clause
    # SQLite's planner walks the status index (every published row) instead of the ten rowids.
    candidates = [
        other for other in _card_rows().filter(pk__in=best) if other.status == Status.PUBLISHED
    ]
    ranked = sorted(
        candidates, key=lambda other: (-shared[other.pk], -other.published_at.timestamp())
    )
    return ranked[:limit]


def items_for_page(qs: QuerySet[NewsItem], page: int, per_page: int = 20) -> dict[str, Any]:
    page = max(1, page)
    items = list(qs.order_by("-published_at", "-code")[(page - 1) * per_page : page * per_page + 1])
    return {
        "items": items[:per_page],
        "page": page,
        "has_next": len(items) > per_page,
        "has_previous": page > 1,
    }


def in_group(group: NewsGroup, language: str | None = None) -> QuerySet[NewsItem]:
    return public_items(language).filter(group=group)


def with_tag(tag: Tag, language: str | None = None) -> QuerySet[NewsItem]:
    return public_items(language).filter(tags=tag)


def of_office(office: Office, language: str | None = None) -> QuerySet[NewsItem]:
    return public_items(language).filter(office=office)


def in_range(start: date, end: date, language: str | None = None) -> QuerySet[NewsItem]:
    tz = timezone.get_current_timezone()
    from datetime import datetime, time

    return public_items(language).filter(
        published_at__gte=datetime.combine(start, time.min, tz),
        published_at__lt=datetime.combine(end, time.min, tz),
    )


def archive_months() -> list[tuple[int, int, int]]:
    """(Jalali year, month, count) of the archive, newest first, in two queries.

    The months between the oldest and newest item become buckets of one conditional COUNT, so
    the database reads the published rows once, off the index, whatever the archive's size.
    """
    from datetime import datetime, time

    from django.db.models import Count, Max, Min

    from ravabet.network.jalali import gregorian_range_for_jalali_month, to_jalali_parts

    published = NewsItem.objects.filter(status=Status.PUBLISHED, published_at__isnull=False)
    span = published.aggregate(first=Min("published_at"), last=Max("published_at"))
    if span["first"] is None:
        return []
    tz = timezone.get_current_timezone()
    y, m, _ = to_jalali_parts(timezone.localtime(span["first"]))
    end = to_jalali_parts(timezone.localtime(span["last"]))[:2]
    buckets: dict[str, tuple[int, int]] = {}
    conditions = {}
    while (y, m) <= end:
        start, stop = gregorian_range_for_jalali_month(y, m)
        name = f"m{y}_{m}"
        buckets[name] = (y, m)
        conditions[name] = Count(
            "id",
            filter=Q(
                published_at__gte=datetime.combine(start, time.min, tz),
                published_at__lt=datetime.combine(stop, time.min, tz),
            ),
        )
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    counts = published.aggregate(**conditions)
    return [(*buckets[name], n) for name, n in reversed(list(counts.items())) if n]


def feed_items(*, office=None, group=None, tag=None, limit: int = 30) -> list[NewsItem]:
    qs = public_items().defer(None).select_related(None).select_related("office", "group")
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


def reader_useful(item: NewsItem, voter: str) -> bool | None:
    """This reader's answer to "was this useful?" on the item, or None."""
    return (
        UsefulVote.objects.filter(news=item, voter=voter[:64])
        .values_list("useful", flat=True)
        .first()
    )


def item_by_source_id(source_id: str) -> NewsItem | None:
    return NewsItem.objects.filter(source_id=source_id).first()
