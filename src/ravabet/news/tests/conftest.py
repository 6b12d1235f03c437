from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ravabet.conftest import make_staff
from ravabet.news import services
from ravabet.news.models import NewsGroup


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_view_buffer():
    from ravabet.news import viewcounts

    viewcounts.discard()
    yield
    viewcounts.discard()


@pytest.fixture
def group(db) -> NewsGroup:
    return NewsGroup.objects.get(slug="council")


@pytest.fixture
def people(offices):
    gov = offices["gov"]
    return {
        "author": make_staff("author1", gov, "author"),
        "editor": make_staff("editor1", gov, "editor"),
        "manager": make_staff("manager1", offices["root"], "manager"),
        "sibling_editor": make_staff("editor2", offices["agency"], "editor"),
    }


@pytest.fixture
def publish(people, offices, group):
    """Create and publish an item through the services (editor of the governorate)."""

    def make(title="نشست شورای هماهنگی روابط عمومی‌ها", office_key="gov", **fields):
        editor = people["editor"] if office_key == "gov" else people["manager"]
        data = services.NewsData(
            title=title,
            lead=fields.pop("lead", "لید خبر"),
            body=fields.pop("body", "متن خبر درباره روابط عمومی."),
            group=fields.pop("group", group),
            tags=fields.pop("tags", ["شورای هماهنگی"]),
            **fields,
        )
        item = services.create_news(editor, offices[office_key], data)
        return services.publish(editor, item)

    return make


def jpeg_bytes(size=(1200, 800), exif_gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "CameraMaker"
        exif[0x8825] = {1: "N", 2: (33.0, 38.0, 0.0)}
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
