"""Issue 3's path, clicked through in Chromium: the demo editor writes, reviews, schedules and
publishes a news item with a photo; a reader sees it, votes on it and finds it in the feeds."""

from __future__ import annotations

import io
from datetime import timedelta

import feedparser
from django.utils import timezone
from PIL import Image

from ravabet.network.jalali import to_jalali_parts
from ravabet.network.text import to_persian_digits

from .conftest import sign_in

TITLE = "آزمون مرورگر: نشست کارگروه رسانه و فضای مجازی"


def _photo(tmp_path):
    path = tmp_path / "photo.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1280, 720), (14, 90, 138)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_editor_writes_schedules_publishes_and_a_reader_votes(
    browser, server, screenshots, tmp_path
):
    context = browser.new_context(base_url=server.base_url, locale="fa-IR")
    page = context.new_page()
    sign_in(page, "editor")
    page.goto("/staff/ilam-governorate/news/new/")
    page.fill("#id_over_title", "گزارش آزمون")
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "کارگروه رسانه و فضای مجازی برنامه امسال خود را بررسی کرد.")
    page.wait_for_selector(".news-editor[data-ready=true]")  # the body is a rich-text editor
    page.locator(".ql-editor").click()
    page.keyboard.type("بند نخست خبر.")
    page.keyboard.press("Enter")
    page.keyboard.type("بند دوم خبر درباره روابط عمومی‌ها.")
    page.select_option("#id_group", label="رسانه و فضای مجازی")
    page.fill("#id_tags", "رسانه، آزمون مرورگر")
    page.click("form[action*='/news/new/'] button[type=submit]")
    page.wait_for_url("**/staff/news/*/")
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    page.screenshot(path=screenshots / "news-flow-1-draft.png", full_page=True)

    page.set_input_files("#id_image", _photo(tmp_path))
    page.fill("#id_alt", "اعضای کارگروه رسانه در نشست")
    page.click("form[action*='/photos/'] button[type=submit]")
    page.wait_for_selector("text=عکس افزوده شد.")

    page.click("button[value=submit]")  # send for review
    page.wait_for_selector("text=برای بررسی فرستاده شد.")

    later = timezone.localtime() + timedelta(days=2)
    y, m, d = to_jalali_parts(later)
    page.fill("#id_publish_at", f"{y}/{m:02d}/{d:02d} 09:30")
    page.click("button[value=publish]")
    page.wait_for_selector("text=زمان‌بندی شد.")
    page.screenshot(path=screenshots / "news-flow-2-scheduled.png", full_page=True)
    assert page.goto(f"/news/{code}/").status == 404  # not public before its time
    page.goto(f"/staff/news/{code}/")

    page.fill("#id_publish_at", "")
    page.click("button[value=publish]")  # publish now instead
    page.wait_for_selector("text=منتشر شد.")
    context.close()

    reader = browser.new_context(base_url=server.base_url, locale="fa-IR")
    page = reader.new_page()
    page.goto(f"/news/{code}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == TITLE
    meta = page.locator(".news-article .meta").inner_text()
    assert to_persian_digits(code) in meta
    assert to_persian_digits(str(to_jalali_parts(timezone.localtime())[0])) in meta
    assert page.locator(".main-photo img").get_attribute("width") == "1280"
    page.screenshot(path=screenshots / "news-flow-3-published-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshots / "news-flow-3-published-390.png", full_page=True)

    page.click("#useful button[value=yes]")
    page.wait_for_selector("text=سپاس؛ رأی شما ثبت شد.")
    page.screenshot(path=screenshots / "news-flow-4-voted.png", full_page=True)
    reader.close()

    for path in ("/feeds/rss/", "/feeds/office/ilam-governorate/atom/", "/feeds/group/media/rss/"):
        feed = feedparser.parse(server.url(path))
        assert not feed.bozo, (path, feed.bozo_exception)
        assert TITLE in [entry.title for entry in feed.entries], path
