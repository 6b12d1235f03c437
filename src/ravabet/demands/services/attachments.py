"""Citizens' attachments: what may be attached, cleaned before it is stored.

Files are written after the demand's transaction commits (`write_attachment_files`, called by
`transaction.on_commit`): a submission that is rolled back or killed before its commit leaves
nothing on disk. A process killed between the commit and the write leaves a row whose file is
missing; the staff page says so (410) and the audit log records it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ravabet.network import text
from ravabet.network.services import record

from ..models import Attachment


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
        data = uploads.read_limited(upload, max_bytes)
        return CleanAttachment(ContentFile(data), "pdf", name)
    raise ValidationError(
        _("Only photos (JPEG, PNG, WebP) and PDF files can be attached; this file is neither."),
        code="bad_type",
    )


log = logging.getLogger("ravabet.demands.services")


def report_missing_file(actor: Any, attachment: Attachment, request: HttpRequest | None) -> None:
    """Staff asked for an attachment whose file is gone: the audit log keeps a trace of it."""
    log.error("attachment %s: file %s is missing", attachment.pk, attachment.file.name)
    record(
        actor,
        "demands.attachment_missing",
        target=attachment.demand,
        request=request,
        changes={"attachment": [attachment.pk, attachment.file.name]},
    )


def write_attachment_files(files: list[tuple[Attachment, ContentFile]]) -> None:
    """Write committed attachments' files under the names their rows already carry."""
    for attachment, content in files:
        storage = attachment.file.storage
        try:
            stored = storage.save(attachment.file.name, content)
        except OSError:  # the demand is saved and its code shown; staff see "file missing"
            log.exception("could not write attachment %s", attachment.pk)
            continue
        if stored != attachment.file.name:  # the storage chose another name: follow it
            Attachment.objects.filter(pk=attachment.pk).update(file=stored)
            log.warning("attachment %s stored as %s", attachment.pk, stored)
