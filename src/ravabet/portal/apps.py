from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The public portal's frame and home pages: composes what the domain apps offer."""

    name = "ravabet.portal"
    label = "portal"
    verbose_name = _("Portal")
