"""Per-client rate limits for public forms and votes, counted in the cache (local memory or Redis).

A fixed window per (scope, client): simple, cheap (one cache add + one incr), and good enough
to stop
floods; it is not an accounting system.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def client_key(request: HttpRequest) -> str:
    """Who is asking: the client's address (a proxy in front must set REMOTE_ADDR correctly)."""
    address = request.META.get("REMOTE_ADDR") or "unknown"
    return hashlib.blake2s(address.encode(), digest_size=12).hexdigest()


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while the client is within `limit` attempts per `window` seconds."""
    cache_key = f"rl:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        return True
    return count <= limit


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
