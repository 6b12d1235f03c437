"""Writes of the demands app: submission, assignment, referral, answers, ratings, the tick.

Staff writes call `network.services.require` before their transaction (403, audited) and
`network.services.record` inside it. Citizens' writes are audited as the system.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from persiantools.jdatetime import JalaliDate

from ravabet.network import text
from ravabet.network.jalali import format_date, gregorian_range_for_jalali_month
from ravabet.network.models import Membership, Office, Role
from ravabet.network.permissions import Action, may
from ravabet.network.services import record, require

from . import codes, notify, workdays
from .models import (
    DEFAULT_DEADLINES,
    OPEN_STATUSES,
    Attachment,
    DeadlineRule,
    Demand,
    DemandEvent,
    Holiday,
    MonthlyFigure,
    Notification,
    Status,
)

log = logging.getLogger(__name__)

MAX_REFERRALS = 5
DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class CleanAttachment:
    content: ContentFile
    extension: str
    original_name: str


# ----------------------------------------------------------------------------- deadlines


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
    """Add the shipped holiday list (data/holidays-*.json); existing days are left as they are."""
    created = 0
    for file in [path] if path else sorted(DATA_DIR.glob("holidays-*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        for item in data["holidays"]:
            year, month, day = (int(part) for part in item["date"].split("/"))
            gregorian = JalaliDate(year, month, day).to_gregorian()
            _, new = Holiday.objects.get_or_create(
                day=gregorian, defaults={"name_fa": item["fa"], "name_en": item.get("en", "")}
            )
            created += new
    workdays.forget_holidays()
    return created


# ----------------------------------------------------------------------------- notifications


def _queue(recipient: str, subject: str, body: str, demand: Demand | None, channel: str = "email"):
    if not recipient:
        return None
    return Notification.objects.create(
        channel=channel, recipient=recipient, subject=subject[:200], body=body, demand=demand
    )


def _send_after_commit(notifications: list[Notification | None]) -> None:
    ids = [n.pk for n in notifications if n is not None]
    if not ids:
        return

    def enqueue() -> None:
        try:
            from .tasks import deliver

            deliver.enqueue(ids)
        except Exception:  # the tick delivers whatever is still pending
            log.exception("could not enqueue delivery of notifications %s", ids)

    transaction.on_commit(enqueue)


def deliver_pending(ids: list[int] | None = None, *, limit: int = 500) -> int:
    """Send pending messages (these ids, or any); failures stay pending for the next try."""
    pending = Notification.objects.filter(sent_at__isnull=True, attempts__lt=20)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    sent: list[int] = []
    available = notify.channels()
    for notification in pending.order_by("created_at")[:limit]:
        channel = available.get(notification.channel)
        if channel is None:
            continue
        try:
            channel.send(notification.recipient, notification.subject, notification.body)
        except Exception as exc:
            Notification.objects.filter(pk=notification.pk).update(
                attempts=F("attempts") + 1, last_error=str(exc)[:300]
            )
            log.warning("notification %s failed: %s", notification.pk, exc)
            continue
        sent.append(notification.pk)
    if sent:
        Notification.objects.filter(pk__in=sent).update(
            attempts=F("attempts") + 1, sent_at=timezone.now(), last_error=""
        )
    return len(sent)


def _status_url(demand: Demand) -> str:
    from django.conf import settings
    from django.urls import reverse

    with override("fa"):
        return settings.SITE_URL + reverse("demands:status", args=[demand.code])


def _to_citizen(demand: Demand, subject: str, lines: list[str]) -> list[Notification | None]:
    with override("fa"):
        body = "\n".join([*lines, "", _("Tracking code") + ": " + demand.display_code,
                          _status_url(demand)])  # fmt: skip
        out = [_queue(demand.email, subject, body, demand)]
        if demand.mobile and "sms" in notify.channels():
            out.append(_queue(demand.mobile, subject, body, demand, channel="sms"))
    return out


# ----------------------------------------------------------------------------- figures


def month_of(moment: datetime) -> tuple[int, int]:
    local = timezone.localtime(moment)
    jalali = JalaliDate(local.date())
    return jalali.year, jalali.month


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start, end = gregorian_range_for_jalali_month(year, month)
    return workdays.local_midnight(start), workdays.local_midnight(end)


def refresh_figure(office_id: int, year: int, month: int) -> MonthlyFigure:
    """Recount one office's month from the demands (an indexed range; a few hundred rows)."""
    start, end = month_bounds(year, month)
    demands = Demand.objects.filter(
        office_id=office_id, clock_started_at__gte=start, clock_started_at__lt=end
    )
    counts = demands.aggregate(
        n_received=Count("id"),
        n_answered=Count("id", filter=Q(answered_at__isnull=False)),
        n_on_time=Count("id", filter=Q(answered_on_time=True)),
        n_satisfied=Count("id", filter=Q(satisfied=True)),
        n_unsatisfied=Count("id", filter=Q(satisfied=False)),
        n_reopened=Count("id", filter=Q(reopened=True)),
    )
    histogram: dict[str, int] = {}
    for answered_at, started in demands.filter(answered_at__isnull=False).values_list(
        "answered_at", "clock_started_at"
    ):
        if answered_at is None or started is None:  # excluded by the filter; typed nullable
            continue
        days = str(max(0, int((answered_at - started).total_seconds() // 86400)))
        histogram[days] = histogram.get(days, 0) + 1
    referred = DemandEvent.objects.filter(
        from_office_id=office_id, kind=DemandEvent.Kind.REFERRED, at__gte=start, at__lt=end
    ).count()
    figure, _ = MonthlyFigure.objects.update_or_create(
        office_id=office_id,
        year=year,
        month=month,
        defaults={
            "received": counts["n_received"],
            "answered": counts["n_answered"],
            "answered_on_time": counts["n_on_time"],
            "satisfied": counts["n_satisfied"],
            "unsatisfied": counts["n_unsatisfied"] + counts["n_reopened"],
            "referred_out": referred,
            "answer_days": histogram,
        },
    )
    refresh_network_figure(year, month)
    return figure


def refresh_network_figure(year: int, month: int) -> MonthlyFigure:
    """The network's row for a month: the sum of its offices' rows (one query + one write)."""
    total = {name: 0 for name in _COUNTED}
    histogram: dict[str, int] = {}
    rows = MonthlyFigure.objects.filter(year=year, month=month, office__isnull=False)
    for row in rows.values_list(*_COUNTED, "answer_days"):
        for name, value in zip(_COUNTED, row, strict=False):
            total[name] += value
        for days, count in (row[-1] or {}).items():
            histogram[days] = histogram.get(days, 0) + count
    figure, _ = MonthlyFigure.objects.update_or_create(
        office=None, year=year, month=month, defaults={**total, "answer_days": histogram}
    )
    return figure


_COUNTED = (
    "received", "answered", "answered_on_time", "satisfied", "unsatisfied", "referred_out",
)  # fmt: skip


def _touch(office_id: int, moment: datetime) -> None:
    """Recount the office-month inside the caller's transaction: figures never lag behind."""
    refresh_figure(office_id, *month_of(moment))


def rebuild_figures() -> int:
    """Recount every office-month that has demands or referrals (after bulk loads, imports)."""
    pairs: set[tuple[int, int, int]] = set()
    for office_id, started in Demand.objects.values_list("office_id", "clock_started_at").iterator(
        chunk_size=20000
    ):
        pairs.add((office_id, *month_of(started)))
    for office_id, at in DemandEvent.objects.filter(kind=DemandEvent.Kind.REFERRED).values_list(
        "from_office_id", "at"
    ):
        pairs.add((office_id, *month_of(at)))
    for office_id, year, month in sorted(pairs):
        refresh_figure(office_id, year, month)
    return len(pairs)


# ----------------------------------------------------------------------------- citizens


def clean_attachment(upload: Any, *, max_bytes: int = 8_000_000) -> CleanAttachment:
    """Photos re-encoded without EXIF; PDFs checked by their first bytes; nothing else."""
    from ravabet.network import uploads

    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = uploads.sniff(head)
    name = text.strip_controls(getattr(upload, "name", "") or "")[:200]
    if kind in {"jpeg", "png", "webp"}:
        image = uploads.clean_image(upload, max_bytes=max_bytes)
        return CleanAttachment(image.content, image.extension, name)
    if kind == "pdf":
        data = uploads.read_limited(upload, max_bytes)
        return CleanAttachment(ContentFile(data), "pdf", name)
    raise ValidationError(
        _("Only photos (JPEG, PNG, WebP) and PDF files can be attached; this file is neither."),
        code="bad_type",
    )


def submit(
    office: Office,
    *,
    kind: str,
    subject: str,
    body: str,
    name: str,
    mobile: str = "",
    email: str = "",
    consent_publish: bool = False,
    attachments: list[CleanAttachment] | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Demand:
    """Save a citizen's demand in one transaction and queue the confirmation message."""
    now = now or timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return _submit(
                    office, kind, subject, body, name, mobile, email, consent_publish,
                    attachments or [], request, now,
                )  # fmt: skip
        except IntegrityError:
            # A tracking-code collision (about one in 10^12 per pair): draw again.
            log.warning("tracking code collision; drawing again")
    raise RuntimeError("could not draw a free tracking code")


def _submit(office, kind, subject, body, name, mobile, email, consent, attachments, request, now):
    demand = Demand(
        office=office,
        code=codes.generate(),
        kind=kind,
        subject=text.normalize(subject),
        body=text.normalize(body),
        name=text.normalize(name),
        mobile=mobile,
        email=email.strip(),
        consent_publish=consent,
        created_at=now,
        clock_started_at=now,
    )
    _start_clock(demand, now)
    demand.save()
    for item in attachments:
        attachment = Attachment(
            demand=demand,
            extension=item.extension,
            original_name=item.original_name,
            size=item.content.size,
        )
        attachment.file.save(f"x.{item.extension}", item.content, save=False)
        attachment.save()
    DemandEvent.objects.create(
        demand=demand, at=now, kind=DemandEvent.Kind.RECEIVED, to_office=office, public=True
    )
    record(None, "demands.submit", target=demand, office=office, request=request)
    with override("fa"):
        subject_line = _("Your demand was received")
        lines = [
            _("Your demand was received by %(office)s.") % {"office": office.name_fa},
            _("An answer is due by %(date)s.") % {"date": format_date(demand.due_date, "fa")},
        ]
    messages = _to_citizen(demand, subject_line, lines)
    if office.email:
        messages.append(
            _queue(office.email, f"[{demand.display_code}] {demand.subject}", demand.body, demand)
        )
    _send_after_commit(messages)
    _touch(office.pk, demand.clock_started_at)
    return demand


def rate(
    demand: Demand, *, satisfied: bool, comment: str = "", request: HttpRequest | None = None
) -> Demand:
    """The citizen's verdict on an answer. "Not satisfied" reopens the demand once."""
    now = timezone.now()
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        if demand.status != Status.ANSWERED:
            raise ValidationError(_("Only an answered demand can be rated."), code="not_answered")
        comment = text.normalize(comment)[:2000]
        demand.satisfaction_comment = comment
        event_kind = DemandEvent.Kind.RATED
        if satisfied or demand.reopened:
            demand.satisfied = satisfied
            demand.status = Status.CLOSED
            demand.closed_at = now
        else:
            demand.reopened = True
            demand.satisfied = None
            demand.status = Status.ASSIGNED if demand.assignee_id else Status.RECEIVED
            demand.answered_at = None
            demand.answered_on_time = None
            _start_clock(demand, now)
            event_kind = DemandEvent.Kind.REOPENED
        demand.save()
        DemandEvent.objects.create(
            demand=demand,
            at=now,
            kind=event_kind,
            text=(_("Satisfied") if satisfied else _("Not satisfied"))
            + (f": {comment}" if comment else ""),
            public=True,
        )
        record(
            None,
            "demands.rate",
            target=demand,
            request=request,
            changes={"satisfied": [None, satisfied]},
        )
        _touch(demand.office_id, demand.clock_started_at)
    return demand


# ----------------------------------------------------------------------------- staff


def _locked(demand: Demand) -> Demand:
    return Demand.objects.select_for_update().select_related("office").get(pk=demand.pk)


def assign(actor: Any, demand: Demand, assignee: Any, request: HttpRequest | None = None) -> Demand:
    require(actor, Action.DEMANDS_ASSIGN, demand, request)
    if not may(assignee, Action.DEMANDS_VIEW, demand.office):
        raise ValidationError(
            _("This colleague cannot see the office's demands."), code="not_colleague"
        )
    now = timezone.now()
    with transaction.atomic():
        demand = _locked(demand)
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
    require(actor, Action.DEMANDS_REFER, demand, request)
    note = text.normalize(note)
    if not note:
        raise ValidationError(_("Say why the demand is referred."), code="note_required")
    if not to_office.is_active:
        raise ValidationError(_("That office is not active."), code="inactive")
    now = timezone.now()
    with transaction.atomic():
        demand = _locked(demand)
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
        demand.save()
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
    require(actor, Action.DEMANDS_ANSWER, demand, request)
    public_text = text.normalize(public_text)
    if not public_text:
        raise ValidationError(_("Write the answer to the citizen."), code="empty")
    now = timezone.now()
    with transaction.atomic():
        demand = _locked(demand)
        if not demand.is_open:
            raise ValidationError(_("This demand is no longer open."), code="closed")
        demand.status = Status.ANSWERED
        demand.answered_at = now
        demand.answered_on_time = now <= demand.due_at
        demand.answer_public = public_text
        demand.answer_private = text.normalize(private_text)
        if demand.assignee_id is None:
            demand.assignee = actor
        demand.save()
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
    require(actor, Action.DEMANDS_VIEW, demand, request)
    note = text.normalize(note)
    if not note:
        raise ValidationError(_("The note is empty."), code="empty")
    with transaction.atomic():
        DemandEvent.objects.create(
            demand=demand, at=timezone.now(), kind=DemandEvent.Kind.NOTE, actor=actor, text=note
        )
        record(actor, "demands.note", target=demand, request=request)


def close(actor: Any, demand: Demand, request: HttpRequest | None = None) -> Demand:
    """Close an answered demand that the citizen never rated."""
    require(actor, Action.DEMANDS_ANSWER, demand, request)
    with transaction.atomic():
        demand = _locked(demand)
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


# ----------------------------------------------------------------------------- the tick


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
        mails: list[Notification] = []
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
            mails += [Notification(recipient=r, subject=subject, body=body, demand=demand)
                      for r in recipients]  # fmt: skip
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
            mails += [Notification(recipient=r, subject=subject, body=body, demand=demand)
                      for r in recipients]  # fmt: skip
            events.append(
                DemandEvent(
                    demand=demand, at=now, kind=DemandEvent.Kind.ESCALATED,
                    from_office=demand.office, to_office=above,
                )
            )  # fmt: skip
            audits.append(demand)
        result["escalated"] = len(claimed)
        DemandEvent.objects.bulk_create(events)
        Notification.objects.bulk_create(mails)
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


# ----------------------------------------------------------------------------- demo


def load_demo(offices: dict[str, Office]) -> int:
    """A handful of demo demands in several states; running it again adds nothing."""
    from .demo import DEMANDS

    created = load_holidays()
    for item in DEMANDS:
        office = offices.get(item["office"])
        if office is None or Demand.objects.filter(subject=item["subject"]).exists():
            continue
        when = timezone.now() - timedelta(days=item["days_ago"])
        demand = submit(
            office,
            kind=item["kind"],
            subject=item["subject"],
            body=item["body"],
            name=item["name"],
            email=item.get("email", ""),
            mobile=item.get("mobile", ""),
            consent_publish=item.get("publish", False),
            now=when,
        )
        created += 1
        if "answer" in item:
            Demand.objects.filter(pk=demand.pk).update(
                status=Status.CLOSED if "satisfied" in item else Status.ANSWERED,
                answered_at=when + timedelta(days=item["answer_after_days"]),
                answered_on_time=when + timedelta(days=item["answer_after_days"]) <= demand.due_at,
                answer_public=item["answer"],
                satisfied=item.get("satisfied"),
            )
            DemandEvent.objects.create(
                demand=demand,
                at=when + timedelta(days=item["answer_after_days"]),
                kind=DemandEvent.Kind.ANSWERED,
                text=item["answer"],
                public=True,
            )
    if created:
        rebuild_figures()
    return created


def today() -> date:
    return timezone.localdate()
