"""Issue 18: the evaluation's whole process in the browser, as four people.

The director-general opens a period for Mehran county's offices, an evaluator marks them, the
right of reply opens, Mehran's PR manager disputes a mark and sends the replies of the county
and its district, a second evaluator audits the dispute, the DG publishes; the public page then
names only the outstanding and the most improved, never the weakest office.
"""

from __future__ import annotations

from persiantools.jdatetime import JalaliDate

from .conftest import sign_in

QUALITY = "کیفیت خبر و گزارش تصویری"
CRISIS = "سرعت و دقت اطلاع‌رسانی در بحران"


def _person(browser, server, username: str):
    context = browser.new_context(
        base_url=server.base_url, locale="fa-IR", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    sign_in(page, username)
    return context, page


def _month_before_last() -> tuple[int, int]:
    today = JalaliDate.today()
    year, month = today.year, today.month - 2
    if month < 1:
        year, month = year - 1, month + 12
    return year, month


def _mark(page, office: str, indicator: str, value: int) -> None:
    form = page.locator("form.mark", has_text=f"{office} — {indicator}")
    form.locator(f"input[type=radio][value='{value}']").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "نمره ثبت شد" in page.content()


def _advance(page, key: str, label: str) -> None:
    page.goto(f"/staff/evaluation/{key}/")
    page.click(f"main button:has-text('{label}')")
    page.wait_for_load_state()
    assert "دوره به مرحله بعد رفت" in page.content(), page.content()[:2000]


def test_open_mark_reply_audit_publish(browser, server, screenshots):
    year, month = _month_before_last()
    key = f"{year}-{month:02d}-mehran"
    dg_context, dg = _person(browser, server, "manager")
    dg.goto("/staff/evaluation/")
    dg.fill("input[name=year]", str(year))
    dg.select_option("select[name=month]", str(month))
    dg.select_option("select[name=scope]", label="فرمانداری مهران")
    dg.click("main form button[type=submit]:has-text('باز کردن دوره')")
    dg.wait_for_url(f"**/staff/evaluation/{key}/")
    assert "ارزیابی نخست" in dg.content()
    assert dg.locator("svg.chart[role=img] title").count() >= 2

    evaluator_context, evaluator = _person(browser, server, "evaluator")
    evaluator.goto(f"/staff/evaluation/{key}/mark/")
    _mark(evaluator, "فرمانداری مهران", QUALITY, 5)
    _mark(evaluator, "فرمانداری مهران", CRISIS, 5)
    _mark(evaluator, "بخشداری صالح‌آباد", QUALITY, 1)
    _mark(evaluator, "بخشداری صالح‌آباد", CRISIS, 1)

    _advance(dg, key, "پایان ارزیابی نخست")

    county_context, county = _person(browser, server, "mehran-manager")
    county.goto(f"/staff/mehran/evaluation/{key}/")
    assert "کارنامه ارزیابی" in county.content()
    assert "داده کافی نیست" in county.content() or "منبع نصب نیست" in county.content()
    reply = county.locator("details.reply", has_text=CRISIS)
    reply.locator("summary").click()  # each reply form is folded until asked for
    reply.locator("input[type=radio][value='0']").check()
    reply.locator("textarea").fill("گزارش سیل فروردین در همان ساعت نخست منتشر شد.")
    reply.locator("button[type=submit]").click()
    county.wait_for_load_state()
    assert "پاسخ شما ثبت شد" in county.content()
    county.screenshot(path=str(screenshots / "evaluation-card.png"), full_page=True)
    for slug in ("mehran", "salehabad"):
        county.goto(f"/staff/{slug}/evaluation/{key}/")
        county.click("main button:has-text('پاسخ‌های ما کامل است')")
        county.wait_for_load_state()
        assert "برای بازبینی فرستاده شد" in county.content()

    _advance(dg, key, "آغاز بازبینی")

    auditor_context, auditor = _person(browser, server, "auditor")
    auditor.goto(f"/staff/evaluation/{key}/audit/")
    form = auditor.locator("form.audit", has_text=CRISIS)
    form.locator("textarea").fill("گزارش دستگاه بررسی شد؛ نمره تأیید می‌شود.")
    form.locator("button[type=submit]").click()
    auditor.wait_for_load_state()
    assert "بازبینی ثبت شد" in auditor.content()

    _advance(dg, key, "انتشار")
    dg.goto(f"/staff/evaluation/{key}/")
    assert "منتشرشده" in dg.content()

    public = dg_context.new_page()
    public.goto(f"/evaluation/{key}/")
    text = public.content()
    assert "روابط عمومی‌های سرآمد" in text
    assert "بخشداری صالح‌آباد" not in text  # marked 1s: never named in public
    assert "غیرفعال" not in text and "نیمه‌فعال" not in text
    public.screenshot(path=str(screenshots / "evaluation-public.png"), full_page=True)
    for context in (dg_context, evaluator_context, county_context, auditor_context):
        context.close()
