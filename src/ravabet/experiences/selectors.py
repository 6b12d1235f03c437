"""Reads of the experiences app: the listing with facets, a write-up's page, the staff desk,
the PR network directory, and the figures the evaluation reads.

The listing answers with a fixed number of queries whatever the number of write-ups: one
count, one page of rows (offices joined), one for the page's tags, one GROUP BY per facet
(bench/experiences_listing.py; tested in tests/test_listing.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from ravabet.network import text
from ravabet.network.models import Membership, Office, Role
from ravabet.network.permissions import Action, may, offices_where

from . import reviewers
from .models import (
    Application,
    Audience,
    Contact,
    Experience,
    Kind,
    Lesson,
    Status,
    Tag,
    UsefulVote,
)

PER_PAGE = 20
FACET_LIMIT = 30  # values shown per facet (the most frequent)


def is_network_staff(user: Any) -> bool:
    """Staff of the PR network: anyone with a role in an active office (or an operator)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_ravabet_network_staff", None)
    if cached is None:
        cached = user.is_superuser or offices_where(user, Action.STAFF_AREA).exists()
        user._ravabet_network_staff = cached
    return bool(cached)


def published(user: Any) -> QuerySet[Experience]:
    """The published write-ups `user` may read: public ones, and network ones for staff."""
    rows = Experience.objects.filter(status=Status.PUBLISHED)
    if not is_network_staff(user):
        rows = rows.filter(audience=Audience.PUBLIC)
    return rows


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    level: str = ""
    office: str = ""  # slug
    year: int | None = None
    tag: str = ""  # folded key

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        kind = query.get("kind", "")
        level = query.get("level", "")
        year_text = text.to_ascii_digits(str(query.get("year", "")).strip())
        return cls(
            kind=kind if kind in Kind.values else "",
            level=level if level in Office.Kind.values else "",
            office=str(query.get("office", ""))[:60],
            year=int(year_text) if year_text.isdigit() and len(year_text) == 4 else None,
            tag=text.fold(str(query.get("tag", "")))[:80],
        )

    def apply(self, rows: QuerySet[Experience], *, skip: str = "") -> QuerySet[Experience]:
        if self.kind and skip != "kind":
            rows = rows.filter(kind=self.kind)
        if self.level and skip != "level":
            rows = rows.filter(office__kind=self.level)
        if self.office and skip != "office":
            rows = rows.filter(office__slug=self.office)
        if self.year and skip != "year":
            rows = rows.filter(year=self.year)
        if self.tag and skip != "tag":
            rows = rows.filter(tags__key=self.tag)
        return rows

    def query(self, **change: Any) -> dict[str, str]:
        """The filters as query parameters, with `change` applied (None removes one)."""
        values = {
            "kind": self.kind,
            "level": self.level,
            "office": self.office,
            "year": str(self.year or ""),
            "tag": self.tag,
        }
        for name, value in change.items():
            values[name] = "" if value is None else str(value)
        return {name: value for name, value in values.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.query())


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Listing:
    filters: Filters
    items: list[Experience]
    total: int
    page: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def _facet_rows(rows: QuerySet[Experience], column: str) -> list[tuple[Any, int]]:
    return [
        (row[column], row["n"])
        for row in rows.order_by()
        .values(column)
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", column)[:FACET_LIMIT]
        if row[column] is not None
    ]


