"""Writes of the evaluation: criteria versions, periods and their process, each change audited.

The process of a period (docs/evaluation.md):
    open (criteria frozen, measured scores marked automatically)
    → evaluators mark scored and evidence indicators (never their own office)
    → right of reply: each office agrees or disagrees per indicator within N working days
    → audit by a second evaluator (not the one who marked, not of the office)
    → publish (tiers placed; the public sees only the outstanding and the most improved).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ravabet.network import text, workdays
from ravabet.network.jalali import gregorian_range_for_jalali_month
from ravabet.network.models import Office
from ravabet.network.permissions import Action, may
from ravabet.network.services import (
    lock_and_require,
    locked_transaction,
    record,
    record_refusal,
    require,
)

from . import compute, criteria, scoring
from .models import (
    CriteriaVersion,
    Evaluator,
    Indicator,
    Kind,
    OfficeResult,
    Period,
    Reply,
    Score,
    Section,
    Status,
)
from .selectors import is_evaluator, is_own_office


class EvaluationError(Exception):
    """A request the process cannot take now (HTTP 409 unless `status` says otherwise)."""

    def __init__(self, message: str, *, status: int = 409, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


# ----------------------------------------------------------------------------- who


def _require_evaluator(
    user: Any, score: Score, request: HttpRequest | None, action: str = "evaluation.mark"
) -> None:
    """An active evaluator, not of the scored office; a refusal is audited (403)."""
    if not is_evaluator(user):
        record_refusal(user, f"denied:{action}", target=score.office, request=request)
        raise PermissionDenied(_("Only members of the evaluation group mark and audit."))
    if is_own_office(user, score.office):
        record_refusal(user, f"denied:{action}_own_office", target=score.office, request=request)
        raise PermissionDenied(_("An evaluator may not score their own office."))


def _require_network(actor: Any, request: HttpRequest | None = None) -> Office:
    """The director-general's reach: the network's root office, managed by the actor."""
    root = Office.objects.filter(parent__isnull=True, is_active=True).order_by("id").first()
    if root is None:
        raise EvaluationError(_("There is no network to evaluate."), status=404)
    require(actor, Action.EVALUATION_MANAGE, root, request)
    return root


# ----------------------------------------------------------------------------- criteria


@transaction.atomic
def ensure_default_criteria() -> CriteriaVersion:
    """Version 1 of the criteria tree (`criteria.TREE`), created when no version exists."""
    existing = CriteriaVersion.objects.order_by("number").first()
    if existing is not None:
        return existing
    version = CriteriaVersion.objects.create(number=1, note="نسخه نخست")
    for s_pos, (code, title_fa, title_en, weight, indicators) in enumerate(criteria.TREE):
        section = Section.objects.create(
            version=version,
            code=code,
            title_fa=title_fa,
            title_en=title_en,
            weight=weight,
            position=s_pos,
        )
        for i_pos, row in enumerate(indicators):
            (i_code, kind, i_fa, i_en, i_weight, numerator, denominator, metric, source,
             min_sample, target, rubric) = row  # fmt: skip
            Indicator.objects.create(
                section=section,
                code=i_code,
                kind=kind,
                title_fa=i_fa,
                title_en=i_en,
                weight=i_weight,
                numerator=numerator,
                denominator=denominator,
                metric=metric,
                source=source,
                min_sample=min_sample,
                target=target,
                rubric=rubric,
                position=i_pos,
            )
    record(None, "evaluation.version_create", target=version, changes={"number": [None, 1]})
    return version


def latest_version() -> CriteriaVersion:
    return CriteriaVersion.objects.order_by("-number").first() or ensure_default_criteria()


def new_version(
    actor: Any, source: CriteriaVersion, note: str = "", request: HttpRequest | None = None
) -> CriteriaVersion:
    """A copy of `source` that may still change: the criteria of the next period."""
    root = _require_network(actor, request)
    with transaction.atomic():
        last = CriteriaVersion.objects.select_for_update().order_by("-number").first()
        number = (last.number if last else 0) + 1
        version = CriteriaVersion.objects.create(
            number=number,
            note=text.normalize(note)[:300],
            outstanding_from=source.outstanding_from,
            active_from=source.active_from,
            semi_active_from=source.semi_active_from,
            min_valid_share=source.min_valid_share,
            created_by=actor,
        )
        for section in source.sections.prefetch_related("indicators"):
            indicators = list(section.indicators.all())
            section.pk, section.version = None, version
            section.save()
            for indicator in indicators:
                indicator.pk, indicator.section = None, section
                indicator.save()
        record(
            actor,
            "evaluation.version_create",
            target=version,
            office=root,
            changes={"number": [None, number], "from": [source.number, number]},
            request=request,
        )
    return version


def set_weight(
    actor: Any, item: Section | Indicator, weight: float, request: HttpRequest | None = None
) -> None:
    """Change a weight; refused (409) once the version is frozen: change a new version instead."""
    root = _require_network(actor, request)
    if weight < 0 or weight > 100:
        raise EvaluationError(_("A weight is between 0 and 100."), status=422)
    model = type(item)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=item.pk)
        version = locked.version if isinstance(locked, Section) else locked.section.version
        if version.is_frozen:
            raise EvaluationError(
                _(
                    "Version %(number)s of the criteria is frozen: a period uses it. Make a new "
                    "version for the next period and change the weight there."
                )
                % {"number": version.number},
                code="frozen",
            )
        before = locked.weight
        locked.weight = weight
        locked.save(update_fields=["weight"])
        record(
            actor,
            "evaluation.weight",
            target=locked,
            office=root,
            changes={"weight": [before, weight], "version": [version.number, version.number]},
            request=request,
        )
    item.weight = weight


def appoint_evaluator(
    actor: Any, user: Any, *, active: bool = True, request: HttpRequest | None = None
) -> Evaluator:
    root = _require_network(actor, request)
    with transaction.atomic():
        evaluator, _created = Evaluator.objects.update_or_create(
            user=user, defaults={"active": active}
        )
        record(
            actor,
            "evaluation.evaluator",
            target=evaluator,
            office=root,
            changes={"user": [None, user.get_username()], "active": [None, active]},
            request=request,
        )
    return evaluator


# ----------------------------------------------------------------------------- periods


def bounds(year: int, month: int | None) -> tuple[datetime, datetime]:
    """[start, end) of a Jalali month, or of a Jalali (festival) year, at local midnight."""
    if month is None:
        start, _ = gregorian_range_for_jalali_month(year, 1)
        end, _ = gregorian_range_for_jalali_month(year + 1, 1)
    else:
        start, end = gregorian_range_for_jalali_month(year, month)
    return workdays.local_midnight(start), workdays.local_midnight(end)


def evaluated_offices(scope: Office) -> QuerySet[Office]:
    return Office.objects.filter(path__startswith=scope.path, is_active=True).order_by("path")


def open_period(
    actor: Any,
    *,
    year: int,
    month: int | None,
    scope: Office | None = None,
    version: CriteriaVersion | None = None,
    reply_days: int = 5,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Period:
    """Open a period: freeze its criteria, create every score, mark the measured ones."""
    if scope is None:
        scope = Office.objects.filter(parent__isnull=True, is_active=True).order_by("id").first()
        if scope is None:
            raise EvaluationError(_("There is no network to evaluate."), status=404)
    if actor is not None:  # None: the system (the demo, a scheduled job)
        require(actor, Action.EVALUATION_MANAGE, scope, request)
    if month is not None and not 1 <= month <= 12:
        raise EvaluationError(_("A Jalali month is 1 to 12."), status=422)
    if not 1 <= reply_days <= 30:
        raise EvaluationError(_("The right of reply lasts 1 to 30 working days."), status=422)
    start, end = bounds(year, month)
    now = now or timezone.now()
    if start >= now:
        raise EvaluationError(_("A period is opened once it has begun."), status=422)
    with transaction.atomic():
        version = version or latest_version()
        version = CriteriaVersion.objects.select_for_update().get(pk=version.pk)
        length = Period.Length.YEAR if month is None else Period.Length.MONTH
        if Period.objects.filter(length=length, year=year, month=month, scope=scope).exists():
            raise EvaluationError(_("This period is already open."), code="exists")
        if not version.is_frozen:
            version.frozen_at = now
            version.save(update_fields=["frozen_at"])
        period = Period.objects.create(
            length=length,
            year=year,
            month=month,
            start=start,
            end=end,
            scope=scope,
            version=version,
            reply_days=reply_days,
        )
        offices = list(evaluated_offices(scope))
        indicators = list(
            Indicator.objects.filter(section__version=version).select_related("section")
        )
        measured = compute.measured_scores(period, offices, indicators)
        scores = []
        for office in offices:
            for indicator in indicators:
                found = measured.get((office.pk, indicator.pk))
                fields = found.as_dict() if found else {"status": Status.PENDING}
                scores.append(Score(period=period, office=office, indicator=indicator, **fields))
        Score.objects.bulk_create(scores, batch_size=500)
        began = compute.network_began(offices)
        OfficeResult.objects.bulk_create(
            [
                OfficeResult(
                    period=period,
                    office=office,
                    group=compute.peer_group(office),
                    exposure=compute.exposure(office, start, end, began),
                )
                for office in offices
            ],
            batch_size=500,
        )
        compute_results(period)
        record(
            actor,
            "evaluation.open",
            target=period,
            office=scope,
            changes={
                "period": [None, period.key],
                "version": [None, version.number],
                "offices": [None, len(offices)],
            },
            request=request,
        )
    return period


def compute_results(period: Period) -> None:
    """Totals, valid shares, tiers and improvement of every office of the period."""
    limits = compute.thresholds(period)
    rows: dict[int, list[scoring.Weighted]] = defaultdict(list)
    for office_id, status, points, s_weight, i_weight in Score.objects.filter(
        period=period
    ).values_list(
        "office_id", "status", "points", "indicator__section__weight", "indicator__weight"
    ):
        rows[office_id].append(
            scoring.Weighted(
                weight=s_weight * i_weight,
                points=points if status == Status.VALID else None,
                counted=status != Status.SKIPPED,
            )
        )
    previous = (
        Period.objects.filter(length=period.length, scope=period.scope_id, start__lt=period.start)
        .order_by("-start")
        .first()
    )
    before: dict[int, float | None] = {}
    if previous is not None:
        before = dict(
            OfficeResult.objects.filter(period=previous)
            .exclude(tier="")
            .values_list("office_id", "total")
        )
    results = list(OfficeResult.objects.filter(period=period))
    for result in results:
        total, share = scoring.total(rows.get(result.office_id, []))
        result.total = scoring.tidy(total)
        result.valid_share = scoring.tidy(share) or 0.0
        result.tier = scoring.tier(total, share, result.exposure, limits)
        earlier = before.get(result.office_id)
        result.improvement = (
            scoring.tidy(total - earlier)
            if result.tier and total is not None and earlier is not None
            else None
        )
    OfficeResult.objects.bulk_update(
        results, ["total", "valid_share", "tier", "improvement"], batch_size=500
    )


def _lock_period(pk: int) -> Period:
    return Period.objects.select_for_update().select_related("version", "scope").get(pk=pk)


def _lock_score(pk: int) -> Score:
    return (
        Score.objects.select_for_update(of=("self",))
        .select_related("office", "indicator", "period")
        .get(pk=pk)
    )


def mark(
    actor: Any,
    score: Score,
    rubric_mark: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> Score:
    """An evaluator's 1–5 mark on a scored or evidence indicator, during the first mark."""
    _require_evaluator(actor, score, request)
    if not 1 <= rubric_mark <= 5:
        raise EvaluationError(_("A mark is 1 to 5."), status=422)
    with transaction.atomic():
        score = _lock_score(score.pk)
        if score.indicator.kind == Kind.MEASURED:
            raise EvaluationError(_("Measured indicators are marked from the records."))
        if score.period.stage != Period.Stage.MARKING:
            raise EvaluationError(_("The first mark of this period is over."))
        if score.indicator.kind == Kind.EVIDENCE and not score.evidence:
            raise EvaluationError(_("The office has not submitted evidence for this indicator."))
        before = {"mark": score.rubric_mark, "note": score.note}
        score.rubric_mark = rubric_mark
        score.points = scoring.rubric_points(rubric_mark)
        score.status = Status.VALID
        score.reason = ""
        score.note = text.normalize(note)
        score.marked_by = actor
        score.save(update_fields=["rubric_mark", "points", "status", "reason", "note", "marked_by"])
        compute_results(score.period)
        record(
            actor,
            "evaluation.mark",
            target=score,
            office=score.office,
            changes={
                "indicator": [None, score.indicator.code],
                "mark": [before["mark"], rubric_mark],
                "note": [before["note"], score.note],
            },
            request=request,
        )
    return score


