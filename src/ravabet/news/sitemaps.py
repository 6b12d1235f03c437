"""Sitemaps: news pages, office homes, groups, tags; and a Google-News style news sitemap."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from ravabet.network import selectors as network

from . import selectors


class NewsSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            selectors.public_items()
            .only("code", "slug", "language", "updated_at")
            .order_by("-code")
        )

    def lastmod(self, item):
        return item.updated_at


class OfficeSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return list(network.active_offices())


class GroupSitemap(Sitemap):
    def items(self):
        return selectors.groups()


class TagSitemap(Sitemap):
    limit = 5000

    def items(self):
        return selectors.sitemap_tags()


SITEMAPS = {
    "news": NewsSitemap,
    "offices": OfficeSitemap,
    "groups": GroupSitemap,
    "tags": TagSitemap,
}


def recent_for_news_sitemap():
    """Google News asks for articles of the last two days, at most 1,000."""
    since = timezone.now() - timedelta(days=2)
    return selectors.cards(
        selectors.public_items().filter(published_at__gte=since).order_by("-published_at")[:1000]
    )
