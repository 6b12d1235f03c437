"""CSRF tokens as Django makes them, drawn faster: pages served from a cache fill one per response.

Django draws each of a secret's and a mask's 64 letters with a separate call to the OS's random
source; on a cached page that costs more than serving the rest of it. These helpers draw all
letters in one call and produce exactly Django's formats: a 32-letter secret for the cookie and
a 64-letter masked token for forms, which `django.middleware.csrf` checks as its own.
"""

from __future__ import annotations

import os

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CSRF_INDEX = {char: n for n, char in enumerate(CSRF_ALLOWED_CHARS)}
_SIZE = len(CSRF_ALLOWED_CHARS)
_UNBIASED = 256 - 256 % _SIZE  # bytes below this map evenly onto the letters
# One C-level pass per draw: drop the bytes that would bias the letters, map the rest to letters.
_LETTER_OF_BYTE = bytes(ord(CSRF_ALLOWED_CHARS[byte % _SIZE]) for byte in range(256))
_BIASED_BYTES = bytes(range(_UNBIASED, 256))


def random_letters(count: int) -> str:
    """`count` letters of Django's CSRF alphabet, unbiased, from one call to the OS's source."""
    letters = b""
    while len(letters) < count:
        letters += os.urandom(count * 2).translate(_LETTER_OF_BYTE, _BIASED_BYTES)
    return letters[:count].decode("ascii")


def mask(secret: str) -> str:
    """The masked form of `secret` that Django's CSRF check unmasks (`_unmask_cipher_token`)."""
    mask = random_letters(CSRF_SECRET_LENGTH)
    return mask + "".join(
        CSRF_ALLOWED_CHARS[(_CSRF_INDEX[s] + _CSRF_INDEX[m]) % _SIZE]
        for s, m in zip(secret, mask, strict=True)
    )


def new_secret() -> str:
    return random_letters(CSRF_SECRET_LENGTH)


def get_token(request: HttpRequest) -> str:
    """What `django.middleware.csrf.get_token` does (the same META keys, so the middleware sets
    the cookie), with the letters drawn here."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        secret = new_secret()
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask(secret)
