"""Check digits for codes people type (demands' tracking codes, event passes, certificates).

Damm's algorithm: one table look-up per digit; it catches every single mistyped digit and every
swap of two neighbouring digits, so a mistyped code is told apart from an unknown one without
asking the database. A code is valid when the check of all its digits (check digit included) is 0.
"""

from __future__ import annotations

# The quasigroup of order 10 from H. Michael Damm's thesis (2004): a weakly totally
# anti-symmetric table, so that every single error and adjacent transposition is detected.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm(digits: str) -> str:
    """The check digit of a string of ASCII digits."""
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return str(interim)


def damm_valid(code: str) -> bool:
    """True when `code` (ASCII digits, check digit last) is consistent."""
    return bool(code) and code.isascii() and code.isdigit() and damm(code) == "0"
