"""Contact details people type: Iranian mobile numbers (demands, event registrations)."""

from __future__ import annotations

import re

from .text import strip_controls, to_ascii_digits

_MOBILE_NOISE = re.compile(r"[\s\-()‐-―.\u200c]+")
_MOBILE = re.compile(r"09\d{9}")


def normalize_mobile(typed: str) -> str | None:
    """``09xxxxxxxxx`` from ``۰۹۱۲ ۳۴۵ ۶۷۸۹``, ``+98 912 345 6789``, ``0098912…``, ``912…``.

    Returns None when the text is not an Iranian mobile number.
    """
    value = _MOBILE_NOISE.sub("", to_ascii_digits(strip_controls(typed or "")))
    if value.startswith("+98"):
        value = "0" + value[3:]
    elif value.startswith("0098"):
        value = "0" + value[4:]
    elif value.startswith("98") and len(value) == 12:
        value = "0" + value[2:]
    elif value.startswith("9") and len(value) == 10:
        value = "0" + value
    return value if _MOBILE.fullmatch(value) else None
