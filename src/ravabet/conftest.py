"""Fixtures shared by every app's tests: a small office tree and signed-in staff."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ravabet.network.models import Membership, Office

STAFF_PASSWORD = "a-long-test-password-1405"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def offices(db) -> dict[str, Office]:
    """province directorate → governorate → county → district, plus a sibling agency."""
    root = Office.objects.create(
        slug="ilam", kind="directorate", name_fa="روابط عمومی ایلام", name_en="Ilam PR"
    )
    gov = Office.objects.create(
        slug="ilam-gov",
        kind="governorate",
        name_fa="استانداری ایلام",
        name_en="Ilam Governorate",
        parent=root,
    )
    county = Office.objects.create(
        slug="mehran", kind="county", name_fa="فرمانداری مهران", parent=gov
    )
    district = Office.objects.create(
        slug="salehabad", kind="district", name_fa="بخشداری صالح‌آباد", parent=county
    )
    agency = Office.objects.create(slug="roads", kind="agency", name_fa="راه و شهرسازی", parent=gov)
    return {"root": root, "gov": gov, "county": county, "district": district, "agency": agency}


def make_staff(username: str, office: Office | None = None, role: str | None = None):
    user = get_user_model().objects.create_user(
        username=username, password=STAFF_PASSWORD, email=f"{username}@example.org"
    )
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    if office is not None and role is not None:
        Membership.objects.create(user=user, office=office, role=role)
    return user


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user) -> None:
    """Walk the real two-step sign-in through HTTP."""
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    response = client.post("/accounts/verify/", {"token": current_code(user)})
    assert response.status_code == 302, response.content[:500]


@pytest.fixture
def staff_client(client, offices):
    """A client signed in as the governorate's editor (factory for other roles too)."""

    def factory(role: str = "editor", office_key: str = "gov", username: str | None = None):
        user = make_staff(username or f"{role}-{office_key}", offices[office_key], role)
        sign_in(client, user)
        return client, user

    return factory
