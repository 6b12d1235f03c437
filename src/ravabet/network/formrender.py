"""Form errors in the reader's digits: Django fills numbers into its messages ("at most 80
characters") as Latin digits, whatever the language; on Persian pages they are shown in Persian."""

from __future__ import annotations

import re
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.translation import get_language

from .text import to_persian_digits

_TEXT = re.compile(r">([^<]+)<")


class PersianDigitsRenderer(DjangoTemplates):
    """Django's own form templates; an error list's text gets Persian digits on Persian pages.

    Only the text between tags changes (never attributes such as an error list's id), and only
    error lists: a form's inputs keep what the reader typed.
    """

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        html = super().render(template_name, context, request=request)
        if template_name.startswith("django/forms/errors/") and (get_language() or "")[:2] == "fa":
            html = _TEXT.sub(lambda m: ">" + to_persian_digits(m.group(1)) + "<", html)
        return html
