"""Uploaded images and attachments: type sniffed from the bytes, size capped, metadata removed.

Photos are re-encoded from their pixels alone, after applying the EXIF orientation so they still
stand the right way up: nothing of the file's metadata survives — EXIF (which may carry the
location where they were taken), XMP, IPTC (Photoshop APP13), the JPEG comment segment, PNG text
chunks — because the pixels are copied into a new image that has none. An embedded colour
profile (ICC) is applied first (the pixels are converted to sRGB) and then dropped too: its
description fields are free text, and browsers take untagged photos as sRGB. See
docs/decisions.md ("Photos keep their pixels only").
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

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


def _to_srgb(image: Image.Image) -> Image.Image:
    """The pixels converted from the embedded colour profile to sRGB (unchanged without one)."""
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
        converted = ImageCms.profileToProfile(image, source, target, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: keep the pixels as they are (it is dropped anyway)
    return converted if converted is not None else image


def pixels_only(image: Image.Image) -> Image.Image:
    """A new image with `image`'s pixels and nothing else: no info, EXIF, XMP, IPTC, comment,
    text chunks or colour profile (the pixels are in sRGB first)."""
    image = _to_srgb(image)
    if image.mode in ("P", "PA"):
        transparent = image.mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    elif image.mode not in ("1", "L", "LA", "RGB", "RGBA", "CMYK", "I;16", "I", "F"):
        image = image.convert("RGBA")
    return Image.frombytes(image.mode, image.size, image.tobytes())


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
    image = pixels_only(ImageOps.exif_transpose(image))
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


# Office documents by what their zip holds (the first bytes of every one are "PK\x03\x04").
_OOXML_PARTS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_EXPANSION = 200_000_000  # bytes once unpacked: a zip bomb is refused unopened


def sniff_document(data: bytes) -> str | None:
    """The type of a whole file: what `sniff` knows, or an office document (docx, xlsx, pptx,
    odt, ods, odp) recognised by the parts inside its zip; None for anything else, including
    documents with macros (a `vbaProject.bin` part) and zips that would unpack too large."""
    kind = sniff(data)
    if kind is not None or not data.startswith(b"PK\x03\x04"):
        return kind
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return None
            if sum(entry.file_size for entry in entries) > MAX_ZIP_EXPANSION:
                return None
            names = {entry.filename for entry in entries}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None
            if "mimetype" in names:
                return _ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                for part, extension in _OOXML_PARTS.items():
                    if part in names:
                        return extension
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    return None
