"""Deadlines: per-office rules, the holiday list, starting a demand's clock, and the tick."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ravabet.network import outbox, workdays
from ravabet.network.jalali import format_date
from ravabet.network.models import Membership, Office, OutboxMessage, Role
from ravabet.network.permissions import Action
from ravabet.network.services import record, require

from ..models import (
    DEFAULT_DEADLINES,
    OPEN_STATUSES,
    DeadlineRule,
    Demand,
    DemandEvent,
)
from .figures import month_of, refresh_network_figure
from .outbox import deliver_pending, topic

DATA_DIR = workdays.DATA_DIR


def deadline_days(office: Office, kind: str) -> int:
    rule = DeadlineRule.objects.filter(office=office, kind=kind).first()
    return rule.working_days if rule else DEFAULT_DEADLINES[kind]


def deadlines_of(office: Office) -> dict[str, int]:
    own = dict(DeadlineRule.objects.filter(office=office).values_list("kind", "working_days"))
    return {kind: own.get(kind, days) for kind, days in DEFAULT_DEADLINES.items()}


def set_deadlines(
    actor: Any, office: Office, days: dict[str, int], request: HttpRequest | None = None
) -> None:
    require(actor, Action.DEMANDS_SETTINGS, office, request)
    with transaction.atomic():
        before = deadlines_of(office)
        for kind, value in days.items():
            DeadlineRule.objects.update_or_create(
                office=office, kind=kind, defaults={"working_days": value}
            )
        after = deadlines_of(office)
        record(
            actor,
            "demands.deadlines",
            target=office,
            office=office,
            request=request,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )


# The fields `_start_clock` sets, for the callers' `save(update_fields=...)`.
CLOCK_FIELDS = ("due_date", "due_at", "remind_at", "reminded_at", "escalated_at")


def _start_clock(demand: Demand, now: datetime) -> None:
    due_date, due_at = workdays.deadline(
        now, deadline_days(demand.office, demand.kind), workdays.holidays()
    )
    demand.due_date = due_date
    demand.due_at = due_at
    # Remind when the last working day begins.
    demand.remind_at = workdays.local_midnight(due_date)
    demand.reminded_at = None
    demand.escalated_at = None


def load_holidays(path: Path | None = None) -> int:
    """Add the shipped holiday lists (network/data/holidays-*.json); existing days are kept."""
    return workdays.load_holidays(path)


def tick(now: datetime | None = None, *, batch: int = 1000) -> dict[str, int]:
    """The scheduled scan: reminders, escalations, and retrying unsent messages. Idempotent.

    Each due demand is claimed with a conditional UPDATE (`reminded_at IS NULL`), so two ticks
    running together never remind or escalate twice.
    """
    now = now or timezone.now()
    result = {"reminded": 0, "escalated": 0, "delivered": 0}
    open_q = Q(status__in=OPEN_STATUSES)
    due_reminders = list(
        Demand.objects.filter(open_q, reminded_at__isnull=True, remind_at__lte=now, due_at__gt=now)
        .select_related("office", "assignee")
        .order_by("remind_at")[:batch]
    )
    due_escalations = list(
        Demand.objects.filter(open_q, escalated_at__isnull=True, due_at__lte=now)
        .select_related("office", "office__parent")
        .order_by("due_at")[:batch]
    )
    with transaction.atomic():
        claimed = set(
            Demand.objects.filter(
                pk__in=[d.pk for d in due_reminders], reminded_at__isnull=True
            ).values_list("pk", flat=True)
        )
        Demand.objects.filter(pk__in=claimed).update(reminded_at=now)
        # Every address the scan may need, in one query.
        office_ids = {d.office_id for d in due_reminders} | {
            (d.office.parent_id or d.office_id) for d in due_escalations
        }
        staff: dict[tuple[int, str], set[str]] = {}
        for office_id, role, email in Membership.objects.filter(
            office_id__in=office_ids,
            role__in=[Role.RESPONDER, Role.MANAGER],
            user__is_active=True,
        ).values_list("office_id", "role", "user__email"):
            if email:
                staff.setdefault((office_id, role), set()).add(email)

        def emails(office: Office, roles: tuple[str, ...]) -> list[str]:
            return sorted(set().union(*(staff.get((office.pk, role), set()) for role in roles)))

        events: list[DemandEvent] = []
        mails: list[OutboxMessage] = []
        for demand in due_reminders:
            if demand.pk not in claimed:
                continue
            recipients = (
                [demand.assignee.email]
                if demand.assignee and demand.assignee.email
                else emails(demand.office, (Role.RESPONDER, Role.MANAGER))
            )
            with override("fa"):
                subject = _("Deadline today: %(code)s") % {"code": demand.display_code}
                body = _("The demand “%(subject)s” must be answered by the end of %(date)s.") % {
                    "subject": demand.subject,
                    "date": format_date(demand.due_date, "fa"),
                }
            mails += [outbox.message(r, subject, body, topic=topic(demand)) for r in recipients]
            events.append(DemandEvent(demand=demand, at=now, kind=DemandEvent.Kind.REMINDED))
        result["reminded"] = len(claimed)

        claimed = set(
            Demand.objects.filter(
                pk__in=[d.pk for d in due_escalations], escalated_at__isnull=True
            ).values_list("pk", flat=True)
        )
        Demand.objects.filter(pk__in=claimed).update(escalated_at=now, reminded_at=now)
        audits = []
        for demand in due_escalations:
            if demand.pk not in claimed:
                continue
            above = demand.office.parent or demand.office
            recipients = emails(above, (Role.MANAGER,))
            with override("fa"):
                subject = _("Overdue demand at %(office)s: %(code)s") % {
                    "office": demand.office.name_fa,
                    "code": demand.display_code,
                }
                body = _(
                    "The demand “%(subject)s” at %(office)s was due by the end of %(date)s and "
                    "has not been answered."
                ) % {
                    "subject": demand.subject,
                    "office": demand.office.name_fa,
                    "date": format_date(demand.due_date, "fa"),
                }
            mails += [outbox.message(r, subject, body, topic=topic(demand)) for r in recipients]
            events.append(
                DemandEvent(
                    demand=demand, at=now, kind=DemandEvent.Kind.ESCALATED,
                    from_office=demand.office, to_office=above,
                )
            )  # fmt: skip
            audits.append(demand)
        result["escalated"] = len(claimed)
        DemandEvent.objects.bulk_create(events)
        outbox.queue_many(mails)
        if audits:
            from ravabet.network.models import AuditEvent

            AuditEvent.objects.bulk_create(
                AuditEvent(
                    action="demands.escalate",
                    office_id=demand.office_id,
                    object_type="demands.demand",
                    object_id=str(demand.pk),
                    object_repr=str(demand)[:300],
                    changes={"due_at": [None, demand.due_at.isoformat()]},
                )
                for demand in audits
            )
    result["delivered"] = deliver_pending()
    # Two offices writing at the same moment may each sum the network row without the other's
    # change; recounting this month's network row on every tick bounds that drift to minutes.
    refresh_network_figure(*month_of(now))
    return result


def today() -> date:
    return timezone.localdate()
