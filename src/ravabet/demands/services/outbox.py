"""The demands' messages, written through the network's outbox (`ravabet.network.outbox`): to the
citizen (email, and SMS where a provider is configured) and to the offices concerned."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from ravabet.network import outbox
from ravabet.network.models import OutboxMessage

from ..models import Demand

deliver_pending = outbox.deliver_pending


def topic(demand: Demand | None) -> str:
    """The outbox topic of a demand's messages (how the app finds them again)."""
    return f"demands.demand:{demand.pk}" if demand is not None else "demands"


def _queue(
    recipient: str, subject: str, body: str, demand: Demand | None, channel: str = "email"
) -> OutboxMessage | None:
    return outbox.queue(recipient, subject, body, channel=channel, topic=topic(demand))


def _send_after_commit(messages: list[OutboxMessage | None]) -> None:
    outbox.send_after_commit(messages)


def _status_url(demand: Demand) -> str:
    from django.conf import settings
    from django.urls import reverse

    with override("fa"):
        return settings.SITE_URL + reverse("demands:status", args=[demand.code])


def _to_citizen(demand: Demand, subject: str, lines: list[str]) -> list[OutboxMessage | None]:
    with override("fa"):
        body = "\n".join([*lines, "", _("Tracking code") + ": " + demand.display_code,
                          _status_url(demand)])  # fmt: skip
        out = [_queue(demand.email, subject, body, demand)]
        if demand.mobile and outbox.sms_available():
            out.append(_queue(demand.mobile, subject, body, demand, channel="sms"))
    return out
