"""Minutes (optimistic concurrency, circulation, approval, lock, versions) and decisions
(codes, working-day deadlines, quorum, reporting, deadline changes, flags, reminders)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ravabet.council import selectors, services
from ravabet.council.models import (
    Decision,
    DecisionStatus,
    Meeting,
    MeetingState,
    MinutesVersion,
    Seat,
)
from ravabet.network.models import AuditEvent, Holiday, OutboxMessage

from .conftest import MEETING_DAY, at, run_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(body, meeting):
    return run_meeting(body, meeting)


def version_of(meeting: Meeting) -> MinutesVersion:
    return MinutesVersion.objects.filter(minutes__meeting=meeting).latest("number")


def decide(body, meeting, **kwargs):
    kwargs.setdefault("text_", "تهیه گزارش تصویری از پروژه‌های عمرانی")
    kwargs.setdefault("office", body.offices["district"])
    if "deadline" not in kwargs:
        kwargs.setdefault("working_days", 5)
    return services.add_decision(body.secretary, meeting, **kwargs)


# --------------------------------------------------------------------------- minutes


def test_minutes_open_when_the_meeting_starts_with_one_entry_per_item(body, held):
    version = version_of(held)
    assert version.number == 1 and version.state == "draft"
    assert version.entries.count() == held.agenda.count()


def test_concurrent_edit_is_refused_with_the_others_text_and_nothing_written(body, held):
    version = version_of(held)
    item = held.agenda.first()
    services.save_minutes(body.secretary, version, base_revision=0, texts={item.pk: "متن اول"})
    with pytest.raises(services.MinutesConflict) as conflict:
        services.save_minutes(body.director, version, base_revision=0, texts={item.pk: "متن دوم"})
    assert conflict.value.texts[item.pk] == "متن اول"
    assert version.entries.get(agenda_item=item).text == "متن اول"
    # Starting from the other's revision, the second editor's save goes through.
    services.save_minutes(
        body.director, version, base_revision=conflict.value.version.revision,
        texts={item.pk: "متن اول و دوم"},
    )  # fmt: skip
    assert version.entries.get(agenda_item=item).text == "متن اول و دوم"


def test_minutes_text_is_normalised(body, held):
    version = version_of(held)
    item = held.agenda.first()
    services.save_minutes(body.secretary, version, base_revision=0, texts={item.pk: "كار ي"})
    assert version.entries.get(agenda_item=item).text == "کار ی"


def test_circulation_counts_working_days_and_early_approval_is_refused(body, held):
    services.move_meeting(body.secretary, held, "close")
    version = services.circulate_minutes(body.secretary, version_of(held))
    assert version.objection_deadline > timezone.localdate()
    assert OutboxMessage.objects.filter(topic=f"council.minutes:{held.pk}").exists()
    with pytest.raises(ValidationError) as early:
        services.approve_minutes(body.chair, version)
    assert early.value.code == "early"


def test_only_the_chair_approves_then_the_minutes_are_locked(body, held):
    body.council.objection_days = 0
    body.council.save()
    item = held.agenda.first()
    services.save_minutes(body.secretary, version_of(held), base_revision=0, texts={item.pk: "الف"})
    services.move_meeting(body.secretary, held, "close")
    version = services.circulate_minutes(body.secretary, version_of(held))
    with pytest.raises(PermissionDenied):
        services.approve_minutes(body.district, version)
    services.approve_minutes(body.chair, version)
    held.refresh_from_db()
    assert held.state == MeetingState.MINUTES_APPROVED
    with pytest.raises(ValidationError) as locked:
        services.save_minutes(body.secretary, version, base_revision=1, texts={item.pk: "ب"})
    assert locked.value.code == "locked"
    with pytest.raises(ValidationError):
        services.new_minutes_version(body.secretary, version.minutes, reason="  ")
    v2 = services.new_minutes_version(body.secretary, version.minutes, reason="اصلاح نام حاضران")
    assert v2.number == 2 and v2.entries.get(agenda_item=item).text == "الف"
    assert AuditEvent.objects.filter(action="council.minutes_version").exists()
    services.save_minutes(body.secretary, v2, base_revision=0, texts={item.pk: "ب"})
    services.circulate_minutes(body.secretary, v2)
    services.approve_minutes(body.chair, v2)
    version.refresh_from_db()
    assert version.state == "superseded"
    assert selectors.minutes_of(held).approved.number == 2


def test_objections_from_invited_offices_while_circulated(body, held):
    services.move_meeting(body.secretary, held, "close")
    version = services.circulate_minutes(body.secretary, version_of(held))
    services.object_to_minutes(body.agency_editor, version, body.offices["agency"], "نام دستگاه")
    assert version.objections.count() == 1
    with pytest.raises(PermissionDenied):
        services.object_to_minutes(body.agency_editor, version, body.offices["district"], "x")


# --------------------------------------------------------------------------- decisions


def test_decision_codes_per_meeting(body, held):
    first, _ = decide(body, held)
    second, _ = decide(body, held, co_offices=[body.offices["agency"], body.offices["district"]])
    assert (first.code, second.code) == ("ILM-1-1", "ILM-1-2")
    assert list(second.co_offices.all()) == [body.offices["agency"]]


def test_no_decision_without_quorum(body, meeting):
    run_meeting(body, meeting, present=("gov",))
    with pytest.raises(ValidationError) as refused:
        decide(body, meeting)
    assert refused.value.code == "quorum"


def test_a_friday_deadline_moves_to_saturday_and_says_so(body, held):
    friday = MEETING_DAY + timedelta(days=6)
    assert friday.weekday() == 4
    decision, choice = decide(body, held, deadline=friday)
    assert decision.deadline == friday + timedelta(days=1)
    assert choice.moved_from == friday


def test_a_holiday_deadline_moves_past_it(body, held):
    from ravabet.network import workdays

    holiday = MEETING_DAY + timedelta(days=3)  # a Tuesday
    Holiday.objects.get_or_create(day=holiday, defaults={"name_fa": "تعطیل آزمایشی"})
    workdays.forget_holidays()
    decision, choice = decide(body, held, deadline=holiday)
    assert decision.deadline == holiday + timedelta(days=1)
    assert choice.moved_from == holiday


def test_working_days_skip_fridays(body, held):
    decision, choice = decide(body, held, working_days=6)
    # Sat 5 Dec + 6 working days: Sun..Thu (5), Fri off, Sat 12 Dec.
    assert decision.deadline == date(2026, 12, 12)
    assert decision.deadline_working_days == 6 and choice.moved_from is None


def test_only_responsible_offices_report(body, held):
    decision, _ = decide(body, held, co_offices=[body.offices["agency"]])
    with pytest.raises(PermissionDenied):
        services.report_progress(body.chair, decision, body.offices["gov"], percent=10, note="x")
    # A co-responsible office reports; the percent follows the responsible office only.
    services.report_progress(
        body.agency_editor, decision, body.offices["agency"], percent=50, note="نیمی انجام شد"
    )
    decision.refresh_from_db()
    assert decision.percent_done == 0
    services.report_progress(
        body.district, decision, body.offices["district"], percent=40, note="آغاز شد"
    )
    decision.refresh_from_db()
    assert (decision.status, decision.percent_done) == (DecisionStatus.IN_PROGRESS, 40)
    # The body's managers are told of the progress.
    assert OutboxMessage.objects.filter(
        topic=f"council.decision:{decision.pk}", recipient="secretary@example.org"
    ).exists()
    services.report_progress(
        body.district, decision, body.offices["district"], percent=100, note="پایان"
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE and decision.done_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.report_progress(
            body.district, decision, body.offices["district"], percent=100, note="باز"
        )


def test_the_secretary_changes_a_deadline_with_an_audited_reason(body, held):
    decision, _ = decide(body, held)
    with pytest.raises(ValidationError):
        services.change_deadline(body.secretary, decision, reason="", working_days=3)
    with pytest.raises(PermissionDenied):
        services.change_deadline(body.district, decision, reason="دلیل", working_days=3)
    services.change_deadline(body.secretary, decision, reason="درخواست دستگاه", working_days=30)
    event = AuditEvent.objects.get(action="council.decision_deadline")
    assert event.changes["reason"] == [None, "درخواست دستگاه"]


def test_an_office_leaving_the_council_keeps_its_decisions_flagged(body, held):
    decision, _ = decide(body, held)
    seat = Seat.objects.get(council=body.council, office=body.offices["district"], end__isnull=True)
    services.end_seat(body.director, seat, end=MEETING_DAY + timedelta(days=10))
    decision.refresh_from_db()
    assert decision.office == body.offices["district"]
    assert decision.responsible_left_at == MEETING_DAY + timedelta(days=10)


def test_supersede_needs_the_other_decision(body, held):
    first, _ = decide(body, held)
    second, _ = decide(body, held)
    with pytest.raises(ValidationError):
        services.close_decision(body.secretary, first, DecisionStatus.SUPERSEDED, reason="جایگزین")
    services.close_decision(
        body.secretary, first, DecisionStatus.SUPERSEDED, reason="جایگزین", superseded_by=second
    )
    first.refresh_from_db()
    assert first.status == "superseded" and first.superseded_by == second


def test_follow_up_item_lists_the_bodys_open_decisions(body, held):
    decision, _ = decide(body, held)
    later = services.create_meeting(
        body.secretary, body.council, starts_at=at(MEETING_DAY + timedelta(days=30)),
        host_office=body.offices["gov"], place="سالن",
    )  # fmt: skip
    assert selectors.follow_up_decisions(later) == [decision]
    assert selectors.follow_up_decisions(held) == []


# --------------------------------------------------------------------------- reminders


def test_reminders_before_the_deadline_and_overdue_after_it_once(body, held):
    decision, _ = decide(body, held, working_days=5)
    deadline = decision.deadline
    before = timezone.make_aware(
        timezone.datetime.combine(deadline - timedelta(days=1), timezone.datetime.min.time())
    )
    assert services.tick(before) == {"reminded": 1, "overdue": 0}
    assert services.tick(before) == {"reminded": 0, "overdue": 0}
    reminder = OutboxMessage.objects.filter(topic=f"council.decision:{decision.pk}")
    assert reminder.filter(recipient="district@example.org").count() == 1
    after = before + timedelta(days=2)
    assert services.tick(after) == {"reminded": 0, "overdue": 1}
    assert services.tick(after) == {"reminded": 0, "overdue": 0}
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.OVERDUE
    overdue_mail = OutboxMessage.objects.filter(subject__contains="گذشته")
    assert {"district@example.org", "secretary@example.org"} <= set(
        overdue_mail.values_list("recipient", flat=True)
    )


# --------------------------------------------------------------------------- figures


def test_evaluation_figures(body, held):
    on_time, _ = decide(body, held, working_days=5)
    decide(body, held, working_days=5)
    Decision.objects.filter(pk=on_time.pk).update(status="done", done_on=on_time.deadline)
    start = at(MEETING_DAY - timedelta(days=1), 0)
    end = at(MEETING_DAY + timedelta(days=60), 0)
    figures = selectors.office_decision_figures(start, end)
    district = body.offices["district"].pk
    assert figures[district]["due"] == 2
    assert figures[district]["done_on_time"] == 1
    attendance = selectors.office_attendance_figures(start, end)
    assert attendance[district] == {"invited": 1, "present": 1}
    assert attendance[body.offices["agency"].pk] == {"invited": 1, "present": 0}
