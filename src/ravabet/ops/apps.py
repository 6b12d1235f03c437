from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operating a deployment: backup and restore, metrics, replica reads' pinning."""

    name = "ravabet.ops"
    label = "ops"
    verbose_name = _("Operations")
