from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The public portal's frame and home pages: composes what the domain apps offer."""

    name = "ravabet.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from ravabet.events import services as events
        from ravabet.news import services as news

        # The office home (a cached page) carries the office's programme line.
        events.on_programme_change(news.refresh_public_pages)
