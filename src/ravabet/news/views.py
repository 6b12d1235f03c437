"""Public news pages: thin views over the selectors, served from the full-page cache."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ravabet.network import selectors as network
from ravabet.network.jalali import gregorian_range_for_jalali_month, month_name
from ravabet.network.language import active_language
from ravabet.network.paging import page_number
from ravabet.network.ratelimit import client_key, rate_limited
from ravabet.network.readers import reader_key, remember_reader
from ravabet.network.replica import reads_from_replica

from . import pagecache, readervotes, selectors, services, viewcounts
from .pagecache import cached_page


def _page(request: HttpRequest) -> int:
    return page_number(request)


def _item_or_redirect(code: int, slug: str | None):
    item = selectors.public_item_by_code(code)
    if slug != item.slug and item.slug:
        return item, redirect(item.get_absolute_url(), permanent=True)
    return item, None


def detail(request: HttpRequest, code: int, slug: str | None = None) -> HttpResponse:
    """The news page; the view is counted whether the page came from the cache or not."""
    response = _detail(request, code, slug)
    if response.status_code == 200 and request.method == "GET":
        viewcounts.count_view(code)
        if request.META.get(pagecache.CAPTURE_FLAG):
            response[pagecache.VIEW_HEADER] = str(code)  # the fast path counts its hits too
    return response


@cached_page(params=("reply",))
@reads_from_replica
def _detail(request: HttpRequest, code: int, slug: str | None = None) -> HttpResponse:
    """The page is built from cached parts (`pagecache.fragment`): the article under the item's
    own version, the lists beside it under the page version; only a stale part is rendered."""
    head = selectors.public_item_head(code)
    if slug != head.slug and head.slug:
        return redirect(head.get_absolute_url(), permanent=True)
    # Retired by a change to an item of its office, or a publication in its group (the aside);
    # a publication elsewhere leaves it cached (its "related" list may wait for the page's
    # timeout to name a newer item; an item taken back retires every page).
    scopes: tuple[str, ...] = (pagecache.articles_scope(head.office_id),)
    if head.group_id:
        scopes += (pagecache.group_scope(head.group_id),)
    pagecache.depends_on(request, *scopes)
    site = f"{request.scheme}://{request.get_host()}"
    article = pagecache.fragment(
        ("news-article", head.pk, head.updated_at.isoformat(), network.network_version(), site),
        lambda: _article_parts(request, code),
    )
    aside = pagecache.fragment(
        ("news-aside", head.pk, head.group_id, pagecache.scopes_version(scopes)),
        lambda: _aside(request, head),
    )
    context = {
        "code": head.code,
        "office": head.office,
        "quick_links": network.quick_links(head.office),
        "parts": {name: mark_safe(html) for name, html in article.items()},  # noqa: S308
        "aside": mark_safe(aside),  # noqa: S308 — our own rendered template
    }
    return render(request, "news/detail.html", context)


def _article_parts(request: HttpRequest, code: int) -> dict[str, str]:
    """The item's own parts of its page: head tags and the article up to its comments."""
    item = selectors.public_item_by_code(code)
    context = {
        "item": item,
        "tags": list(item.tags.all()),
        "gallery": [p for p in item.photos.all() if p.pk != item.main_photo_id],
        "translation": _translation(item),
        "schema": _schema(request, item),
    }
    html = render_to_string("news/_article.html", context, request=request)
    head, article = html.split("<!--ravabet:article-->", 1)
    title, description, alternates, head = head.split("<!--ravabet:part-->", 3)
    return {
        "title": title.strip(),
        "description": description.strip(),
        "alternates": alternates.strip(),
        "head": head,
        "article": article,
    }


def _aside(request: HttpRequest, item) -> str:
    """Latest and most viewed of the item's group, and related news by tags."""
    group = selectors.group_by_id(item.group_id) if item.group_id else None
    # The item's own language, not the reader's: its page is written in it (and the aside is
    # cached per item).
    language = item.language
    context = {
        "group_latest": (
            _without(item, selectors.latest(limit=7, group=group, language=language))
            if group
            else []
        ),
        "group_most_viewed": (
            _without(item, selectors.most_viewed(limit=7, group=group, language=language))
            if group
            else []
        ),
        "related": _without(item, selectors.related(item, limit=6)),
    }
    return render_to_string("news/_aside.html", context, request=request)


