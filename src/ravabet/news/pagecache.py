"""Full-page cache for anonymous readers, retired by what each page shows.

A cached page's key carries the page version (`page_version`: the newsroom's generation and the
network's stamp), and the page is kept with the numbers of the *scopes* it shows (`depends_on`;
`pagestore` serves it only while they have not moved). Publishing or editing an item retires
only its scopes (`retire`): its office's and every office's above it (their home pages and
office lists include the subtree), its group's (group pages, and the aside of every article of
that group), and the "any publication" scope that pages without a narrower one carry (the
province home, latest, tag, archive pages, feeds). An article of another office and group is
not rebuilt. What must disappear everywhere — an item taken back (unpublished, deleted, its
group changed), an approved comment, an import — bumps the generation (`invalidate`), which
retires every page. Scopes and the generation are named stamps (`network.versioning`); each
server process re-reads them at most once per `RAVABET_STAMP_CHECK` seconds (default 1), so
with several processes a change shows everywhere within that delay.

Forms on cached pages carry a placeholder instead of the CSRF token; it is replaced with the
reader's own token on every response (`{% page_csrf_token %}`), so caching never shares tokens.
A captcha on a cached page is deferred the same way (`network.captcha.fill_marks`): each response
gets its own question. An app above the newsroom adds a block to its pages through a named slot
(`{% page_fragment "name" arg %}`, e.g. the comments app's list and form): the block is rendered
with the page and cached with it; the app retires it by `services.refresh_public_pages()`.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

from ravabet.network import captcha, csrf, versioning

from . import pagestore, readervotes
from .models import NewsItem

# Unforgeable: it carries the deployment's secret mark nonce (network.captcha.MARK_NONCE).
CSRF_MARK = f"@@ravabet-csrf-token-{captcha.MARK_NONCE}@@"
# Set by the WSGI fast path (news/fastpath.py) on a miss: leave the CSRF placeholder in and mark
# the response so that the fast path may store it and fill it for each reader itself.
CAPTURE_FLAG = "ravabet.fastpath"
CAPTURE_HEADER = "X-Ravabet-Capture"
VIEW_HEADER = "X-Ravabet-View"
_fragments: dict[str, Callable[[HttpRequest, str], str]] = {}


def register_fragment(name: str, renderer: Callable[[HttpRequest, str], str]) -> None:
    """Let an app fill the `{% page_fragment name arg %}` slots of the newsroom's pages."""
    _fragments[name] = renderer


def render_fragment(request: HttpRequest, name: str, arg: str) -> str:
    """An app's slot, kept under the page version (the app retires it with a refresh)."""
    renderer = _fragments.get(name)
    if renderer is None:
        return ""
    if request is None or not getattr(request, "page_csrf_mark", False):
        return renderer(request, arg)
    if not _cacheable(request):
        # A page built for this reader alone (a form sent back with its errors, a flash message
        # after a like): its slot shows what is true now and is not shared.
        return renderer(request, arg)
    return fragment(
        ("slot", name, arg, page_version(), request.get_full_path()),
        lambda: renderer(request, arg),
    )


def fragment_seconds() -> int:
    return int(getattr(settings, "RAVABET_FRAGMENT_CACHE_SECONDS", 3600))


def fragment(parts: tuple[object, ...], render: Callable[[], Any]) -> Any:
    """A rendered part of a page, kept under a key made of what it depends on.

    The full-page cache keeps whole pages until any publication; fragments outlive that where
    their key allows: a news item's article is keyed by the item's own version, so after another
    item is published its page is rebuilt around the article instead of from scratch. Parts that
    show other items (lists, related news) carry the page version and are shared between pages.
    The language is always part of the key. `RAVABET_FRAGMENT_CACHE_SECONDS=0` turns this off.
    """
    seconds = fragment_seconds()
    if seconds <= 0:
        return render()
    key = _fragment_key(parts)
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, seconds)
    return value


def fragments(keyed: dict[Any, tuple[object, ...]], render: Callable[[Any], str]) -> dict[Any, str]:
    """Many fragments in one cache round trip: {name: key parts} → {name: html}; only the
    missing ones are rendered (`render(name)`) and stored."""
    seconds = fragment_seconds()
    if seconds <= 0:
        return {name: render(name) for name in keyed}
    keys = {name: _fragment_key(parts) for name, parts in keyed.items()}
    found = cache.get_many(list(keys.values()))
    out, missing = {}, {}
    for name, key in keys.items():
        value = found.get(key)
        if value is None:
            value = missing[key] = render(name)
        out[name] = value
    if missing:
        cache.set_many(missing, seconds)
    return out


def _fragment_key(parts: tuple[object, ...]) -> str:
    from django.utils.translation import get_language

    raw = "|".join(str(part) for part in (*parts, get_language()))
    return "frag:" + hashlib.blake2s(raw.encode(), digest_size=16).hexdigest()


PAGES = "news.pages"  # the stamp every cached public page carries (network/versioning.py)


def page_seconds() -> int:
    """How long a cached page lives (`RAVABET_PAGE_CACHE_SECONDS`; 0 turns the cache off)."""
    return int(getattr(settings, "RAVABET_PAGE_CACHE_SECONDS", 300))


