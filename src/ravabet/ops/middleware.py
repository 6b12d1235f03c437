"""The database away (a PostgreSQL restart, a fail-over): 503 with Retry-After, not a 500.

A 500 says "our bug"; the client cannot tell whether its comment or demand was taken. A lost
connection is not a bug and nothing was committed (the transaction died with the connection),
so the answer is 503 + `Retry-After`: browsers show the page, scripts and the load balancer
retry, and the person can send the form again (it keeps what was typed in the browser's
history). The page is plain HTML that needs neither the database nor the cache.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5

PAGE = """<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>موقتاً در دسترس نیست — Temporarily unavailable</title></head>
<body><main><h1>موقتاً در دسترس نیست</h1>
<p>پایگاه‌داده لحظه‌ای در دسترس نیست و چیزی ثبت نشد. چند ثانیه دیگر دوباره بفرستید.</p>
<h2 lang="en" dir="ltr">Temporarily unavailable</h2>
<p lang="en" dir="ltr">The database is briefly unavailable and nothing was recorded.
Please send it again in a few seconds.</p></main></body></html>
"""


def unavailable_response(exception: BaseException | None) -> HttpResponse | None:
    """The 503 page when `exception` is a lost database connection; None for anything else."""
    if not isinstance(exception, OperationalError | InterfaceError):
        return None
    response = HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """For views; the project's handler500 (urls.py) does the same for what fails in a
    middleware (a session saved after the view, a user loaded before it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        response = unavailable_response(exception)
        if response is not None:
            logger.warning(
                "database unavailable during %s %s: %s", request.method, request.path, exception
            )
        return response


def _drop_broken_connections() -> None:
    """Close the connections that failed, so that the next request opens new ones (the fast
    path runs before Django's own per-request check would do it)."""
    from django.db import close_old_connections

    try:
        close_old_connections()
    except Exception:  # closing a dead connection may fail too; the next request retries
        logger.debug("could not close a broken connection", exc_info=True)


class DatabaseGuard:
    """The same answer at the WSGI level, for what runs in front of Django (the news fast path
    reads the page version's stamps before Django sees the request): wsgi.py wraps the
    application in it. Only before the response has started; after that nothing can be changed."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started: list[bool] = []

        def tracking_start_response(status: str, headers: list, exc_info: Any = None) -> Any:
            started.append(True)
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, tracking_start_response)
        except (OperationalError, InterfaceError) as exc:
            if started:
                raise
            logger.warning("database unavailable before Django: %s", exc)
            _drop_broken_connections()
            body = PAGE.encode()
            start_response(
                "503 Service Unavailable",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Retry-After", str(RETRY_AFTER_SECONDS)),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [body]
