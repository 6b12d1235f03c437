"""Issue 14's public side clicked through in Chromium on the demo: a reader finds the councils
from the portal, filters and searches the public decisions register; the responsible office
reports progress on a decision and the register shows it; the secretary's desk turns a held
meeting into a draft news item for the host office's newsroom."""

from __future__ import annotations

import shutil

import pytest

from ravabet.network.text import to_persian_digits

from .conftest import _context, sign_in


@pytest.fixture(scope="module")
def server(demo_folder, tmp_path_factory):
    """The demo served for this module, with time to start on a loaded machine (the shared
    `server` fixture allows 60 s)."""
    from ravabet.liveserver import LiveServer, free_port, server_env

    folder = tmp_path_factory.mktemp("council-public")
    for database in demo_folder.glob("ravabet.sqlite3*"):
        shutil.copy(database, folder / database.name)
    if (demo_folder / "media").is_dir():
        shutil.copytree(demo_folder / "media", folder / "media", dirs_exist_ok=True)
    live = LiveServer(folder=folder, port=free_port(), env=server_env(folder))
    live.serve(workers=1, timeout=180)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def public_context(browser, server):
    context = _context(browser, server)
    yield context
    context.close()


@pytest.fixture(scope="module")
def staff_context(browser, server):
    context = _context(browser, server)
    page = context.new_page()
    sign_in(page)
    page.close()
    yield context
    context.close()


def test_reader_finds_filters_and_searches_the_register(public_context, screenshots):
    page = public_context.new_page()
    page.goto("/")
    page.locator("main").get_by_role("link", name="شوراهای هماهنگی").first.click()
    page.wait_for_url("**/councils/")
    page.get_by_role("link", name="شورای هماهنگی روابط عمومی دستگاه‌های اجرایی استان ایلام").click()
    page.wait_for_url("**/councils/ilam-agencies/")
    assert page.get_by_role("heading", name="کارگروه‌ها").is_visible()
    assert page.get_by_text("کارگروه مدیریت بحران در رسانه").is_visible()
    page.get_by_role("link", name="مصوبات این شورا در فهرست مصوبات").click()
    page.wait_for_url("**/councils/decisions/?body=c*")
    page.select_option("#id_status", value="overdue")
    page.get_by_role("button", name="نمایش").click()
    page.wait_for_url("**status=overdue**")
    rows = page.locator("table.register tbody tr")
    assert rows.count() == 1
    assert "دوره آموزشی خبرنویسی" in rows.first.inner_text()
    page.get_by_role("link", name="پاک کردن").click()
    page.fill("#id_q", "تجربه نگاری")  # written with a space: the index knows the word
    page.get_by_role("button", name="نمایش").click()
    page.wait_for_url("**q=**")
    assert to_persian_digits("ILM-1-2") in page.locator("table.register tbody").inner_text()
    assert "فهرست تماس اضطراری" not in page.content()  # an internal decision
    page.screenshot(path=screenshots / "council-register-search.png", full_page=True)
    page.close()


def test_progress_reported_by_the_office_shows_in_the_register(staff_context, public_context):
    page = staff_context.new_page()
    page.goto("/staff/ilam-roads/decisions/")
    assert page.get_by_role(
        "heading", name="مصوبات ما — اداره‌کل راه و شهرسازی استان ایلام"
    ).is_visible()
    page.get_by_role("link", name=to_persian_digits("ILM-1-2")).first.click()
    page.wait_for_url("**/staff/councils/decisions/*/")
    page.select_option("#id_office", label="اداره‌کل راه و شهرسازی استان ایلام")
    page.fill("#id_percent", "85")
    note = "آزمون مرورگر: سامانه تجربه‌نگاری برای همه دستگاه‌ها فعال شد."
    page.fill("#id_note", note)
    page.locator("#report-form button[type=submit]").click()
    page.wait_for_selector("text=گزارش ثبت شد")
    page.close()

    reader = public_context.new_page()
    reader.goto("/councils/decisions/")
    row = reader.locator("table.register tbody tr", has_text=to_persian_digits("ILM-1-2"))
    assert note in row.inner_text()
    assert to_persian_digits("85") in row.inner_text()
    reader.get_by_role("link", name=to_persian_digits("ILM-1-2")).click()
    assert reader.get_by_text(note).is_visible()
    reader.close()


def test_the_desk_drafts_a_meeting_news_item(staff_context, screenshots):
    page = staff_context.new_page()
    page.goto("/staff/")
    page.get_by_role("link", name="میز دبیر شورای هماهنگی").click()
    page.wait_for_url("**/staff/councils/desk/")
    assert page.get_by_role("heading", name="مصوبات گذشته از مهلت").is_visible()
    # The oldest held meeting listed: the council's first, with approved minutes.
    page.locator("form[action*='/news/'] button").last.click()
    page.wait_for_url("**/staff/news/*/")
    title = page.locator("#id_title").input_value()
    assert "میزبان" in title and "نشست" in title
    assert "پیش‌نویس خبر" in page.content()
    page.screenshot(path=screenshots / "council-news-draft.png", full_page=True)
    page.close()