def submit_evidence(
    actor: Any, score: Score, evidence: str, request: HttpRequest | None = None
) -> Score:
    """The office's evidence for an evidence indicator, during the first mark."""
    evidence = text.normalize(evidence).strip()
    if not evidence:
        raise EvaluationError(_("Write what the evidence is, with its link."), status=422)
    with locked_transaction():
        score = lock_and_require(
            Score.objects.select_related("office", "indicator", "period"),
            score.pk,
            actor,
            Action.EVALUATION_REPLY,
            request,
        )
        if score.indicator.kind != Kind.EVIDENCE:
            raise EvaluationError(_("This indicator does not take evidence."))
        if score.period.stage != Period.Stage.MARKING:
            raise EvaluationError(_("Evidence is submitted during the first mark."))
        before = score.evidence
        score.evidence = evidence[:5000]
        score.save(update_fields=["evidence"])
        record(
            actor,
            "evaluation.evidence",
            target=score,
            office=score.office,
            changes={"evidence": [before, score.evidence]},
            request=request,
        )
    return score


def open_replies(
    actor: Any, period: Period, request: HttpRequest | None = None, now: datetime | None = None
) -> Period:
    """End the first mark; each office may now reply within the period's working days."""
    with locked_transaction():
        period = lock_and_require(
            Period.objects.select_related("scope"), period.pk, actor, Action.EVALUATION_MANAGE,
            request,
        )  # fmt: skip
        if period.stage != Period.Stage.MARKING:
            raise EvaluationError(_("The right of reply is opened after the first mark."))
        now = now or timezone.now()
        _day, period.reply_deadline = workdays.deadline(now, period.reply_days, workdays.holidays())
        period.stage = Period.Stage.REPLY
        period.save(update_fields=["stage", "reply_deadline"])
        record(
            actor,
            "evaluation.replies_open",
            target=period,
            office=period.scope,
            changes={
                "stage": ["marking", "reply"],
                "deadline": [None, period.reply_deadline.isoformat()],
            },
            request=request,
        )
    return period


