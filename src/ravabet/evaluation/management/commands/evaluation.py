"""`ravabet evaluation recompute PERIOD`: recompute measured scores from the raw records.

PERIOD is 1405-08 (a Jalali month) or 1405 (a festival year). The command prints every
difference between what is stored and what the records give now, and exits with status 1 when
there is one; `--write` stores the recomputed figures instead (audited).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from ravabet.evaluation import selectors, services


class Command(BaseCommand):
    help = "Evaluation of PR offices: `recompute PERIOD` checks stored scores against records."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        recompute = sub.add_parser("recompute", help="recompute every measured score")
        recompute.add_argument("period", help="1405-08 (month) or 1405 (festival year)")
        recompute.add_argument("--write", action="store_true", help="store the recomputed figures")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = selectors.period_by_key(options["period"])
        except Http404:
            raise CommandError(f"no period {options['period']}") from None
        differences = services.recompute(period, write=options["write"])
        for slug, code, name, stored, fresh in differences:
            self.stdout.write(f"{slug}\t{code}\t{name}\tstored={stored!r}\trecomputed={fresh!r}")
        if not differences:
            self.stdout.write(self.style.SUCCESS(f"{period.key}: every measured score matches."))
            return
        if options["write"]:
            self.stdout.write(f"{period.key}: {len(differences)} figures rewritten.")
            return
        raise CommandError(f"{period.key}: {len(differences)} figures differ from the records")
