"""Reads of the newsroom. Every public list is a fixed number of queries, whatever the archive."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ravabet.network.models import Office
from ravabet.network.permissions import Action, offices_where, reach
from ravabet.network.selectors import office_by_id, offices_by_id

from .models import DailyViews, NewsGroup, NewsItem, Photo, Revision, Tag, UsefulVote

Status = NewsItem.Status


def public_items(language: str | None = None) -> QuerySet[NewsItem]:
    """Items readers see in lists: published ones, newest first, straight off an index.

    Scheduled items become `published` within seconds of their time (`ravabet scheduler` runs
    `pagecache.publish_if_due`), so lists need no slower OR over two states.
    With `language` ("fa", "en"), only the items written in it: a page lists its own language.
    """
    qs = _card_rows().filter(status=Status.PUBLISHED)
    return qs if language is None else qs.filter(language=language)


# What lists read: a card (title, dates, office, photo), sitemaps and the top story. Naming the
# columns keeps each list query narrow, and offices (the network's cache) and photos (one
# in_bulk) are attached afterwards rather than joined: building joined rows through
# select_related cost more than the queries themselves (bench/render_profile.py: 60 cards
# 14 ms joined, 4 ms attached).
_CARD_FIELDS = (
    "id", "code", "slug", "language", "over_title", "title", "lead", "status", "publish_at",
    "published_at", "updated_at", "view_count", "office_id", "group_id", "main_photo_id",
    "translation_of_id",
)  # fmt: skip


def _card_rows() -> QuerySet[NewsItem]:
    """What a news card shows: the item without its body (its office and photo: `cards`)."""
    return NewsItem.objects.only(*_CARD_FIELDS)


def cards(items) -> list[NewsItem]:
    """Evaluate card rows and attach their offices and main photos (two queries at most)."""
    items = list(items)
    if not items:
        return items
    offices = offices_by_id(item.office_id for item in items)
    photo_ids = {item.main_photo_id for item in items if item.main_photo_id}
    photos = Photo.objects.in_bulk(photo_ids) if photo_ids else {}
    for item in items:
        item.office = offices[item.office_id]
        item.main_photo = photos.get(item.main_photo_id)
    return items


def _visible(now=None) -> Q:
    now = now or timezone.now()
    return Q(status=Status.PUBLISHED) | Q(status=Status.SCHEDULED, publish_at__lte=now)


WIDE_SUBTREE = 12
# SQLite allows 500 terms in one compound SELECT; a branch is one office (or office × group).
_BRANCHES_PER_QUERY = 200


def _subtree_ids(office: Office) -> list[int]:
    """The office's subtree, read once per office object (one query per page, not per block)."""
    memo = office.__dict__
    if "_subtree_ids" not in memo:
        memo["_subtree_ids"] = list(
            Office.objects.filter(path__startswith=office.path).values_list("pk", flat=True)
        )
    return memo["_subtree_ids"]


def _in_office(qs: QuerySet[NewsItem], office: Office | None, subtree: bool = False):
    if office is None:
        return qs
    if subtree:
        return qs.filter(office_id__in=_subtree_ids(office))
    return qs.filter(office=office)


_NO_GROUP = object()


def _newest_per_branch(
    branches: list[tuple[int, Any]], limit: int, language: str | None = None
) -> list[tuple[int, Any, int, int | None]]:
    """The newest `limit` public items of each (office, group) branch as (id, time, code, group).

    One index seek per branch (`news_office_idx` or `news_office_group_idx`), joined with UNION
    ALL: an office that publishes rarely costs as little as a busy one, whatever the archive's
    size. `IN (subtree)` ordered by date cannot do that: the database either sorts every item of
    the subtree or walks the whole archive's date index looking for the subtree's few (issue 20).
    """
    rows: list[tuple[int, Any, int, int | None]] = []
    table = NewsItem._meta.db_table
    for start in range(0, len(branches), _BRANCHES_PER_QUERY):
        parts: list[str] = []
        params: list[int | str] = []
        for office_id, group in branches[start : start + _BRANCHES_PER_QUERY]:
            where = "office_id = %s AND status = %s"
            params += [office_id, Status.PUBLISHED]
            if language is not None:
                where += " AND language = %s"
                params.append(language)
            if group is _NO_GROUP:
                pass
            elif group is None:
                where += " AND group_id IS NULL"
            else:
                where += " AND group_id = %s"
                params.append(group)
            parts.append(
                f"SELECT * FROM (SELECT id, published_at, code, group_id FROM {table} "  # noqa: S608
                f"WHERE {where} ORDER BY published_at DESC, code DESC LIMIT %s) AS b{len(parts)}"
            )
            params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows.extend(cursor.fetchall())
    return rows


