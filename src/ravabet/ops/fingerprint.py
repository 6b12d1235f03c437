"""What a deployment shows the public, reduced to checksums: to compare two deployments.

`ravabet fingerprint` prints, as JSON, the row count of every table, the SHA-256 of every public
page (every address in the sitemaps, the province's home in both languages, the news list, a
search) and of every public media file. Two deployments with the same fingerprint serve the
same site: a restore is checked by comparing the fingerprint of the source with the copy's.

What differs on every response by design is blanked before hashing: the CSP nonce, the CSRF
token and the forms' arithmetic question with its signed token. Sitemaps are compared as sets
of entries.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from django.test import Client

from . import backup

_LOC = re.compile(rb"<loc>([^<]+)</loc>")
_ENTRY = re.compile(rb"<url>.*?</url>", re.DOTALL)
_VOLATILE = [
    re.compile(rb'nonce="[^"]*"'),
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(rb'"csrfToken": *"[^"]*"'),
    re.compile(rb'name="csrf-token" content="[^"]*"'),
    re.compile(rb'name="captcha_token" value="[^"]*"'),
    re.compile(rb'<label for="id_captcha_answer">[^<]*</label>'),
]
FIXED_PAGES = ["/", "/en/", "/news/", "/en/news/", "/search/?q=%D8%A7%DB%8C%D9%84%D8%A7%D9%85"]


def _digest(body: bytes, *, sitemap: bool = False) -> str:
    for pattern in _VOLATILE:
        body = pattern.sub(b"-", body)
    if sitemap:
        # Items published at the same moment may come in either order (PostgreSQL does not
        # keep ties in insertion order): a sitemap is compared as the set of its entries.
        entries = sorted(_ENTRY.findall(body))
        body = _ENTRY.sub(b"", body) + b"".join(entries)
    return hashlib.sha256(body).hexdigest()


def public_pages(client: Client | None = None) -> dict[str, Any]:
    """{path: [status, sha256]} for every public page."""
    client = client or Client()
    paths = set(FIXED_PAGES)
    for sitemap in ("/sitemap.xml", "/news-sitemap.xml"):
        response = client.get(sitemap)
        if response.status_code == 200:
            paths.add(sitemap)
            for loc in _LOC.findall(response.content):
                parts = urlsplit(loc.decode())
                paths.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    pages: dict[str, Any] = {}
    for path in sorted(paths):
        response = client.get(path)
        body = response.content if hasattr(response, "content") else b"".join(response)
        pages[path] = [response.status_code, _digest(body, sitemap=path.endswith(".xml"))]
    return pages


def media_files() -> dict[str, str]:
    root = backup.public_media_root()
    if root is None:
        return {}
    return {p.relative_to(root).as_posix(): backup._sha256(p) for p in backup._files(root)}


def fingerprint() -> dict[str, Any]:
    return {"tables": backup.table_counts(), "pages": public_pages(), "media": media_files()}
