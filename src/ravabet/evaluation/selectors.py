"""Reads of the evaluation. The card and the overview are a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ravabet.network.models import Membership, Office
from ravabet.network.permissions import Action, offices_where

from . import compute, scoring
from .models import (
    CriteriaVersion,
    Evaluator,
    Indicator,
    OfficeResult,
    PeerGroup,
    Period,
    Score,
    Section,
    Status,
    Tier,
)

GROUP_ORDER = [PeerGroup.DIRECTORATE, PeerGroup.AGENCIES, PeerGroup.COUNTIES, PeerGroup.DISTRICTS]
TIER_ORDER = [Tier.OUTSTANDING, Tier.ACTIVE, Tier.SEMI_ACTIVE, Tier.INACTIVE]


def parse_key(key: str) -> tuple[int, int | None, str]:
    """ "1405-08" → (1405, 8, ""); "1405" → (1405, None, ""); "1405-08-mehran" → (1405, 8,
    "mehran"); anything else → 404."""
    parts = key.split("-")
    if not parts[0].isdecimal():
        raise Http404("no such period")
    month = None
    rest = parts[1:]
    if rest and rest[0].isdecimal():
        month = int(rest[0])
        rest = rest[1:]
        if not 1 <= month <= 12:
            raise Http404("no such period")
    return int(parts[0]), month, "-".join(rest)


def _periods_by_key(key: str) -> QuerySet[Period]:
    year, month, slug = parse_key(key)
    periods = Period.objects.select_related("version", "scope").filter(year=year, month=month)
    if slug:
        return periods.filter(scope__slug=slug)
    return periods.filter(scope__parent__isnull=True)


def period_by_key(key: str, *, published: bool = False) -> Period:
    periods = _periods_by_key(key)
    if published:
        periods = periods.filter(stage=Period.Stage.PUBLISHED)
    found = periods.order_by("id").first()
    if found is None:
        raise Http404("no such period")
    return found


def periods() -> QuerySet[Period]:
    return Period.objects.select_related("version", "scope").order_by("-start", "length")


def published_periods() -> QuerySet[Period]:
    return periods().filter(stage=Period.Stage.PUBLISHED)


def versions() -> QuerySet[CriteriaVersion]:
    return CriteriaVersion.objects.order_by("-number")


def version_by_number(number: int) -> CriteriaVersion:
    found = CriteriaVersion.objects.filter(number=number).first()
    if found is None:
        raise Http404("no such version")
    return found


def criteria_tree(version: CriteriaVersion) -> list[Section]:
    """Sections with their indicators (two queries)."""
    return list(version.sections.prefetch_related("indicators"))


def indicator_by_id(pk: int) -> Indicator:
    found = Indicator.objects.select_related("section__version").filter(pk=pk).first()
    if found is None:
        raise Http404("no such indicator")
    return found


def section_by_id(pk: int) -> Section:
    found = Section.objects.select_related("version").filter(pk=pk).first()
    if found is None:
        raise Http404("no such section")
    return found


def score_in(period: Period, pk: int) -> Score:
    found = (
        Score.objects.select_related("office", "indicator__section", "period")
        .filter(period=period, pk=pk)
        .first()
    )
    if found is None:
        raise Http404("no such score")
    return found


# ----------------------------------------------------------------------------- the office's card


@dataclass
class CardLine:
    score: Score
    group_median: float | None
    gain: float  # points of the total the office would gain at 100 on this indicator


@dataclass
class Card:
    period: Period
    office: Office
    result: OfficeResult | None
    lines: list[CardLine]
    group_median_total: float | None
    group_size: int
    trend: list[OfficeResult]
    gains: list[CardLine]
    sections: list[tuple[Section, list[CardLine]]] = field(default_factory=list)


def card(period: Period, office: Office) -> Card:
    """An office's private card: scores, tier, its group's medians, trend and best gains.

    Five queries, whatever the number of offices, indicators and periods."""
    scores = list(
        Score.objects.filter(period=period, office=office)
        .select_related("indicator__section", "reply")
        .order_by("indicator__section__position", "indicator__position", "id")
    )
    result = OfficeResult.objects.filter(period=period, office=office).first()
    group = result.group if result is not None else compute.peer_group(office)
    peers = OfficeResult.objects.filter(period=period, group=group)
    per_indicator: dict[int, list[float]] = defaultdict(list)
    for indicator_id, points in Score.objects.filter(
        period=period, office_id__in=peers.values("office_id"), status=Status.VALID
    ).values_list("indicator_id", "points"):
        if points is not None:
            per_indicator[indicator_id].append(points)
    group_totals = [
        total for total in peers.exclude(tier="").values_list("total", flat=True) if total
    ]
    trend = list(
        OfficeResult.objects.filter(
            office=office,
            period__length=period.length,
            period__scope=period.scope_id,
            period__start__lte=period.start,
        )
        .select_related("period__scope")
        .order_by("-period__start")[:12]
    )
    trend.reverse()
    counted = sum(
        compute.effective_weight(score.indicator)
        for score in scores
        if score.status != Status.SKIPPED
    )
    lines = []
    for score in scores:
        weight = compute.effective_weight(score.indicator)
        gain = 0.0
        if score.status == Status.VALID and score.points is not None and counted:
            gain = weight * (100 - score.points) / counted
        lines.append(CardLine(score, scoring.median(per_indicator.get(score.indicator_id, [])),
                              round(gain, 1)))  # fmt: skip
    gains = sorted((line for line in lines if line.gain > 0), key=lambda line: -line.gain)[:3]
    sections: dict[int, tuple[Section, list[CardLine]]] = {}
    for line in lines:
        section = line.score.indicator.section
        sections.setdefault(section.pk, (section, []))[1].append(line)
    return Card(
        period=period,
        office=office,
        result=result,
        lines=lines,
        group_median_total=scoring.median(group_totals),
        group_size=len(group_totals),
        trend=trend,
        gains=gains,
        sections=list(sections.values()),
    )


# ----------------------------------------------------------------------------- the DG's overview


@dataclass
class GroupSummary:
    group: str
    label: str
    offices: int
    placed: int
    median: float | None
    tiers: dict[str, int]


@dataclass
class Overview:
    period: Period
    results: list[OfficeResult]
    groups: list[GroupSummary]
    disputes: dict[int, int]
    pending: int
    histogram: list[int]  # offices per 10-point band of the total, 0–9 … 90–100


def overview(period: Period) -> Overview:
    """Everything about a period for the director-general: three queries."""
    results = list(
        OfficeResult.objects.filter(period=period)
        .select_related("office")
        .order_by("group", "-total", "office__path")
    )
    disputes: dict[int, int] = defaultdict(int)
    for office_id, agrees, audited in (
        Score.objects.filter(period=period)
        .filter(reply__isnull=False)
        .values_list("office_id", "reply__agrees", "audited_at")
    ):
        if not agrees and audited is None:
            disputes[office_id] += 1
    pending = Score.objects.filter(period=period, status=Status.PENDING).count()
    by_group: dict[str, list[OfficeResult]] = defaultdict(list)
    histogram = [0] * 10
    for result in results:
        by_group[result.group].append(result)
        if result.tier and result.total is not None:
            histogram[min(int(result.total // 10), 9)] += 1
    labels = dict(PeerGroup.choices)
    groups = []
    for group in GROUP_ORDER:
        members = by_group.get(group, [])
        placed = [r for r in members if r.tier]
        tiers = {str(tier): sum(1 for r in placed if r.tier == tier) for tier in TIER_ORDER}
        groups.append(
            GroupSummary(
                group=group,
                label=str(labels[group]),
                offices=len(members),
                placed=len(placed),
                median=scoring.median([r.total for r in placed if r.total is not None]),
                tiers=tiers,
            )
        )
    return Overview(period, results, groups, dict(disputes), pending, histogram)


# ----------------------------------------------------------------------------- public


@dataclass
class Honour:
    office_id: int
    name_fa: str
    name_en: str
    slug: str
    group: str
    total: float | None
    improvement: float | None = None


def honour_roll(period: Period) -> list[Honour]:
    """The outstanding offices of a published period, best first within each peer group.

    Read by the events app (the honouring ceremony of PR week); empty for an unpublished period.
    """
    if period.stage != Period.Stage.PUBLISHED:
        return []
    rows = (
        OfficeResult.objects.filter(period=period, tier=Tier.OUTSTANDING)
        .select_related("office")
        .order_by("group", "-total", "office__path")
    )
    order = {group: n for n, group in enumerate(GROUP_ORDER)}
    honours = [
        Honour(r.office_id, r.office.name_fa, r.office.name_en, r.office.slug, r.group, r.total)
        for r in rows
    ]
    return sorted(honours, key=lambda h: order.get(PeerGroup(h.group), 9))


def latest_published(length: str | None = None) -> Period | None:
    """The newest published period of the whole network (of `length`: "month" or "year"), for
    callers of `honour_roll` such as the events app's PR-week ceremony."""
    periods = published_periods().filter(scope__parent__isnull=True)
    if length is not None:
        periods = periods.filter(length=length)
    return periods.first()


