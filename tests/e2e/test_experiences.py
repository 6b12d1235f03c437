"""Issue 17's path, clicked through in Chromium: the demo editor writes an experience and
submits it; the directorate's reviewer sends it back with a comment; the editor revises and
submits again; the reviewer approves; the editor publishes it to the public; the manager marks
it "we applied this" for another office; a reader finds it by searching a lesson's words."""

from __future__ import annotations

from .conftest import sign_in

TITLE = "آزمون مرورگر: میز خبر مشترک در نمایشگاه کتاب"
LESSON = "فهرست خبرنگاران مهمان را یک هفته زودتر بفرستید"


def _staff_page(browser, server, username):
    context = browser.new_context(base_url=server.base_url, locale="fa-IR")
    page = context.new_page()
    sign_in(page, username)
    return context, page


def test_write_review_revise_publish_apply_and_find(browser, server, screenshots):
    editor_context, editor = _staff_page(browser, server, "editor")
    editor.goto("/staff/experiences/")
    editor.click("a[href='/staff/experiences/new/ilam-governorate/']")
    editor.fill("#id_title", TITLE)
    editor.select_option("#id_kind", "event")
    editor.fill("#id_period_start", "۱۴۰۵/۰۲/۱۰")
    editor.fill("#id_situation", "نمایشگاه کتاب استان یک هفته برپا بود.")
    editor.fill("#id_goal", "پوشش روزانه نمایشگاه در رسانه‌های استان.")
    editor.fill("#id_steps", "میز خبر در ورودی نمایشگاه\nبولتن روزانه برای خبرنگاران")
    editor.fill("#id_results", "خبرگزاری‌ها هر روز از نمایشگاه گزارش دادند.")
    editor.fill("#id_lessons", f"{LESSON} | خبرنگاران، رویداد")
    editor.fill("#id_contact_name", "دبیر خبر استانداری")
    editor.click("main form button[type=submit]")
    editor.wait_for_selector("text=پیش‌نویس ذخیره شد.")
    experience_url = editor.url
    editor.click("form[action$='/submit/'] button")
    editor.wait_for_selector("text=تجربه‌نگاری برای بازبینی فرستاده شد.")

    reviewer_context, reviewer = _staff_page(browser, server, "reviewer")
    reviewer.goto("/staff/experiences/")
    reviewer.click(f"text={TITLE}")
    reviewer.check("input[name=decision][value=changes]")
    reviewer.fill("#id_body", "نتیجه را با عدد بنویسید: چند خبر منتشر شد؟")
    reviewer.click("form[action$='/review/'] button")
    reviewer.wait_for_selector("text=بازبینی شما ثبت شد.")

    editor.goto(experience_url)
    editor.wait_for_selector("text=نتیجه را با عدد بنویسید")
    editor.click("a[href$='/edit/']")
    editor.fill("#id_results", "خبرگزاری‌ها در هفت روز ۲۳ گزارش از نمایشگاه منتشر کردند.")
    editor.click("main form button[type=submit]")
    editor.wait_for_selector("text=تغییرات ذخیره شد.")
    editor.click("form[action$='/submit/'] button")
    editor.wait_for_selector("text=تجربه‌نگاری برای بازبینی فرستاده شد.")

    reviewer.goto(experience_url)
    reviewer.check("input[name=decision][value=approve]")
    reviewer.click("form[action$='/review/'] button")
    reviewer.wait_for_selector("text=بازبینی شما ثبت شد.")
    reviewer_context.close()

    editor.goto(experience_url)
    editor.check("input[name=audience][value=public]")
    editor.click("form[action$='/publish/'] button")
    editor.wait_for_selector("text=منتشر شد.")
    editor.goto(experience_url.rstrip("/") + "/versions/?a=1&b=2")
    assert editor.locator("ins.diff").count() >= 1  # the revision, word by word
    editor.screenshot(path=screenshots / "experiences-1-versions.png", full_page=True)
    editor_context.close()

    manager_context, manager = _staff_page(browser, server, "manager")
    manager.goto(experience_url)
    manager.select_option("#id_office", label="فرمانداری مهران")
    manager.fill("#id_note", "برای نمایشگاه صنایع‌دستی مهران همین میز خبر را برپا کردیم.")
    manager.click("form[action$='/applied/'] button")
    manager.wait_for_selector("text=به‌کارگیری آن در دستگاه شما ثبت شد")
    assert "فرمانداری مهران" in manager.locator("#applied").inner_text()
    manager_context.close()

    reader_context = browser.new_context(base_url=server.base_url, locale="fa-IR")
    reader = reader_context.new_page()
    reader.goto("/search/?q=" + "خبرنگاران مهمان يک هفته زودتر")  # Arabic ي
    reader.click(f"a:has-text('{LESSON}')")
    reader.wait_for_url("**/experiences/*/#lesson-1")
    assert reader.locator("h1").inner_text() == TITLE
    assert "۲۳ گزارش" in reader.content()
    reader.screenshot(path=screenshots / "experiences-2-found.png", full_page=True)
    reader_context.close()