def page_version() -> str:
    """What a cached page's key carries: the newsroom's generation and the network's stamp
    (an office renamed or a quick link changed retires pages as a publication does)."""
    return f"{generation()}.{versioning.network_version()}"


def generation() -> int:
    """The current generation. Reading it never writes: publishing scheduled items is the
    scheduler's job (`publish_if_due`), not a side effect of a reader's request."""
    return versioning.current(PAGES)


def publish_if_due() -> int:
    """A job of `ravabet scheduler` (RAVABET_SCHEDULE, every few seconds): publish the scheduled
    items whose time has come. One small query when nothing is due (the stamp's `due`)."""
    versioning.forget()
    due = versioning.read(PAGES)[1]
    if due is None or due > timezone.now():
        return 0
    from .services import publish_due  # services imports this module

    return publish_due()


ANY = "news.any"  # scope of every page that names no narrower one: retired by any publication
DEPS_HEADER = "X-Ravabet-Deps"  # a captured page's scopes and their numbers, for the fast path


def office_scope(office_id: int) -> str:
    """Pages that show an office's news and its subtree's (its home, its news list, its items)."""
    return f"news.office.{office_id}"


def articles_scope(office_id: int) -> str:
    """The article pages of an office's own items (an edit retires them, not the subtree's)."""
    return f"news.articles.{office_id}"


def group_scope(group_id: int) -> str:
    """Pages that show a group's news (the group's list, the aside of its articles)."""
    return f"news.group.{group_id}"


def depends_on(request: HttpRequest | None, *scopes: str) -> None:
    """Say which scopes the page being rendered shows; without a call it is `ANY`."""
    if request is not None:
        request.page_scopes = (*getattr(request, "page_scopes", ()), *scopes)  # type: ignore[attr-defined]


def scopes_version(scopes: tuple[str, ...]) -> str:
    """The current numbers of `scopes` with the page version (a fragment key's part)."""
    stamps = versioning.numbers()
    numbers = ".".join(f"{stamps.get(name, (0, None))[0]}" for name in scopes)
    return f"{page_version()}:{numbers}"


def page_deps(request: HttpRequest, stamps: dict[str, tuple[int, Any]]) -> dict[str, int]:
    """The scopes the view declared (or `ANY`), with their numbers before it rendered."""
    scopes = getattr(request, "page_scopes", None) or (ANY,)
    return {name: stamps.get(name, (0, None))[0] for name in dict.fromkeys(scopes)}


def deps_header(deps: dict[str, int]) -> str:
    return ",".join(f"{name}={number}" for name, number in deps.items())


def parse_deps(value: str | None) -> dict[str, int] | None:
    if not value:
        return None
    out = {}
    for part in value.split(","):
        name, _, number = part.partition("=")
        if not number.isdigit():
            return None
        out[name] = int(number)
    return out


def item_scopes(office: Any, group_id: int | None) -> set[str]:
    """What a change to an item of `office` in group `group_id` retires (`retire`)."""
    names = {ANY, articles_scope(office.pk), *(office_scope(pk) for pk in office.ancestor_ids())}
    if group_id:
        names.add(group_scope(group_id))
    return names


def _next_due() -> Any:
    return NewsItem.objects.filter(status=NewsItem.Status.SCHEDULED).aggregate(
        at=Min("publish_at")
    )["at"]


def retire(scopes: set[str]) -> None:
    """Retire the pages that show these scopes (`item_scopes`), in the caller's transaction;
    every other cached page stays. The generation's `due` is the next scheduled publication."""
    versioning.bump_many(scopes)
    versioning.set_due(PAGES, _next_due())


def invalidate() -> None:
    """Retire every cached page (call after any change a reader could see).

    The bump is part of the caller's transaction: other processes see it when the change they
    would show is committed, never before; a rolled-back change leaves the pages alone. The
    stamp's `due` is the next scheduled publication, which the scheduler watches.
    """
    versioning.bump(PAGES, due=_next_due())


def _per_reader(content: bytes) -> bool:
    return (
        CSRF_MARK.encode() in content
        or captcha.MARK.encode() in content
        or readervotes.MARK in content
    )


