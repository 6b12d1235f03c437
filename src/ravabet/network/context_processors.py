"""Values every page's frame needs: the site's name and the same page in the other language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


def site(request: HttpRequest) -> dict:
    lang = (get_language() or "fa")[:2]
    other = "en" if lang == "fa" else "fa"
    path = request.get_full_path()
    return {
        "site_name": settings.SITE_NAME_EN if lang == "en" else settings.SITE_NAME_FA,
        "lang": lang,
        "text_dir": "ltr" if lang == "en" else "rtl",
        "other_lang": other,
        "other_lang_url": translate_url(path, other),
        "other_lang_label": "English" if other == "en" else "فارسی",
        # Absolute, as search engines require of hreflang alternates.
        "alternate_urls": {
            "fa": request.build_absolute_uri(translate_url(path, "fa")),
            "en": request.build_absolute_uri(translate_url(path, "en")),
        },
    }
