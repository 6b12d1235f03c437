"""`ravabet demo` refuses a database that may be production's, and installs the published
TOTP key only on a demo database (docs/decisions.md, "The demo and production")."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from ravabet.network.models import Office
from ravabet.portal import demo_data
from ravabet.portal.management.commands import demo


@pytest.fixture
def production_like(settings, monkeypatch):
    settings.DEBUG = False
    settings.RAVABET_ALLOW_DEMO = False
    monkeypatch.setattr(demo, "is_demo_database", lambda: False)


@pytest.mark.django_db
def test_the_demo_refuses_a_database_that_may_be_production(production_like):
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("demo", verbosity=0)
    assert not Office.objects.exists()


@pytest.mark.django_db
def test_asked_explicitly_the_demo_loads_with_fresh_keys(production_like, capsys):
    call_command("demo", "--i-know-this-is-not-production", verbosity=0)
    keys = set(TOTPDevice.objects.values_list("key", flat=True))
    assert len(keys) == TOTPDevice.objects.count() > 1  # one key per account
    assert demo_data.DEMO_TOTP_KEY not in keys


@pytest.mark.django_db
def test_on_the_demo_database_the_published_key_is_used(settings, monkeypatch):
    settings.RAVABET_ALLOW_DEMO = False
    monkeypatch.setattr(demo, "is_demo_database", lambda: True)
    call_command("demo", verbosity=0)
    assert set(TOTPDevice.objects.values_list("key", flat=True)) == {demo_data.DEMO_TOTP_KEY}


def test_the_embedded_default_and_debug_count_as_a_demo_database(settings):
    settings.DEBUG = True
    assert demo.is_demo_database()
    settings.DEBUG = False
    assert not demo.is_demo_database()  # the test database is not var/ravabet.sqlite3
