"""`ravabet demands_tick`: the overdue scan, once (reminders, escalations, unsent messages)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ravabet.demands import services


class Command(BaseCommand):
    help = "Send deadline reminders, escalate overdue demands, retry unsent messages. Idempotent."

    def handle(self, *args, **options):
        result = services.tick()
        self.stdout.write(
            "reminded {reminded}, escalated {escalated}, delivered {delivered}".format(**result)
        )
