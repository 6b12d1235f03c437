"""`ravabet restore ARCHIVE`: restore a `ravabet backup` archive into an empty deployment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ravabet.ops import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive (database, media, secret key) into an empty deployment; "
        "stop every ravabet process of this deployment first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore over a deployment that already holds content (it is replaced)",
        )

    def handle(self, *args: Any, archive: str, force: bool, **options: Any) -> None:
        try:
            summary = backup.restore(Path(archive), force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = summary["manifest"]
        self.stdout.write(
            f"restored {archive} (made {manifest['created_at']}): {summary['tables']} tables, "
            f"row counts match the manifest, {summary['files']} media files; {summary['key']}."
        )