@dataclass
class PublicGroup:
    group: str
    label: str
    outstanding: list[Honour]
    most_improved: Honour | None


def public_results(period: Period) -> list[PublicGroup]:
    """Per peer group: the outstanding offices and the most improved one. Nothing else: no
    other tier, no rank, no list of the weakest (docs/evaluation.md)."""
    if period.stage != Period.Stage.PUBLISHED:
        return []
    honours = honour_roll(period)
    improved: dict[str, Honour] = {}
    for r in (
        OfficeResult.objects.filter(period=period, improvement__gt=0)
        .exclude(tier="")
        .select_related("office")
        .order_by("group", "-improvement", "office__path")
    ):
        if r.group not in improved:
            improved[r.group] = Honour(
                r.office_id, r.office.name_fa, r.office.name_en, r.office.slug, r.group, None,
                r.improvement,
            )  # fmt: skip
    labels = dict(PeerGroup.choices)
    out = []
    for group in GROUP_ORDER:
        best = [h for h in honours if h.group == group]
        if best or group in improved:
            out.append(PublicGroup(group, str(labels[group]), best, improved.get(group)))
    return out


def office_periods(office: Office) -> list[Period]:
    """Periods in which the office is evaluated, newest first."""
    return list(
        Period.objects.filter(results__office=office).select_related("scope").order_by("-start")
    )


