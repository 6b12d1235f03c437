"""The reader's own "was this useful?" answers, shown again on cached pages.

A news page is cached for everyone, so the buttons carry a mark per choice
(``@@ravabet-useful:<code>:<yes|no>@@`` inside the button tag) that is filled per response, like
the CSRF token: ``aria-pressed="true"`` on the reader's earlier answer, ``"false"`` otherwise.
The answers come from a small cookie written when the reader votes (codes and choices, newest
last, at most `KEEP`), so filling costs no query, in Django (`pagecache`) and in the fast path
alike; a reader without the cookie sees both buttons unpressed.
"""

from __future__ import annotations

import re

from django.http import HttpResponse

COOKIE = "ravabet_useful"
COOKIE_AGE = 3600 * 24 * 365 * 2
KEEP = 60  # the newest answers; about 420 bytes of cookie at most
MARK = b"@@ravabet-useful:"
MARK_PATTERN = rb"@@ravabet-useful:([0-9]{1,12}):(yes|no)@@"
_MARK_RE = re.compile(MARK_PATTERN)
_ENTRY = re.compile(r"^([0-9]{1,12})([yn])$")
PRESSED = b' aria-pressed="true"'
UNPRESSED = b' aria-pressed="false"'


def mark(code: int, choice: str) -> str:
    return f"@@ravabet-useful:{int(code)}:{'yes' if choice == 'yes' else 'no'}@@"


def parse(value: str | None) -> dict[str, str]:
    """{code: "yes"|"no"} from the cookie's value; anything malformed is ignored."""
    answers: dict[str, str] = {}
    for entry in (value or "").split(".")[-KEEP:]:
        found = _ENTRY.match(entry)
        if found:
            answers[found[1]] = "yes" if found[2] == "y" else "no"
    return answers


def fill_one(mark_bytes: bytes, answers: dict[str, str]) -> bytes:
    found = _MARK_RE.fullmatch(mark_bytes)
    if found is None:
        return mark_bytes
    code, choice = found[1].decode(), found[2].decode()
    return PRESSED if answers.get(code) == choice else UNPRESSED


def fill(content: bytes, cookie_value: str | None) -> bytes:
    if MARK not in content:
        return content
    answers = parse(cookie_value)
    return _MARK_RE.sub(lambda m: fill_one(m[0], answers), content)


def remember(response: HttpResponse, cookie_value: str | None, code: int, useful: bool) -> None:
    """Add this answer to the reader's cookie (replacing an older one for the same item)."""
    matches = [_ENTRY.match(e) for e in (cookie_value or "").split(".")]
    entries = [m[0] for m in matches if m is not None and m[1] != str(code)]
    entries.append(f"{int(code)}{'y' if useful else 'n'}")
    response.set_cookie(
        COOKIE,
        ".".join(entries[-KEEP:]),
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
    )
