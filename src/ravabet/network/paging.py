"""The one reading of `?page=` for every list in the project.

A page number comes from the address bar, so anything can arrive: letters, a minus sign, Persian
digits, or a number with thousands of digits (which used to reach the database as an OFFSET too
large for it: a 500). `page_number` never raises: it reads ASCII, Persian and Arabic-Indic
digits, gives 1 for anything that is not a number, and clamps to `1..last`.
"""

from __future__ import annotations

from django.http import HttpRequest

from .text import to_ascii_digits

# The deepest page any list serves: 10,000 pages of 20 are 200,000 rows, more than any list
# here holds, and an OFFSET every database handles.
MAX_PAGE = 10_000


def parse_page(value: object, *, last: int = MAX_PAGE) -> int:
    """`value` read as a page number in 1..last (1 for anything that is not one)."""
    last = max(1, last)
    text = to_ascii_digits(str(value)).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit():
        return 1
    if len(text) > len(str(last)):  # also keeps int() away from 10,000-digit strings
        return last
    return max(1, min(int(text), last))


def page_number(request: HttpRequest, *, name: str = "page", last: int = MAX_PAGE) -> int:
    """The request's `?page=` as a page number in 1..last."""
    return parse_page(request.GET.get(name), last=last)
