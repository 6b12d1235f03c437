"""Uploaded images and attachments: type sniffed from the bytes, size capped, metadata removed.

Photos are re-encoded without EXIF (which may carry the location where they were taken), after
applying the EXIF orientation so they still stand the right way up.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int
    format: str  # JPEG, PNG or WEBP
    extension: str


def read_limited(upload: UploadedFile, max_bytes: int) -> bytes:
    """The upload's bytes, or "too large" (checked on the declared size, then on what is read:
    a client may declare less than it sends). The one size check of every upload."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // 1_000_000},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // 1_000_000},
            code="too_large",
        )
    return data


def clean_image(upload: UploadedFile, *, max_bytes: int = 8_000_000) -> CleanImage:
    """Validate an uploaded photo and return it re-encoded without metadata."""
    data = read_limited(upload, max_bytes)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image: Image.Image = Image.open(io.BytesIO(data))
        if image.format not in IMAGE_FORMATS:
            raise ValidationError(
                _("Only JPEG, PNG and WebP photos are accepted."), code="bad_type"
            )
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("The photo has too many pixels."), code="too_many_pixels")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("The file is not a photo, or it is damaged."), code="not_image"
        ) from None
    fmt = image.format
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85)
    return CleanImage(
        content=ContentFile(out.getvalue()),
        width=image.width,
        height=image.height,
        format=fmt,
        extension=IMAGE_FORMATS[fmt],
    )


def sniff(data: bytes) -> str | None:
    """The file type from its first bytes: jpeg, png, webp, pdf, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None
