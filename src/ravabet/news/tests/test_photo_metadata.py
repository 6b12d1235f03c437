"""Issue 11, item 17: every kind of photo metadata is gone from the stored photo and each of its
renditions (a mobile number planted in each one of them must not reach the public files)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from ravabet.news import services

from .conftest import upload

pytestmark = pytest.mark.django_db

MOBILE = b"09123456789"  # the planted personal data


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def _icc_with_text() -> bytes:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    # A profile's description is free text: plant the number in it as well.
    return profile + b"desc " + MOBILE


def jpeg_with_every_segment() -> bytes:
    image = Image.new("RGB", (1200, 800), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010E] = "call " + MOBILE.decode()  # ImageDescription
    exif[0x8825] = {1: "N", 2: (33.0, 38.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, icc_profile=_icc_with_text())
    data = buffer.getvalue()
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><dc:creator>" + MOBILE + b"</dc:creator>"
    iptc_record = b"\x1c\x02\x50" + struct.pack(">H", len(MOBILE)) + MOBILE  # 2:80 by-line
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc_record)) + iptc_record
    extra = (
        _segment(0xE1, xmp)  # APP1 XMP
        + _segment(0xED, b"Photoshop 3.0\x00" + resource)  # APP13 IPTC
        + _segment(0xFE, b"phone " + MOBILE)  # COM
        + _segment(0xEF, b"vendor " + MOBILE)  # APP15, a maker's own segment
    )
    planted = data[:2] + extra + data[2:]  # right after SOI
    assert planted.count(MOBILE) == 6
    return planted


def png_with_every_chunk() -> bytes:
    image = Image.new("RGBA", (1100, 700), (200, 60, 40, 255))
    info = PngInfo()
    info.add_text("Author", "tel " + MOBILE.decode())  # tEXt
    info.add_text("Comment", "tel " + MOBILE.decode(), zip=True)  # zTXt
    info.add_itxt("Description", "تلفن " + MOBILE.decode(), lang="fa")  # iTXt
    exif = Image.Exif()
    exif[0x010E] = MOBILE.decode()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, exif=exif, icc_profile=_icc_with_text())
    data = buffer.getvalue()
    assert MOBILE in data
    return data


def _stored_files(photo) -> list[bytes]:
    names = [photo.image.name, *photo.renditions.values()]
    assert len(names) == 4  # the photo and its three renditions
    files = []
    for name in names:
        with default_storage.open(name) as handle:
            files.append(handle.read())
    return files


def _contains_mobile(data: bytes) -> bool:
    # Also look inside compressed PNG chunks, and for the number in UTF-16.
    if MOBILE in data or MOBILE.decode().encode("utf-16-le") in data:
        return True
    position = 8
    while data.startswith(b"\x89PNG") and position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind in (b"zTXt", b"iTXt", b"iCCP"):
            try:
                if MOBILE in zlib.decompress(body[body.index(b"\x00") + 2 :]):
                    return True
            except (zlib.error, ValueError):
                pass
        position += 12 + length
    return False


@pytest.mark.parametrize(
    "make, name, content_type",
    [
        (jpeg_with_every_segment, "photo.jpg", "image/jpeg"),
        (png_with_every_chunk, "photo.png", "image/png"),
    ],
)
def test_no_metadata_survives_in_any_stored_file(people, publish, make, name, content_type):
    item = publish()
    photo = services.add_photo(people["editor"], item, upload(make(), name, content_type), "عکس")
    for data in _stored_files(photo):
        assert not _contains_mobile(data)
        with Image.open(io.BytesIO(data)) as stored:
            assert not stored.getexif()
            assert "icc_profile" not in stored.info and "comment" not in stored.info
            assert not any(key in stored.info for key in ("Author", "Comment", "Description"))
            assert "xmp" not in stored.info and "photoshop" not in stored.info


def test_the_colour_profile_is_applied_before_it_is_dropped(people, publish):
    """The pixels are converted to sRGB with the embedded profile, then the profile goes."""
    image = Image.new("RGB", (400, 300), (250, 10, 10))
    buffer = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(buffer, "PNG", icc_profile=srgb)
    item = publish()
    photo = services.add_photo(
        people["editor"], item, upload(buffer.getvalue(), "p.png", "image/png"), "عکس"
    )
    with default_storage.open(photo.image.name) as handle, Image.open(handle) as stored:
        assert "icc_profile" not in stored.info
        red, green, blue = stored.convert("RGB").getpixel((10, 10))[:3]
        assert red > 240 and green < 20 and blue < 20  # sRGB to sRGB: the colour is kept
