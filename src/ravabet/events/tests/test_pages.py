"""The pages over HTTP: programme pages without JavaScript and with JSON-LD, registration by a
guest and by staff, the pass and the leave link, the verify page, the organiser's pages."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ravabet.conftest import make_staff, sign_in
from ravabet.events import codes, services
from ravabet.events.models import Certificate, Registration, RegStatus
from ravabet.network.text import to_ascii_digits

from .conftest import guest


def solve(question: str) -> str:
    a, op, b, _ = to_ascii_digits(question).split()
    return str(int(a) + int(b) if op == "+" else int(a) - int(b))


def guest_post(client, event, **overrides):
    page = client.get(f"/events/{event.pk}/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        "name": "زهرا رحیمی",
        "mobile": "۰۹۱۲ ۱۱۱ ۲۲۳۳",
        "email": "zahra@example.org",
        "organisation": "خبرگزاری ایرنا",
        "captcha_token": form.initial["captcha_token"],
        "captcha_answer": solve(form.captcha_question),
        "website": "",
    }
    data.update(overrides)
    return client.post(f"/events/{event.pk}/", data)


def json_ld(html: str):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no JSON-LD on the page"
    return json.loads(found.group(1))


def test_programme_page_lists_events_with_json_ld_and_no_script(client, course, programme):
    response = client.get(f"/events/programme/{programme.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "هفته روابط عمومی ۱۴۰۵" in html
    assert "دوره آموزشی مدیران روابط عمومی" in html
    assert "دوره آموزشی" in html  # the kind, in Persian
    data = json_ld(html)
    assert data["@type"] == "Event" and data["name"] == course.title
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["name"] == "سالن اجتماعات استانداری"
    assert data["maximumAttendeeCapacity"] == 2
    # Nothing on the page needs a script of the app's own.
    assert "<script>" not in html and "onclick" not in html


def test_office_page_and_english_page(client, course, offices):
    response = client.get(f"/{offices['gov'].slug}/events/")
    assert response.status_code == 200
    assert course.title in response.content.decode()
    english = client.get(f"/en/events/{course.pk}/")
    assert english.status_code == 200
    assert "Training course" in english.content.decode()


def test_unknown_pages_are_404(client, db, offices):
    assert client.get("/events/programme/nothing/").status_code == 404
    assert client.get("/events/999999/").status_code == 404
    assert client.get("/events/pass/not-a-token/").status_code == 404
    assert client.get("/nowhere-office/events/").status_code == 404


def test_a_guest_registers_and_gets_a_pass_with_a_qr_code(client, course):
    response = guest_post(client, course)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.guest_mobile == "09121112233"
    assert registration.guest_name == "زهرا رحیمی"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "ثبت‌نام شده" in html or "ثبت‌نام‌شده" in html
    assert "<svg" in html  # the QR code, drawn by the server
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert f"/events/leave/{registration.token}/" in html


def test_double_registration_says_so_with_409_and_keeps_the_form(client, course):
    guest_post(client, course)
    response = guest_post(client, course)
    assert response.status_code == 409
    html = response.content.decode()
    assert "این شماره همراه قبلاً برای این رویداد ثبت‌نام شده است" in html
    assert "زهرا رحیمی" in html  # what was typed is kept


def test_a_bad_mobile_is_422_with_a_persian_error(client, course):
    response = guest_post(client, course, mobile="12345")
    assert response.status_code == 422
    html = response.content.decode()
    assert "شماره همراه ایرانی نیست" in html
    assert "zahra@example.org" in html


def test_a_full_event_says_the_waiting_list_clearly(client, course, staff_people):
    services.register(course, user=staff_people[0])
    services.register(course, user=staff_people[1])
    page = client.get(f"/events/{course.pk}/")
    assert "فهرست انتظار" in page.content.decode()
    response = guest_post(client, course)
    registration = Registration.objects.get(user__isnull=True)
    assert registration.status == RegStatus.WAITING
    html = client.get(response["Location"]).content.decode()
    assert "فهرست انتظار" in html and "شماره ۱" in html
    assert "<svg" not in html  # no pass until a place is given


def test_after_the_deadline_the_form_is_gone_and_a_post_is_410(client, course):
    page = client.get(f"/events/{course.pk}/")
    form = page.context["form"]
    course.registration_closes_at = timezone.now() - timedelta(hours=1)
    course.save(update_fields=["registration_closes_at"])
    html = client.get(f"/events/{course.pk}/").content.decode()
    assert "مهلت ثبت‌نام" in html
    response = client.post(
        f"/events/{course.pk}/",
        {
            "name": "علی",
            "mobile": "09120000000",
            "captcha_token": form.initial["captcha_token"],
            "captcha_answer": solve(form.captcha_question),
        },
    )
    assert response.status_code == 410


def test_staff_register_as_themselves_with_one_button(client, course, staff_people):
    sign_in(client, staff_people[0])
    response = client.post(f"/events/{course.pk}/", {"as_staff": "1"})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.user == staff_people[0] and registration.guest_name == ""
    again = client.post(f"/events/{course.pk}/", {"as_staff": "1"})
    assert again.status_code == 409


def test_leave_link_asks_then_leaves_and_promotes(client, course, staff_people):
    first = services.register(course, user=staff_people[0])
    services.register(course, user=staff_people[1])
    waiting = services.register(course, guest=guest(4))
    confirm = client.get(f"/events/leave/{first.token}/")
    assert confirm.status_code == 200 and "فهرست انتظار" in confirm.content.decode()
    assert (
        Registration.objects.get(pk=first.pk).status == RegStatus.CONFIRMED
    )  # GET changes nothing
    response = client.post(f"/events/leave/{first.token}/")
    assert response.status_code == 302
    assert Registration.objects.get(pk=first.pk).status == RegStatus.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == RegStatus.CONFIRMED


@pytest.fixture
def certificate(course, organiser, staff_people):
    registration = services.register(course, user=staff_people[0])
    for session in course.sessions.all():
        services.check_in(organiser, session, registration.checkin_code)
    return services.issue_certificate(organiser, registration)


def test_verify_shows_name_course_hours_and_date(client, certificate):
    response = client.get(f"/events/verify/{certificate.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "این گواهی معتبر است" in html
    assert certificate.holder_name in html and certificate.course_title in html
    assert "۱۲" in html  # hours, in Persian digits
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_verify_accepts_a_typed_code_in_persian_digits(client, certificate):
    from ravabet.network.text import to_persian_digits

    typed = to_persian_digits(codes.shown(certificate.code))
    response = client.get("/events/verify/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/events/verify/{certificate.code}/")


def test_a_revoked_certificate_says_revoked(client, certificate, organiser):
    services.revoke_certificate(organiser, certificate, reason="تکرار")
    html = client.get(f"/events/verify/{certificate.code}/").content.decode()
    assert "این گواهی ابطال شده است" in html
    assert "این گواهی معتبر است" not in html


def test_forged_and_mistyped_codes_look_the_same(client, certificate):
    code = certificate.code
    mistyped = code[:-1] + str((int(code[-1]) + 1) % 10)  # fails the check digit
    forged = codes.new_verification_code()  # valid shape, not issued
    tried = (mistyped, forged, "x" * 12)
    pages = [client.get(f"/events/verify/{c}/") for c in tried]
    assert {p.status_code for p in pages} == {404}
    bodies = {
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", p.content.decode()).replace(c, "C")
        for p, c in zip(pages, tried, strict=True)
    }
    assert len(bodies) == 1  # no hint which codes are valid
    assert "یافت نشد" in bodies.pop()


def test_verify_is_rate_limited(client, db, settings):
    from ravabet.events import views

    for _ in range(views.VERIFY_LIMIT):
        assert client.get("/events/verify/000000000000/").status_code == 404
    assert client.get("/events/verify/000000000000/").status_code == 429


# ----------------------------------------------------------------------------- organiser


def test_the_door_page_checks_in_by_code_and_answers_clearly(client, course, organiser):
    registration = services.register(course, guest=guest(5))
    session = course.sessions.first()
    sign_in(client, organiser)
    url = f"/staff/events/{course.pk}/sessions/{session.pk}/checkin/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"<script" not in page.content  # nothing to download but the page
    assert len(page.content) < 4000  # a slow connection: one small page
    ok = client.post(url, {"code": codes.shown(registration.checkin_code)})
    assert ok.status_code == 200 and "حضورش ثبت شد" in ok.content.decode()
    twice = client.post(url, {"code": registration.checkin_code})
    assert "پیش‌تر" in twice.content.decode()
    unknown = client.post(url, {"code": "12345678"})
    assert unknown.status_code == 404


def test_the_qr_leads_the_organiser_to_check_in_buttons(client, course, organiser):
    registration = services.register(course, guest=guest(6))
    sign_in(client, organiser)
    page = client.get(f"/staff/events/pass/{registration.checkin_code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "مهمان شماره 6" in html or "مهمان شماره ۶" in html
    assert html.count('name="method" value="qr"') == 3


def test_the_door_list_is_a_csv_with_every_session(client, course, organiser, staff_people):
    services.register(course, user=staff_people[0])
    services.register(course, guest=guest(7))
    sign_in(client, organiser)
    response = client.get(f"/staff/events/{course.pk}/door-list.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 3
    assert "روز ۱" in lines[0] or "روز 1" in lines[0]
    assert "مهمان شماره 7" in text


def test_guests_are_shown_only_to_the_organising_office(client, course, offices):
    services.register(course, guest=guest(8))
    above = make_staff("province-manager", offices["root"], "manager")
    sign_in(client, above)
    page = client.get(f"/staff/events/{course.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "مهمان شماره" not in html and "09120000008" not in html
    assert "مهمان" in html  # the row is there, without the person
    csv_text = client.get(f"/staff/events/{course.pk}/door-list.csv").content.decode("utf-8-sig")
    assert "09120000008" not in csv_text and "مهمان شماره" not in csv_text


def test_the_organiser_sees_guests(client, course, organiser):
    services.register(course, guest=guest(8))
    sign_in(client, organiser)
    html = client.get(f"/staff/events/{course.pk}/").content.decode()
    assert "مهمان شماره 8" in html and "guest8@example.org" in html


def test_someone_of_another_office_gets_403(client, course, offices):
    outsider = make_staff("roads-manager", offices["agency"], "manager")
    sign_in(client, outsider)
    assert client.get(f"/staff/events/{course.pk}/").status_code == 403


def test_the_organiser_creates_a_three_day_course(client, organiser, offices, programme):
    sign_in(client, organiser)
    response = client.post(
        f"/staff/{offices['gov'].slug}/events/",
        {
            "event-series": programme.pk,
            "event-kind": "training",
            "event-title": "دوره نگارش خبر",
            "event-starts_at": "۱۴۰۵/۰۲/۲۸ ۰۹:۰۰",
            "event-ends_at": "1405/02/28 13:00",
            "event-place": "سالن آموزش",
            "event-audience": "staff",
            "event-capacity": "30",
            "event-enrolment": "open",
            "event-sessions": "3",
            "event-min_share": "0.67",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    from ravabet.events.models import Event

    event = Event.objects.get(title="دوره نگارش خبر")
    assert event.sessions.count() == 3
    assert (event.ends_at - event.starts_at) == timedelta(days=2, hours=4)


def test_a_bad_date_keeps_the_form_and_says_so(client, organiser, offices):
    sign_in(client, organiser)
    response = client.post(
        f"/staff/{offices['gov'].slug}/events/",
        {
            "event-kind": "meeting",
            "event-title": "نشست",
            "event-starts_at": "1405/13/40",
            "event-ends_at": "1405/02/28 13:00",
            "event-place": "سالن",
            "event-audience": "staff",
            "event-enrolment": "open",
            "event-sessions": "1",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "1405/13/40" in html and "تاریخ" in html


def test_bulk_certificates_through_the_page(client, course, organiser, staff_people):
    registration = services.register(course, user=staff_people[0])
    for session in course.sessions.all():
        services.check_in(organiser, session, registration.checkin_code)
    sign_in(client, organiser)
    response = client.post(f"/staff/events/{course.pk}/certificates/")
    assert response.status_code == 302
    assert Certificate.objects.count() == 1


def test_the_office_portal_carries_the_programme_line_while_it_is_on(client, course, offices):
    from ravabet.events.models import Event

    soon = timezone.now() + timedelta(days=3)
    Event.objects.filter(pk=course.pk).update(starts_at=soon, ends_at=soon + timedelta(hours=4))
    html = client.get(f"/{offices['gov'].slug}/").content.decode()
    assert "هفته روابط عمومی ۱۴۰۵" in html and "رویداد پیش رو" in html
    assert course.title in html
    elsewhere = client.get(f"/{offices['agency'].slug}/").content.decode()
    assert "هفته روابط عمومی ۱۴۰۵" not in elsewhere


def test_the_portal_line_follows_time(course, offices):
    from ravabet.events import selectors

    office = offices["gov"]
    assert selectors.portal_line(office, now=course.starts_at - timedelta(days=30)) is None
    line = selectors.portal_line(office, now=course.starts_at - timedelta(days=3))
    assert line is not None and line.next_event == course
    assert selectors.portal_line(office, now=course.ends_at + timedelta(hours=1)) is None


def test_a_new_event_refreshes_the_cached_office_home(
    client, organiser, offices, start, django_capture_on_commit_callbacks
):
    from ravabet.events.models import Kind

    office = offices["county"]
    before = client.get(f"/{office.slug}/").content.decode()
    assert "نشست فضای مجازی" not in before
    series = services.create_series(
        organiser, office, slug="mehran-week", title_fa="هفته روابط عمومی مهران", year=1405
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.create_event(
            organiser,
            office,
            series=series,
            kind=Kind.SESSION,
            title="نشست فضای مجازی",
            starts_at=start - timedelta(days=8),
            ends_at=start - timedelta(days=8) + timedelta(hours=2),
            place="فرمانداری",
        )
    after = client.get(f"/{office.slug}/").content.decode()
    assert "نشست فضای مجازی" in after


def test_the_organiser_approves_and_turns_down_on_the_page(client, course, organiser, staff_people):
    course.moderated = True
    course.save(update_fields=["moderated"])
    first = services.register(course, user=staff_people[0])
    second = services.register(course, user=staff_people[1])
    sign_in(client, organiser)
    base = f"/staff/events/{course.pk}/registrations"
    assert client.post(f"{base}/{first.pk}/approve/").status_code == 302
    assert client.post(f"{base}/{second.pk}/reject/").status_code == 302
    assert client.post(f"{base}/{second.pk}/delete/").status_code == 404
    assert client.get(f"{base}/{first.pk}/approve/").status_code == 405
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {first.pk: RegStatus.CONFIRMED, second.pk: RegStatus.REJECTED}


def test_moving_on_the_page_takes_jalali_dates(client, course, organiser):
    sign_in(client, organiser)
    response = client.post(
        f"/staff/events/{course.pk}/move/",
        {
            "move-starts_at": "۱۴۰۶/۰۲/۲۷ ۰۹:۰۰",
            "move-ends_at": "1406/02/27 13:00",
            "move-place": "",
        },
    )
    assert response.status_code == 302
    course.refresh_from_db()
    from ravabet.network.jalali import format_datetime

    assert format_datetime(course.starts_at, "fa") == "۲۷ اردیبهشت ۱۴۰۶، ساعت ۰۹:۰۰"
    assert course.place == "سالن اجتماعات استانداری"  # an empty place keeps the old one
    bad = client.post(
        f"/staff/events/{course.pk}/move/",
        {"move-starts_at": "فردا", "move-ends_at": "1406/02/27 13:00"},
    )
    assert bad.status_code == 422 and "فردا" in bad.content.decode()


def test_cancelling_on_the_page_needs_a_reason(client, course, organiser):
    sign_in(client, organiser)
    assert (
        client.post(f"/staff/events/{course.pk}/cancel/", {"cancel-reason": ""}).status_code == 422
    )
    ok = client.post(f"/staff/events/{course.pk}/cancel/", {"cancel-reason": "تعطیلی رسمی"})
    assert ok.status_code == 302
    html = client.get(f"/events/{course.pk}/").content.decode()
    assert "این رویداد لغو شده است" in html
    assert json_ld(html)["eventStatus"] == "https://schema.org/EventCancelled"


def test_a_certificate_for_someone_who_did_not_meet_the_rules_is_409_on_the_page(
    client, course, organiser, staff_people
):
    registration = services.register(course, user=staff_people[0])
    sign_in(client, organiser)
    response = client.post(
        f"/staff/events/{course.pk}/certificates/", {"registration": registration.pk}
    )
    assert response.status_code == 409
    assert "شرط‌های حضور را برآورده نکرد" in response.content.decode()
    assert not Certificate.objects.exists()


def test_cloning_on_the_page(client, programme, course, organiser):
    sign_in(client, organiser)
    page = client.get(f"/staff/events/programme/{programme.slug}/clone/")
    assert page.status_code == 200 and 'value="1406"' in page.content.decode()
    response = client.post(
        f"/staff/events/programme/{programme.slug}/clone/",
        {"title_fa": "هفته روابط عمومی ۱۴۰۶", "slug": "pr-week-1406", "year": "1406"},
    )
    assert response.status_code == 302
    assert client.get("/events/programme/pr-week-1406/").status_code == 200
    again = client.post(
        f"/staff/events/programme/{programme.slug}/clone/",
        {"title_fa": "دوباره", "slug": "pr-week-1406", "year": "1406"},
    )
    assert again.status_code == 422


def test_figures_page(client, course, organiser, staff_people, offices):
    registration = services.register(course, user=staff_people[0])
    for session in course.sessions.all():
        services.check_in(organiser, session, registration.checkin_code)
    sign_in(client, organiser)
    from ravabet.network.jalali import to_jalali_parts

    year = to_jalali_parts(course.starts_at)[0]
    html = client.get(f"/staff/{offices['gov'].slug}/events/figures/", {"year": year}).content
    text = html.decode()
    assert "فرمانداری مهران" in text and "۱۲" in text
    assert client.get(f"/staff/{offices['gov'].slug}/events/figures/?year=abc").status_code == 200


def test_the_series_chart_is_an_svg_with_persian_numbers(
    client, course, programme, organiser, staff_people
):
    registration = services.register(course, user=staff_people[0])
    services.check_in(organiser, course.sessions.first(), registration.checkin_code)
    html = client.get(f"/events/programme/{programme.slug}/").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert "۱/۱" in html
