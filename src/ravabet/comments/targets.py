"""What a comment can be attached to: a small registry of target kinds.

An app that wants comments on its content registers a kind with a resolver; the comments app
never imports the content app's models. `resolve(kind, key)` returns a `Target` or None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ravabet.network.models import Office


@dataclass(frozen=True)
class Target:
    kind: str
    key: str
    office: Office
    title: str
    text: str  # title, lead and body as plain text, for the off-topic check
    url: str
    is_open: bool  # readers may comment (the content is public)
    language: str = "fa"  # the page's language: on an English page English comments are welcome


_resolvers: dict[str, Callable[[str], Target | None]] = {}


def register(kind: str, resolve: Callable[[str], Target | None]) -> None:
    """Register a target kind; `resolve(key)` returns the Target or None when there is none."""
    _resolvers[kind] = resolve


def kinds() -> list[str]:
    return sorted(_resolvers)


def resolve(kind: str, key: str) -> Target | None:
    resolver = _resolvers.get(kind)
    return resolver(key) if resolver is not None else None


def resolve_news(key: str) -> Target | None:
    """The "news" kind: a published news item by its code."""
    from ravabet.news import selectors as news

    if not key.isdigit():
        return None
    item = news.public_summary(int(key))
    if item is None:
        return None
    return Target(
        kind="news",
        key=key,
        office=item.office,
        title=item.title,
        text="\n".join(
            part for part in (item.over_title, item.title, item.lead, item.body_text) if part
        ),
        url=item.get_absolute_url(),
        is_open=item.is_public,
        language=item.language,
    )
