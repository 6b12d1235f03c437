"""`ravabet scheduler`: run every app's periodic jobs (RAVABET_SCHEDULE, network/scheduler.py)."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ravabet.network import scheduler


class Command(BaseCommand):
    help = "Run the periodic jobs (publishing scheduled news, the demands tick) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run every job once and stop")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        if once:
            for path in scheduler.jobs():
                scheduler.run_job(path)
            return
        stop = {"now": False}

        def halt(signum: int, frame: FrameType | None) -> None:
            stop["now"] = True

        signal.signal(signal.SIGTERM, halt)
        signal.signal(signal.SIGINT, halt)
        scheduler.loop(lambda: stop["now"], report=self.stderr.write)
