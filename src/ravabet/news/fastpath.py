"""Cached pages served in front of Django, for anonymous readers (the WSGI fast path).

`cached_page` keeps Ravabet's pages correct; this layer makes a cache hit cheap. For a GET
without a staff session or pending messages it looks the page up under the same generation as
`pagecache` and, on a hit, answers without running Django's middleware, URL resolver or view:
the stored response already carries every header those added (security headers included). Per-
reader parts are filled here too: the CSRF token (masked from the reader's own `csrftoken` cookie,
or a new cookie, exactly as Django's CSRF middleware would), a new captcha question for each form
that asks one (`network.captcha.fill_marks`), and the news page's view count.

A miss goes through Django with a flag; `cached_page` then leaves the CSRF placeholder in and
marks the response, and this layer stores it (without cookies) before filling it for the reader.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.http.request import validate_host
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private: not in the stubs
    CSRF_SECRET_LENGTH,
    InvalidTokenFormat,
    _check_token_format,
)

from ravabet.network import captcha, csrf, edge

from . import pagecache, pagestore, readervotes, viewcounts

CAPTURE_FLAG = pagecache.CAPTURE_FLAG
CAPTURE_HEADER = pagecache.CAPTURE_HEADER
VIEW_HEADER = pagecache.VIEW_HEADER
DEPS_HEADER = pagecache.DEPS_HEADER
_PASS_PREFIXES = ("/static/", "/media/", "/admin/", "/staff/", "/accounts/", "/healthz")


def _scheme(environ: dict[str, Any]) -> str:
    header = settings.SECURE_PROXY_SSL_HEADER
    if header and environ.get(header[0]) == header[1]:
        return "https"
    return environ.get("wsgi.url_scheme", "http")


def _host(environ: dict[str, Any]) -> str:
    return environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")


def digest_for(environ: dict[str, Any]) -> str:
    """Scheme and host are part of the key: pages carry absolute links (canonical, og:url)."""
    raw = (
        f"{_scheme(environ)}://{_host(environ)}"
        f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
    )
    return hashlib.blake2s(raw.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def key_for(generation: str, environ: dict[str, Any]) -> str:
    """The shared cache's key of the page (`pagestore` keeps it there)."""
    return f"fast:{generation}:{digest_for(environ)}"


@functools.cache
def _allowed_hosts() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        hosts = [".localhost", "127.0.0.1", "[::1]"]
    return hosts


def _cookies(environ: dict[str, Any]) -> SimpleCookie:
    """The request's cookies, parsed once per request (eligibility and CSRF both read them)."""
    jar = environ.get("ravabet.cookies")
    if jar is None:
        jar = SimpleCookie()
        try:
            jar.load(environ.get("HTTP_COOKIE", ""))
        except Exception:  # a malformed cookie header: let Django deal with it
            jar = SimpleCookie()
            jar["__bad__"] = "1"
        environ["ravabet.cookies"] = jar
    return jar


def eligible(environ: dict[str, Any]) -> bool:
    """Only what Django itself would answer with a cached page: anonymous GETs on an allowed
    host, over HTTPS when the site redirects plain HTTP."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    if environ.get("PATH_INFO", "").startswith(_PASS_PREFIXES):
        return False
    if edge.bad_address(environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")):
        return False  # Django's edge middleware refuses it (400); never a cache key
    if not pagecache.fast_path_may_key(environ.get("QUERY_STRING", "")):
        return False  # junk parameters: `cached_page` keys the page on what it reads
    if settings.SECURE_SSL_REDIRECT and _scheme(environ) != "https":
        return False
    host = _host(environ).rsplit(":", 1)[0] if "]" not in _host(environ) else _host(environ)
    if not validate_host(host.lower(), _allowed_hosts()):
        return False
    if "HTTP_COOKIE" in environ:
        jar = _cookies(environ)
        if settings.SESSION_COOKIE_NAME in jar or "messages" in jar or "__bad__" in jar:
            return False
    return pagecache.page_seconds() > 0


def _csrf(environ: dict[str, Any]) -> tuple[str, str | None]:
    """(masked token for the form, new secret to set as cookie or None)."""
    jar = _cookies(environ)
    morsel = jar.get(settings.CSRF_COOKIE_NAME)
    if morsel is not None:
        try:
            _check_token_format(morsel.value)
            secret = morsel.value
            if len(secret) == CSRF_SECRET_LENGTH:
                return csrf.mask(secret), None
        except InvalidTokenFormat:
            pass
    secret = csrf.new_secret()
    return csrf.mask(secret), secret


@functools.cache
def _csrf_cookie_attributes() -> str:
    """Everything of Django's CSRF cookie but its value (the settings do not change at run time)."""
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        "x",
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    morsel = response.cookies[settings.CSRF_COOKIE_NAME]
    morsel["expires"] = ""  # Max-Age says it; a fixed date would go stale
    return morsel.OutputString().split(";", 1)[1]


