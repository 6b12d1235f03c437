"""Fixtures shared by every app's tests: a small office tree and signed-in staff; and the rules
for what a test may skip (a browser, the shared data folder): never under CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ravabet.network.models import Membership, Office

STAFF_PASSWORD = "a-long-test-password-1405"
REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"  # real data beside the checkout, not part of the repository


def in_ci() -> bool:
    """CI sets CI=true: there, what a test needs is installed, so its absence is a failure."""
    return os.environ.get("CI") == "true"


def missing(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail under CI, where a skip would hide a test not run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this must be present)", pytrace=False)
    pytest.skip(reason)


def shared_path(*parts: str) -> Path:
    """A file or folder of ../shared (skip without it; fail under CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        missing(f"{path} not found: the shared data folder sits beside the checkout")
    return path


def chromium_path() -> str | None:
    """Debian's Chromium (CHROME_PATH overrides), or None."""
    configured = os.environ.get("CHROME_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """The Chromium for a browser test: skipped without it, except under CI (./dev deps)."""
    path = chromium_path()
    if path is None:
        missing("no Chromium on this machine: run ./dev deps")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("Playwright is not installed: run ./dev install")
    return path


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """For every browser test: the path to launch (`executable_path=`)."""
    return require_chromium()


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
