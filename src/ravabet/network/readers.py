"""Anonymous readers: one random key per browser, kept in a cookie, for "one vote per reader".

It is not an identity (a reader who clears cookies gets a new key); the per-client rate limits
(`network.ratelimit`) are what stop floods.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest, HttpResponse

READER_COOKIE = "ravabet_reader"
READER_COOKIE_AGE = 3600 * 24 * 365 * 2


def reader_key(request: HttpRequest) -> str:
    """The reader's key from their cookie, or a new one (give it back with `remember_reader`)."""
    return request.COOKIES.get(READER_COOKIE) or secrets.token_hex(16)


def remember_reader(response: HttpResponse, key: str) -> HttpResponse:
    response.set_cookie(
        READER_COOKIE, key, max_age=READER_COOKIE_AGE, httponly=True, samesite="Lax"
    )
    return response
