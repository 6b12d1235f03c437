"""Staff writes on a demand: assign, refer, answer, note, close.

Each one follows lock-then-check (docs/decisions.md): inside `locked_transaction`, the demand's
row is locked and the permission is asked about that locked row (`_locked`), then its state is
checked and the changed fields alone are saved.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ravabet.network import text
from ravabet.network.jalali import format_date
from ravabet.network.models import Office
from ravabet.network.permissions import Action, may
from ravabet.network.services import lock_and_require, locked_transaction, record

from ..models import Demand, DemandEvent, Status
from .deadlines import CLOCK_FIELDS, _start_clock
from .figures import _touch
from .outbox import _queue, _send_after_commit, _to_citizen

MAX_REFERRALS = 5


def _locked(actor: Any, demand: Demand, action: Action, request: HttpRequest | None) -> Demand:
    """The demand's row, locked, after `action` was allowed on it (lock-then-check).

    The caller's `demand` was read when the request began; by now it may have been referred to
    another office, so the permission is asked again about the locked row's office.
    """
    return lock_and_require(
        Demand.objects.select_related("office"), demand.pk, actor, action, request
    )


def assign(actor: Any, demand: Demand, assignee: Any, request: HttpRequest | None = None) -> Demand:
    now = timezone.now()
    with locked_transaction():
        demand = _locked(actor, demand, Action.DEMANDS_ASSIGN, request)
        if not may(assignee, Action.DEMANDS_VIEW, demand.office):
            raise ValidationError(
                _("This colleague cannot see the office's demands."), code="not_colleague"
            )
        if not demand.is_open:
            raise ValidationError(_("This demand is no longer open."), code="closed")
        before = demand.assignee_id
        demand.assignee = assignee
        demand.status = Status.ASSIGNED
        demand.save(update_fields=["assignee", "status"])
        DemandEvent.objects.create(
            demand=demand, at=now, kind=DemandEvent.Kind.ASSIGNED, actor=actor, public=True
        )
        record(
            actor,
            "demands.assign",
            target=demand,
            request=request,
            changes={"assignee": [before, assignee.pk]},
        )
        mail = _queue(
            assignee.email,
            f"[{demand.display_code}] {demand.subject}",
            _("A demand was assigned to you."),
            demand,
        )
        _send_after_commit([mail])
    return demand


def referral_offices(demand: Demand) -> set[int]:
    """Offices the demand has already been at (a referral back there would make a loop)."""
    ids = {demand.office_id}
    for from_id, to_id in demand.events.filter(kind=DemandEvent.Kind.REFERRED).values_list(
        "from_office_id", "to_office_id"
    ):
        ids.update({from_id, to_id})
    return ids


def refer(
    actor: Any,
    demand: Demand,
    to_office: Office,
    note: str,
    request: HttpRequest | None = None,
) -> Demand:
    """Hand the demand to another office; its clock starts there and the citizen sees it."""
    note = text.normalize(note)
    if not note:
        raise ValidationError(_("Say why the demand is referred."), code="note_required")
    if not to_office.is_active:
        raise ValidationError(_("That office is not active."), code="inactive")
    now = timezone.now()
    with locked_transaction():
        demand = _locked(actor, demand, Action.DEMANDS_REFER, request)
        if not demand.is_open:
            raise ValidationError(_("This demand is no longer open."), code="closed")
        if to_office.pk in referral_offices(demand):
            raise ValidationError(
                _(
                    "This demand has already been with that office; referring it back would "
                    "send it round in a loop."
                ),
                code="loop",
            )
        if demand.referral_count >= MAX_REFERRALS:
            raise ValidationError(
                _("This demand has been referred too many times; answer it here."),
                code="too_many",
            )
        from_office = demand.office
        old_month_start = demand.clock_started_at
        demand.office = to_office
        demand.status = Status.RECEIVED
        demand.assignee = None
        demand.referral_count += 1
        demand.clock_started_at = now
        _start_clock(demand, now)
        demand.save(update_fields=[
            "office", "status", "assignee", "referral_count", "clock_started_at", *CLOCK_FIELDS,
        ])  # fmt: skip
        DemandEvent.objects.create(
            demand=demand,
            at=now,
            kind=DemandEvent.Kind.REFERRED,
            actor=actor,
            from_office=from_office,
            to_office=to_office,
            text=note,
            public=True,
        )
        record(
            actor,
            "demands.refer",
            target=demand,
            office=from_office,
            request=request,
            changes={"office": [from_office.slug, to_office.slug], "note": [None, note]},
        )
        record(actor, "demands.referred_in", target=demand, office=to_office, request=request)
        with override("fa"):
            lines = [
                _("Your demand was referred from %(from)s to %(to)s.")
                % {"from": from_office.name_fa, "to": to_office.name_fa},
                note,
                _("An answer is due by %(date)s.") % {"date": format_date(demand.due_date, "fa")},
            ]
            messages = _to_citizen(demand, _("Your demand was referred"), lines)
        if to_office.email:
            messages.append(
                _queue(to_office.email, f"[{demand.display_code}] {demand.subject}", note, demand)
            )
        _send_after_commit(messages)
        _touch(from_office.pk, old_month_start)
        _touch(from_office.pk, now)
        _touch(to_office.pk, now)
    return demand


def answer(
    actor: Any,
    demand: Demand,
    public_text: str,
    private_text: str = "",
    request: HttpRequest | None = None,
) -> Demand:
    public_text = text.normalize(public_text)
    if not public_text:
        raise ValidationError(_("Write the answer to the citizen."), code="empty")
    now = timezone.now()
    with locked_transaction():
        demand = _locked(actor, demand, Action.DEMANDS_ANSWER, request)
        if not demand.is_open:
            raise ValidationError(_("This demand is no longer open."), code="closed")
        demand.status = Status.ANSWERED
        demand.answered_at = now
        demand.answered_on_time = now <= demand.due_at
        demand.answer_public = public_text
        demand.answer_private = text.normalize(private_text)
        if demand.assignee_id is None:
            demand.assignee = actor
        demand.save(update_fields=[
            "status", "answered_at", "answered_on_time", "answer_public", "answer_private",
            "assignee",
        ])  # fmt: skip
        DemandEvent.objects.create(
            demand=demand, at=now, kind=DemandEvent.Kind.ANSWERED, actor=actor, public=True,
            text=public_text,
        )  # fmt: skip
        record(
            actor,
            "demands.answer",
            target=demand,
            request=request,
            changes={"status": ["open", "answered"], "on_time": [None, demand.answered_on_time]},
        )
        with override("fa"):
            messages = _to_citizen(
                demand,
                _("Your demand was answered"),
                [_("%(office)s answered your demand:") % {"office": demand.office.name_fa},
                 "", public_text, "", _("Please tell us whether the answer satisfied you.")],
            )  # fmt: skip
        _send_after_commit(messages)
        _touch(demand.office_id, demand.clock_started_at)
    return demand


def add_note(actor: Any, demand: Demand, note: str, request: HttpRequest | None = None) -> None:
    note = text.normalize(note)
    if not note:
        raise ValidationError(_("The note is empty."), code="empty")
    with locked_transaction():
        demand = _locked(actor, demand, Action.DEMANDS_VIEW, request)
        DemandEvent.objects.create(
            demand=demand, at=timezone.now(), kind=DemandEvent.Kind.NOTE, actor=actor, text=note
        )
        record(actor, "demands.note", target=demand, request=request)


def close(actor: Any, demand: Demand, request: HttpRequest | None = None) -> Demand:
    """Close an answered demand that the citizen never rated."""
    with locked_transaction():
        demand = _locked(actor, demand, Action.DEMANDS_ANSWER, request)
        if demand.status != Status.ANSWERED:
            raise ValidationError(_("Only an answered demand can be closed."), code="not_answered")
        demand.status = Status.CLOSED
        demand.closed_at = timezone.now()
        demand.save(update_fields=["status", "closed_at"])
        DemandEvent.objects.create(
            demand=demand, at=demand.closed_at, kind=DemandEvent.Kind.CLOSED, actor=actor,
            public=True,
        )  # fmt: skip
        record(actor, "demands.close", target=demand, request=request)
    return demand
