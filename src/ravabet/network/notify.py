"""How outbox messages reach people: a small interface with an email channel; SMS plugs in.

A channel is any object with `send(recipient, subject, body) -> None` that raises on failure; a
channel that can carry files (email) also takes `attachments=[outbox.Attachment, ...]`, passed only
when the message has some.
`RAVABET_SMS_NOTIFIER` (a dotted path to such a class) adds the "sms" channel; without it, mobile
numbers are kept for staff to call and nothing is sent by SMS.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string


class Notifier(Protocol):
    def send(self, recipient: str, subject: str, body: str) -> None: ...


class EmailNotifier:
    """Django's configured email backend (console in development, locmem in tests, SMTP live)."""

    def send(
        self, recipient: str, subject: str, body: str, attachments: Sequence[Any] = ()
    ) -> None:
        mail = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        for item in attachments:
            mail.attach(item.name, item.content, item.mimetype)
        mail.send(fail_silently=False)


@functools.cache
def channels() -> dict[str, Notifier]:
    found: dict[str, Notifier] = {"email": EmailNotifier()}
    sms = os.environ.get("RAVABET_SMS_NOTIFIER", "").strip()
    if sms:
        found["sms"] = import_string(sms)()
    return found
