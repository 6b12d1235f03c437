"""`ravabet demands_rebuild_figures`: recount every office-month (after imports or bulk loads)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ravabet.demands import services


class Command(BaseCommand):
    help = "Recount the monthly responsiveness figures of every office from the demands."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.rebuild_figures()} office-months recounted")