def _cards_by_id(ids: list[int]) -> list[NewsItem]:
    """Cards for these item ids, in the order given (one query by primary key)."""
    if not ids:
        return []
    found = {item.pk: item for item in cards(_card_rows().filter(pk__in=ids).order_by())}
    return [found[pk] for pk in ids if pk in found]


def _newest_first(rows) -> list:
    # Times come back as the database stores them (text on SQLite): compare like with like.
    return sorted(rows, key=lambda row: (str(row[1]), row[2]), reverse=True)


def latest(
    office: Office | None = None,
    *,
    limit: int = 10,
    subtree: bool = False,
    group: NewsGroup | None = None,
    language: str | None = None,
) -> list[NewsItem]:
    base = public_items(language)
    if group is not None:
        base = base.filter(group=group)
    if office is None or not subtree:
        qs = _in_office(base, office, subtree)
        return cards(qs.order_by("-published_at", "-code")[:limit])
    ids = _subtree_ids(office)
    if len(ids) > WIDE_SUBTREE:
        # Most items belong to a wide subtree: read the newest rows off the date index and
        # keep the subtree's; only when too few qualify ask each office's index.
        # The window is read as (id, office) pairs: only the cards shown are built.
        wanted = set(ids)
        window = list(
            base.order_by("-published_at", "-code").values_list("id", "office_id")[: limit * 4]
        )
        found = [pk for pk, office_id in window if office_id in wanted]
        if len(found) >= limit or len(window) < limit * 4:
            return _cards_by_id(found[:limit])
    branch_group = _NO_GROUP if group is None else group.pk
    branches = [(pk, branch_group) for pk in ids]
    rows = _newest_first(_newest_per_branch(branches, limit, language))
    return _cards_by_id([row[0] for row in rows[:limit]])


TOP_STORY_WINDOW = 20
BY_GROUP_WINDOW = 60


def most_viewed(
    office: Office | None = None,
    *,
    limit: int = 5,
    days: int = 30,
    group=None,
    subtree=False,
    language: str | None = None,
):
    """Most viewed among the items published in the last `days` days.

    Ranked on ids alone (`news_recent_views_idx` covers the window), then the few cards loaded:
    joining offices and photos to every row of the window before ranking read the whole month's
    table rows (80 ms at 100,000 items; 1 ms this way).
    """
    since = timezone.now() - timedelta(days=days)
    qs = NewsItem.objects.filter(status=Status.PUBLISHED)
    if language is not None:
        qs = qs.filter(language=language)
    qs = _in_office(qs, office, subtree).filter(published_at__gte=since)
    if group is not None:
        qs = qs.filter(group=group)
    ids = list(qs.order_by("-view_count", "-published_at").values_list("id", flat=True)[:limit])
    return _cards_by_id(ids)


def top_story(
    office: Office | None = None, subtree: bool = False, *, language: str | None = None
) -> NewsItem | None:
    """The newest item with a photo among the latest few (bounded work on any archive)."""
    recent = latest(office, limit=TOP_STORY_WINDOW, subtree=subtree, language=language)
    return next((item for item in recent if item.main_photo_id), None)


