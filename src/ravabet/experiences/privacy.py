"""A check for citizens' personal data in a text about to be published.

It warns; it does not decide (an office's own phone number is fine to publish, a citizen's is
not): the publishing page lists what it found and asks the publisher to confirm. What it looks
for, in any digits (Persian, Arabic-Indic, ASCII: `network.text` folds them first) and with the
separators people type:

- Iranian mobile numbers: 09xx xxx xxxx, +98 9xx…, 0098 9xx…;
- national ids (کد ملی): ten digits whose check digit is right (so ordinary ten-digit numbers
  such as amounts in rials are mostly not flagged);
- email addresses;
- names that citizens gave with their demands (`demands.selectors.citizen_names`), compared
  on the folded text (Arabic letters, ZWNJ or a space between the parts make no difference).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ravabet.network import text

MOBILE_RE = re.compile(r"(?<!\d)(?:\+98|0098|0)[\s\-.]?9(?:[\s\-.]?\d){9}(?!\d)")
DIGITS10_RE = re.compile(r"(?<!\d)\d(?:[\s\-.]?\d){9}(?!\d)")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class Finding:
    kind: str  # "mobile", "national_id", "email", "name"
    value: str  # as found in the folded text (ASCII digits)


def national_id_valid(digits: str) -> bool:
    """The check digit of a ten-digit Iranian national id (all one digit repeated is refused)."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(digits[i]) * (10 - i) for i in range(9)) % 11
    check = int(digits[9])
    return check == total if total < 2 else check == 11 - total


def _folded_words(value: str) -> str:
    """Folded, with every run of non-letters a single space, padded: for whole-word matching."""
    folded = text.fold(value)
    return " " + " ".join(re.findall(r"\w+", folded)) + " "


def find_personal_data(value: str, names: Iterable[str] = ()) -> list[Finding]:
    """What in `value` looks like a citizen's personal data, each once, in order of kind."""
    folded = text.fold(value)
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, raw: str) -> None:
        if (kind, raw) not in seen:
            seen.add((kind, raw))
            found.append(Finding(kind, raw))

    mobiles: set[str] = set()
    for match in MOBILE_RE.finditer(folded):
        digits = _NOT_DIGIT.sub("", match.group())
        mobiles.add(digits[-10:])
        add("mobile", "0" + digits[-10:])
    for match in DIGITS10_RE.finditer(folded):
        digits = _NOT_DIGIT.sub("", match.group())
        if digits[-10:] not in mobiles and national_id_valid(digits):
            add("national_id", digits)
    for match in EMAIL_RE.finditer(folded):
        add("email", match.group())
    words = _folded_words(value)
    for name in names:
        key = _folded_words(name)
        if len(key.strip()) >= 3 and " " in key.strip() and key in words:
            add("name", key.strip())
    return found
