"""The outbox every app sends through: messages are rows written in the transaction of the change
they announce, and sent after it commits (by the task queue at once, or by the scheduled delivery
for whatever is still pending, e.g. while the mail server was down).

    msg = outbox.queue(user.email, "دعوت به جلسه", body, topic="council.meeting:7",
                       attachments=[outbox.Attachment("meeting.ics", "text/calendar", ics_text)])
    outbox.send_after_commit([msg])

A delivery claims its rows before sending (one conditional UPDATE with a lease), so two deliveries
at once never send one message twice, and a delivery that dies leaves its rows to the next one
after the lease. Channels are `network.notify` (email always; SMS where configured).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from . import notify
from .models import OutboxMessage

log = logging.getLogger("ravabet.network.outbox")

# A claim is a lease: a worker that dies while sending leaves its rows claimed until the lease
# ends, and the next delivery sends them again (at least once, never twice at the same time).
CLAIM_LEASE = timedelta(minutes=15)
CLAIM_CHUNK = 50
MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class Attachment:
    """A small text attachment carried with the message (an .ics invitation, a CSV)."""

    name: str
    mimetype: str
    content: str

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "mimetype": self.mimetype, "content": self.content}


def queue(
    recipient: str,
    subject: str,
    body: str,
    *,
    channel: str = "email",
    topic: str = "",
    attachments: Sequence[Attachment] = (),
) -> OutboxMessage | None:
    """Write one message (in the caller's transaction); None when there is no recipient.

    SMS carries no attachments: they are dropped for that channel.
    """
    if not recipient:
        return None
    return OutboxMessage.objects.create(
        channel=channel,
        recipient=recipient,
        subject=subject[:200],
        body=body,
        topic=topic[:80],
        attachments=[a.as_json() for a in attachments] if channel == "email" else [],
    )


def queue_many(messages: Iterable[OutboxMessage]) -> list[OutboxMessage]:
    """Write many prepared (unsaved) messages with one INSERT; returns them."""
    rows = [m for m in messages if m.recipient]
    for row in rows:
        row.subject = row.subject[:200]
    return OutboxMessage.objects.bulk_create(rows)


def message(
    recipient: str, subject: str, body: str, *, topic: str = "", channel: str = "email"
) -> OutboxMessage:
    """An unsaved message for `queue_many`."""
    return OutboxMessage(
        channel=channel, recipient=recipient, subject=subject[:200], body=body, topic=topic[:80]
    )


def send_after_commit(messages: Iterable[OutboxMessage | None]) -> None:
    """Ask the task queue to deliver these once the caller's transaction commits."""
    ids = [m.pk for m in messages if m is not None]
    if not ids:
        return

    def enqueue() -> None:
        try:
            from .tasks import deliver

            deliver.enqueue(ids)
        except Exception:  # the scheduled delivery sends whatever is still pending
            log.exception("could not enqueue delivery of messages %s", ids)

    transaction.on_commit(enqueue)


def _claimable(now: datetime, channels: list[str]) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        sent_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
        channel__in=channels,
    )


def claim(candidates: list[int], token: str, now: datetime, channels: list[str]) -> int:
    """Claim these rows for `token` with one conditional UPDATE; returns how many it got.

    The condition is evaluated by the database under the row's write lock, so of two claimers
    that read the same candidates, the second finds them claimed and gets none of them
    (PostgreSQL re-checks the WHERE after waiting for the first; SQLite runs one writer at once).
    """
    return (
        _claimable(now, channels)
        .filter(pk__in=candidates)
        .update(claim=token, claimed_until=now + CLAIM_LEASE)
    )


def _claim_chunk(
    token: str, channels: list[str], ids: list[int] | None, tried: set[int], size: int
) -> list[int]:
    """Pick up to `size` pending rows and claim them in one short transaction; their ids."""
    now = timezone.now()
    pending = _claimable(now, channels).exclude(pk__in=tried).order_by("created_at")
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            # Rows another delivery is claiming at this moment are skipped, not waited for.
            pending = pending.select_for_update(skip_locked=True)
        candidates = list(pending.values_list("pk", flat=True)[:size])
        if candidates:
            claim(candidates, token, now, channels)
    return candidates


def deliver_pending(ids: list[int] | None = None, *, limit: int = 500) -> int:
    """Send pending messages (these ids, or any); failures stay pending for the next try.

    Rows are claimed before they are sent (`claim`), a chunk at a time, so two deliveries
    running at once (the task queue and the scheduler) never send one message twice.
    """
    available = notify.channels()
    names = sorted(available)
    token = uuid.uuid4().hex
    sent = 0
    tried: set[int] = set()  # a message that failed waits for the next delivery
    while len(tried) < limit:
        size = min(CLAIM_CHUNK, limit - len(tried))
        candidates = _claim_chunk(token, names, ids, tried, size)
        tried.update(candidates)
        done: list[int] = []
        if candidates:
            mine = OutboxMessage.objects.filter(
                pk__in=candidates, claim=token, sent_at__isnull=True
            )
            for row in mine:
                if _send_one(row, available[row.channel], token):
                    done.append(row.pk)
        if done:
            # Marked a chunk at a time (one UPDATE, not one per message): a delivery that dies
            # in the middle of a chunk makes the next one resend at most that chunk.
            OutboxMessage.objects.filter(pk__in=done, claim=token).update(
                attempts=F("attempts") + 1,
                sent_at=timezone.now(),
                last_error="",
                claimed_until=None,
            )
            sent += len(done)
        if len(candidates) < size:  # nothing more is pending
            break
    return sent


def _send_one(row: OutboxMessage, channel: notify.Notifier, token: str) -> bool:
    try:
        if row.attachments:
            files = [Attachment(**a) for a in row.attachments]
            channel.send(row.recipient, row.subject, row.body, attachments=files)  # type: ignore[call-arg]
        else:
            channel.send(row.recipient, row.subject, row.body)
    except Exception as exc:
        OutboxMessage.objects.filter(pk=row.pk, claim=token).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:300], claim="", claimed_until=None
        )
        log.warning("outbox message %s failed: %s", row.pk, exc)
        return False
    return True


def pending_count() -> int:
    """Messages not yet sent (the backlog a health check or a metric reports)."""
    return OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).count()


def sms_available() -> bool:
    return "sms" in notify.channels()