def home_lists(
    office: Office | None = None, *, language: str | None = None, latest_count: int = 10
) -> dict[str, Any]:
    """What a home page shows (the province's, or an office's with its subtree): the top story,
    the latest items without it, the most viewed and news by group, from one read of the newest
    items (the top story is looked for among the latest, so they share their query)."""
    subtree = office is not None
    window = latest(office, limit=BY_GROUP_WINDOW, subtree=subtree, language=language)
    recent = window[: max(TOP_STORY_WINDOW, latest_count + 1)]
    top = next((item for item in recent if item.main_photo_id), None)
    return {
        "top_story": top,
        "latest": [item for item in recent if item is not top][:latest_count],
        "most_viewed": most_viewed(office, limit=5, subtree=subtree, language=language),
        "groups": by_group(office, per_group=4, subtree=subtree, window=window, language=language),
    }


def groups() -> list[NewsGroup]:
    return list(NewsGroup.objects.all())


def by_group(
    office: Office | None = None,
    *,
    per_group: int = 4,
    subtree: bool = False,
    window: list[NewsItem] | None = None,
    language: str | None = None,
):
    """[(group, [items])] for the groups that have public items.

    The newest `BY_GROUP_WINDOW` items usually fill every group's block in one query. Groups
    still short when the window is full are filled from their own indexes: for the whole network
    one seek per group, for an office's subtree one seek per (office, group), all in one UNION
    ALL query, so a group or an office that publishes rarely costs no more than a busy one.
    `window`: the newest `BY_GROUP_WINDOW` items when the caller has read them already.
    """
    rows = groups()
    if window is None:
        window = latest(office, limit=BY_GROUP_WINDOW, subtree=subtree, language=language)
    found: dict[int, list[NewsItem]] = {group.pk: [] for group in rows}
    for item in window:
        shelf = found.get(item.group_id) if item.group_id is not None else None
        if shelf is not None and len(shelf) < per_group:
            shelf.append(item)
    short = [group.pk for group in rows if len(found[group.pk]) < per_group]
    if len(window) == BY_GROUP_WINDOW and short:
        if office is None:
            picked = _newest_per_group(short, per_group, language)
        else:
            offices = _subtree_ids(office) if subtree else [office.pk]
            branches = [(pk, group) for group in short for pk in offices]
            picked = _newest_per_branch(branches, per_group, language)
        per: dict[int, list] = {pk: [] for pk in short}
        for row in _newest_first(picked):
            if len(per[row[3]]) < per_group:
                per[row[3]].append(row[0])
        shown = {item.pk: item for item in _cards_by_id([pk for ids in per.values() for pk in ids])}
        for pk, ids in per.items():
            found[pk] = [shown[i] for i in ids if i in shown]
    return [(group, found[group.pk]) for group in rows if found[group.pk]]


def _newest_per_group(
    group_ids: list[int], limit: int, language: str | None = None
) -> list[tuple[int, Any, int, int | None]]:
    """The newest `limit` public items of each group in the whole network (`news_group_idx`)."""
    table = NewsItem._meta.db_table
    parts: list[str] = []
    params: list[int | str] = []
    in_language = "" if language is None else " AND language = %s"
    for n, group_id in enumerate(group_ids):
        parts.append(
            f"SELECT * FROM (SELECT id, published_at, code, group_id FROM {table} "  # noqa: S608
            f"WHERE group_id = %s AND status = %s{in_language} "
            f"ORDER BY published_at DESC, code DESC LIMIT %s) AS g{n}"
        )
        params += [group_id, Status.PUBLISHED, *([] if language is None else [language]), limit]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


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
    office = office_by_id(item.office_id)
    if office is None:  # the row names its office (a protected foreign key)
        raise Http404(_("There is no published news item with this code."))
    item.office = office
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
        other
        for other in cards(_card_rows().filter(pk__in=best).order_by())
        if other.status == Status.PUBLISHED
    ]
    ranked = sorted(
        candidates,
        key=lambda other: (
            -shared[other.pk],
            -(other.published_at.timestamp() if other.published_at else 0.0),
        ),
    )
    return ranked[:limit]


