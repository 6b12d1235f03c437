"""What every request must pass before anything reads it: the edge of the site.

A NUL byte (and the other C0 control characters) in a path or a query string has no meaning
in any of Ravabet's addresses, and PostgreSQL refuses NUL in text outright (a query with one was
a 500 on the tag, group and office pages and feeds). So such a request is refused here, for
every route, with 400 — before a view, a cache key or a database query sees it. In the query
string tab, line feed and carriage return are let through (a search box may carry a pasted
line); the view's own cleaning deals with those. The WSGI fast path does not serve such a
request from the cache either (`news.fastpath.eligible` asks `bad_address`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

_PATH_CONTROLS = re.compile(rb"[\x00-\x1f\x7f]")
_QUERY_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def bad_address(path: str, query: str) -> bool:
    """True when the (decoded) path or the (raw) query string holds a forbidden control."""
    raw_path = path.encode("utf-8", "surrogateescape")
    if _PATH_CONTROLS.search(raw_path) or _PATH_CONTROLS.search(unquote_to_bytes(raw_path)):
        return True
    return bool(query) and bool(_QUERY_CONTROLS.search(unquote_to_bytes(query.replace("+", " "))))


class RefuseControlCharacters:
    """Middleware, first in the stack: a control character in the address → 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if bad_address(request.path_info, request.META.get("QUERY_STRING", "")):
            raise BadRequest("control character in the address")
        return self.get_response(request)
