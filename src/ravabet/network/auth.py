"""Staff sign-in with a second factor (TOTP) for every account, and the staff-only guard."""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def seconds_until_next_code(device: TOTPDevice, token: str) -> int | None:
    """When `token` is right but was already used (each code signs in once: django-otp refuses a
    step at or before the last one used), the seconds until the app shows the next code;
    otherwise None. Lets the page say "wait for the next code" instead of "wrong code"."""
    try:
        wanted = int(token)
    except ValueError:
        return None
    now = time.time()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = now
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = device.drift + offset
        if totp.token() == wanted and totp.t() <= device.last_t:
            used_until = device.t0 + (device.last_t + 1 - device.drift) * device.step
            return max(1, math.ceil(used_until - now))
    return None


def ensure_totp_device(user: Any, *, confirmed: bool) -> TOTPDevice:
    """The user's TOTP device, created on first use (unconfirmed until the user proves a code)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=None).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=confirmed)
    elif confirmed and not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device


def pending_user(request: HttpRequest) -> Any:
    """The user who passed the password step and still owes a code, if any."""
    user_id = request.session.get("ravabet_pending_user")
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def staff_required(
    view: Callable[..., ResponseT],
) -> Callable[..., ResponseT | HttpResponseRedirect]:
    """Signed in *and* verified with the second factor; otherwise off to the sign-in page.

    Generic in the view's response so a streaming view (a FileResponse) keeps its type."""

    @functools.wraps(view)
    def wrapper(
        request: HttpRequest, *args: Any, **kwargs: Any
    ) -> ResponseT | HttpResponseRedirect:
        user = request.user
        # is_verified: added to the request's user by django_otp's OTPMiddleware.
        if not user.is_authenticated or not user.is_verified():  # type: ignore[attr-defined]
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