def _schema(request: HttpRequest, item) -> dict:
    """schema.org NewsArticle data for search engines."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": item.title[:110],
        "datePublished": item.public_time.isoformat() if item.public_time else None,
        "dateModified": item.updated_at.isoformat(),
        "inLanguage": item.language,
        "identifier": str(item.code),
        "mainEntityOfPage": request.build_absolute_uri(item.get_absolute_url()),
        "publisher": {"@type": "GovernmentOrganization", "name": item.office.name_fa},
        "author": {"@type": "GovernmentOrganization", "name": item.office.name_fa},
        "description": (item.lead or item.body_text)[:300],
    }
    if item.main_photo_id:
        data["image"] = [request.build_absolute_uri(item.main_photo.image.url)]
    return data


def news_sitemap(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    from .sitemaps import recent_for_news_sitemap

    return render(
        request,
        "news/news_sitemap.xml",
        {
            "items": recent_for_news_sitemap(),
            "base": request.build_absolute_uri("/")[:-1],
            "site_name": settings.SITE_NAME_FA,
        },
        content_type="application/xml; charset=utf-8",
    )


def _without(item, items: list, limit: int = 5) -> list:
    """The list without the item itself and without its translation (linked from the article)."""
    same = {item.pk, item.translation_of_id}
    return [
        other for other in items if other.pk not in same and other.translation_of_id != item.pk
    ][:limit]


def _translation(item):
    if item.translation_of_id and item.translation_of.is_public:
        return item.translation_of
    other = getattr(item, "translation", None)
    if other is not None and other.is_public:
        return other
    return None


@cached_page(params=())
def print_view(request: HttpRequest, code: int) -> HttpResponse:
    item = selectors.public_item_by_code(code)
    return render(request, "news/print.html", {"item": item, "tags": list(item.tags.all())})


def _vote_form(request: HttpRequest, item, error: str) -> HttpResponse:
    """The vote box again with its error (its buttons' marks filled for this reader)."""
    response = render(request, "news/_vote.html", {"item": item, "error": error}, status=400)
    response.content = readervotes.fill(response.content, request.COOKIES.get(readervotes.COOKIE))
    return response


@require_POST
@rate_limited("news-vote", limit=20, window=600)
def vote(request: HttpRequest, code: int) -> HttpResponse:
    item = selectors.public_item_by_code(code)
    choice = request.POST.get("useful")
    if choice not in ("yes", "no"):
        return _vote_form(request, item, _("Choose “yes” or “no”."))
    voter = reader_key(request)
    try:
        counted = services.vote(item, voter, choice == "yes", client_key(request))
    except ValidationError as exc:
        return _vote_form(request, item, exc.messages[0])
    text = (
        _("Thank you: your vote was counted.")
        if counted
        else _("You have already voted on this news item.")
    )
    if request.htmx:  # type: ignore[attr-defined]  # set by django-htmx's middleware
        response = render(request, "news/_vote.html", {"item": item, "message": text})
    else:
        messages.success(request, text)
        response = redirect(item.get_absolute_url() + "#useful")
    # Remember the answer that counts (the first one) so that the page shows it pressed.
    answer = (choice == "yes") if counted else selectors.reader_useful(item, voter)
    if answer is not None:
        readervotes.remember(response, request.COOKIES.get(readervotes.COOKIE), item.code, answer)
    return remember_reader(response, voter)


@cached_page
@reads_from_replica
def latest(request: HttpRequest) -> HttpResponse:
    page = selectors.items_for_page(selectors.public_items(active_language()), _page(request))
    return render(
        request, "news/list.html", {"title": _("Latest news"), "page_obj": page, "feed": None}
    )


@cached_page
@reads_from_replica
def office_news(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = network.office_by_slug(office_slug)
    pagecache.depends_on(request, pagecache.office_scope(office.pk))
    page = selectors.items_for_page(selectors.of_office(office, active_language()), _page(request))
    return render(
        request,
        "news/list.html",
        {
            "title": _("News of %(office)s") % {"office": office.name},
            "office": office,
            "quick_links": network.quick_links(office),
            "page_obj": page,
            "feed": ("office", office.slug),
        },
    )


@cached_page
@reads_from_replica
def group(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_by_slug(slug)
    pagecache.depends_on(request, pagecache.group_scope(group.pk))
    page = selectors.items_for_page(selectors.in_group(group, active_language()), _page(request))
    return render(
        request,
        "news/list.html",
        {"title": group.title, "group": group, "page_obj": page, "feed": ("group", group.slug)},
    )


@cached_page
@reads_from_replica
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    tag = selectors.tag_by_slug(slug)
    page = selectors.items_for_page(selectors.with_tag(tag, active_language()), _page(request))
    return render(
        request,
        "news/list.html",
        {
            "title": _("Tag: %(tag)s") % {"tag": tag.name},
            "tag": tag,
            "page_obj": page,
            "feed": ("tag", tag.slug),
        },
    )


@cached_page(params=())
@reads_from_replica
def archive(request: HttpRequest) -> HttpResponse:
    months = [
        {"year": y, "month": m, "name": month_name(m, request.LANGUAGE_CODE), "count": n}
        for y, m, n in selectors.archive_months()
    ]
    return render(request, "news/archive.html", {"months": months})


@cached_page
@reads_from_replica
def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not (1 <= month <= 12 and 1300 <= year <= 1500):
        raise Http404(_("There is no such month in the archive."))
    start, end = gregorian_range_for_jalali_month(year, month)
    page = selectors.items_for_page(
        selectors.in_range(start, end, active_language()), _page(request)
    )
    title = _("Archive: %(month)s %(year)s") % {
        "month": month_name(month, request.LANGUAGE_CODE),
        "year": year,
    }
    return render(request, "news/list.html", {"title": title, "page_obj": page, "feed": None})
