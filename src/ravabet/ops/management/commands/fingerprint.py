"""`ravabet fingerprint`: row counts, checksums of every public page and media file (JSON)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from ravabet.ops.fingerprint import fingerprint


class Command(BaseCommand):
    help = "Print what this deployment shows the public as checksums (to compare two deployments)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(fingerprint(), ensure_ascii=False, indent=1, sort_keys=True))
