"""Rebuild the whole search index from every registered source, with a progress bar.

The rebuild is one transaction: emptying and refilling commit together, so readers see
the old index until the new one is complete, and a failure (a source that raises, the
database going away) leaves the old index as it was. A single document the database
refuses fails alone (see `backends.Backend.index`): it is listed at the end and the
command exits with an error after committing the others.
"""

from __future__ import annotations

from itertools import islice

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from ravabet.search import registry, services

BATCH = 1000


class Command(BaseCommand):
    help = "Empty the search index and fill it again from every registered source."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", action="append", default=[], help="Only this source (repeatable)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        sources = registry.sources()
        wanted = set(options["source"])
        unknown = wanted - {s.name for s in sources}
        if unknown:
            raise CommandError(
                f"منبع ناشناخته / unknown source: {', '.join(sorted(unknown))}; "
                f"known: {', '.join(s.name for s in sources) or '(none)'}"
            )
        if wanted:
            sources = [s for s in sources if s.name in wanted]
        report = services.IndexReport()
        with transaction.atomic():
            self._rebuild(sources, wanted, report, options)
        self.stdout.write(f"{report.indexed} documents indexed from {len(sources)} source(s).")
        if report.failed:
            for source, key, reason in report.failed[:50]:
                self.stderr.write(f"  {source}:{key}: {reason}")
            raise CommandError(
                f"{len(report.failed)} سند نمایه نشد / documents could not be indexed "
                "(listed above); the others were."
            )

    def _rebuild(self, sources, wanted, report, options) -> None:
        if not wanted:
            services.clear_index()
        for source in sources:
            if wanted:
                services.clear_index(source.name)
            total = source.count() if source.count else None
            bar = tqdm(
                total=total,
                desc=source.name,
                unit="doc",
                disable=options["no_progress"],
                file=self.stderr,
            )
            documents = iter(source.documents())
            while batch := list(islice(documents, BATCH)):
                report.add(services.index_documents(batch))
                bar.update(len(batch))
            bar.close()