def scores_to_audit(period: Period) -> list[Score]:
    """Disputed scores first, then every other scored or evidence mark not yet audited."""
    rows = list(
        Score.objects.filter(period=period, audited_at__isnull=True)
        .exclude(status=Status.SKIPPED)
        .select_related("office", "indicator", "reply")
        .filter(reply__agrees=False)
        .order_by("office__path", "indicator__position")
    )
    return rows


def all_results(period: Period) -> list[OfficeResult]:
    return list(OfficeResult.objects.filter(period=period).select_related("office"))


def pending_scores(period: Period) -> list[Score]:
    """Scored and evidence indicators still waiting for an evaluator."""
    return list(
        Score.objects.filter(period=period, status=Status.PENDING)
        .select_related("office", "indicator")
        .order_by("office__path", "indicator__section__position", "indicator__position")
    )


def export_rows(period: Period) -> list[dict[str, Any]]:
    """Every score of the period, one row each, for the XLSX export (one query)."""
    return [
        {
            "office": score.office.name_fa,
            "slug": score.office.slug,
            "section": score.indicator.section.title_fa,
            "indicator": score.indicator.title_fa,
            "code": score.indicator.code,
            "kind": score.indicator.kind,
            "status": score.status,
            "numerator": score.numerator,
            "denominator": score.denominator,
            "value": score.value,
            "sample": score.sample,
            "low": score.low,
            "high": score.high,
            "points": score.points,
            "mark": score.rubric_mark,
        }
        for score in Score.objects.filter(period=period)
        .select_related("office", "indicator__section")
        .order_by("office__path", "indicator__section__position", "indicator__position")
    ]


# ----------------------------------------------------------------------------- who and where


def network_root() -> Office:
    root = Office.objects.filter(parent__isnull=True, is_active=True).order_by("id").first()
    if root is None:
        raise Http404("no network")
    return root


def version_in_use() -> CriteriaVersion:
    """The version of the newest period, else the newest version (the methodology's default)."""
    period = Period.objects.select_related("version").order_by("-start").first()
    if period is not None:
        return period.version
    found = CriteriaVersion.objects.order_by("-number").first()
    if found is None:
        raise Http404("no criteria yet")
    return found


def is_own_office(user: Any, office: Office) -> bool:
    """Does the user hold a role in `office`, or manage an office above it?"""
    for role, path in Membership.objects.filter(user=user).values_list("role", "office__path"):
        if office.path == path or (role == "manager" and office.path.startswith(path)):
            return True
    return False


def evaluators() -> list[Evaluator]:
    return list(Evaluator.objects.select_related("user").order_by("-active", "user__username"))


def is_evaluator(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and Evaluator.objects.filter(user=user, active=True).exists()
    )


def period_for_office(key: str, office: Office) -> Period:
    """The period `key` in which `office` is evaluated (404 otherwise)."""
    found = _periods_by_key(key).filter(results__office=office).first()
    if found is None:
        raise Http404("no such period")
    return found


def replies_open(period: Period, result: OfficeResult | None, now: Any = None) -> bool:
    now = now or timezone.now()
    return bool(
        period.stage in (Period.Stage.REPLY, Period.Stage.AUDIT)
        and period.reply_deadline is not None
        and now < period.reply_deadline
        and result is not None
        and result.replies_closed_at is None
    )


def scopes_for(user: Any) -> QuerySet[Office]:
    """The offices whose subtree the user may evaluate (open a period for)."""
    return offices_where(user, Action.EVALUATION_MANAGE).order_by("path")


def cards_for(user: Any, limit: int = 12) -> list[OfficeResult]:
    """The newest evaluation cards of the offices where the user may see them."""
    offices = offices_where(user, Action.EVALUATION_VIEW)
    return list(
        OfficeResult.objects.filter(office__in=offices)
        .select_related("office", "period__scope")
        .order_by("-period__start", "office__path")[:limit]
    )
