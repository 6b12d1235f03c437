"""Citizens' attachments: what may be attached, cleaned before it is stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from ravabet.network import text


@dataclass(frozen=True)
class CleanAttachment:
    content: ContentFile
    extension: str
    original_name: str


def clean_attachment(upload: Any, *, max_bytes: int = 8_000_000) -> CleanAttachment:
    """Photos re-encoded without EXIF; PDFs checked by their first bytes; nothing else."""
    from ravabet.network import uploads

    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = uploads.sniff(head)
    name = text.strip_controls(getattr(upload, "name", "") or "")[:200]
    if kind in {"jpeg", "png", "webp"}:
        image = uploads.clean_image(upload, max_bytes=max_bytes)
        return CleanAttachment(image.content, image.extension, name)
    if kind == "pdf":
        if upload.size is not None and upload.size > max_bytes:
            raise ValidationError(
                _("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // 1_000_000},
                code="too_large",
            )
        data = upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ValidationError(
                _("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // 1_000_000},
                code="too_large",
            )
        return CleanAttachment(ContentFile(data), "pdf", name)
    raise ValidationError(
        _("Only photos (JPEG, PNG, WebP) and PDF files can be attached; this file is neither."),
        code="bad_type",
    )