def _replies_open_for(period: Period, office_id: int, now: datetime) -> bool:
    if period.stage not in (Period.Stage.REPLY, Period.Stage.AUDIT):
        return False
    if period.reply_deadline is None or now >= period.reply_deadline:
        return False
    closed = OfficeResult.objects.filter(
        period=period, office_id=office_id, replies_closed_at__isnull=False
    ).exists()
    return not closed


def reply(
    actor: Any,
    score: Score,
    *,
    agrees: bool,
    reasons: str = "",
    evidence_url: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Reply:
    """The office agrees or disagrees with one score, within its reply window."""
    reasons = text.normalize(reasons).strip()
    if not agrees and not reasons:
        raise EvaluationError(_("Say why you disagree."), status=422)
    now = now or timezone.now()
    with locked_transaction():
        score = lock_and_require(
            Score.objects.select_related("office", "indicator", "period"),
            score.pk,
            actor,
            Action.EVALUATION_REPLY,
            request,
        )
        if not _replies_open_for(score.period, score.office_id, now):
            raise EvaluationError(
                _("The right of reply for this period is closed; replies are no longer taken."),
                status=410 if score.period.reply_deadline and now >= score.period.reply_deadline
                else 409,
                code="late",
            )  # fmt: skip
        found, _created = Reply.objects.update_or_create(
            score=score,
            defaults={
                "office": score.office,
                "agrees": agrees,
                "text": reasons[:5000],
                "evidence_url": evidence_url[:200],
                "author": actor,
            },
        )
        record(
            actor,
            "evaluation.reply",
            target=score,
            office=score.office,
            changes={
                "indicator": [None, score.indicator.code],
                "agrees": [None, agrees],
                "reasons": [None, found.text],
                "evidence": [None, found.evidence_url],
            },
            request=request,
        )
    return found


def close_replies(
    actor: Any, period: Period, office: Office, request: HttpRequest | None = None
) -> None:
    """The office says it has replied: its scores go to audit before the deadline."""
    with locked_transaction():
        result = lock_and_require(
            OfficeResult.objects.select_related("office", "period"),
            OfficeResult.objects.get(period=period, office=office).pk,
            actor,
            Action.EVALUATION_REPLY,
            request,
        )
        if not _replies_open_for(result.period, office.pk, timezone.now()):
            raise EvaluationError(_("The right of reply for this period is closed."), code="late")
        result.replies_closed_at = timezone.now()
        result.save(update_fields=["replies_closed_at"])
        record(
            actor,
            "evaluation.replies_close",
            target=result.period,
            office=office,
            changes={"replies": ["open", "closed"]},
            request=request,
        )


def start_audit(actor: Any, period: Period, request: HttpRequest | None = None) -> Period:
    with locked_transaction():
        period = lock_and_require(
            Period.objects.select_related("scope"), period.pk, actor, Action.EVALUATION_MANAGE,
            request,
        )  # fmt: skip
        if period.stage != Period.Stage.REPLY:
            raise EvaluationError(_("The audit follows the right of reply."))
        period.stage = Period.Stage.AUDIT
        period.save(update_fields=["stage"])
        record(
            actor,
            "evaluation.audit_start",
            target=period,
            office=period.scope,
            changes={"stage": ["reply", "audit"]},
            request=request,
        )
    return period


def audit(
    actor: Any,
    score: Score,
    *,
    rubric_mark: int | None = None,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Score:
    """A second evaluator upholds or corrects a score once the office's replies are in.

    A scored or evidence indicator may get a new mark; a measured one is upheld with a note
    (its figure comes from the records: a wrong record is corrected in its own app, and the
    period recomputed)."""
    _require_evaluator(actor, score, request, "evaluation.audit")
    now = now or timezone.now()
    with transaction.atomic():
        score = _lock_score(score.pk)
        if score.period.stage != Period.Stage.AUDIT:
            raise EvaluationError(_("This period is not being audited."))
        if _replies_open_for(score.period, score.office_id, now):
            raise EvaluationError(
                _("The office may still reply: audit after its replies are in or the deadline.")
            )
        if score.marked_by_id is not None and score.marked_by_id == actor.pk:
            record_refusal(actor, "denied:evaluation.audit_own_mark", target=score.office,
                           request=request)  # fmt: skip
            raise PermissionDenied(_("The audit is by a second evaluator, not the first."))
        changes: dict[str, list[Any]] = {"indicator": [None, score.indicator.code]}
        fields = ["audited_by", "audited_at", "audit_note"]
        if rubric_mark is not None:
            if score.indicator.kind == Kind.MEASURED:
                raise EvaluationError(_("Measured indicators are not marked by hand."))
            if not 1 <= rubric_mark <= 5:
                raise EvaluationError(_("A mark is 1 to 5."), status=422)
            changes["mark"] = [score.rubric_mark, rubric_mark]
            score.rubric_mark = rubric_mark
            score.points = scoring.rubric_points(rubric_mark)
            score.status, score.reason = Status.VALID, ""
            fields += ["rubric_mark", "points", "status", "reason"]
        score.audited_by = actor
        score.audited_at = now
        score.audit_note = text.normalize(note)
        changes["note"] = [None, score.audit_note]
        score.save(update_fields=fields)
        if rubric_mark is not None:
            compute_results(score.period)
        record(actor, "evaluation.audit", target=score, office=score.office, changes=changes,
               request=request)  # fmt: skip
    return score


def publish(
    actor: Any, period: Period, request: HttpRequest | None = None, now: datetime | None = None
) -> Period:
    """Publish once every disputed score is audited and every office's replies are in."""
    now = now or timezone.now()
    with locked_transaction():
        period = lock_and_require(
            Period.objects.select_related("scope", "version"), period.pk, actor,
            Action.EVALUATION_MANAGE, request,
        )  # fmt: skip
        if period.stage != Period.Stage.AUDIT:
            raise EvaluationError(_("A period is published after its audit."))
        deadline_passed = period.reply_deadline is not None and now >= period.reply_deadline
        if (
            not deadline_passed
            and OfficeResult.objects.filter(period=period, replies_closed_at__isnull=True).exists()
        ):
            raise EvaluationError(
                _("Some offices may still reply: publish after the deadline or their replies.")
            )
        if Score.objects.filter(
            period=period, reply__agrees=False, audited_at__isnull=True
        ).exists():
            raise EvaluationError(_("Every disputed score is audited before publication."))
        # A mark nobody gave is "not enough data" in the published results, never a zero.
        Score.objects.filter(
            period=period, status=Status.PENDING, indicator__kind=Kind.EVIDENCE
        ).update(status=Status.NOT_ENOUGH, reason="no_evidence")
        Score.objects.filter(period=period, status=Status.PENDING).update(
            status=Status.NOT_ENOUGH, reason="not_marked"
        )
        compute_results(period)
        period.stage = Period.Stage.PUBLISHED
        period.published_at = now
        period.save(update_fields=["stage", "published_at"])
        record(
            actor,
            "evaluation.publish",
            target=period,
            office=period.scope,
            changes={"stage": ["audit", "published"]},
            request=request,
        )
    return period


def may_manage(user: Any, period: Period) -> bool:
    return may(user, Action.EVALUATION_MANAGE, period.scope)


# ----------------------------------------------------------------------------- reproducibility


def recompute(period: Period, *, write: bool = False) -> list[tuple[str, str, str, Any, Any]]:
    """Recompute every measured score of the period from the raw records.

    Returns the differences (office slug, indicator code, field, stored, recomputed); none
    means what is stored is what the records say. With `write`, the recomputed figures replace
    the stored ones (and the totals are computed again), audited as the system.
    """
    offices = list(Office.objects.filter(pk__in=period.results.values("office_id")))
    indicators = list(
        Indicator.objects.filter(section__version=period.version_id, kind=Kind.MEASURED)
        .select_related("section")
    )  # fmt: skip
    fresh = compute.measured_scores(period, offices, indicators)
    slugs = {office.pk: office.slug for office in offices}
    codes = {indicator.pk: indicator.code for indicator in indicators}
    fields = list(compute.MEASURED_FIELDS)
    # Plain rows, not model instances: a year of 300 offices is thousands of scores.
    stored = {
        (row[1], row[2]): row
        for row in Score.objects.filter(period=period, indicator__kind=Kind.MEASURED).values_list(
            "pk", "office_id", "indicator_id", *fields
        )
    }
    differences = []
    changed = []
    for key, found in fresh.items():
        row = stored.get(key)
        if row is None:
            continue
        values = found.as_dict()
        mismatch = False
        for name, old in zip(fields, row[3:], strict=True):
            if old != values[name]:
                differences.append((slugs[key[0]], codes[key[1]], name, old, values[name]))
                mismatch = True
        if mismatch:
            changed.append(Score(pk=row[0], **values))
    if write and changed:
        with transaction.atomic():
            Score.objects.bulk_update(changed, list(compute.MEASURED_FIELDS), batch_size=500)
            compute_results(period)
            record(
                None,
                "evaluation.recompute",
                target=period,
                office=period.scope,
                changes={"scores": [None, len(changed)]},
            )
    return differences
