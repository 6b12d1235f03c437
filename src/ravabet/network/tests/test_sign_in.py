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
    # The session holds the user only as "pending the code", never as signed in.
    assert "_auth_user_id" not in client.session
    assert client.session["ravabet_pending_user"] == user.pk


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
    assert "کد نادرست است یا زمان آن گذشته است" in response.content.decode()
    assert client.get("/staff/").status_code == 302


def test_lockout_after_repeated_failures(client, offices):
    user = make_staff("ed", offices["gov"], "editor")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ed", "password": "wrong"})
    # Even the right password is now refused for a while.
    response = client.post("/accounts/login/", {"username": "ed", "password": STAFF_PASSWORD})
    assert response.status_code == 429
    assert "تلاش‌های زیاد ناموفق" in response.content.decode()
    assert "_auth_user_id" not in client.session and "ravabet_pending_user" not in client.session
    assert not AuditEvent.objects.filter(action="auth.sign_in", actor=user).exists()


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


def test_session_ends_with_the_browser_and_after_its_age(client, offices, settings):
    """A browser-session cookie, and a server-side session that ends after
    RAVABET_SESSION_SECONDS (eight hours by default; three seconds here)."""
    import time

    settings.SESSION_COOKIE_AGE = 3
    sign_in(client, make_staff("ed", offices["gov"], "editor"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # ends when the browser closes
    assert client.get("/staff/").status_code == 200
    time.sleep(3.5)
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_password_spraying_is_stopped_per_address(client, offices, settings):
    """Axes locks one user name per address; one password tried on many names is stopped by
    the address-wide count of failures."""
    settings.RAVABET_SIGN_IN_FAILURES_PER_ADDRESS = 5
    make_staff("victim", offices["gov"], "editor")
    for n in range(5):
        response = client.post(
            "/accounts/login/", {"username": f"user{n}", "password": "Spring1405"}
        )
        assert response.status_code == 400
        assert "نام کاربری یا گذرواژه نادرست است" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "victim", "password": STAFF_PASSWORD})
    assert response.status_code == 429
    assert "بیش از اندازه" in response.content.decode()
    # Another address is not affected.
    other = client.post(
        "/accounts/login/",
        {"username": "victim", "password": STAFF_PASSWORD},
        REMOTE_ADDR="198.51.100.77",
    )
    assert other.status_code == 302


def test_password_reset_is_limited_per_address_and_per_email(client, offices, mailoutbox, settings):
    settings.RAVABET_PASSWORD_RESETS_PER_EMAIL = 2
    settings.RAVABET_PASSWORD_RESETS_PER_ADDRESS = 4
    make_staff("ed", offices["gov"], "editor")
    for _ in range(4):
        response = client.post("/accounts/password-reset/", {"email": "ed@example.org"})
        assert response.status_code == 302  # the same answer whether or not a mail went out
    assert len(mailoutbox) == 2  # the owner's inbox is not flooded
    response = client.post("/accounts/password-reset/", {"email": "other@example.org"})
    assert response.status_code == 429
    assert "بیش از اندازه" in response.content.decode()
    # Another reader's address still may ask for its own reset.
    response = client.post(
        "/accounts/password-reset/", {"email": "other@example.org"}, REMOTE_ADDR="198.51.100.8"
    )
    assert response.status_code == 302


def test_password_reset_link_uses_the_site_url_not_the_host_header(
    client, offices, mailoutbox, settings
):
    settings.SITE_URL = "https://portal.example.ir"
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    make_staff("ed", offices["gov"], "editor")
    client.post("/accounts/password-reset/", {"email": "ed@example.org"}, HTTP_HOST="evil.example")
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "https://portal.example.ir/accounts/reset/" in body
    assert "evil.example" not in body


def test_the_password_reset_confirm_step_sets_a_new_password(client, offices, mailoutbox):
    import re

    user = make_staff("ed", offices["gov"], "editor")
    client.post("/accounts/password-reset/", {"email": "ed@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mailoutbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "a-new-long-password-1405"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
