"""The outbox claims its rows before sending: two deliveries at once send each message once."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections
from django.utils import timezone

from ravabet.network import notify, outbox
from ravabet.network.models import OutboxMessage


class Recorder:
    """A channel that counts what it sends and takes a little while over each message."""

    def __init__(self, pause: float = 0.0) -> None:
        self.sent: Counter[str] = Counter()
        self.pause = pause
        self.lock = threading.Lock()
        self.during_send = None

    def send(self, recipient: str, subject: str, body: str) -> None:
        if self.during_send is not None:
            hook, self.during_send = self.during_send, None
            hook()
        time.sleep(self.pause)
        with self.lock:
            self.sent[recipient] += 1


@pytest.fixture
def recorder(monkeypatch):
    channel = Recorder()
    monkeypatch.setattr(notify, "channels", lambda: {"email": channel})
    return channel


def _queue(n: int) -> list[int]:
    OutboxMessage.objects.bulk_create(
        OutboxMessage(recipient=f"r{i}@example.org", subject="s", body="b") for i in range(n)
    )
    return list(OutboxMessage.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_second_claim_on_the_same_rows_gets_nothing(recorder):
    ids = _queue(3)
    now = timezone.now()
    # Two claimers read the same candidates; the conditional UPDATE lets only the first have them.
    assert outbox.claim(ids, "a" * 32, now, ["email"]) == 3
    assert outbox.claim(ids, "b" * 32, now, ["email"]) == 0
    assert set(OutboxMessage.objects.values_list("claim", flat=True)) == {"a" * 32}
    # A lease that ran out (its worker died) can be claimed again.
    later = now + outbox.CLAIM_LEASE + timezone.timedelta(seconds=1)
    assert outbox.claim(ids, "c" * 32, later, ["email"]) == 3


@pytest.mark.django_db
def test_a_delivery_started_during_another_sends_nothing_twice(recorder):
    _queue(5)
    inner: list[int] = []
    # While the first delivery sends its first message, a second one (the tick) starts.
    recorder.during_send = lambda: inner.append(outbox.deliver_pending())
    assert outbox.deliver_pending() == 5
    assert inner == [0]
    assert set(recorder.sent.values()) == {1} and len(recorder.sent) == 5
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_a_failed_message_is_released_for_the_next_try(monkeypatch):
    class Down:
        def send(self, *args):
            raise ConnectionRefusedError("down")

    monkeypatch.setattr(notify, "channels", lambda: {"email": Down()})
    _queue(1)
    assert outbox.deliver_pending() == 0
    row = OutboxMessage.objects.get()
    assert row.attempts == 1 and row.claim == "" and row.claimed_until is None
    assert outbox.deliver_pending() == 0
    assert OutboxMessage.objects.get().attempts == 2  # tried again at once, not locked out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_deliveries_on_postgresql_send_each_message_once(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("threads need a database with row locks; SQLite is covered by the tests above")
    channel = Recorder(pause=0.005)
    monkeypatch.setattr(notify, "channels", lambda: {"email": channel})
    _queue(120)
    start = threading.Barrier(2)
    results: list[int] = []

    def deliver() -> None:
        try:
            start.wait()
            results.append(outbox.deliver_pending())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 120
    assert len(channel.sent) == 120 and set(channel.sent.values()) == {1}
    assert all(results)  # both did part of the work (SKIP LOCKED shared it out)


@pytest.mark.django_db
def test_an_attachment_travels_with_the_email_and_an_sms_carries_none(mailoutbox):
    ics_text = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    files = [outbox.Attachment("meeting.ics", "text/calendar", ics_text)]
    mail = outbox.queue("a@example.org", "دعوت", "متن", topic="t:1", attachments=files)
    sms = outbox.queue("09120000000", "دعوت", "متن", channel="sms", attachments=files)
    assert mail is not None and sms is not None
    assert sms.attachments == [] and mail.topic == "t:1"
    assert outbox.queue("", "s", "b") is None  # no recipient, no row
    assert outbox.deliver_pending() == 1  # no SMS channel configured: the SMS waits
    (sent,) = mailoutbox
    assert sent.subject == "دعوت" and sent.attachments[0][0] == "meeting.ics"
    assert "BEGIN:VCALENDAR" in sent.attachments[0][1]
    assert outbox.pending_count() == 1
