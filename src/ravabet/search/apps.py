from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Persian full-text search that other apps feed through `search.services`."""

    name = "ravabet.search"
    label = "search"
    verbose_name = _("Search")
