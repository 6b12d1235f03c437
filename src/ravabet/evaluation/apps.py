from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "ravabet.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation of PR offices")

    def ready(self) -> None:
        # The honour roll feeds PR week: an honouring ceremony's page lists the outstanding
        # offices of the latest published evaluation (events.extras; events never imports us).
        if apps.is_installed("ravabet.events"):
            from ravabet.events import extras

            from .honours import render_for_ceremony

            extras.register("honouring", render_for_ceremony)
