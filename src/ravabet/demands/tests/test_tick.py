"""The scheduled scan: reminders before the deadline, escalation after it, idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ravabet.conftest import make_staff
from ravabet.demands import services
from ravabet.demands.models import Demand, DemandEvent
from ravabet.network.models import AuditEvent

pytestmark = pytest.mark.django_db


def _demand(office, **kw):
    return services.submit(
        office, kind="request", subject="درخواست", body="متن درخواست شهروند", name="رضا",
        email="reza@example.org", **kw,
    )  # fmt: skip


def test_reminder_on_the_last_working_day_then_escalation_to_the_parent_manager(offices):
    responder = make_staff("resp", offices["county"], "responder")
    parent_manager = make_staff("gov-boss", offices["gov"], "manager")
    demand = _demand(offices["county"])
    services.deliver_pending()
    mail.outbox.clear()

    assert services.tick(now=demand.remind_at - timedelta(minutes=1)) == {
        "reminded": 0, "escalated": 0, "delivered": 0,
    }  # fmt: skip
    result = services.tick(now=demand.remind_at + timedelta(minutes=1))
    assert result["reminded"] == 1 and result["escalated"] == 0
    assert [m.to for m in mail.outbox] == [[responder.email]]
    # Running again reminds nobody twice.
    assert services.tick(now=demand.remind_at + timedelta(minutes=2))["reminded"] == 0

    mail.outbox.clear()
    result = services.tick(now=demand.due_at + timedelta(minutes=1))
    assert result["escalated"] == 1
    assert [m.to for m in mail.outbox] == [[parent_manager.email]]
    demand.refresh_from_db()
    assert demand.escalated_at is not None
    assert DemandEvent.objects.filter(demand=demand, kind="escalated").count() == 1
    assert AuditEvent.objects.filter(action="demands.escalate", object_id=str(demand.pk)).exists()
    assert services.tick(now=demand.due_at + timedelta(hours=5))["escalated"] == 0
    assert DemandEvent.objects.filter(demand=demand, kind="escalated").count() == 1


def test_answered_demands_are_never_reminded_or_escalated(offices):
    responder = make_staff("resp", offices["county"], "responder")
    demand = _demand(offices["county"])
    services.answer(responder, demand, "پاسخ")
    result = services.tick(now=demand.due_at + timedelta(days=3))
    assert result["reminded"] == 0 and result["escalated"] == 0


def test_referral_restarts_the_escalation_clock(offices):
    manager = make_staff("boss", offices["gov"], "manager")
    demand = _demand(offices["county"])
    services.tick(now=demand.due_at + timedelta(minutes=1))
    services.refer(manager, demand, offices["agency"], "به اداره راه")
    demand.refresh_from_db()
    assert demand.escalated_at is None and demand.reminded_at is None
    assert demand.due_at > timezone.now()


def test_root_office_escalates_to_its_own_managers(offices):
    boss = make_staff("root-boss", offices["root"], "manager")
    demand = _demand(offices["root"])
    mail.outbox.clear()
    services.tick(now=demand.due_at + timedelta(minutes=1))
    assert [boss.email] in [m.to for m in mail.outbox]


def test_command_and_task_run_the_same_tick(offices, capsys):
    demand = _demand(offices["county"])
    Demand.objects.filter(pk=demand.pk).update(
        due_at=timezone.now() - timedelta(minutes=5), remind_at=timezone.now() - timedelta(days=1)
    )
    call_command("demands_tick")
    assert "escalated 1" in capsys.readouterr().out
    from ravabet.demands.tasks import tick

    result = tick.call()
    assert result["escalated"] == 0


def test_scheduler_enqueues_a_tick_through_the_task_framework(offices):
    from django_tasks_db.models import DBTaskResult

    call_command("demands_scheduler", "--once")
    assert DBTaskResult.objects.filter(task_path="ravabet.demands.tasks.tick").exists()
