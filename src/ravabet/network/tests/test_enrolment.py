"""An account without a confirmed authenticator enrols only through its one-time link: its
password alone never signs it in (docs/decisions.md, "Enrolment links")."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from ravabet.conftest import STAFF_PASSWORD, current_code, make_staff
from ravabet.network.enrolment import enrolment_url, make_token
from ravabet.network.models import AuditEvent

LOGIN = "/accounts/login/"


@pytest.fixture
def newcomer(offices):
    user = make_staff("newcomer", offices["gov"], "author")
    TOTPDevice.objects.filter(user=user).delete()  # as made by the admin: no device yet
    return user


def _path(user) -> str:
    return enrolment_url(user).removeprefix(settings.SITE_URL)


def test_password_alone_does_not_enrol_an_authenticator(client, newcomer):
    response = client.post(LOGIN, {"username": "newcomer", "password": STAFF_PASSWORD})
    assert response.status_code == 400
    assert "پیوند یک‌بار مصرف" in response.content.decode()
    # Nor can the second step be reached around the first.
    assert client.get("/accounts/verify/").status_code == 302
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    assert AuditEvent.objects.filter(action="auth.enrol_refused", allowed=False).exists()


def test_the_link_then_password_then_code_enrols_and_the_link_dies(client, newcomer):
    path = _path(newcomer)
    assert client.get(path)["Location"] == LOGIN
    response = client.post(LOGIN, {"username": "newcomer", "password": STAFF_PASSWORD})
    assert response.status_code == 302
    page = client.get("/accounts/verify/")
    assert "otpauth://totp/" in page.content.decode()
    assert client.post("/accounts/verify/", {"token": current_code(newcomer)}).status_code == 302
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    client.post("/accounts/logout/")
    again = client.get(path)  # single use: the account now has an authenticator
    assert again.status_code == 410
    assert "این پیوند ثبت‌نام دیگر کار نمی‌کند" in again.content.decode()


def test_an_expired_or_altered_link_is_refused(client, newcomer, settings):
    token = make_token(newcomer)
    assert client.get(f"/accounts/enrol/{token}x/").status_code == 410
    settings.RAVABET_ENROL_SECONDS = -1
    assert client.get(f"/accounts/enrol/{token}/").status_code == 410


def test_a_changed_password_kills_the_link(client, newcomer):
    path = _path(newcomer)
    newcomer.set_password("another-long-password-1405")
    newcomer.save()
    assert client.get(path).status_code == 410


def test_one_accounts_link_does_not_let_another_enrol(client, newcomer, offices):
    other = make_staff("other", offices["gov"], "author")
    TOTPDevice.objects.filter(user=other).delete()
    client.get(_path(newcomer))
    response = client.post(LOGIN, {"username": "other", "password": STAFF_PASSWORD})
    assert response.status_code == 400


def test_a_new_account_is_mailed_its_link(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        get_user_model().objects.create_user(
            username="fresh", password=STAFF_PASSWORD, email="fresh@example.org"
        )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["fresh@example.org"]
    assert f"{settings.SITE_URL}/accounts/enrol/" in mailoutbox[0].body
    assert "fresh" in mailoutbox[0].body


def test_an_account_made_with_its_device_gets_no_mail(
    offices, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_staff("withdevice", offices["gov"], "author")
    assert mailoutbox == []


def test_the_command_prints_a_new_link(newcomer, capsys):
    call_command("enrolment_link", "newcomer")
    link = capsys.readouterr().out.strip()
    assert link.startswith(f"{settings.SITE_URL}/accounts/enrol/")
    assert AuditEvent.objects.filter(action="auth.enrol_link_made").exists()
