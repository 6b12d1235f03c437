"""Template helpers of the newsroom: responsive photos and the cache-safe CSRF field."""

from __future__ import annotations

from django import template
from django.core.files.storage import default_storage
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..pagecache import CSRF_MARK

register = template.Library()


@register.simple_tag(takes_context=True)
def page_csrf_token(context) -> str:
    """A CSRF field that stays correct on cached pages (the token is filled in per response)."""
    request = context.get("request")
    if request is not None and getattr(request, "page_csrf_mark", False):
        token = CSRF_MARK
    else:
        token = get_token(request) if request is not None else ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag
def useful_mark(code: int, choice: str) -> str:
    """Where the reader's earlier answer goes in a "useful?" button (filled per response)."""
    from ..readervotes import mark

    return mark_safe(mark(code, choice))  # noqa: S308 — digits and a fixed word


@register.simple_tag(takes_context=True)
def page_fragment(context, name: str, arg: object = "") -> str:
    """A slot that an app above the newsroom fills (e.g. comments); cached with the page."""
    from ..pagecache import render_fragment

    return mark_safe(render_fragment(context.get("request"), name, str(arg)))  # noqa: S308


@register.simple_tag(takes_context=True)
def news_cards(context, items, with_photo: bool = False, show_office: bool = False) -> str:
    """The cards of a list of news items, each cached under the item's own version (a card
    outlives the publication of other items; `pagecache.fragments`)."""
    from django.template.loader import get_template

    from ravabet.network.versioning import network_version

    from ..pagecache import fragments

    items = list(items)
    template = get_template("news/_card.html")
    lang = context.get("lang")
    by_pk = {item.pk: item for item in items}
    office_stamp = network_version() if show_office else ""
    html = fragments(
        {
            item.pk: ("card", item.pk, item.updated_at.isoformat(), with_photo, office_stamp)
            for item in items
        },
        lambda pk: template.render(
            {"item": by_pk[pk], "with_photo": with_photo, "show_office": show_office, "lang": lang}
        ),
    )
    return mark_safe("".join(html[item.pk] for item in items))  # noqa: S308 — our templates


@register.simple_tag
def photo(photo, sizes: str = "(max-width: 800px) 100vw, 800px", css: str = "", lazy: bool = True):
    """<img> with a srcset over the upload's renditions, and width/height (no layout shift)."""
    if photo is None:
        return ""
    sources = [
        f"{default_storage.url(name)} {width}w"
        for width, name in sorted(photo.renditions.items(), key=lambda kv: int(kv[0]))
    ]
    sources.append(f"{photo.image.url} {photo.width}w")
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" class="{}"{}>',
        photo.image.url,
        ", ".join(sources),
        sizes,
        photo.width,
        photo.height,
        photo.alt,
        css,
        format_html(' loading="lazy" decoding="async"') if lazy else "",
    )


@register.simple_tag
def json_ld(data) -> str:
    """schema.org data as a JSON-LD block (a data block: never executed, so CSP allows it)."""
    import json

    text = json.dumps(data, ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 — <, > and & are escaped above


@register.filter
def absolute(path: str, request) -> str:
    return request.build_absolute_uri(path) if request is not None else path
