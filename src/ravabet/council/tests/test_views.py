"""The staff pages over HTTP: Persian pages, kept input and fitting statuses, the minutes'
conflict (409), the personal calendar feed (wrong or revoked token: 404), the PDF's text."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from icalendar import Calendar

from ravabet.conftest import make_staff, sign_in
from ravabet.council import services
from ravabet.council.models import Decision, Meeting, MinutesVersion
from ravabet.network.models import Office, Role

from .conftest import MEETING_DAY, run_meeting

pytestmark = pytest.mark.django_db


def version_of(meeting) -> MinutesVersion:
    return MinutesVersion.objects.filter(minutes__meeting=meeting).latest("number")


def test_meeting_page_in_persian(client, body, meeting):
    sign_in(client, body.secretary)
    page = client.get(f"/staff/councils/meetings/{meeting.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "جلسه ۱" in text and "پیگیری مصوبات جلسات قبل" in text
    assert "فرستادن دعوت‌نامه‌ها" in text


def test_an_office_outside_the_council_sees_nothing(client, body, meeting):
    other = Office.objects.create(slug="other", kind="agency", name_fa="دستگاه دیگر",
                                  parent=body.offices["gov"])  # fmt: skip
    outsider = make_staff("outsider", other, Role.MANAGER)
    sign_in(client, outsider)
    assert client.get(f"/staff/councils/meetings/{meeting.pk}/").status_code == 404
    assert client.get("/staff/councils/ilam-council/").status_code == 404


def test_a_used_number_is_refused_and_the_form_keeps_the_input(client, body, meeting):
    sign_in(client, body.secretary)
    response = client.post(
        "/staff/councils/ilam-council/meetings/new/",
        {"number": "1", "title": "جلسه فوق‌العاده", "starts_at": "۱۴۰۵/۰۹/۲۰ ۱۰:۰۰",
         "duration_minutes": "60", "place": "سالن شماره دو",
         "host_office": body.offices["gov"].pk},
    )  # fmt: skip
    assert response.status_code == 422
    text = response.content.decode()
    assert "جلسه شماره ۱ این نهاد پیش‌تر ثبت شده است" in text
    assert 'value="سالن شماره دو"' in text and "جلسه فوق‌العاده" in text


def test_a_bad_jalali_date_is_a_persian_error(client, body):
    sign_in(client, body.secretary)
    response = client.post(
        "/staff/councils/ilam-council/meetings/new/",
        {"starts_at": "1405/13/40", "duration_minutes": "60", "place": "سالن",
         "host_office": body.offices["gov"].pk},
    )  # fmt: skip
    assert response.status_code == 422
    assert "تاریخ شمسی بنویسید" in response.content.decode()


def test_a_member_may_not_create_meetings(client, body):
    sign_in(client, body.agency_editor)
    assert client.get("/staff/councils/ilam-council/meetings/new/").status_code == 403


def test_concurrent_minutes_edit_is_a_409_with_both_texts(client, body, meeting):
    run_meeting(body, meeting)
    item = meeting.agenda.first()
    field = f"item_{item.pk}"
    sign_in(client, body.secretary)
    first = client.post(f"/staff/councils/meetings/{meeting.pk}/minutes/",
                        {"revision": "0", field: "گزارش دبیر درباره مصوبات"})  # fmt: skip
    assert first.status_code == 302
    second = client.post(f"/staff/councils/meetings/{meeting.pk}/minutes/",
                         {"revision": "0", field: "متن رقیب که نباید گم شود"})  # fmt: skip
    assert second.status_code == 409
    text = second.content.decode()
    assert "گزارش دبیر درباره مصوبات" in text  # the other's saved text is shown
    assert "متن رقیب که نباید گم شود" in text  # what this editor typed is kept
    assert re.search(r'name="revision" value="1"', text)
    assert version_of(meeting).entries.get(agenda_item=item).text == "گزارش دبیر درباره مصوبات"


def test_a_friday_deadline_is_moved_and_the_user_is_told(client, body, meeting):
    run_meeting(body, meeting)
    sign_in(client, body.secretary)
    friday = MEETING_DAY + timedelta(days=6)
    from ravabet.network.jalali import to_jalali_parts

    y, m, d = to_jalali_parts(friday)
    response = client.post(
        f"/staff/councils/meetings/{meeting.pk}/decisions/",
        {"text": "برگزاری دوره آموزشی خبرنویسی", "office": body.offices["district"].pk,
         "deadline": f"{y}/{m}/{d}"},
        follow=True,
    )  # fmt: skip
    text = response.content.decode()
    assert "مصوبه ILM-۱-۱ ثبت شد" in text
    assert "روز کاری نیست" in text
    assert Decision.objects.get().deadline == friday + timedelta(days=1)


def test_decision_without_deadline_keeps_the_text(client, body, meeting):
    run_meeting(body, meeting)
    sign_in(client, body.secretary)
    response = client.post(
        f"/staff/councils/meetings/{meeting.pk}/decisions/",
        {"text": "متن مصوبه بی‌مهلت", "office": body.offices["district"].pk},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "مهلت را بنویسید" in text and "متن مصوبه بی‌مهلت" in text


def test_only_the_responsible_office_sees_the_report_form(client, body, meeting):
    run_meeting(body, meeting)
    decision, _ = services.add_decision(
        body.secretary, meeting, text_="گزارش", office=body.offices["district"], working_days=5
    )
    sign_in(client, body.agency_editor)
    page = client.get(f"/staff/councils/decisions/{decision.pk}/")
    assert page.status_code == 200 and "report-form" not in page.content.decode()
    refused = client.post(f"/staff/councils/decisions/{decision.pk}/report/",
                          {"office": body.offices["agency"].pk, "percent": "10", "note": "x"})  # fmt: skip
    assert refused.status_code == 403
    client.logout()
    sign_in(client, body.district)
    done = client.post(
        f"/staff/councils/decisions/{decision.pk}/report/",
        {"office": body.offices["district"].pk, "percent": "60", "note": "برگزار شد"},
    )
    assert done.status_code == 302
    decision.refresh_from_db()
    assert decision.percent_done == 60


def test_personal_feed_token_wrong_and_revoked_are_404(client, body, meeting):
    services.invite(body.secretary, meeting)
    sign_in(client, body.agency_editor)
    page = client.post("/staff/councils/calendar/", {"issue": "1"})
    url = re.search(r'value="(http[^"]+\.ics)"', page.content.decode()).group(1)
    path = url.split("testserver", 1)[1]
    client.logout()
    feed = client.get(path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = list(Calendar.from_ical(feed.content).walk("VEVENT"))
    assert len(events) == 1 and "جلسه" in str(events[0]["SUMMARY"])
    assert client.get(path.replace(".ics", "x.ics")).status_code == 404
    services.revoke_feed_tokens(body.agency_editor)
    assert client.get(path).status_code == 404


def test_drafts_stay_out_of_the_feed(client, body, meeting):
    token = services.issue_feed_token(body.secretary)
    feed = client.get(f"/councils/calendar/{token}.ics")
    assert feed.status_code == 200
    assert list(Calendar.from_ical(feed.content).walk("VEVENT")) == []


def test_meeting_ics_download(client, body, meeting):
    sign_in(client, body.secretary)
    response = client.get(f"/staff/councils/meetings/{meeting.pk}/meeting.ics")
    assert response.status_code == 200
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert "صالح‌آباد" in str(event["LOCATION"])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_minutes_pdf_text_comes_back_in_order(client, body, meeting):
    run_meeting(body, meeting)
    item = meeting.agenda.first()
    services.save_minutes(
        body.secretary, version_of(meeting), base_revision=0,
        texts={item.pk: "گزارش پیشرفت مصوبات جلسه گذشته ارائه شد"},
    )  # fmt: skip
    services.add_decision(
        body.secretary, meeting, text_="برگزاری نشست خبری استاندار",
        office=body.offices["district"], working_days=10,
    )  # fmt: skip
    sign_in(client, body.secretary)
    response = client.get(f"/staff/councils/meetings/{meeting.pk}/minutes.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = " ".join(text.split())

    def in_order(phrase: str) -> bool:
        # pdftotext writes right-to-left lines in logical order; the words must read in order.
        words = phrase.split()
        return phrase in flat or " ".join(reversed(words)) in flat

    assert in_order("گزارش پیشرفت مصوبات جلسه گذشته ارائه شد")
    assert in_order("برگزاری نشست خبری استاندار")
    assert "بخشداری" in flat and "حاضر" in flat
    assert "۱۴۰۵" in flat  # the Jalali year


def test_meeting_numbers_stay_unique_under_a_direct_insert(body, meeting):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            council=body.council, number=1, starts_at=meeting.starts_at,
            host_office=body.offices["gov"],
        )  # fmt: skip


def test_evidence_is_a_photo_or_a_pdf_kept_private(client, body, meeting, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.RAVABET_PRIVATE_MEDIA_ROOT = str(tmp_path)
    run_meeting(body, meeting)
    decision, _ = services.add_decision(
        body.secretary, meeting, text_="گزارش", office=body.offices["district"], working_days=5
    )
    sign_in(client, body.district)
    url = f"/staff/councils/decisions/{decision.pk}/report/"
    refused = client.post(url, {
        "office": body.offices["district"].pk, "percent": "20", "note": "یادداشت نگه‌داشته",
        "file": SimpleUploadedFile("x.html", b"<script>alert(1)</script>", "text/html"),
    })  # fmt: skip
    assert refused.status_code == 422
    assert "یادداشت نگه‌داشته" in refused.content.decode()
    assert "PDF" in refused.content.decode()
    accepted = client.post(url, {
        "office": body.offices["district"].pk, "percent": "20", "note": "صورت‌حساب",
        "file": SimpleUploadedFile("bill.pdf", b"%PDF-1.4 test", "application/pdf"),
    })  # fmt: skip
    assert accepted.status_code == 302
    report = decision.reports.get()
    assert report.file_name == "bill.pdf" and report.file.name.endswith(".pdf")
    assert not report.file.name.endswith("bill.pdf")  # a random name
    got = client.get(f"/staff/councils/decisions/{decision.pk}/files/{report.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 test"
    client.logout()
    other = Office.objects.create(
        slug="far", kind="agency", name_fa="دور", parent=body.offices["gov"]
    )
    sign_in(client, make_staff("far", other, Role.MANAGER))
    assert (
        client.get(f"/staff/councils/decisions/{decision.pk}/files/{report.pk}/").status_code == 404
    )


def test_editing_an_invited_meeting_tells_the_members(client, body, meeting):
    from ravabet.network.models import OutboxMessage

    services.invite(body.secretary, meeting)
    sign_in(client, body.secretary)
    page = client.get(f"/staff/councils/meetings/{meeting.pk}/edit/")
    assert 'value="1405/09/14 10:00"' in page.content.decode()  # 5 Dec 2026, in Jalali
    before = OutboxMessage.objects.count()
    response = client.post(f"/staff/councils/meetings/{meeting.pk}/edit/", {
        "starts_at": "۱۴۰۵/۰۹/۱۵ ۱۱:۳۰", "duration_minutes": "90", "place": meeting.place,
        "host_office": body.offices["district"].pk,
    })  # fmt: skip
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert OutboxMessage.objects.count() > before


def test_the_english_page_reads_in_english(client, body, meeting):
    sign_in(client, body.secretary)
    page = client.get(f"/en/staff/councils/meetings/{meeting.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Send the invitations" in text and "Agenda" in text


def test_the_attendance_sheet_shows_the_answers(client, body, meeting):
    from ravabet.council.models import Invitation

    services.invite(body.secretary, meeting)
    services.rsvp(body.agency_editor, Invitation.objects.get(office=body.offices["agency"]), "yes")
    services.move_meeting(body.secretary, meeting, "start")
    sign_in(client, body.secretary)
    page = client.get(f"/staff/councils/meetings/{meeting.pk}/attendance/")
    text = page.content.decode()
    assert "شرکت می‌کند" in text and "پاسخ به دعوت" in text
    rows = {body.offices[k].pk: "present" for k in ("gov", "county", "district")}
    saved = client.post(
        f"/staff/councils/meetings/{meeting.pk}/attendance/",
        {f"status_{pk}": status for pk, status in rows.items()},
        follow=True,
    )
    assert "حد نصاب حاصل است" in saved.content.decode()
