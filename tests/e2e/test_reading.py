"""Issue 13's citizens' walk in Chromium: demands found from any page, number groups that read
in order, a comment's errors on the article, the reader's own votes shown."""

from __future__ import annotations

from . import checks


def test_a_citizen_finds_the_demand_form_from_the_province_home(public_context):
    page = public_context.new_page()
    page.goto("/")
    send = page.locator(".main-nav a[href='/demands/new/']")
    assert send.inner_text() == "ثبت مطالبه"
    send.click()
    page.wait_for_url("**/demands/new/")
    assert page.inner_text("h1") == "ثبت مطالبه: انتخاب دفتر"
    page.click("#choose-office a[href='/mehran/demands/new/']")
    page.wait_for_url("**/mehran/demands/new/")
    page.goto("/news/1001/")
    track = page.locator(".main-nav a[href='/demands/track/']")
    assert track.inner_text() == "پیگیری مطالبه"
    track.click()
    page.wait_for_url("**/demands/track/")
    page.close()


def test_number_groups_read_in_order(public_context, screenshots):
    page = public_context.new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto("/ilam-governorate/demands/new/")
    assert (
        checks.digit_groups_out_of_order(page, "#id_mobile_helptext", ["۰۹۱۲", "۳۴۵", "۶۷۸۹"]) == []
    )
    page.goto("/demands/track/")
    assert checks.digit_groups_out_of_order(page, ".helptext", ["۱۲۳۴", "۵۶۷۸", "۹۰۱۲"]) == []
    page.goto("/demands/track/?code=12")
    assert checks.digit_groups_out_of_order(page, ".errorlist", ["۱۲۳۴", "۵۶۷۸", "۹۰۱۲"]) == []
    page.screenshot(path=screenshots / "reading-track-error-390.png", full_page=True)
    page.close()


def test_a_failed_comment_stays_on_the_article(public_context, screenshots):
    page = public_context.new_page()
    page.goto("/news/1001/")
    url = page.url
    page.fill("#id_name", "مریم")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("#comment-form .form-errors")
    assert page.url == url
    assert page.locator("article.news-article h1").count() == 1
    assert "را پر کنید" in page.inner_text("#comment-form") or "خالی" in page.inner_text(
        "#comment-form"
    )
    assert page.input_value("#id_name") == "مریم"
    page.locator("#comment-form").scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "reading-comment-error-1366.png", full_page=True)
    page.close()


def test_the_readers_useful_answer_is_shown_after_a_reload(browser, server, screenshots):
    context = browser.new_context(base_url=server.base_url, locale="fa-IR")
    page = context.new_page()
    page.goto("/news/1002/")
    page.click("#useful button[value=no]")
    page.wait_for_selector("#useful [role=status]")
    page.reload()
    assert page.get_attribute("#useful button[value=no]", "aria-pressed") == "true"
    assert page.get_attribute("#useful button[value=yes]", "aria-pressed") == "false"
    page.locator("#useful").scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "reading-useful-after-reload-1366.png")
    context.close()
