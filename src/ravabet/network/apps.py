from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "ravabet.network"
    label = "network"
    verbose_name = _("PR network")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
