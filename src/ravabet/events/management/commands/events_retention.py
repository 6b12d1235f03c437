"""Remove guests' personal data some months after their event (docs/events.md, "Retention").

    ravabet events_retention            # months from RAVABET_EVENTS_GUEST_RETENTION_MONTHS (12)
    ravabet events_retention --months 6
    ravabet events_retention --dry-run  # only count

Guests' name, mobile, email and organisation are blanked on events that ended more than N months
(of 30 days) ago; the registration row stays (attendance figures do not change), marked with the
time it was anonymised. Staff registrations are not touched: they are the staff's training
record. Run it daily from the scheduler or cron; running it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ravabet.events import selectors, services


class Command(BaseCommand):
    help = "Anonymise event guests' personal data N months after their event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        months = options["months"]
        if months is not None and months < 1:
            self.stderr.write("--months must be at least 1")
            raise SystemExit(2)
        if options["dry_run"]:
            count = selectors.guests_due_for_retention(months=months)
            self.stdout.write(f"{count} guest registration(s) would be anonymised")
            return
        count = services.anonymise_guests(months=months)
        self.stdout.write(f"{count} guest registration(s) anonymised")
