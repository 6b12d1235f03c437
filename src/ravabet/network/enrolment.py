"""One-time enrolment links: an account without a confirmed authenticator signs in only through
the link made for it, never with its password alone.

A link carries the account and a fingerprint of its sign-in state (password hash, last sign-in,
whether an authenticator is confirmed), signed with the secret key and dated. It stops working
when it is older than RAVABET_ENROL_SECONDS (default three days) and as soon as that state
changes: once the authenticator is enrolled, or the password is changed, the same link is dead
(single use without a table of used links).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from . import selectors
from .auth import confirmed_totp_device

SALT = "ravabet.network.enrolment"


def max_age() -> int:
    return int(getattr(settings, "RAVABET_ENROL_SECONDS", 3 * 24 * 3600))


def _state(user: Any) -> str:
    enrolled = confirmed_totp_device(user) is not None
    value = f"{user.pk}|{user.password}|{user.last_login}|{enrolled}|{user.is_active}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]


def make_token(user: Any) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{user.pk}:{_state(user)}")


def enrolment_url(user: Any) -> str:
    """The absolute link to send the account's owner (built on RAVABET_SITE_URL, not a Host)."""
    return settings.SITE_URL + reverse("network:enrol", args=[make_token(user)])


def user_for_token(token: str) -> Any:
    """The account the link was made for, while it is still valid; otherwise None."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age())
    except signing.BadSignature:  # SignatureExpired included
        return None
    pk, _, state = value.partition(":")
    user = selectors.active_user_by_id(int(pk)) if pk.isdigit() else None
    if user is None or confirmed_totp_device(user) is not None:
        return None
    return user if constant_time_compare(state, _state(user)) else None
