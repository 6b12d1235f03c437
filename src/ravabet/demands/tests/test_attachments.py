"""Attachments: written only after the commit, served after the permission check, missing files
reported clearly, upload errors in Persian."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import empty
from django.utils.translation import gettext, override
from PIL import Image

from ravabet.conftest import make_staff, sign_in
from ravabet.demands import services
from ravabet.demands.models import Attachment, Demand, private_storage
from ravabet.demands.services import intake
from ravabet.network.models import AuditEvent

from .helpers import form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def private_root(settings, tmp_path):
    settings.RAVABET_PRIVATE_MEDIA_ROOT = tmp_path
    private_storage._wrapped = empty  # set up again with the new location
    yield tmp_path
    private_storage._wrapped = empty


def _files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _post(client, **files):
    data = form_data(client, "mehran")
    data["attachments"] = [SimpleUploadedFile(name, content) for name, content in files.items()]
    return client.post("/mehran/demands/new/", data)


def test_files_are_written_when_the_demand_commits(
    client, offices, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, **{"letter.pdf": PDF}).status_code == 302
    item = Attachment.objects.get()
    assert _files(private_root) == [item.file.name]
    assert (private_root / item.file.name).read_bytes() == PDF


def test_a_rolled_back_submission_leaves_no_file(
    client, offices, private_root, monkeypatch, django_capture_on_commit_callbacks
):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away after the attachments were saved")

    monkeypatch.setattr(intake, "_touch", fail)  # the last step of the transaction
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _post(client, **{"letter.pdf": PDF, "more.pdf": PDF})
    assert not Demand.objects.exists() and not Attachment.objects.exists()
    assert _files(private_root) == []


def test_a_missing_file_is_a_clear_persian_page_and_an_audit_event(
    client, offices, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, **{"letter.pdf": PDF})
    item = Attachment.objects.get()
    (private_root / item.file.name).unlink()  # lost from the disk (a restore without files)
    responder = make_staff("resp", offices["county"], "responder")
    sign_in(client, responder)
    response = client.get(f"/staff/mehran/demands/{item.demand_id}/files/{item.pk}/")
    assert response.status_code == 410
    body = response.content.decode()
    assert "فایل پیدا نشد" in body and "پشتیبان" in body
    event = AuditEvent.objects.get(action="demands.attachment_missing")
    assert event.actor == responder and event.office == offices["county"]
    # A wrong attachment id is a 404 with a Persian sentence.
    response = client.get(f"/staff/mehran/demands/{item.demand_id}/files/{item.pk + 99}/")
    assert response.status_code == 404
    assert "این مطالبه چنین پیوستی ندارد." in response.content.decode()


def test_nginx_sends_the_file_when_x_accel_redirect_is_set_up(
    client, offices, private_root, settings, django_capture_on_commit_callbacks
):
    settings.RAVABET_ACCEL_REDIRECT_PREFIX = "/_private/"
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, **{"letter.pdf": PDF})
    item = Attachment.objects.get()
    url = f"/staff/mehran/demands/{item.demand_id}/files/{item.pk}/"
    sign_in(client, make_staff("roads", offices["agency"], "responder"))
    response = client.get(url)
    assert response.status_code == 403 and "X-Accel-Redirect" not in response
    client.logout()
    sign_in(client, make_staff("resp", offices["county"], "responder"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{item.file.name}"
    assert response.content == b""  # nginx fills in the body
    assert response["Content-Type"] == "application/pdf"
    assert f"demand-{item.demand_id}-{item.pk}.pdf" in response["Content-Disposition"]


def _big_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (7000, 6000)).save(out, "PNG")  # 42 million pixels, a few kB on disk
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "persian"),
    [
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 20, "عکس نیست یا خراب است"),
        ("huge.png", None, "پیکسل‌های این عکس بیش از اندازه است"),
        ("virus.exe", b"MZ\x90\x00 program", "فقط عکس (JPEG، PNG، WebP) و فایل PDF"),
    ],
)
def test_upload_errors_are_in_persian(client, offices, name, content, persian):
    response = _post(client, **{name: content if content is not None else _big_png()})
    assert response.status_code == 400
    body = response.content.decode()
    assert persian in body and name in body
    assert not Demand.objects.exists()


def test_every_upload_message_has_a_persian_translation():
    from ravabet.network import uploads  # noqa: F401  (its messages are the ones checked)

    for message in (
        "Only JPEG, PNG and WebP photos are accepted.",
        "The photo has too many pixels.",
        "The file is not a photo, or it is damaged.",
        "The file is too large (at most %(mb)s MB).",
    ):
        with override("fa"):
            assert gettext(message) != message, message


def test_services_package_keeps_its_public_names():
    for name in ("submit", "answer", "assign", "refer", "close", "tick", "deliver_pending"):
        assert callable(getattr(services, name))
