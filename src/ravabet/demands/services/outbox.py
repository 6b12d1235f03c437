"""The outbox: messages are rows written in the transaction of the change they announce, and
sent after it commits (by the task queue, or by the tick for whatever is still pending)."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .. import notify
from ..models import Demand, Notification

log = logging.getLogger("ravabet.demands.services")


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
            from ..tasks import deliver

            deliver.enqueue(ids)
        except Exception:  # the tick delivers whatever is still pending
            log.exception("could not enqueue delivery of notifications %s", ids)

    transaction.on_commit(enqueue)


# A claim is a lease: a worker that dies while sending leaves its rows claimed until the lease
# ends, and the next tick sends them again (at least once, never twice at the same time).
CLAIM_LEASE = timedelta(minutes=15)
CLAIM_CHUNK = 50
MAX_ATTEMPTS = 20


def _claimable(now: datetime, channels: list[str]) -> QuerySet[Notification]:
    return Notification.objects.filter(
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
    running at once (the task queue and the tick, or two ticks) never send one message twice.
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
            mine = Notification.objects.filter(pk__in=candidates, claim=token, sent_at__isnull=True)
            for notification in mine:
                if _send_one(notification, available[notification.channel], token):
                    done.append(notification.pk)
        if done:
            # Marked a chunk at a time (one UPDATE, not one per message): a delivery that dies
            # in the middle of a chunk makes the next one resend at most that chunk.
            Notification.objects.filter(pk__in=done, claim=token).update(
                attempts=F("attempts") + 1,
                sent_at=timezone.now(),
                last_error="",
                claimed_until=None,
            )
            sent += len(done)
        if len(candidates) < size:  # nothing more is pending
            break
    return sent


def _send_one(notification: Notification, channel: notify.Notifier, token: str) -> bool:
    try:
        channel.send(notification.recipient, notification.subject, notification.body)
    except Exception as exc:
        Notification.objects.filter(pk=notification.pk, claim=token).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:300], claim="", claimed_until=None
        )
        log.warning("notification %s failed: %s", notification.pk, exc)
        return False
    return True


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
