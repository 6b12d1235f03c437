"""The whole story in real Chromium (Playwright): readers comment and reply, a moderator decides.

Run alone with `.venv/bin/pytest -m browser`; skipped when no Chromium is installed
(RAVABET_CHROMIUM may name the executable), except under CI (`CI=true`), where a missing
browser fails the run, as in tests/e2e.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ravabet.conftest import STAFF_PASSWORD, make_staff
from ravabet.network.text import to_ascii_digits

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _chromium() -> str | None:
    return (
        os.environ.get("RAVABET_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _solve(question: str) -> str:
    """Answer the arithmetic captcha as a person reads it: "۶ + ۲ =" → "8"."""
    a, op, b = re.search(r"(\d+)\s*([+−-])\s*(\d+)", to_ascii_digits(question)).groups()
    return str(int(a) + int(b) if op == "+" else int(a) - int(b))


def _comment(page, text: str, name: str = "") -> None:
    form = page.locator("#comment-form")
    assert form.count() == 1, "the comment form is missing"
    if name:
        form.locator("input[name=name]").fill(name)
    form.locator("textarea[name=text]").fill(text)
    label = form.locator("label[for=id_captcha_answer]").inner_text()
    assert re.search("[۰-۹]", label), label  # Persian digits
    form.locator("input[name=captcha_answer]").fill(_solve(label))
    # htmx sends it and puts the thanks and a fresh (empty) form in the old one's place.
    with page.expect_response(lambda response: "/comments/on/" in response.url):
        form.get_by_role("button", name="ارسال نظر").click()
    page.wait_for_function("() => !document.querySelector('#comment-form textarea').value")
    assert "پس از بررسی منتشر خواهد شد" in page.locator("#comment-form [role=status]").inner_text()


def test_reader_and_moderator_story(live_server, settings, publish, offices):
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no Chromium on this machine, and CI must run the browser story")
        pytest.skip("no Chromium on this machine")
    if os.environ.get("CI") == "true":
        import playwright.sync_api as playwright_api  # under CI a missing package fails
    else:
        playwright_api = pytest.importorskip("playwright.sync_api")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Everything the test needs from the database is read before Playwright starts: its
    # greenlets would give the ORM a connection of their own that nobody closes.
    item = publish(
        title="نشست شورای هماهنگی روابط عمومی‌ها", body="برنامه هفته روابط عمومی استان ایلام"
    )
    moderator = make_staff("moderator-b", offices["gov"], "moderator")
    device = TOTPDevice.objects.get(user=moderator)
    url = live_server.url + item.get_absolute_url()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            try:
                _story(browser, live_server.url, url, moderator.username, device, offices["gov"])
            finally:
                browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _story(browser, base: str, url: str, username: str, device, office) -> None:
    reader = browser.new_page()
    reader.goto(url)
    _comment(reader, "برنامه هفته روابط عمومی خوب است؛ از استان هم بازدید کنید", name="نرگس")
    _comment(reader, "این مدیر واقعا احمق است")

    staff = browser.new_page()
    staff.goto(base + "/accounts/login/")
    staff.locator("input[name=username]").fill(username)
    staff.locator("input[name=password]").fill(STAFF_PASSWORD)
    staff.locator("input[name=password]").press("Enter")
    staff.locator("input[name=token]").fill(_code(device))
    staff.locator("input[name=token]").press("Enter")
    staff.wait_for_url(re.compile(r".*/staff/.*"))
    queue = f"{base}/staff/{office.slug}/comments/"
    staff.goto(queue + "?sort=triage")
    rows = staff.locator("table.queue tbody tr")
    assert rows.count() == 2
    assert "توهین" in rows.nth(0).inner_text()  # the triage label, sorted first

    rows.nth(0).locator("input[name=ids]").check()
    staff.locator("select[name=reason]").select_option("insult")
    staff.get_by_role("button", name="رد", exact=True).click()
    staff.locator("table.queue tbody tr").nth(0).locator("input[name=ids]").check()
    staff.get_by_role("button", name="انتشار", exact=True).click()
    assert "نظری اینجا نیست" in staff.content()

    reader.goto(url)
    assert "برنامه هفته روابط عمومی خوب است" in reader.content()
    reader.get_by_role("link", name="پاسخ", exact=True).first.click()
    assert "شما در حال پاسخ به نظر" in reader.content()
    _comment(reader, "با نظر نرگس موافقم، بازدید از استان لازم است")

    staff.goto(queue)
    staff.locator("table.queue tbody tr").nth(0).locator("input[name=ids]").check()
    staff.get_by_role("button", name="انتشار", exact=True).click()
    staff.goto(queue + "?status=published&sort=oldest")
    staff.locator("table.queue tbody tr a").first.click()
    staff.locator("textarea[name=reply-text]").fill(
        "سپاس از نظر شما؛ بازدید از شهرستان‌ها در برنامه است."
    )
    staff.get_by_role("button", name="انتشار پاسخ").click()
    assert "پاسخ دستگاه منتشر شد" in staff.content()

    reader.goto(url)
    thread = reader.locator("#comments").inner_text()
    assert "برنامه هفته روابط عمومی خوب است" in thread
    assert "با نظر نرگس موافقم" in thread
    assert "پاسخ رسمی " + office.name_fa in thread
    assert "بازدید از شهرستان‌ها در برنامه است" in thread
    assert "احمق" not in thread
