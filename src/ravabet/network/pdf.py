"""PDF documents for every app (minutes, certificates, evaluation cards), from Django templates.

WeasyPrint lays out HTML and CSS with Pango, which shapes Persian (joining forms, right-to-left
runs, mixed Latin) correctly; the Vazirmatn font is embedded from the project's own copy
(node_modules, installed by `./dev install`), so a PDF looks the same on every machine. A template
extends `network/pdf/base.html`, which sets the page (A4, RTL, margins, page numbers).

    data = pdf.render("council/pdf/minutes.html", {"meeting": meeting})
    return pdf.response(data, "minutes-12.pdf")
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)
MIMETYPE = "application/pdf"


@cache
def font_dir() -> Path | None:
    """Where Vazirmatn's TTF files are (RAVABET_PDF_FONT_DIR, else node_modules); None if absent."""
    configured = getattr(settings, "RAVABET_PDF_FONT_DIR", "")
    candidates = [Path(configured)] if configured else []
    candidates.append(Path(settings.BASE_DIR) / "node_modules" / "vazirmatn" / "fonts" / "ttf")
    for folder in candidates:
        if (folder / "Vazirmatn-Regular.ttf").is_file():
            return folder
    logger.warning("Vazirmatn TTF files not found: PDFs fall back to the system's fonts")
    return None


def font_css() -> str:
    """@font-face rules for the embedded font (empty when the files are missing)."""
    folder = font_dir()
    if folder is None:
        return ""
    rules = []
    for weight, name in ((400, "Regular"), (700, "Bold")):
        url = (folder / f"Vazirmatn-{name}.ttf").as_uri()
        rules.append(
            f'@font-face {{ font-family: "Vazirmatn"; font-weight: {weight}; src: url("{url}"); }}'
        )
    return "\n".join(rules)


def render(template: str, context: dict[str, Any] | None = None, *, language: str = "fa") -> bytes:
    """The PDF of a template rendered with `context` (in `language`, Persian by default)."""
    from weasyprint import HTML  # imported late: loading Pango costs ~0.3 s, paid only here

    with translation.override(language):
        html = render_to_string(
            template, {**(context or {}), "pdf_font_css": font_css(), "pdf_language": language}
        )
    base_url = str(Path(settings.BASE_DIR))
    return bytes(HTML(string=html, base_url=base_url).write_pdf())


def response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    reply = HttpResponse(data, content_type=MIMETYPE)
    disposition = "inline" if inline else "attachment"
    reply["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return reply
