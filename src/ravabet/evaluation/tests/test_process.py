"""The process of a period: open, mark, reply, audit, publish; and what it refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ravabet.evaluation import selectors, services
from ravabet.evaluation.models import Indicator, Kind, Period, Score, Status
from ravabet.network.models import AuditEvent

from .conftest import MONTH, YEAR


def _score(period, office, code):
    return Score.objects.get(period=period, office=office, indicator__code=code)


def test_opening_freezes_the_criteria_and_marks_every_office(network, period):
    assert period.version.is_frozen
    assert period.key == f"{YEAR}-{MONTH:02d}"
    offices = 5
    indicators = Indicator.objects.filter(section__version=period.version).count()
    assert Score.objects.filter(period=period).count() == offices * indicators
    scored = Score.objects.filter(period=period, indicator__kind=Kind.SCORED)
    assert set(scored.values_list("status", flat=True)) == {Status.PENDING}
    assert AuditEvent.objects.filter(action="evaluation.open").exists()


def test_a_weight_change_after_freezing_is_refused_and_a_new_version_takes_it(network, period):
    indicator = Indicator.objects.filter(section__version=period.version).first()
    with pytest.raises(services.EvaluationError) as refused:
        services.set_weight(network["dg"], indicator, 5)
    assert refused.value.code == "frozen"
    indicator.refresh_from_db()
    assert indicator.weight != 5
    fresh = services.new_version(network["dg"], period.version, note="وزن خبر")
    assert fresh.number == period.version.number + 1 and not fresh.is_frozen
    copy = Indicator.objects.get(section__version=fresh, code=indicator.code)
    services.set_weight(network["dg"], copy, 5)
    copy.refresh_from_db()
    assert copy.weight == 5
    assert AuditEvent.objects.filter(action="evaluation.weight").count() == 1


def test_an_evaluator_may_not_score_their_own_office(network, period):
    services.appoint_evaluator(network["dg"], network["county_manager"])
    own = _score(period, network["county"], "quality")
    below = _score(period, network["district"], "quality")
    with pytest.raises(PermissionDenied):
        services.mark(network["county_manager"], own, 4)
    with pytest.raises(PermissionDenied):  # the district is under the county they manage
        services.mark(network["county_manager"], below, 4)
    assert AuditEvent.objects.filter(
        action="denied:evaluation.mark_own_office", allowed=False
    ).exists()
    other = _score(period, network["agency"], "quality")
    services.mark(network["county_manager"], other, 4)
    other.refresh_from_db()
    assert other.points == 75 and other.status == Status.VALID


def test_someone_outside_the_evaluation_group_may_not_mark(network, period):
    with pytest.raises(PermissionDenied):
        services.mark(network["dg"], _score(period, network["agency"], "quality"), 3)


def test_whole_process_to_publication(network, period):
    first, second = network["first"], network["second"]
    quality = _score(period, network["county"], "quality")
    services.mark(first, quality, 2, note="عکس‌ها توضیح ندارند")
    coverage = _score(period, network["county"], "coverage")
    with pytest.raises(services.EvaluationError):  # no evidence yet
        services.mark(first, coverage, 4)
    services.submit_evidence(network["county_manager"], coverage, "گزارش پوشش https://x.ir/a")
    services.mark(first, coverage, 4)
    services.open_replies(network["dg"], period)
    period.refresh_from_db()
    assert period.stage == Period.Stage.REPLY and period.reply_deadline > timezone.now()
    with pytest.raises(services.EvaluationError):  # disagreeing needs reasons
        services.reply(network["county_manager"], quality, agrees=False)
    services.reply(
        network["county_manager"], quality, agrees=False, reasons="همه عکس‌ها توضیح دارند"
    )
    services.start_audit(network["dg"], period)
    with pytest.raises(services.EvaluationError):  # the county may still reply
        services.audit(second, quality, rubric_mark=4)
    services.close_replies(network["county_manager"], period, network["county"])
    with pytest.raises(PermissionDenied):  # the first marker is not the auditor
        services.audit(first, quality, rubric_mark=4)
    with pytest.raises(services.EvaluationError):  # other offices may still reply
        services.publish(network["dg"], period)
    services.audit(second, quality, rubric_mark=4, note="پاسخ دستگاه پذیرفته شد")
    quality.refresh_from_db()
    assert quality.points == 75 and quality.audited_by == second
    later = period.reply_deadline + timedelta(minutes=1)
    services.publish(network["dg"], period, now=later)
    period.refresh_from_db()
    assert period.stage == Period.Stage.PUBLISHED
    # Marks nobody gave are "not enough data" once published, never zero.
    crisis = _score(period, network["agency"], "crisis-speed")
    assert crisis.status == Status.NOT_ENOUGH and crisis.reason == "not_marked"
    assert crisis.points is None
    evidence = _score(period, network["agency"], "coverage")
    assert evidence.reason == "no_evidence"
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "evaluation.mark", "evaluation.evidence", "evaluation.replies_open", "evaluation.reply",
        "evaluation.replies_close", "evaluation.audit_start", "evaluation.audit",
        "evaluation.publish",
    } <= codes  # fmt: skip


def test_a_reply_after_its_deadline_is_refused(network, period):
    services.open_replies(network["dg"], period)
    period.refresh_from_db()
    score = _score(period, network["county"], "published")
    late = period.reply_deadline + timedelta(seconds=1)
    with pytest.raises(services.EvaluationError) as refused:
        services.reply(network["county_manager"], score, agrees=True, now=late)
    assert refused.value.code == "late" and refused.value.status == 410
    assert not hasattr(Score.objects.get(pk=score.pk), "reply")


def test_an_office_may_not_reply_for_another(network, period):
    services.open_replies(network["dg"], period)
    with pytest.raises(PermissionDenied):
        services.reply(
            network["county_manager"], _score(period, network["agency"], "published"), agrees=True
        )


def test_the_reply_deadline_counts_working_days(network, period):
    # Opened on a Thursday: Friday is off, so five working days end on the next Wednesday.
    thursday = timezone.make_aware(timezone.datetime(2025, 10, 23, 10, 0))
    services.open_replies(network["dg"], period, now=thursday)
    period.refresh_from_db()
    local = timezone.localtime(period.reply_deadline)
    assert local.date().isoformat() == "2025-10-30" and local.hour == 0


def test_honour_roll_is_empty_until_publication(network, period):
    assert selectors.honour_roll(period) == []
    assert selectors.public_results(period) == []


def test_a_period_not_yet_begun_cannot_open(network):
    with pytest.raises(services.EvaluationError):
        services.open_period(network["dg"], year=1499, month=1)


def test_the_same_period_opens_once(network, period):
    with pytest.raises(services.EvaluationError):
        services.open_period(network["dg"], year=YEAR, month=MONTH)


def test_an_evaluator_may_not_audit_their_own_office(network, period):
    services.appoint_evaluator(network["dg"], network["county_manager"])
    quality = _score(period, network["district"], "quality")
    services.mark(network["first"], quality, 2)
    services.open_replies(network["dg"], period)
    services.reply(network["county_manager"], quality, agrees=False, reasons="نادرست است")
    services.close_replies(network["county_manager"], period, network["district"])
    services.start_audit(network["dg"], period)
    with pytest.raises(PermissionDenied):  # the district is below the county they manage
        services.audit(network["county_manager"], quality, rubric_mark=5)
    assert AuditEvent.objects.filter(
        action="denied:evaluation.audit_own_office", allowed=False
    ).exists()
    services.audit(network["second"], quality, note="نمره درست است")
    quality.refresh_from_db()
    assert quality.rubric_mark == 2 and quality.audited_by == network["second"]


def test_a_measured_figure_is_upheld_not_marked_by_hand(network, period):
    score = _score(period, network["agency"], "published")
    with pytest.raises(services.EvaluationError):
        services.mark(network["first"], score, 5)
    services.open_replies(network["dg"], period)
    services.start_audit(network["dg"], period)
    period.refresh_from_db()
    later = period.reply_deadline + timedelta(minutes=1)
    with pytest.raises(services.EvaluationError):
        services.audit(network["second"], score, rubric_mark=5, now=later)
    services.audit(network["second"], score, note="از داده‌ها", now=later)
