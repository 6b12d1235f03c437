from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "ravabet.council"
    label = "council"
    verbose_name = _("Coordination councils")

    def ready(self) -> None:
        # The public decisions and meetings in the search app (councilpub: search_feed.py).
        from . import search_feed

        search_feed.register()