def listing(user: Any, filters: Filters, page: int = 1) -> Listing:
    """One page of published write-ups with facet counts (each facet counted with the other
    filters applied, so a value's count is what choosing it would show)."""
    base = published(user)
    rows = filters.apply(base)
    if filters.tag:
        rows = rows.distinct()
    total = rows.count()
    page = max(1, min(page, max(1, -(-total // PER_PAGE))))
    items = list(
        rows.select_related("office")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("-published_at", "-id")[(page - 1) * PER_PAGE : page * PER_PAGE]
    )
    facets: dict[str, list[FacetValue]] = {}
    kinds = dict(Kind.choices)
    facets["kind"] = [
        FacetValue(value, str(kinds.get(value, value)), n, value == filters.kind)
        for value, n in _facet_rows(filters.apply(base, skip="kind"), "kind")
    ]
    levels = dict(Office.Kind.choices)
    facets["level"] = [
        FacetValue(value, str(levels.get(value, value)), n, value == filters.level)
        for value, n in _facet_rows(filters.apply(base, skip="level"), "office__kind")
    ]
    office_rows = (
        filters.apply(base, skip="office")
        .order_by()
        .values("office__slug", "office__name_fa", "office__name_en")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "office__slug")[:FACET_LIMIT]
    )
    english = _english()
    facets["office"] = [
        FacetValue(
            row["office__slug"],
            (row["office__name_en"] if english and row["office__name_en"] else "")
            or row["office__name_fa"],
            row["n"],
            row["office__slug"] == filters.office,
        )
        for row in office_rows
    ]
    facets["year"] = [
        FacetValue(
            str(value),
            text.to_persian_digits(str(value)) if not english else str(value),
            n,
            value == filters.year,
        )
        for value, n in sorted(
            _facet_rows(filters.apply(base, skip="year"), "year"), key=lambda r: -r[0]
        )
    ]
    tag_rows = (
        filters.apply(base, skip="tag")
        .filter(tags__isnull=False)
        .order_by()
        .values("tags__key", "tags__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "tags__key")[:FACET_LIMIT]
    )
    facets["tag"] = [
        FacetValue(row["tags__key"], row["tags__name"], row["n"], row["tags__key"] == filters.tag)
        for row in tag_rows
    ]
    return Listing(filters=filters, items=items, total=total, page=page, facets=facets)


def _english() -> bool:
    from ravabet.network.language import is_english

    return is_english()


def export_rows(user: Any, filters: Filters) -> Any:
    """Every write-up of the filtered listing, for the CSV export (streamed in chunks)."""
    rows = filters.apply(published(user))
    if filters.tag:
        rows = rows.distinct()
    return rows.select_related("office").order_by("-published_at", "-id").iterator(chunk_size=500)


# ------------------------------------------------------------------ one write-up


class Access:
    """What `user` may see of a write-up: the page, a 410, or nothing (404)."""

    FULL = "full"  # the page
    GONE = "gone"  # 410: it was there for this reader and has been withdrawn
    NONE = "none"  # 404


def experience(pk: int) -> Experience | None:
    return (
        Experience.objects.select_related("office", "author", "reviewer")
        .prefetch_related(
            "steps",
            Prefetch("lessons", queryset=Lesson.objects.prefetch_related("tags")),
            "evidence",
            "attachments",
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            "comments__author",
            "applications__office",
        )
        .filter(pk=pk)
        .first()
    )


def may_edit(user: Any, item: Experience) -> bool:
    return may(user, Action.EXPERIENCES_WRITE, item)


def may_publish(user: Any, item: Experience) -> bool:
    return may(user, Action.EXPERIENCES_PUBLISH, item)


def may_review(user: Any, item: Experience) -> bool:
    return item.status == Status.SUBMITTED and reviewers.may_review(user, item)


def access(user: Any, item: Experience) -> str:
    staff = is_network_staff(user)
    if may_edit(user, item):
        return Access.FULL
    if item.status != Status.DRAFT and reviewers.may_review(user, item):
        return Access.FULL  # a reviewer sees what was submitted, never a draft
    if item.status == Status.PUBLISHED:
        if item.audience == Audience.PUBLIC or staff:
            return Access.FULL
        return Access.GONE if item.was_public else Access.NONE
    if item.status == Status.WITHDRAWN:
        if item.was_public or staff:
            return Access.GONE
    return Access.NONE


def news_evidence(item: Experience) -> list[Any]:
    """The office's news items the results point at (published ones only)."""
    from ravabet.news import selectors as news

    found = []
    for evidence in item.evidence.all():
        if evidence.kind == "news" and evidence.news_code:
            news_item = news.public_summary(evidence.news_code)
            if news_item is not None:
                found.append(news_item)
    return found


def versions(item: Experience) -> list[Any]:
    return list(item.versions.select_related("author").order_by("-number"))


def reader_vote(item: Experience, voter: str) -> bool | None:
    vote = UsefulVote.objects.filter(experience=item, voter=voter).values_list("useful", flat=True)
    return next(iter(vote), None)


def applying_offices(user: Any, item: Experience) -> QuerySet[Office]:
    """The offices for which `user` may say "we applied this" (not the write-up's own)."""
    return offices_where(user, Action.EXPERIENCES_WRITE).exclude(pk=item.office_id).order_by("path")


# ------------------------------------------------------------------ the staff desk


def desk(user: Any) -> dict[str, list[Experience]]:
    """The write-ups of the offices where the user writes them, and those waiting for them as a
    reviewer."""
    writable = offices_where(user, Action.EXPERIENCES_WRITE)
    mine = list(
        Experience.objects.select_related("office")
        .filter(office__in=writable)
        .order_by("-updated_at")[:200]
    )
    waiting = [
        item
        for item in Experience.objects.select_related("office")
        .filter(status=Status.SUBMITTED)
        .filter(
            # The education working group reviews every office's write-ups; reviewers theirs.
            Q()
            if reviewers.in_education_group(user)
            else Q(office__in=offices_where(user, Action.EXPERIENCES_REVIEW))
        )
        .order_by("submitted_at")[:200]
        if reviewers.may_review(user, item)
    ]
    due = [item for item in mine if item.status == Status.PUBLISHED and item.reminded_for]
    return {"mine": mine, "waiting": waiting, "due": due}


def writable_offices(user: Any) -> QuerySet[Office]:
    return offices_where(user, Action.EXPERIENCES_WRITE).order_by("path")


def attachment(pk: int) -> Any:
    from .models import Attachment

    return Attachment.objects.select_related("experience__office").filter(pk=pk).first()


# ------------------------------------------------------------------ the PR network directory


@dataclass
class DirectoryOffice:
    office: Office
    contacts: list[Any]


def directory(expertise: str = "", office: str = "") -> list[DirectoryOffice]:
    """Every active office with its PR manager and experts (staff only: the view checks).

    An office without a manager entry shows the holders of its manager role instead, so the
    directory is never empty where the network knows someone."""
    key = text.fold(expertise)[:80]
    contacts = Contact.objects.select_related("office", "user").prefetch_related(
        Prefetch("expertise", queryset=Tag.objects.order_by("name"))
    )
    if key:
        contacts = contacts.filter(expertise__key=key).distinct()
    offices = Office.objects.filter(is_active=True).order_by("path")
    if office:
        offices = offices.filter(slug=office)
    by_office: dict[int, list[Any]] = {}
    for contact in contacts.filter(office__in=offices):
        by_office.setdefault(contact.office_id, []).append(contact)
    managers: dict[int, list[Any]] = {}
    if not key:
        for membership in Membership.objects.select_related("user").filter(
            role=Role.MANAGER, office__in=offices, user__is_active=True
        ):
            managers.setdefault(membership.office_id, []).append(membership.user)
    result = []
    for row in offices:
        listed = by_office.get(row.pk, [])
        if not any(c.position == Contact.Position.MANAGER for c in listed):
            listed = [
                Contact(
                    office=row,
                    user=user,
                    name=user.get_full_name() or user.get_username(),
                    position=Contact.Position.MANAGER,
                    email=user.email,
                )
                for user in managers.get(row.pk, [])
            ] + listed
        if listed:
            result.append(DirectoryOffice(row, listed))
    return result


def expertise_tags() -> list[Tag]:
    return list(Tag.objects.filter(contacts__isnull=False).distinct().order_by("name"))


# ------------------------------------------------------------------ figures (evaluation)


def office_experience_figures(start: datetime, end: datetime) -> dict[int, dict[str, int]]:
    """Per office id: its write-ups first published in [start, end) and still published
    ("published"; a withdrawn one no longer counts) and the marks of "we applied this" that
    other offices gave its write-ups in that time ("applied_by_others")."""
    figures: dict[int, dict[str, int]] = {}
    for published_row in (
        Experience.objects.filter(
            status=Status.PUBLISHED, published_at__gte=start, published_at__lt=end
        )
        .values("office_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        office_id = published_row["office_id"]
        figures.setdefault(office_id, {"published": 0, "applied_by_others": 0})
        figures[office_id]["published"] = published_row["n"]
    for row in (
        Application.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(office_id=F("experience__office_id"))
        .values("experience__office_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        office_id = row["experience__office_id"]
        figures.setdefault(office_id, {"published": 0, "applied_by_others": 0})
        figures[office_id]["applied_by_others"] = row["n"]
    return figures


def office_reuse_figures(start: datetime, end: datetime) -> dict[int, dict[str, int]]:
    """Per office id, in [start, end): marks of "we applied this" it gave other offices'
    write-ups ("applied_from_others") and the "was this useful?" answers its write-ups received
    ("useful_yes", "useful_no")."""
    figures: dict[int, dict[str, int]] = {}

    def slot(office_id: int) -> dict[str, int]:
        return figures.setdefault(
            office_id, {"applied_from_others": 0, "useful_yes": 0, "useful_no": 0}
        )

    for row in (
        Application.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("office_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        slot(row["office_id"])["applied_from_others"] = row["n"]
    for vote_row in (
        UsefulVote.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("experience__office_id")
        .annotate(yes=Count("pk", filter=Q(useful=True)), no=Count("pk", filter=Q(useful=False)))
        .order_by()
    ):
        office = slot(vote_row["experience__office_id"])
        office["useful_yes"], office["useful_no"] = vote_row["yes"], vote_row["no"]
    return figures


def directory_offices(user: Any) -> QuerySet[Office]:
    """The offices whose directory entries `user` may change."""
    return offices_where(user, Action.OFFICE_EDIT).order_by("path")
