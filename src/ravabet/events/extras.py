"""Parts other apps add to an event's page, by kind, without this app importing them.

The evaluation app (which may import this one; the reverse would be a cycle) registers a renderer
for honouring ceremonies that lists the outstanding offices of the latest published evaluation:

    extras.register("honouring", render)   # render(event) -> safe HTML, or "" for nothing

A renderer that fails is logged and left out: an event page never breaks for another app's part.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

Renderer = Callable[[Any], str]
_BY_KIND: dict[str, list[Renderer]] = {}


def register(kind: str, renderer: Renderer) -> None:
    found = _BY_KIND.setdefault(kind, [])
    if renderer not in found:
        found.append(renderer)


def for_event(event: Any) -> list[SafeString]:
    """The registered parts for this event's kind, rendered (empty ones left out)."""
    parts: list[SafeString] = []
    for renderer in _BY_KIND.get(event.kind, []):
        try:
            html = renderer(event)
        except Exception:
            logger.exception("event extra %r failed for event %s", renderer, event.pk)
            continue
        if html:
            parts.append(mark_safe(html))  # noqa: S308 - renderers return rendered templates
    return parts
