"""One answer to "is this language English?" for every app.

The site has two languages, Persian (the default) and English; a language code is English when
its primary subtag is ``en`` (``en``, ``en-us``, ``en_GB``), and anything else (including none at
all) is treated as Persian. Before this module each app asked the question its own way.
"""

from __future__ import annotations

from django.utils.translation import get_language


def is_english(lang: str | None = None) -> bool:
    """True when `lang` (by default the active language) is English."""
    if lang is None:
        lang = get_language()
    if not lang:
        return False
    return lang.replace("_", "-").split("-")[0].lower() == "en"


def active_language() -> str:
    """``"en"`` or ``"fa"``: the active language reduced to the two the site has."""
    return "en" if is_english() else "fa"
