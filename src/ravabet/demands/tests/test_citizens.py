"""The citizen's side through real HTTP: the form, the code, the status page, the rating."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ravabet.demands import codes, services
from ravabet.demands.models import Attachment, Demand, Status
from ravabet.network.models import AuditEvent
from ravabet.network.models import OutboxMessage as Notification
from ravabet.network.text import to_persian_digits

from .helpers import form_data, submit

pytestmark = pytest.mark.django_db


def test_office_home_links_to_the_form(client, offices):
    page = client.get("/mehran/")
    assert b"/mehran/demands/new/" in page.content


def test_submission_gives_a_code_on_screen_and_by_email(client, offices):
    response = submit(client, "mehran")
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert response["Location"] == f"/demands/track/{demand.code}/"
    assert demand.mobile == "09123456789"  # Persian digits and spaces normalised
    assert demand.status == Status.RECEIVED and demand.office == offices["county"]
    assert AuditEvent.objects.filter(action="demands.submit", object_id=str(demand.pk)).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert to_persian_digits(codes.display(demand.code)) in page.content.decode()
    assert "مطالبه شما دریافت شد" in page.content.decode()
    # The message waits in the outbox until after the commit, then is delivered.
    assert services.deliver_pending() >= 1
    sent = [m for m in mail.outbox if "maryam@example.org" in m.to]
    assert sent and codes.display(demand.code) in sent[0].body


def test_status_page_accepts_persian_digits_and_dashes(client, offices):
    submit(client, "mehran")
    demand = Demand.objects.get()
    typed = to_persian_digits(codes.display(demand.code))
    response = client.get("/demands/track/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/demands/track/{demand.code}/"


def test_mistyped_and_unknown_codes_get_different_messages(client, offices):
    good = codes.generate()
    mistyped = good[:-1] + str((int(good[-1]) + 1) % 10)
    response = client.get(f"/demands/track/{mistyped}/")
    assert response.status_code == 400
    assert "رقم کنترل" in response.content.decode()  # Persian page, Persian message
    response = client.get(f"/demands/track/{good}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "مطالبه‌ای با این کد وجود ندارد" in body
    english = client.get(f"/en/demands/track/{good}/").content.decode()
    assert "No demand has this code" in english
    response = client.get("/demands/track/", {"code": "12"})
    assert response.status_code == 400
    assert 'value="12"' in response.content.decode()  # what was typed is kept


def test_brute_forcing_codes_is_rate_limited(client, offices):
    from ravabet.demands.views import TRACK_LIMIT

    limit = TRACK_LIMIT["limit"]
    statuses = [
        client.get(f"/demands/track/{codes.generate()}/").status_code for _ in range(limit + 1)
    ]
    assert statuses[:limit] == [404] * limit
    assert statuses[limit] == 429


def test_no_contact_is_refused_and_everything_typed_is_kept(client, offices):
    response = submit(client, "mehran", mobile="", email="")
    assert response.status_code == 400
    body = response.content.decode()
    assert "روشنایی کوچه" in body and "مریم احمدی" in body
    assert "شماره همراه یا نشانی ایمیل" in body
    assert not Demand.objects.exists()


def test_bad_mobile_gets_a_clear_message(client, offices):
    response = submit(client, "mehran", mobile="12345", email="")
    assert response.status_code == 400
    body = response.content.decode()
    # The example number is isolated left to right (LRI … PDI) so its groups keep their order.
    assert "این شماره همراه ایرانی نیست؛ باید شبیه \u2066۰۹۱۲ ۳۴۵ ۶۷۸۹\u2069 باشد." in body
    assert "not an Iranian mobile number" not in body


def test_wrong_captcha_refuses_but_keeps_the_text(client, offices):
    response = submit(client, "mehran", captcha_answer="99")
    assert response.status_code == 400
    assert "چراغ‌های کوچه" in response.content.decode()
    assert not Demand.objects.exists()


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (30, 20), (10, 200, 10))
    exif = Image.Exif()
    exif[0x8825] = {2: (35.0, 41.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_attachments_are_cleaned_and_kept_private(
    client, offices, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.RAVABET_PRIVATE_MEDIA_ROOT = tmp_path
    from django.utils.functional import empty

    from ravabet.demands.models import private_storage

    private_storage._wrapped = empty  # set up again with the new location
    photo = SimpleUploadedFile("street.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    data = form_data(client, "mehran")
    data["attachments"] = [photo, pdf]
    with django_capture_on_commit_callbacks(execute=True):  # files are written after the commit
        response = client.post("/mehran/demands/new/", data)
    assert response.status_code == 302
    stored = list(Attachment.objects.order_by("id"))
    assert [a.extension for a in stored] == ["jpg", "pdf"]
    with stored[0].file.open("rb") as handle:
        assert not Image.open(handle).getexif()
    assert str(tmp_path) in stored[0].file.path


def test_an_attachment_that_lies_about_its_type_is_refused(client, offices):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    data = form_data(client, "mehran")
    data["attachments"] = [fake]
    response = client.post("/mehran/demands/new/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "photo.jpg" in body and "روشنایی کوچه" in body
    assert "فقط عکس (JPEG، PNG، WebP) و فایل PDF پذیرفته می‌شود" in body
    assert not Demand.objects.exists()


def test_a_failed_email_leaves_the_demand_saved_and_is_retried(client, offices, settings):
    settings.EMAIL_BACKEND = "ravabet.demands.tests.failing_mail.EmailBackend"
    response = submit(client, "mehran")
    assert response.status_code == 302
    assert Demand.objects.count() == 1
    assert services.deliver_pending() == 0
    pending = Notification.objects.filter(sent_at__isnull=True)
    assert pending.exists() and all(n.attempts == 1 and n.last_error for n in pending)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.tick()["delivered"] == pending.count()
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_unknown_office_is_a_404(client, offices):
    assert client.get("/no-such-office/demands/new/").status_code == 404


def test_the_form_is_rate_limited(client, offices):
    for _ in range(10):
        assert submit(client, "mehran").status_code == 302
    assert submit(client, "mehran").status_code == 429


def test_english_pages_work_too(client, offices):
    page = client.get("/en/mehran/demands/new/")
    assert page.status_code == 200 and "Send the demand" in page.content.decode()
    assert client.get("/en/demands/track/").status_code == 200
    response = client.get("/en/demands/track/", {"code": "1234"})
    assert response.status_code == 400 and "13 digits" in response.content.decode()


def test_only_the_office_staff_download_attachments(
    client, offices, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.utils.functional import empty

    from ravabet.conftest import make_staff, sign_in
    from ravabet.demands.models import private_storage

    settings.RAVABET_PRIVATE_MEDIA_ROOT = tmp_path
    private_storage._wrapped = empty
    data = form_data(client, "mehran")
    data["attachments"] = [SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mehran/demands/new/", data)
    item = Attachment.objects.get()
    url = f"/staff/mehran/demands/{item.demand_id}/files/{item.pk}/"
    assert client.get(url).status_code == 302  # not signed in: off to the sign-in page
    sign_in(client, make_staff("roads", offices["agency"], "responder"))
    assert client.get(url).status_code == 403
    client.logout()
    sign_in(client, make_staff("resp", offices["county"], "responder"))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
