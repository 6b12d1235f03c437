"""The notifier interface: an SMS provider plugs in by a dotted path."""

from __future__ import annotations

import pytest

from ravabet.demands import services
from ravabet.network import notify
from ravabet.network.models import OutboxMessage as Notification

from . import fake_sms

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(monkeypatch):
    monkeypatch.setenv("RAVABET_SMS_NOTIFIER", "ravabet.demands.tests.fake_sms.Notifier")
    notify.channels.cache_clear()
    fake_sms.SENT.clear()
    yield fake_sms.SENT
    notify.channels.cache_clear()


def test_a_mobile_only_citizen_gets_an_sms_when_a_provider_is_plugged_in(offices, sms):
    demand = services.submit(
        offices["county"], kind="question", subject="پرسش", body="متن پرسش شهروند", name="نرگس",
        mobile="09121234567",
    )  # fmt: skip
    assert Notification.objects.filter(channel="sms", recipient="09121234567").exists()
    services.deliver_pending()
    assert [recipient for recipient, _, _ in sms] == ["09121234567"]
    assert demand.display_code in sms[0][2]


def test_without_a_provider_no_sms_is_queued(offices):
    notify.channels.cache_clear()
    services.submit(
        offices["county"], kind="question", subject="پرسش", body="متن پرسش شهروند", name="نرگس",
        mobile="09121234567",
    )  # fmt: skip
    assert not Notification.objects.filter(channel="sms").exists()
