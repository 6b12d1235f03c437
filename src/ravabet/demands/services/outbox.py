"""The outbox: messages are rows written in the transaction of the change they announce, and
sent after it commits (by the task queue, or by the tick for whatever is still pending)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F
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
