"""Certificate PDFs: Persian, right-to-left, Jalali date and Persian digits, the office's name and
signer, the verification code and a QR code to the public verify page. Rendered through the
network's PDF machinery (`ravabet.network.pdf`, WeasyPrint with Vazirmatn embedded)."""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Iterable, Iterator

import segno
from django.urls import reverse
from django.utils.translation import override

from ravabet.network import pdf
from ravabet.network.jalali import format_date
from ravabet.network.text import to_persian_digits

from . import codes
from .models import Certificate

TEMPLATE = "events/pdf/certificate.html"


def verify_url(certificate: Certificate, base_url: str) -> str:
    with override("fa"):
        return base_url + reverse("events:verify", kwargs={"code": certificate.code})


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _hours(certificate: Certificate) -> str:
    value = certificate.hours.normalize()
    text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    return to_persian_digits(text.replace(".", "٫"))


def context(certificate: Certificate, base_url: str) -> dict[str, object]:
    url = verify_url(certificate, base_url)
    return {
        "certificate": certificate,
        "hours": _hours(certificate),
        "date": format_date(certificate.course_date, "fa"),
        "code": to_persian_digits(codes.shown(certificate.code)),
        "verify_url": url,
        "qr": _qr_data_uri(url),
    }


def render(certificate: Certificate, *, base_url: str) -> bytes:
    """One certificate's PDF (Persian)."""
    return pdf.render(TEMPLATE, {"items": [context(certificate, base_url)]}, language="fa")


BATCH = 50  # certificates laid out together in the bulk download (memory stays bounded)


def render_many(certificates: list[Certificate], *, base_url: str) -> list[bytes]:
    """One PDF per certificate, laid out together (fonts loaded and text shaped once)."""
    items = [context(c, base_url) for c in certificates]
    parts = pdf.render_pages(TEMPLATE, {"items": items}, language="fa")
    if len(parts) != len(certificates):  # a certificate spilled onto a second page: one by one
        return [render(c, base_url=base_url) for c in certificates]
    return parts


class _Chunks(io.RawIOBase):
    """A write-only, unseekable sink whose bytes are taken away after every file."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


def stream_zip(certificates: Iterable[Certificate], *, base_url: str) -> Iterator[bytes]:
    """The zip of every valid certificate, produced one PDF at a time: the download starts at
    once and memory stays flat however many there are (zipfile writes data descriptors when
    the sink cannot seek)."""
    valid = [c for c in certificates if c.revoked_at is None]
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for start in range(0, len(valid), BATCH):
            batch = valid[start : start + BATCH]
            for certificate, data in zip(batch, render_many(batch, base_url=base_url), strict=True):
                name = f"{certificate.holder_name} - {certificate.code}.pdf".replace("/", "-")
                archive.writestr(name, data)
            yield sink.take()
    yield sink.take()


def zip_of(certificates: Iterable[Certificate], *, base_url: str) -> bytes:
    """The same zip in one piece (tests, the benchmark)."""
    return b"".join(stream_zip(certificates, base_url=base_url))
