"""`ravabet demands_scheduler`: enqueue the demands tick every N seconds.

`ravabet serve` runs `ravabet scheduler`, which does this among its jobs; this loop is for
set-ups without it.

django-tasks has no periodic scheduler, so this small loop does the timing and the task worker
does the work; several schedulers at once are harmless because the tick is idempotent.
"""

from __future__ import annotations

import os
import signal
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Enqueue the demands tick on a schedule (RAVABET_DEMANDS_TICK_SECONDS, default 300)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=int(os.environ.get("RAVABET_DEMANDS_TICK_SECONDS", 300)),
            help="seconds between ticks",
        )
        parser.add_argument("--once", action="store_true", help="enqueue one tick and stop")

    def handle(self, *args, every: int, once: bool, **options):
        from ravabet.demands.tasks import tick

        stop = {"now": False}

        def halt(signum, frame):
            stop["now"] = True

        if not once:
            signal.signal(signal.SIGTERM, halt)
            signal.signal(signal.SIGINT, halt)
        while not stop["now"]:
            try:
                tick.enqueue()
            except Exception as exc:  # the database may be briefly away; try again next round
                self.stderr.write(f"demands tick not enqueued: {exc}")
            if once:
                break
            deadline = time.monotonic() + max(every, 5)
            while not stop["now"] and time.monotonic() < deadline:
                time.sleep(1)
