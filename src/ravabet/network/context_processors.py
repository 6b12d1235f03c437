"""Values every page's frame needs: the site's name and the same page in the other language."""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url as _translate_url

from .language import active_language


@functools.lru_cache(maxsize=4096)
def translate_url(path: str, lang: str) -> str:
    """The same page in `lang` (the URL configuration does not change while serving)."""
    return _translate_url(path, lang)


def site(request: HttpRequest) -> dict:
    lang = active_language()
    other = "en" if lang == "fa" else "fa"
    path = request.get_full_path()
    # The page's own language needs no translation: its address is the path itself.
    other_url = translate_url(path, other)
    return {
        "site_name": settings.SITE_NAME_EN if lang == "en" else settings.SITE_NAME_FA,
        "lang": lang,
        "text_dir": "ltr" if lang == "en" else "rtl",
        "other_lang": other,
        "other_lang_url": other_url,
        "other_lang_label": "English" if other == "en" else "فارسی",
        # Absolute, as search engines require of hreflang alternates.
        "alternate_urls": {
            lang: request.build_absolute_uri(path),
            other: request.build_absolute_uri(other_url),
        },
    }
