"""ravabet import-news FILE.jsonl [--office SLUG]: bring an office's news archive in."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ravabet.network.models import Office
from ravabet.news.importer import Importer


class Command(BaseCommand):
    help = "Import news from a JSON Lines file (one news item per line); idempotent by source_id."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--office", help="slug of the office for lines without “office”")

    def handle(self, *args, file: Path, office: str | None, **options):
        default = None
        if office:
            default = Office.objects.filter(slug=office).first()
            if default is None:
                raise CommandError(f"No office with the slug {office!r}.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        importer = Importer(default)
        try:
            with file.open(encoding="utf-8", errors="replace") as handle:
                total = sum(1 for _ in handle)
                handle.seek(0)
                progress = tqdm(
                    handle, total=total, unit="line", disable=options["verbosity"] == 0, leave=False
                )
                for number, line in enumerate(progress, start=1):
                    importer.add(number, line)
        finally:
            # What came in is indexed and shown even when the import is cut short.
            report = importer.finish(file.name)
        for number, reason in report.errors[:50]:
            self.stderr.write(f"line {number}: {reason}")
        if len(report.errors) > 50:
            self.stderr.write(f"… and {len(report.errors) - 50} more bad lines")
        self.stdout.write(
            f"imported {report.created}, already there {report.skipped}, "
            f"bad lines {len(report.errors)}"
        )
