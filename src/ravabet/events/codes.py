"""Short codes people type: the check-in code on a pass and the certificate's verification code.

Digits only, like the demands' tracking codes: they are typed on Persian keyboards and read out at
the door, and Persian, Arabic-Indic and Latin digits all mean the same code. Each code ends in a
Damm check digit (`network.checkdigit`), so a mistyped digit or two swapped neighbours are caught
before the database is asked.

- check-in code: 7 random digits + check digit, shown ``1234-5678``;
- verification code: 11 random digits + check digit, shown ``1234-5678-9012``.
"""

from __future__ import annotations

import re
import secrets

from ravabet.network.checkdigit import damm, damm_valid
from ravabet.network.text import to_ascii_digits

CHECKIN_RANDOM = 7
VERIFY_RANDOM = 11


def is_valid(code: str) -> bool:
    return damm_valid(code)


def new_code(random_digits: int) -> str:
    body = "".join(str(secrets.randbelow(10)) for _ in range(random_digits))
    return body + damm(body)


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
