"""Rebuild the whole search index from every registered source, with a progress bar."""

from __future__ import annotations

from itertools import islice

from django.core.management.base import BaseCommand, CommandError
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
        if not wanted:
            services.clear_index()
        total_indexed = 0
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
                services.index_documents(batch)
                bar.update(len(batch))
                total_indexed += len(batch)
            bar.close()
        self.stdout.write(f"{total_indexed} documents indexed from {len(sources)} source(s).")
