"""Photos (validated, EXIF stripped, renditions) and the rich-text sanitiser."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ravabet.conftest import sign_in
from ravabet.news import richtext
from ravabet.news.models import Photo

from .conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db


def test_photo_upload_strips_exif_and_makes_renditions(client, people, publish):
    item = publish()
    sign_in(client, people["editor"])
    response = client.post(
        f"/staff/news/{item.code}/photos/",
        {"image": upload(jpeg_bytes(exif_gps=True)), "alt": "نشست شورا", "main": "on"},
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()
    assert sorted(photo.renditions) == ["1024", "320", "640"]
    item.refresh_from_db()
    assert item.main_photo == photo
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'width="1200" height="800"' in html and "320w" in html


def test_photo_needs_alt_text(client, people, publish):
    item = publish()
    sign_in(client, people["editor"])
    response = client.post(
        f"/staff/news/{item.code}/photos/", {"image": upload(jpeg_bytes()), "alt": ""}
    )
    assert response.status_code == 422
    assert Photo.objects.count() == 0


def test_not_an_image_is_refused(client, people, publish):
    item = publish()
    sign_in(client, people["editor"])
    response = client.post(
        f"/staff/news/{item.code}/photos/",
        {"image": upload(b"%PDF-1.4 not a photo", "x.jpg"), "alt": "متن"},
    )
    assert response.status_code == 422
    assert Photo.objects.count() == 0


def test_oversized_image_is_413(client, people, publish, monkeypatch):
    item = publish()
    sign_in(client, people["editor"])
    big = io.BytesIO()
    Image.effect_noise((3000, 3000), 100).convert("RGB").save(big, "PNG")
    assert len(big.getvalue()) > 8_000_000
    response = client.post(
        f"/staff/news/{item.code}/photos/",
        {"image": upload(big.getvalue(), "big.png", "image/png"), "alt": "بزرگ"},
    )
    assert response.status_code == 413
    assert Photo.objects.count() == 0


def test_sanitiser_keeps_editorial_markup_only():
    dirty = (
        '<p onclick="x()">سلام <a href="javascript:alert(1)">پیوند</a>'
        '<a href="https://example.org">خوب</a></p><script>alert(1)</script><style>p{}</style>'
    )
    clean = richtext.sanitize(dirty)
    assert "onclick" not in clean and "<script" not in clean and "javascript:" not in clean
    assert 'href="https://example.org"' in clean and 'rel="noopener noreferrer"' in clean


def test_plain_text_becomes_paragraphs():
    assert richtext.sanitize("یک\n\nدو < سه") == "<p>یک</p><p>دو &lt; سه</p>"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/ascriptonloadhefjv:پیام&;\n ")), max_size=80))
def test_sanitiser_never_lets_script_through(text):
    clean = richtext.sanitize(text).lower()
    assert "<script" not in clean
    assert " onload=" not in clean and " onclick=" not in clean
    assert "javascript:" not in clean.replace("&amp;", "&") or "href" not in clean
