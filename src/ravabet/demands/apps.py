from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "ravabet.demands"
    label = "demands"
    verbose_name = _("Citizens' demands")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import workdays
        from .models import Holiday

        def forget(**kwargs) -> None:
            workdays.forget_holidays()

        post_save.connect(forget, sender=Holiday, dispatch_uid="demands-holidays-save", weak=False)
        post_delete.connect(
            forget, sender=Holiday, dispatch_uid="demands-holidays-delete", weak=False
        )
