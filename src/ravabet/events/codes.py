"""Short codes people type: the check-in code on a pass and the certificate's verification code.

Digits only, like the demands' tracking codes: they are typed on Persian keyboards and read out at
the door, and Persian, Arabic-Indic and Latin digits all mean the same code. Each code ends in an
ISO 7064 MOD 11,10 check digit, so a mistyped digit or two swapped neighbours are caught before
the database is asked.

- check-in code: 7 random digits + check digit, shown ``1234-5678``;
- verification code: 11 random digits + check digit, shown ``1234-5678-9012``.
"""

from __future__ import annotations

import re
import secrets

from ravabet.network.text import to_ascii_digits

CHECKIN_RANDOM = 7
VERIFY_RANDOM = 11


def check_digit(digits: str) -> str:
    """The ISO 7064 MOD 11,10 check digit of a string of ASCII digits."""
    product = 10
    for char in digits:
        total = (product + int(char)) % 10 or 10
        product = (2 * total) % 11
    return str((11 - product) % 10)


def is_valid(code: str) -> bool:
    return bool(code) and code.isdigit() and check_digit(code[:-1]) == code[-1]


def new_code(random_digits: int) -> str:
    body = "".join(str(secrets.randbelow(10)) for _ in range(random_digits))
    return body + check_digit(body)


def new_checkin_code() -> str:
    return new_code(CHECKIN_RANDOM)


def new_verification_code() -> str:
    return new_code(VERIFY_RANDOM)


def clean(typed: str) -> str:
    """What someone typed, as canonical digits: any digits, dashes and spaces removed."""
    return re.sub(r"[\s\-‐-―_.]", "", to_ascii_digits(typed or ""))


def shown(code: str) -> str:
    """Grouped by four for reading: ``1234-5678``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