def _fill(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Put the reader's own CSRF token and captcha into the page (cached or fresh)."""
    if getattr(response, "streaming", False):
        return response
    content = captcha.fill_marks(response.content)
    content = readervotes.fill(content, request.COOKIES.get(readervotes.COOKIE))
    if CSRF_MARK.encode() in content:
        content = content.replace(CSRF_MARK.encode(), csrf.get_token(request).encode())
    if content is not response.content:
        response.content = content
        # The page now holds something of this reader's own: an nginx micro-cache in front must
        # not keep it (docs/news.md). Pages without holes may be kept for a second.
        response["X-Accel-Expires"] = "0"
    elif response.get("X-Page-Cache"):
        response["X-Accel-Expires"] = "1"
    return response


def _finish(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Hand a storable page to the fast path unfilled, or fill it for this reader."""
    if (
        request.META.get(CAPTURE_FLAG)
        and getattr(request, "page_query_canonical", False)
        and response.get("X-Page-Cache")
        and response.status_code == 200
        and not getattr(response, "streaming", False)
        and not response.cookies
    ):
        response[CAPTURE_HEADER] = "1"
        deps = getattr(request, "page_deps", None)
        if deps:
            response[DEPS_HEADER] = deps_header(deps)
        response["X-Accel-Expires"] = "0" if _per_reader(response.content) else "1"
        return response
    return _fill(response, request)


def _cacheable(request: HttpRequest) -> bool:
    if page_seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    return not len(messages.get_messages(request))


# What a cached page may be keyed on: the query parameters it reads, each with the only values
# it keeps a page for (canonical digits: `?page=02` is not a second copy of `?page=2`).
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,4}")
ITEM_ID = re.compile(r"[1-9][0-9]{0,11}")
KNOWN_PARAMS = {"page": PAGE_NUMBER, "reply": ITEM_ID}
# Every parameter some cached page reads: the fast path passes other query strings to Django.
_read_anywhere: set[str] = set()


def cache_query(query_string: str, params: tuple[str, ...]) -> tuple[str, bool] | None:
    """(the query string a page is keyed on, whether the request's own was already that).

    Parameters the page does not read are dropped (`?utm=…` is the same page); a parameter it
    reads given twice or with a value it would not keep a page for gives None: the page is
    rendered for that request and never stored.
    """
    kept: dict[str, str] = {}
    dropped = False
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        if name not in params:
            dropped = True
            continue
        if name in kept or not KNOWN_PARAMS[name].fullmatch(value):
            return None
        kept[name] = value
    normal = urlencode(sorted(kept.items()))
    return normal, not dropped and normal == query_string


def fast_path_may_key(query_string: str) -> bool:
    """Whether the fast path may key a page on this query string as it stands (no parameter
    that no cached page reads, none twice, canonical values in order); others go to Django."""
    found = cache_query(query_string, tuple(_read_anywhere))
    return found is not None and found[1]


def _normalise(request: HttpRequest, query: str) -> None:
    """Let the view (and the links it writes) see only the parameters it reads."""
    if request.META.get("QUERY_STRING", "") != query:
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def cached_page(
    view: Callable[..., HttpResponse] | None = None, *, params: tuple[str, ...] = ("page",)
) -> Any:
    """Serve anonymous GETs from the cache; the view renders only on a miss.

    `params` names the query parameters the view reads (all in `KNOWN_PARAMS`): the page is
    keyed on those alone, so junk query strings (`?utm=<random>`) never add cache entries.
    """
    unknown = set(params) - set(KNOWN_PARAMS)
    if unknown:
        raise ValueError(f"cached_page: no value pattern for {sorted(unknown)}")
    _read_anywhere.update(params)
    if view is None:
        return functools.partial(cached_page, params=params)
    return _cached(view, tuple(params))


def _cached(
    view: Callable[..., HttpResponse], params: tuple[str, ...]
) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.page_csrf_mark = True  # type: ignore[attr-defined]  # read by news/fastpath.py
        # The scopes' numbers before the view reads anything: a publication during the render
        # leaves the page stored under the older numbers, so it is not served as current.
        stamps = versioning.numbers()
        current = page_version()
        found = cache_query(request.META.get("QUERY_STRING", ""), params)
        if found is None or not _cacheable(request):
            request.page_query_canonical = False  # type: ignore[attr-defined]  # read by _finish
            return _fill(view(request, *args, **kwargs), request)
        query, canonical = found
        # Only a request keyed as it stands may be stored by the fast path under its own key.
        request.page_query_canonical = canonical  # type: ignore[attr-defined]  # read by _finish
        _normalise(request, query)
        # Scheme and host belong to the key: pages carry absolute links (canonical, og:url).
        path = f"{request.scheme}://{request.get_host()}{request.get_full_path()}".encode()
        digest = hashlib.blake2s(path, digest_size=16).hexdigest()
        action, found_entry, request.page_deps = pagestore.find("page", current, digest)  # type: ignore[attr-defined]
        if action != pagestore.RENDER:
            content, content_type, headers = found_entry
            response = HttpResponse(content, content_type=content_type)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = action
            if action == pagestore.STALE:
                # An older version's page, served while another request renders the new one:
                # never handed to the fast path to be stored under the new version.
                return _fill(response, request)
            return _finish(response, request)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not getattr(response, "streaming", False):
                deps = page_deps(request, stamps)
                if not response.cookies:
                    headers = [
                        (name, value)
                        for name, value in response.items()
                        if name.lower() in ("content-language", "link", "last-modified")
                    ]
                    pagestore.store(
                        "page",
                        current,
                        digest,
                        (response.content, response["Content-Type"], headers),
                        page_seconds(),
                        deps,
                    )
                response["X-Page-Cache"] = "miss"
                request.page_deps = deps  # type: ignore[attr-defined]  # read by _finish
        finally:
            if found_entry:
                pagestore.release("page", current, digest)
        return _finish(response, request)

    return wrapper