def items_for_page(qs: QuerySet[NewsItem], page: int, per_page: int = 20) -> dict[str, Any]:
    page = max(1, page)
    items = cards(
        qs.order_by("-published_at", "-code")[(page - 1) * per_page : page * per_page + 1]
    )
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
    qs = NewsItem.objects.filter(status=Status.PUBLISHED).select_related("office", "group")
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
    # Unpublished items only as far as the user may read them (an author: their own).
    readable = reach(user, Action.NEWS_READ_ANY).q()
    base = (
        NewsItem.objects.filter(office=office).select_related("author").defer("body", "body_text")
    )
    unpublished = base.filter(readable)
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
        "in_review": list(unpublished.filter(status=Status.REVIEW).order_by("updated_at")[:50]),
        "scheduled": list(unpublished.filter(status=Status.SCHEDULED).order_by("publish_at")[:50]),
        "recent": list(
            base.filter(
                Q(status=Status.PUBLISHED) | (Q(status=Status.UNPUBLISHED) & readable)
            ).order_by("-published_at")[:20]
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


def all_groups() -> QuerySet[NewsGroup]:
    """Every news group, as a queryset (for a form's choices)."""
    return NewsGroup.objects.all()


def item_by_code(code: int) -> NewsItem | None:
    """Any item, whatever its status, by its news code."""
    return NewsItem.objects.filter(code=code).first()


def sitemap_tags() -> QuerySet[Tag]:
    return Tag.objects.order_by("pk")


def attached_photo(pk: int) -> Photo:
    """A photo of a news item (with the item), or 404."""
    return get_object_or_404(Photo.objects.select_related("news"), pk=pk, news__isnull=False)


def reader_useful(item: NewsItem, voter: str) -> bool | None:
    """This reader's answer to "was this useful?" on the item, or None."""
    return (
        UsefulVote.objects.filter(news=item, voter=voter[:64])
        .values_list("useful", flat=True)
        .first()
    )


def item_by_source_id(source_id: str) -> NewsItem | None:
    return NewsItem.objects.filter(source_id=source_id).first()


def office_news_figures(start: datetime, end: datetime) -> dict[int, dict[str, Any]]:
    """Per office, the newsroom's figures for [start, end) (aware datetimes), for the evaluation.

    Keys: "published" (original items published in the window; translations are not counted
    twice), "with_photo" (of those, with a main photo), "days" (the local dates with at least one
    of them, ISO strings), "views" (views counted in the window, from `DailyViews`, of the items
    published in it), "votes" and "useful" ("was this useful?" answers given in the window on the
    office's items, and how many said yes). Offices with nothing are absent. Four grouped
    queries, whatever the number of items.
    """
    published = NewsItem.objects.filter(
        status=Status.PUBLISHED,
        translation_of__isnull=True,
        published_at__gte=start,
        published_at__lt=end,
    )
    out: dict[int, dict[str, Any]] = {}

    def row(office_id: int) -> dict[str, Any]:
        return out.setdefault(
            office_id,
            {"published": 0, "with_photo": 0, "days": [], "views": 0, "votes": 0, "useful": 0},
        )

    for office_id, count, with_photo in published.values_list("office_id").annotate(
        n=Count("id"), photo=Count("id", filter=Q(main_photo__isnull=False))
    ):
        figures = row(office_id)
        figures["published"], figures["with_photo"] = count, with_photo
    zone = timezone.get_current_timezone()
    for office_id, day in (
        published.annotate(day=TruncDate("published_at", tzinfo=zone))
        .values_list("office_id", "day")
        .distinct()
        .order_by("office_id", "day")
    ):
        row(office_id)["days"].append(day.isoformat())
    local_start = timezone.localtime(start).date()
    local_end = timezone.localtime(end).date()
    for office_id, views in (
        DailyViews.objects.filter(
            day__gte=local_start, day__lt=local_end, news__in=published.values("pk")
        )
        .values_list("news__office_id")
        .annotate(total=Sum("count"))
    ):
        row(office_id)["views"] = views or 0
    for office_id, votes, useful in (
        UsefulVote.objects.filter(created_at__gte=start, created_at__lt=end)
        .values_list("news__office_id")
        .annotate(n=Count("id"), yes=Count("id", filter=Q(useful=True)))
    ):
        figures = row(office_id)
        figures["votes"], figures["useful"] = votes, useful
    return out
