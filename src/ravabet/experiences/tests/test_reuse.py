"""Reuse ("we applied this", "was this useful?"), the figures the evaluation reads, attachments,
review-by reminders, and the PR network directory."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ravabet.experiences import selectors, services
from ravabet.experiences.models import Attachment, Experience

pytestmark = pytest.mark.django_db


def test_another_office_marks_applied_once(published, people, offices):
    services.mark_applied(people["other"], published, offices["agency"], "در هفته روابط عمومی")
    services.mark_applied(people["other"], published, offices["agency"], "یادداشت تازه")
    published.refresh_from_db()
    assert published.applied_count == 1
    assert published.applications.get().note == "یادداشت تازه"


def test_the_own_office_cannot_mark_applied(published, people, offices):
    with pytest.raises(ValidationError):
        services.mark_applied(people["author"], published, offices["county"], "خودمان")


def test_applied_through_the_page(published, people, offices, signed_in):
    client = signed_in(people["other"])
    page = client.get(f"/experiences/{published.pk}/").content.decode()
    assert "ما این را به کار بستیم" in page
    response = client.post(
        f"/experiences/{published.pk}/applied/",
        {"office": offices["agency"].pk, "note": "به کار بستیم"},
    )
    assert response.status_code == 302
    assert Experience.objects.get(pk=published.pk).applied_count == 1


def test_useful_is_counted_once_per_reader(published, client):
    assert client.post(f"/experiences/{published.pk}/useful/", {"useful": "yes"}).status_code == 302
    client.post(f"/experiences/{published.pk}/useful/", {"useful": "no"})
    published.refresh_from_db()
    assert (published.useful_yes, published.useful_no) == (1, 0)


def test_office_experience_figures(published, people, offices):
    services.mark_applied(people["other"], published, offices["agency"], "")
    now = timezone.now()
    figures = selectors.office_experience_figures(now - timedelta(days=1), now + timedelta(days=1))
    assert figures == {offices["county"].pk: {"published": 1, "applied_by_others": 1}}
    assert (
        selectors.office_experience_figures(now + timedelta(days=1), now + timedelta(days=2)) == {}
    )
    reuse = selectors.office_reuse_figures(now - timedelta(days=1), now + timedelta(days=1))
    assert reuse[offices["agency"].pk]["applied_from_others"] == 1


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _docx(macro: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\0")
    return buffer.getvalue()


def test_attachments_pdf_and_office_documents(published, people, client, signed_in):
    pdf = services.attach(people["author"], published, _upload("x.pdf", b"%PDF-1.4 test"), "چک‌لیست")
    doc = services.attach(people["author"], published, _upload("t.docx", _docx()), "قالب")
    assert (pdf.extension, doc.extension) == ("pdf", "docx")
    response = client.get(f"/experiences/files/{pdf.pk}/")  # a public write-up: anyone
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    services.unpublish(people["author"], published)
    assert client.get(f"/experiences/files/{pdf.pk}/").status_code == 410
    assert signed_in(people["author"]).get(f"/experiences/files/{pdf.pk}/").status_code == 200


@pytest.mark.parametrize(
    "name,data",
    [
        ("run.exe", b"MZ\x90\x00"),
        ("page.html", b"<html><script>alert(1)</script>"),
        ("fake.pdf", b"not a pdf at all"),
        ("macro.docx", _docx(macro=True)),
    ],
)
def test_forbidden_attachments_are_refused(published, people, name, data):
    with pytest.raises(ValidationError) as caught:
        services.attach(people["author"], published, _upload(name, data), "x")
    assert caught.value.code == "bad_type"
    assert not Attachment.objects.exists()


def test_too_large_an_attachment_is_refused(published, people, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 100)
    with pytest.raises(ValidationError) as caught:
        services.attach(people["author"], published, _upload("a.pdf", b"%PDF-" + b"0" * 200), "")
    assert caught.value.code == "too_large"


def test_forbidden_attachment_page_keeps_the_form_and_says_why(published, people, signed_in):
    client = signed_in(people["author"])
    response = client.post(
        f"/experiences/{published.pk}/attach/",
        {"title": "برنامه", "purpose": "template", "file": _upload("run.exe", b"MZ")},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "این نوع پرونده پیوست نمی‌شود" in page and 'value="برنامه"' in page


def test_review_by_reminders_are_sent_once(published, people, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "_remind_office", lambda experience: sent.append(experience.pk))
    Experience.objects.filter(pk=published.pk).update(
        review_by=timezone.localdate() - timedelta(days=1)
    )
    assert services.remind_due() == 1
    assert services.remind_due() == 0
    assert sent == [published.pk]
    services.confirm_still_valid(people["author"], published)
    Experience.objects.filter(pk=published.pk).update(review_by=timezone.localdate())
    assert services.remind_due() == 1


def test_the_reminder_job_is_scheduled():
    from django.conf import settings

    assert "ravabet.experiences.tasks.remind_due_task" in settings.RAVABET_SCHEDULE


def test_directory_is_for_staff_only(offices, people, client, signed_in):
    manager = people["author"]
    services.save_contact(
        manager.__class__.objects.create_superuser("root", password="x"),
        offices["county"],
        name="کارشناس رسانه",
        position="expert",
        phone="۰۸۴۱۲۳۴۵۶۷",
        expertise=["عکاسی خبری"],
    )
    assert client.get("/experiences/network/").status_code == 302  # to the sign-in page
    page = signed_in(people["other"]).get("/experiences/network/").content.decode()
    assert "کارشناس رسانه" in page and "عکاسی خبری" in page
    found = selectors.directory(expertise="عکاسي خبري")  # Arabic ی
    assert [c.name for row in found for c in row.contacts] == ["کارشناس رسانه"]


def test_only_the_office_manager_edits_its_directory(offices, people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_contact(people["other"], offices["county"], name="x", position="expert")


def test_the_reminder_reaches_the_authors_office_through_the_outbox(published, people, offices):
    from ravabet.network.models import OutboxMessage

    Experience.objects.filter(pk=published.pk).update(
        review_by=timezone.localdate() - timedelta(days=1)
    )
    services.remind_due()
    rows = OutboxMessage.objects.filter(topic=f"experiences:{published.pk}")
    reminders = [row for row in rows if "هنوز معتبر" in row.subject]
    assert [row.recipient for row in reminders] == [people["author"].email]
    assert published.get_absolute_url() in reminders[0].body


def test_submitting_tells_the_reviewers(offices, people):
    from ravabet.network.models import OutboxMessage

    from .conftest import complete_data

    item = services.create(people["author"], offices["county"], complete_data())
    services.submit(people["author"], item)
    recipients = set(
        OutboxMessage.objects.filter(topic=f"experiences:{item.pk}").values_list(
            "recipient", flat=True
        )
    )
    # The directorate's reviewer; not the one who is a member of the county (second person).
    assert recipients == {people["reviewer"].email}
