"""Tracking codes: 12 random digits and a Damm check digit, shown as ``1234-5678-9012-3``.

Why digits only: citizens type the code on a Persian keyboard or read it over the phone; digits
have no look-alike letters (O/0, I/1, B/8) and Persian, Arabic-Indic and Latin digits all map to
the same code. 10^12 random values make guessing hopeless next to the lookup rate limit, and the
Damm check digit catches every single mistyped digit and every swap of two adjacent digits, so a
mistyped code is told apart from an unknown one without asking the database.
"""

from __future__ import annotations

import re
import secrets

from ravabet.network.checkdigit import damm as check_digit
from ravabet.network.text import to_ascii_digits

RANDOM_DIGITS = 12
LENGTH = RANDOM_DIGITS + 1

# What people put between digits when they copy or dictate a code.
_SEPARATORS = re.compile(r"[\s\-‐-―−_./\u200c\u200e\u200f]+")


class CodeError(ValueError):
    """Not a tracking code. `reason` is "format" (wrong length or characters) or "check"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_valid(code: str) -> bool:
    """True when `code` (13 ASCII digits) carries a correct check digit."""
    return len(code) == LENGTH and code.isascii() and code.isdigit() and check_digit(code) == "0"


def generate() -> str:
    """A fresh random code (13 ASCII digits, check digit last)."""
    body = "".join(str(secrets.randbelow(10)) for _ in range(RANDOM_DIGITS))
    return body + check_digit(body)


def parse(typed: str) -> str:
    """The canonical code from what a person typed; raises CodeError("format"|"check")."""
    cleaned = _SEPARATORS.sub("", to_ascii_digits(typed or "").strip())
    if len(cleaned) != LENGTH or not (cleaned.isascii() and cleaned.isdigit()):
        raise CodeError("format")
    if not is_valid(cleaned):
        raise CodeError("check")
    return cleaned


def display(code: str) -> str:
    """``1234-5678-9012-3``: groups of four, easy to read aloud."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
