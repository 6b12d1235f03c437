"""Browser-test fixtures: the real server (`ravabet serve`) with a fresh SQLite database and the
demo, once per test process (xdist worker), Debian's Chromium through Playwright, and a staff
browser context signed in through both steps.

These tests run in the SQLite suite only: the server they start has its own fresh SQLite database
whatever DATABASE_URL the suite uses, so running them again in the PostgreSQL suite would test
the same thing twice (RAVABET_E2E=1 forces them anyway). Without Chromium they are skipped, except
under CI, where a missing browser fails the run (`./dev deps` installs it): the rule and the path
come from `ravabet.conftest.require_chromium`, which every browser test of the project uses.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_otp.oath import totp

from ravabet.conftest import chromium_path, in_ci, require_chromium
from ravabet.liveserver import LiveServer
from ravabet.portal import demo_data

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
STAFF_USER = "manager"  # PR manager of /ilam/: reaches its members and audit pages


def _skip_reason() -> str | None:
    if os.environ.get("RAVABET_E2E") == "1":
        return None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "browser tests run in the SQLite suite (see tests/e2e/conftest.py)"
    if chromium_path() is None and not in_ci():
        return "no Chromium on this machine: run ./dev deps"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _skip_reason()
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with the demo loaded, copied by every server of this process."""
    folder = tmp_path_factory.mktemp("demo-db")
    LiveServer.prepare(demo=True, folder=folder)
    return folder


def _serve_copy(demo_folder: Path, folder: Path, env: dict[str, str] | None = None) -> LiveServer:
    folder.mkdir(parents=True, exist_ok=True)
    for database in demo_folder.glob("ravabet.sqlite3*"):
        shutil.copy(database, folder / database.name)
    if (demo_folder / "media").is_dir():  # the demo's photos belong with its database
        shutil.copytree(demo_folder / "media", folder / "media", dirs_exist_ok=True)
    from ravabet.liveserver import free_port, server_env

    server = LiveServer(folder=folder, port=free_port(), env=server_env(folder, env))
    server.serve(workers=1)
    return server


@pytest.fixture(scope="session")
def server(demo_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = _serve_copy(demo_folder, tmp_path_factory.mktemp("server"))
    yield live
    live.stop()


@pytest.fixture(scope="session")
def production_server(
    demo_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The same demo served with the production settings (behind TLS: RAVABET_HTTPS=1)."""
    live = _serve_copy(
        demo_folder,
        tmp_path_factory.mktemp("production"),
        {"RAVABET_HTTPS": "1", "RAVABET_DEBUG": "0", "RAVABET_SECRET_KEY": "x" * 64},
    )
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


# Records every Content-Security-Policy violation of the page (blocked script, style, image...).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI || "inline"}`);
});
"""


def _context(browser, server: LiveServer, *, real_csp: bool = False):
    # bypass_csp lets the test inject axe-core; the pass with real_csp (tests/e2e/test_csp.py)
    # keeps the site's own policy, so whatever it blocks fails a test.
    context = browser.new_context(
        base_url=server.base_url,
        bypass_csp=not real_csp,
        locale="fa-IR",
        viewport={"width": 1366, "height": 900},
    )
    if real_csp:
        context.add_init_script(CSP_LISTENER)
    return context


@pytest.fixture(scope="session")
def public_context(browser, server: LiveServer):
    context = _context(browser, server)
    yield context
    context.close()


def demo_code() -> str:
    return f"{totp(bytes.fromhex(demo_data.DEMO_TOTP_KEY)):06d}"


def sign_in(page, username: str = STAFF_USER) -> None:
    """The real two-step sign-in: password, then the authenticator code."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo_data.DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/verify/")
    # A code signs in once (django-otp refuses a reused one, and the page says to wait for the
    # next): another test may have signed this user in during the same 30-second step.
    for attempt in range(2):
        page.fill("input[name=token]", demo_code())
        page.click("main button[type=submit]")
        try:
            page.wait_for_url("**/staff/", timeout=5_000)
            return
        except PlaywrightTimeout:
            if attempt:
                raise
            time.sleep(30.5 - time.time() % 30)


@pytest.fixture(scope="session")
def strict_public_context(browser, server: LiveServer):
    """A reader's browser that obeys the site's Content-Security-Policy."""
    context = _context(browser, server, real_csp=True)
    yield context
    context.close()


@pytest.fixture(scope="session")
def strict_staff_context(browser, server: LiveServer, staff_context):
    """Signed-in staff, obeying the site's Content-Security-Policy. It shares the staff
    context's session: a second sign-in in the same 30 s would reuse a spent TOTP code."""
    context = _context(browser, server, real_csp=True)
    context.add_cookies(staff_context.cookies())
    yield context
    context.close()


@pytest.fixture(scope="session")
def staff_context(browser, server: LiveServer):
    context = _context(browser, server)
    page = context.new_page()
    sign_in(page)
    page.close()
    yield context
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = OUTPUT / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
