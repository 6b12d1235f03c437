"""RSS 2.0 and Atom feeds: the province, an office, a group, a tag."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from ravabet.network import selectors as network

from . import selectors
from .models import NewsItem


class NewsFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(self, request: HttpRequest, kind: str = "province", slug: str = ""):
        if kind not in ("province", "office", "group", "tag"):
            raise Http404(_("There is no such feed."))
        if kind == "office":
            return ("office", network.office_by_slug(slug))
        if kind == "group":
            return ("group", selectors.group_by_slug(slug))
        if kind == "tag":
            return ("tag", selectors.tag_by_slug(slug))
        return ("province", None)

    def title(self, obj) -> str:
        _kind, target = obj
        site = _("Ravabet: the province's public relations network")
        if target is None:
            return site
        name = getattr(target, "name", None) or getattr(target, "title", "")
        return f"{name} — {site}"

    def link(self, obj) -> str:
        _kind, target = obj
        if target is None:
            return "/"
        return target.get_absolute_url()

    def description(self, obj) -> str:
        return _("The latest news of the province's public relations offices.")

    def items(self, obj) -> list[NewsItem]:
        kind, target = obj
        return selectors.feed_items(**({kind: target} if target is not None else {}))

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.lead or item.body_text[:400]

    def item_pubdate(self, item: NewsItem):
        return item.public_time

    def item_updateddate(self, item: NewsItem):
        return item.updated_at

    def item_guid(self, item: NewsItem) -> str:
        return f"news-{item.code}"

    item_guid_is_permalink = False

    def item_categories(self, item: NewsItem) -> list[str]:
        return [item.group.title_fa] if item.group is not None else []

    def item_author_name(self, item: NewsItem) -> str:
        return item.office.name_fa


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
