"""Citizens' writes: submitting a demand and rating its answer; the demo demands."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ravabet.network import text
from ravabet.network.jalali import format_date
from ravabet.network.models import Office
from ravabet.network.services import record

from .. import codes
from ..models import Attachment, Demand, DemandEvent, Status
from .attachments import CleanAttachment, write_attachment_files
from .deadlines import CLOCK_FIELDS, _start_clock, load_holidays
from .figures import _touch, rebuild_figures
from .outbox import _queue, _send_after_commit, _to_citizen

log = logging.getLogger("ravabet.demands.services")


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
    files = []
    for item in attachments:
        attachment = Attachment(
            demand=demand,
            extension=item.extension,
            original_name=item.original_name,
            size=item.content.size,
        )
        # The row gets its file's name now; the file is written once the row is committed.
        attachment.file.name = attachment.file.field.generate_filename(
            attachment, f"x.{item.extension}"
        )
        attachment.save()
        files.append((attachment, item.content))
    if files:
        transaction.on_commit(lambda: write_attachment_files(files))
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
        demand.save(update_fields=[
            "satisfaction_comment", "satisfied", "status", "closed_at", "reopened", "answered_at",
            "answered_on_time", *CLOCK_FIELDS,
        ])  # fmt: skip
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


def load_demo(offices: dict[str, Office]) -> int:
    """A handful of demo demands in several states; running it again adds nothing."""
    from ..demo import DEMANDS

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
