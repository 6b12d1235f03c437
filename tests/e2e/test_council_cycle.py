"""Issue 14: a council's whole cycle in the browser.

The secretary (the demo's directorate manager) creates a meeting, invites the members, starts it,
takes attendance, writes the minutes with two decisions, closes the meeting, circulates and
approves the minutes; then the responsible office's editor reports progress on a decision. The
council and its seats are set up in the server's own database through the council's services
(the demo's council content, if any, is left alone).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ravabet.liveserver import LiveServer, free_port, server_env

from .conftest import _context, sign_in

SETUP = """
from datetime import date
from django.contrib.auth import get_user_model
from ravabet.council import services
from ravabet.council.models import Council, Position
from ravabet.network.models import Office

users = get_user_model().objects
manager = users.get(username="manager")
office = {o.slug: o for o in Office.objects.all()}
council = services.create_council(
    manager, office["ilam"], name_fa="شورای آزمون چرخه کامل", slug="e2e-council", code="E2E",
    kind=Council.Kind.PROVINCE_AGENCIES, objection_days=0,
)
start = date(2025, 1, 1)
services.assign_seat(manager, council, office["ilam"], Position.SECRETARY, start=start,
                     holder=manager)
services.assign_seat(manager, council, office["ilam-governorate"], Position.CHAIR, start=start)
services.assign_seat(manager, council, office["ilam-roads"], Position.MEMBER, start=start)
services.assign_seat(manager, council, office["mehran"], Position.MEMBER, start=start)
"""


@pytest.fixture(scope="module")
def council_server(
    demo_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    import shutil

    folder = tmp_path_factory.mktemp("council-server")
    for database in demo_folder.glob("ravabet.sqlite3*"):
        shutil.copy(database, folder / database.name)
    env = server_env(folder)
    subprocess.run([sys.executable, "-m", "ravabet.cli", "shell", "-c", SETUP], env=env, check=True)
    server = LiveServer(folder=folder, port=free_port(), env=env)
    server.serve(workers=1, timeout=180)  # a loaded CI machine starts slowly
    yield server
    server.stop()


def _submit(page, form: str, label: str) -> None:
    page.locator(form).get_by_role("button", name=label).click()
    page.wait_for_load_state()


def test_a_meeting_from_invitation_to_reported_decision(browser, council_server, screenshots):
    context = _context(browser, council_server)
    page = context.new_page()
    sign_in(page, "manager")

    # Create the meeting (a draft).
    page.goto("/staff/councils/e2e-council/")
    assert page.locator("h1").inner_text() == "شورای آزمون چرخه کامل"
    page.get_by_role("link", name="جلسه تازه").first.click()
    page.fill("#id_title", "بررسی برنامه هفته روابط عمومی")
    page.fill("#id_starts_at", "۱۴۰۵/۰۲/۲۰ ۱۰:۰۰")
    page.fill("#id_place", "سالن شهید بهشتی استانداری")
    page.select_option("#id_host_office", label="استانداری ایلام")
    page.get_by_role("button", name="ذخیره").click()
    page.wait_for_load_state()
    assert "پیش‌نویس" in page.locator("#meeting-state").inner_text()
    assert "پیگیری مصوبات جلسات قبل" in page.locator("#agenda").inner_text()
    meeting_url = page.url

    # An item of its own, then the invitations (with their .ics, through the outbox).
    page.fill("#id_title", "برنامه روز ملی ارتباطات و روابط عمومی")
    page.get_by_role("button", name="افزودن به دستور جلسه").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="فرستادن دعوت‌نامه‌ها").click()
    page.wait_for_load_state()
    assert "دعوت‌نامه فرستاده شد" in page.locator("#meeting-state").inner_text()
    assert "۴ دستگاه دعوت شدند" in page.locator(".messages").inner_text()

    # The meeting starts; attendance: everyone present.
    page.get_by_role("button", name="آغاز جلسه").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="حضور و غیاب").click()
    for radio in page.locator("input[type=radio][value=present]").all():
        radio.check()
    page.get_by_role("button", name="ثبت حضور و غیاب").click()
    page.wait_for_load_state()
    assert "حد نصاب حاصل است" in page.locator(".messages").inner_text()

    # The minutes, per agenda item, and two decisions.
    page.get_by_role("link", name="صورتجلسه و مصوبات").click()
    textareas = page.locator("#minutes-form textarea")
    textareas.nth(0).fill("مصوبه‌ای از جلسات قبل باز نبود.")
    textareas.nth(1).fill("برنامه هفته روابط عمومی با حضور همه دستگاه‌ها بررسی شد.")
    page.get_by_role("button", name="ذخیره صورتجلسه").click()
    page.wait_for_load_state()
    assert "صورتجلسه ذخیره شد" in page.locator(".messages").inner_text()
    for text, days in (
        ("برگزاری نمایشگاه دستاوردهای روابط عمومی‌ها", "10"),
        ("انتشار گزارش تصویری از پروژه‌های راه استان", "5"),
    ):
        form = page.locator("#decision-form")
        form.locator("#id_text").fill(text)
        form.locator("#id_office").select_option(label="استانداری ایلام")
        form.locator("#id_working_days").fill(days)
        form.get_by_role("button", name="ثبت مصوبه").click()
        page.wait_for_load_state()
    decisions = page.locator("#decisions").inner_text()
    assert "E2E-۱-۱" in decisions and "E2E-۱-۲" in decisions

    # Close, circulate (no days for objections in this council) and approve (the chair's
    # office is below the directorate: its manager may approve).
    page.goto(meeting_url)
    page.get_by_role("button", name="پایان جلسه").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="صورتجلسه و مصوبات").click()
    page.get_by_role("button", name="فرستادن برای اعضا جهت اعتراض").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="تأیید صورتجلسه (رئیس)").click()
    page.wait_for_load_state()
    assert "صورتجلسه تأیید و قفل شد" in page.locator(".messages").inner_text()
    assert "تأیید شده" in page.locator("#minutes-state").inner_text()
    assert page.locator("#minutes-form").count() == 0  # locked
    page.screenshot(path=str(screenshots / "council-minutes-approved.png"), full_page=True)
    pdf = page.request.get(page.url.split("/minutes/")[0] + "/minutes.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    decision_url = page.locator("#decisions a", has_text="E2E-۱-۱").get_attribute("href")
    context.close()

    # The responsible office's editor reports progress.
    context = _context(browser, council_server)
    page = context.new_page()
    sign_in(page, "editor")
    page.goto(decision_url)
    assert "در انتظار اقدام" in page.locator("#decision-status").inner_text()
    form = page.locator("#report-form")
    form.locator("#id_percent").fill("40")
    form.locator("#id_note").fill("مکان نمایشگاه تعیین و دعوت‌نامه‌ها فرستاده شد.")
    form.get_by_role("button", name="ثبت گزارش").click()
    page.wait_for_load_state()
    assert "گزارش ثبت شد" in page.locator(".messages").inner_text()
    assert "در حال اقدام" in page.locator("#decision-status").inner_text()
    assert "۴۰" in page.locator("#decision-percent").inner_text()
    assert "مکان نمایشگاه تعیین" in page.locator(".reports").inner_text()
    page.screenshot(path=str(screenshots / "council-decision-reported.png"), full_page=True)
    context.close()
