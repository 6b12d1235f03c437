"""`ravabet backup [-o FILE]`: database, media and secret key in one archive (ops/backup.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ravabet.ops import backup


class Command(BaseCommand):
    help = "Back up the database, media and secret key into one archive with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            help="archive to write (default: var/backups/ravabet-YYYYmmdd-HHMMSS.tar.gz)",
        )
        parser.add_argument(
            "--verify",
            metavar="ARCHIVE",
            help="only check an archive's checksums and say what it holds",
        )

    def handle(self, *args: Any, output: str | None, verify: str | None, **options: Any) -> None:
        try:
            if verify:
                manifest = backup.verify(Path(verify))
                self.stdout.write(
                    f"{verify}: ok — {manifest['database']['vendor']} database, "
                    f"{len(manifest['files'])} files, {sum(manifest['tables'].values())} rows, "
                    f"made {manifest['created_at']}"
                )
                return
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            target = Path(output or settings.VAR_DIR / "backups" / f"ravabet-{stamp}.tar.gz")
            manifest = backup.create(target)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{target}: {manifest['database']['vendor']} database, {len(manifest['files'])} files, "
            f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables. "
            "It holds the secret key and citizens' files: keep it as safe as the database."
        )