def _csrf_cookie(secret: str) -> str:
    return f"{settings.CSRF_COOKIE_NAME}={secret};{_csrf_cookie_attributes()}"


# A stored page is kept split at its per-reader marks, so a response joins parts instead of
# searching the whole page for marks.
_MARKS = re.compile(
    b"(" + re.escape(pagecache.CSRF_MARK.encode()) + b"|"
    + captcha.MARK_PATTERN.replace(b"(", b"(?:") + b"|"
    + readervotes.MARK_PATTERN.replace(b"(", b"(?:") + b")"
)  # fmt: skip


def _split(body: bytes) -> bytes | list[bytes]:
    parts = _MARKS.split(body)
    return body if len(parts) == 1 else parts


def _respond(
    entry: tuple[str, list[tuple[str, str]], bytes | list[bytes], int | None],
    environ: dict[str, Any],
    start_response: Callable,
    label: str,
) -> Iterable[bytes]:
    status, headers, parts, view_code = entry
    headers = [pair for pair in headers if pair[0].lower() != "content-length"]
    if isinstance(parts, bytes):
        body = parts
    else:
        filled = list(parts)
        token = b""
        minted: dict[bytes, Any] = {}
        answers: dict[str, str] | None = None
        csrf_mark = pagecache.CSRF_MARK.encode()
        for n in range(1, len(filled), 2):
            if filled[n] == csrf_mark:
                if not token:
                    masked, new_secret = _csrf(environ)
                    token = masked.encode()
                    if new_secret is not None:
                        headers.append(("Set-Cookie", _csrf_cookie(new_secret)))
                filled[n] = token
            elif filled[n].startswith(readervotes.MARK):
                if answers is None:
                    morsel = _cookies(environ).get(readervotes.COOKIE)
                    answers = readervotes.parse(morsel.value if morsel else None)
                filled[n] = readervotes.fill_one(filled[n], answers)
            else:
                filled[n] = captcha.fill_mark(filled[n], minted)
        body = b"".join(filled)
    if view_code is not None:
        viewcounts.count_view(view_code)
    headers += [("Content-Length", str(len(body))), ("X-Page-Cache", label)]
    start_response(status, headers)
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


class FastPath:
    """WSGI middleware in front of Django (wired in `ravabet.wsgi`)."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if not eligible(environ):
            return self.app(environ, start_response)
        version = pagecache.page_version()
        digest = digest_for(environ)
        action, found, _ = pagestore.find("fast", version, digest)
        if action != pagestore.RENDER:
            return _respond(found, environ, start_response, action.replace("hit", "fast"))
        try:
            return self._render(environ, start_response, version, digest)
        finally:
            if found:
                pagestore.release("fast", version, digest)

    def _render(
        self, environ: dict[str, Any], start_response: Callable, version: str, digest: str
    ) -> Iterable[bytes]:
        environ[CAPTURE_FLAG] = True
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            seen["status"], seen["headers"] = status, headers
            return lambda data: None  # the legacy write() callable: Django never uses it

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        headers = seen["headers"]
        names = {name.lower(): value for name, value in headers}
        if names.get(CAPTURE_HEADER.lower()) != "1":
            start_response(seen["status"], headers)
            return [body]
        view = names.get(VIEW_HEADER.lower())
        deps = pagecache.parse_deps(names.get(DEPS_HEADER.lower()))
        dropped = ("set-cookie", CAPTURE_HEADER.lower(), VIEW_HEADER.lower(), DEPS_HEADER.lower())
        kept = [
            (name, value)
            for name, value in headers
            if name.lower() not in dropped and name.lower() != "x-page-cache"
        ]
        stored = (seen["status"], kept, _split(body), int(view) if view else None)
        pagestore.store("fast", version, digest, stored, pagecache.page_seconds(), deps)
        # The reader's own cookies from this response (e.g. a new CSRF cookie) still go out.
        cookies = [(n, v) for n, v in headers if n.lower() == "set-cookie"]
        return _respond(
            (seen["status"], kept + cookies, stored[2], None), environ, start_response, "miss"
        )
