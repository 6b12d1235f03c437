"""Error pages in the reader's language, with the site's frame and a fitting status."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def _page(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    body: str
    try:
        body = render_to_string(
            "portal/error.html",
            {"status": status, "title": title, "detail": detail},
            request=request,
        )
    except Exception:
        body = f"<!doctype html><html lang='fa' dir='rtl'><title>{status}</title><h1>{title}</h1>"
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request, 403, _("Not allowed"), _("Your role does not allow this action in this office.")
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = _("No page has this address.")
    # Our own Http404s carry a sentence for the reader (e.g. "no published news with this code");
    # the URL resolver's carry a dict of technical details and get_object_or_404's an English
    # "No … matches" line: those stay hidden.
    message = exception.args[0] if exception is not None and exception.args else None
    if isinstance(message, str) and message and not message.startswith("No "):
        detail = message
    return _page(request, 404, _("Page not found"), detail)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(
        request, 500, _("Server error"), _("Something went wrong on our side; please try again.")
    )
