"""Per-client rate limits for public forms and votes, counted where every process sees them.

A fixed window per (scope, client): simple, cheap (one Redis round trip, or one upsert in the
database on the embedded default: `network.counters`), and good enough to stop floods; it is not
an accounting system. The client is the real one behind a trusted proxy (`network.clientaddr`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import clientaddr, counters


def client_key(request: HttpRequest) -> str:
    """Who is asking: a keyed hash of the real client's address (`network.clientaddr`)."""
    return clientaddr.client_hash(request)


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while the client is within `limit` attempts per `window` seconds."""
    return counters.hit(f"rl:{scope}", key, window=window) <= limit


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    body = render_to_string(
        "portal/error.html",
        {
            "status": 429,
            "title": _("Too many requests"),
            "detail": _(
                "You have sent this too often in a short time. Please wait a few minutes "
                "and try again. (Too many requests.)"
            ),
        },
        request=request,
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(
    scope: str, *, limit: int, window: int, methods: tuple[str, ...] = ("POST",)
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view: more than `limit` requests per `window` seconds from one client → 429."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and not hit(
                scope, client_key(request), limit=limit, window=window
            ):
                return too_many_requests(request, window)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
