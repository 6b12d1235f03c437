"""Issue 16: a PR-week programme from publication to a revoked certificate, in a real browser.

The organiser (the demo's provincial PR manager) publishes a programme and a course of two
places; three guests register (the third goes on the waiting list, and the page says so); the
first leaves through the link on their pass, and the waiting guest is promoted and told; the
organiser checks the two in at the door by typing their codes, issues certificates, one is
verified on the public page, then revoked, and the public page says "revoked".
"""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta

from persiantools.jdatetime import JalaliDateTime

from ravabet.network.text import to_ascii_digits

GUESTS = [
    ("مریم احمدی", "09121110001"),
    ("رضا کریمی", "09121110002"),
    ("سارا موسوی", "09121110003"),
]


def _solve(label: str) -> str:
    a, op, b = re.search(r"(\d+)\s*([+\-−])\s*(\d+)", to_ascii_digits(label)).groups()
    return str(int(a) + int(b) if op == "+" else int(a) - int(b))


def _register(context, event_url: str, name: str, mobile: str) -> tuple[object, str]:
    """A guest registers; returns the pass page and its address."""
    page = context.new_page()
    page.goto(event_url)
    page.fill("#id_name", name)
    page.fill("#id_mobile", mobile)
    page.fill("#id_email", f"{mobile}@example.org")
    page.fill("#id_captcha_answer", _solve(page.inner_text("label[for=id_captcha_answer]")))
    page.click("form.narrow button[type=submit]")
    page.wait_for_url("**/events/pass/**")
    return page, page.url


def _code(page) -> str:
    return to_ascii_digits(page.inner_text("bdi.code")).replace("-", "")


def test_programme_registration_waiting_list_checkin_and_certificates(
    browser, server, staff_context, screenshots
):
    staff = staff_context.new_page()
    staff.goto("/staff/ilam/events/")
    staff.fill("#id_series-title_fa", "هفته روابط عمومی آزمون")
    staff.fill("#id_series-slug", "e2e-week")
    staff.fill("#id_series-year", "1405")
    staff.click("form:has(#id_series-slug) button[type=submit]")
    staff.wait_for_load_state()
    assert "برنامه ساخته شد" in staff.inner_text("body")

    start = JalaliDateTime.now() + timedelta(days=5)
    day = f"{start.year}/{start.month:02d}/{start.day:02d}"
    staff.select_option("#id_event-series", label="هفته روابط عمومی آزمون")
    staff.select_option("#id_event-kind", "training")
    staff.fill("#id_event-title", "دوره آزمون نگارش خبر")
    staff.fill("#id_event-starts_at", f"{day} 09:00")
    staff.fill("#id_event-ends_at", f"{day} 12:00")
    staff.fill("#id_event-place", "سالن آموزش استانداری")
    staff.fill("#id_event-capacity", "2")
    staff.select_option("#id_event-enrolment", "open")
    staff.select_option("#id_event-audience", "public")
    staff.click("form:has(#id_event-title) button[type=submit]")
    staff.wait_for_url("**/staff/events/*/")
    event_id = re.search(r"/staff/events/(\d+)/", staff.url).group(1)

    public = browser.new_context(base_url=server.base_url, locale="fa-IR")
    programme = public.new_page()
    programme.goto("/events/programme/e2e-week/")
    assert "دوره آزمون نگارش خبر" in programme.inner_text("main")
    assert programme.locator("script[type='application/ld+json']").count() == 1
    event_url = f"/events/{event_id}/"

    first, first_url = _register(public, event_url, *GUESTS[0])
    second, _ = _register(public, event_url, *GUESTS[1])
    # The event is full now: the page says so before the third registers.
    full = public.new_page()
    full.goto(event_url)
    assert "فهرست انتظار" in full.inner_text("main")
    third, third_url = _register(public, event_url, *GUESTS[2])
    assert "در فهرست انتظار" in third.inner_text("main")
    assert third.locator(".pass-qr svg").count() == 0

    # The first cannot come: leaves through the link on the pass; the third is promoted.
    first.click("a[href*='/events/leave/']")
    first.click("main form button[type=submit]")
    first.wait_for_url(first_url)
    assert "لغو شده" in first.inner_text("main")
    third.goto(third_url)
    assert "ثبت‌نام‌شده" in third.inner_text("main")
    assert "از فهرست انتظار" in third.inner_text("main")
    # ... and told: a notice with the calendar entry waits in the outbox for the third's email.
    with sqlite3.connect(f"file:{server.folder / 'ravabet.sqlite3'}?mode=ro", uri=True) as db:
        subjects = [
            row[0]
            for row in db.execute(
                "SELECT subject FROM network_outboxmessage WHERE recipient = ? ORDER BY id",
                (f"{GUESTS[2][1]}@example.org",),
            )
        ]
    assert len(subjects) == 2 and "فهرست انتظار" in subjects[0] and "جای شما" in subjects[1]
    assert third.locator(".pass-qr svg").count() == 1
    third.screenshot(path=str(screenshots / "events-pass.png"), full_page=True)

    # At the door: the organiser types the two codes (Persian digits and dashes are fine).
    staff.goto(f"/staff/events/{event_id}/")
    staff.click("a[href*='/checkin/']")
    for page in (second, third):
        staff.fill("#id_code", _code(page))
        staff.click("main form button[type=submit]")
        assert "حضورش ثبت شد" in staff.inner_text("main")
    staff.fill("#id_code", _code(third))
    staff.click("main form button[type=submit]")
    assert "پیش‌تر ثبت شده" in staff.inner_text("main")

    # Certificates for those who came.
    staff.goto(f"/staff/events/{event_id}/")
    staff.click("text=صدور گواهی برای همه")
    staff.wait_for_load_state()
    assert "۲ گواهی صادر شد" in staff.inner_text("body")
    code_link = staff.locator("a[href*='/events/verify/']").first
    verify_url = code_link.get_attribute("href")

    verify = public.new_page()
    verify.goto(verify_url)
    text = verify.inner_text("main")
    assert "این گواهی معتبر است" in text and "دوره آزمون نگارش خبر" in text
    assert verify.locator("meta[name=robots][content*=noindex]").count() == 1

    # Revoked: audited, and the public page says so.
    staff.fill("input[name=reason]", "ثبت حضور نادرست")
    staff.click("form[action*='/revoke/'] button[type=submit]")
    staff.wait_for_load_state()
    assert "گواهی ابطال شد" in staff.inner_text("body")
    verify.reload()
    assert "این گواهی ابطال شده است" in verify.inner_text("main")
    public.close()
