"""Staff sign in with a password and a TOTP code; repeated failures lock the account out."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from ravabet.conftest import STAFF_PASSWORD, current_code, make_staff, sign_in
from ravabet.network.enrolment import enrolment_url
from ravabet.network.models import AuditEvent


def test_password_then_code_reaches_the_desk(client, offices):
    user = make_staff("ed", offices["gov"], "editor")
    sign_in(client, user)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "استانداری ایلام" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.sign_in", actor=user).exists()


def test_password_alone_is_not_enough(client, offices):
    user = make_staff("ed", offices["gov"], "editor")
    client.post("/accounts/login/", {"username": "ed", "password": STAFF_PASSWORD})
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert user.is_authenticated  # the model says so; the session does not


def test_wrong_password_says_so_in_persian(client, offices):
    make_staff("ed", offices["gov"], "editor")
    response = client.post("/accounts/login/", {"username": "ed", "password": "wrong"})
    assert response.status_code == 400
    assert "نام کاربری یا گذرواژه نادرست است" in response.content.decode()


def test_wrong_code_is_refused(client, offices):
    make_staff("ed", offices["gov"], "editor")
    client.post("/accounts/login/", {"username": "ed", "password": STAFF_PASSWORD})
    response = client.post("/accounts/verify/", {"token": "000000"})
    assert response.status_code == 400
    assert client.get("/staff/").status_code == 302


def test_lockout_after_repeated_failures(client, offices):
    user = make_staff("ed", offices["gov"], "editor")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ed", "password": "wrong"})
    # Even the right password is now refused for a while.
    response = client.post("/accounts/login/", {"username": "ed", "password": STAFF_PASSWORD})
    assert response.status_code == 429
    assert "تلاش‌های زیاد" in response.content.decode() or "قفل" in response.content.decode()
    assert user.pk


def test_first_sign_in_enrols_an_authenticator(client, offices):
    user = make_staff("new", offices["gov"], "author")
    TOTPDevice.objects.filter(user=user).delete()
    assert client.get(enrolment_url(user).removeprefix(settings.SITE_URL)).status_code == 302
    client.post("/accounts/login/", {"username": "new", "password": STAFF_PASSWORD})
    page = client.get("/accounts/verify/")
    assert page.status_code == 200
    assert "otpauth://totp/" in page.content.decode()
    response = client.post("/accounts/verify/", {"token": current_code(user)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed


def test_code_with_persian_digits_is_accepted(client, offices):
    user = make_staff("ed", offices["gov"], "editor")
    client.post("/accounts/login/", {"username": "ed", "password": STAFF_PASSWORD})
    code = current_code(user).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert client.post("/accounts/verify/", {"token": code}).status_code == 302


def test_open_redirect_is_ignored(client, offices):
    user = make_staff("ed", offices["gov"], "editor")
    client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "ed", "password": STAFF_PASSWORD},
    )
    response = client.post("/accounts/verify/", {"token": current_code(user)})
    assert response["Location"] == "/staff/"


def test_sign_out_needs_post_and_is_audited(client, offices):
    user = make_staff("ed", offices["gov"], "editor")
    sign_in(client, user)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.sign_out").exists()
    assert client.get("/staff/").status_code == 302


def test_password_reset_sends_an_email(client, offices, mailoutbox):
    make_staff("ed", offices["gov"], "editor")
    response = client.post("/accounts/password-reset/", {"email": "ed@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_session_expires(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
