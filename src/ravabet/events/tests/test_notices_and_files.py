"""Notices through the outbox (with the .ics), the calendar files, and certificate PDFs whose
text reads back in order with Persian words intact."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import timedelta

import pytest
from icalendar import Calendar

from ravabet.conftest import missing, sign_in
from ravabet.events import certificates, services
from ravabet.events.models import RegStatus
from ravabet.network.models import OutboxMessage

from .conftest import guest


def notices_to(address: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(recipient=address).order_by("pk"))


def ics_of(message: OutboxMessage) -> Calendar:
    (attachment,) = message.attachments
    assert attachment["mimetype"] == "text/calendar"
    return Calendar.from_ical(attachment["content"])


def test_registration_notice_carries_the_pass_link_and_the_calendar(course):
    registration = services.register(course, guest=guest(1))
    (message,) = notices_to("guest1@example.org")
    assert message.subject.startswith("ثبت‌نام شد")
    assert f"/events/pass/{registration.token}/" in message.body
    assert message.topic == f"events.registration:{registration.pk}"
    event = ics_of(message).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == course.title
    assert int(event["SEQUENCE"]) == 0


def test_the_waiting_list_notice_has_no_calendar_and_the_promotion_has(course, staff_people):
    services.register(course, user=staff_people[0])
    services.register(course, user=staff_people[1])
    waiting = services.register(course, guest=guest(2))
    (first,) = notices_to("guest2@example.org")
    assert "فهرست انتظار" in first.subject and first.attachments == []
    services.leave(course.registrations.get(user=staff_people[0]).token)
    _, promoted = notices_to("guest2@example.org")
    assert "جای شما" in promoted.subject or "از آنِ شماست" in promoted.subject
    assert "فهرست انتظار" in promoted.body
    assert f"/events/pass/{waiting.token}/" in promoted.body
    assert ics_of(promoted).walk("VEVENT")


def test_moved_and_cancelled_notices_carry_a_new_ics(course, organiser):
    services.register(course, guest=guest(3))
    services.move_event(
        organiser,
        course,
        starts_at=course.starts_at + timedelta(hours=2),
        ends_at=course.ends_at + timedelta(hours=2),
    )
    services.cancel_event(organiser, course, reason="شرایط جوی")
    _registered, moved, cancelled = notices_to("guest3@example.org")
    moved_event = ics_of(moved).walk("VEVENT")[0]
    assert int(moved_event["SEQUENCE"]) == 1
    assert moved_event.decoded("DTSTART") == course.starts_at + timedelta(hours=2)
    calendar = ics_of(cancelled)
    assert str(calendar["METHOD"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 2 and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(moved_event["UID"])  # the same entry, replaced


def test_staff_are_told_at_their_account_email(course, staff_people):
    services.register(course, user=staff_people[0])
    assert len(notices_to(staff_people[0].email)) == 1


def test_a_pending_registration_is_told_it_waits_for_approval(course, staff_people, organiser):
    course.moderated = True
    course.save(update_fields=["moderated"])
    registration = services.register(course, user=staff_people[0])
    assert registration.status == RegStatus.PENDING
    (first,) = notices_to(staff_people[0].email)
    assert "تأیید" in first.body and first.attachments == []
    services.approve(organiser, registration)
    _, approved = notices_to(staff_people[0].email)
    assert approved.attachments


def test_event_and_programme_calendars(client, course, programme):
    response = client.get(f"/events/{course.pk}/event.ics")
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "سالن اجتماعات استانداری"
    whole = client.get(f"/events/programme/{programme.slug}/calendar.ics")
    assert len(Calendar.from_ical(whole.content).walk("VEVENT")) == 1


@pytest.fixture
def certificate(course, organiser, staff_people):
    person = staff_people[0]
    person.first_name, person.last_name = "زهرا", "محمدی"
    person.save()
    registration = services.register(course, user=person)
    for session in course.sessions.all():
        services.check_in(organiser, session, registration.checkin_code)
    return services.issue_certificate(organiser, registration)


def pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        missing("pdftotext (poppler-utils) is not installed: ./dev deps")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def test_the_certificate_pdf_reads_back_in_order_with_persian_words_intact(certificate):
    from ravabet.network.text import fold

    text = pdf_text(certificates.render(certificate, base_url="https://pr.ilam.example"))
    flat = " ".join(text.replace("\u202a", "").replace("\u202b", "").replace("\u202c", "").split())
    for words in (
        "گواهی حضور",
        "زهرا محمدی",
        "دوره آموزشی مدیران روابط عمومی",
        "آیت قیصربیگی",
        "مدیرکل روابط عمومی",
        "استانداری ایلام",  # lam-alef read back in order
    ):
        assert words in flat, words
    # pdftotext drops the zero-width non-joiner: the words are the same once folded.
    assert fold("بدین‌وسیله گواهی می‌شود") in fold(flat)
    assert fold("شرط‌های حضور") in fold(flat)
    assert "۱۲" in flat  # hours in Persian digits
    # Reading order: the office, the title, the statement, then the signer.
    positions = [flat.index(w) for w in ("استانداری ایلام", "گواهی حضور", "زهرا محمدی")]
    assert positions == sorted(positions)
    assert flat.index("دوره آموزشی مدیران") < flat.index("آیت قیصربیگی")
    assert f"/events/verify/{certificate.code}/" in flat


def test_the_certificate_pdf_has_the_jalali_date(certificate):
    from ravabet.network.jalali import format_date

    text = pdf_text(certificates.render(certificate, base_url="https://x.example"))
    # Digits sit in left-to-right runs: pdftotext marks them and loses the space beside them.
    bare = "".join(c for c in text if not c.isspace() and c not in "\u202a\u202b\u202c")
    assert format_date(certificate.course_date, "fa").replace(" ", "") in bare


def test_the_organiser_downloads_a_pdf_and_the_zip_without_revoked(
    client, certificate, organiser, course, staff_people
):
    other = services.register(course, user=staff_people[1])
    for session in course.sessions.all():
        services.check_in(organiser, session, other.checkin_code)
    revoked = services.issue_certificate(organiser, other)
    services.revoke_certificate(organiser, revoked, reason="اشتباه")
    sign_in(client, organiser)
    one = client.get(f"/staff/certificates/{certificate.code}/certificate.pdf")
    assert one["Content-Type"] == "application/pdf" and one.content.startswith(b"%PDF")
    bundle = client.get(f"/staff/events/{course.pk}/certificates.zip")
    names = zipfile.ZipFile(io.BytesIO(b"".join(bundle.streaming_content))).namelist()
    assert names == [f"زهرا محمدی - {certificate.code}.pdf"]


def test_a_certificate_pdf_is_for_the_organiser_only(client, certificate, staff_people):
    sign_in(client, staff_people[2])
    assert client.get(f"/staff/certificates/{certificate.code}/certificate.pdf").status_code == 403


def test_bulk_rendering_gives_one_pdf_per_certificate_in_order(certificate, course, organiser):
    from ravabet.events.models import Certificate

    long_name = "نام بسیار بلند " * 12
    registration = services.register(course, guest=services.Guest(long_name, "09123334455"))
    for session in course.sessions.all():
        services.check_in(organiser, session, registration.checkin_code)
    services.issue_certificate(organiser, registration)
    listed = list(Certificate.objects.order_by("pk"))
    parts = certificates.render_many(listed, base_url="https://x.example")
    assert len(parts) == 2
    assert "زهرا محمدی" in pdf_text(parts[0])
    assert "زهرا محمدی" not in pdf_text(parts[1])
