"""The `ravabet` command: serve the portal, load the demo, and Django's management commands.

ravabet serve [--host H] [--port P] [--workers N]   migrate, collect static, serve (granian)
ravabet demo                                         load the demo network and content
ravabet import-news FILE.jsonl [--office SLUG]       import a news archive (JSON Lines)
ravabet <any Django management command>              e.g. ravabet createsuperuser
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
    from ravabet.settings import ConfigurationError

    try:
        import django

        django.setup()
    except ConfigurationError as exc:
        print(f"ravabet: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def task_log_path(var_dir: Path) -> Path:
    folder = Path(var_dir) / "log"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "tasks.log"


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ravabet serve", description="Serve the portal.")
    parser.add_argument("--host", default=os.environ.get("RAVABET_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RAVABET_PORT", 8000)))
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("RAVABET_WORKERS", 2)),
        help="server processes (default 2, one per core here)",
    )
    parser.add_argument(
        "--no-task-worker",
        action="store_true",
        help="do not start the background task worker beside the server",
    )
    args = parser.parse_args(argv)
    # Before Django reads its settings, and inherited by every child: SITE_URL (links in emails
    # and feeds) follows the host and port given here unless RAVABET_SITE_URL says otherwise.
    os.environ["RAVABET_HOST"] = args.host
    os.environ["RAVABET_PORT"] = str(args.port)
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from ravabet.ops import metrics

    metrics.reset()  # per-process metric files of an earlier run would be counted again
    background: list[Child] = []
    if not args.no_task_worker:
        # The worker's task lines and the emails it prints (console backend) go to a file, not
        # over the terminal after the banner (docs/decisions.md).
        log_path = task_log_path(settings.VAR_DIR)
        task_log = open(log_path, "ab")
        command = [sys.executable, "-m", "ravabet.cli"]
        background.append(
            Child("task worker", [*command, "db_worker", "--interval", "1"], output=task_log)
        )
        # django-tasks has no periodic schedule: this loop runs the periodic jobs (scheduled
        # news published on time, the demands tick; network/scheduler.py).
        background.append(Child("scheduler", [*command, "scheduler"], output=task_log))
        print(f"Background tasks and the emails they send: {log_path}", flush=True)
    # granian with one blocking thread per worker: measured faster with a flat p99 than its
    # default pool and than gunicorn sync workers (docs/decisions.md, bench/serve_compare.py).
    server = Child(
        "server",
        [
            sys.executable, "-m", "granian",
            "--interface", "wsgi",
            "--host", args.host,
            "--port", str(args.port),
            "--workers", str(args.workers),
            "--blocking-threads", "1",
            "--no-ws",
            "ravabet.wsgi:application",
        ],
    )  # fmt: skip
    for child in background:
        child.start()
    server.start()
    print(f"Ravabet is serving at {settings.SITE_URL}/  (Ctrl+C stops it)", flush=True)
    return Supervisor(server, background).run()


class Child:
    """One process `serve` keeps running, restarted with a growing pause when it dies."""

    FIRST_PAUSE = 1.0
    LONGEST_PAUSE = 60.0
    # A child that ran this long before dying is treated as healthy: the pause starts over.
    HEALTHY_AFTER = 60.0

    def __init__(self, name: str, argv: list[str], output: Any = None) -> None:
        self.name = name
        self.argv = argv
        self.output = output  # a file for the child's stdout and stderr; None: the terminal
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.pause = self.FIRST_PAUSE
        self.restart_at: float | None = None

    def start(self) -> None:
        if self.output is None:
            self.process = subprocess.Popen(self.argv)
        else:
            self.process = subprocess.Popen(self.argv, stdout=self.output, stderr=subprocess.STDOUT)
        self.started_at = time.monotonic()
        self.restart_at = None

    def check(self, now: float) -> None:
        """Restart the child once its pause is over, if it has died."""
        if self.process is None:
            return
        if self.restart_at is None:
            code = self.process.poll()
            if code is None:
                return
            if now - self.started_at >= self.HEALTHY_AFTER:
                self.pause = self.FIRST_PAUSE
            self.restart_at = now + self.pause
            print(
                f"ravabet serve: the {self.name} exited ({code}); restarting it in "
                f"{self.pause:.0f} s",
                file=sys.stderr,
                flush=True,
            )
            self.pause = min(self.pause * 2, self.LONGEST_PAUSE)
        elif now >= self.restart_at:
            self.start()

    def stop(self) -> None:
        self.restart_at = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Supervisor:
    """Keeps the task worker and the scheduler alive while the server runs.

    The server itself is not restarted: granian already replaces its own dead workers, and when
    granian stops, `serve` stops with its exit code so that systemd (or the operator) sees it.
    """

    def __init__(self, server: Child, background: list[Child]) -> None:
        self.server = server
        self.background = background
        self.stopping = False

    def _stop(self, signum: int, frame: object) -> None:
        self.stopping = True
        for child in [*self.background, self.server]:
            child.stop()

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        assert self.server.process is not None
        code: int | None = None
        try:
            while code is None:
                try:
                    code = self.server.process.wait(timeout=0.5)
                except subprocess.TimeoutExpired:
                    pass
                if not self.stopping:
                    now = time.monotonic()
                    for child in self.background:
                        child.check(now)
        finally:
            self._stop(signal.SIGTERM, None)
            for child in [*self.background, self.server]:
                child.wait()
        return 0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and "-" in argv[0] and not argv[0].startswith("-"):
        argv[0] = argv[0].replace("-", "_")  # `ravabet import-news` runs `import_news`
    if argv and argv[0] == "serve":
        return serve(argv[1:])
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ravabet", *argv] if argv else ["ravabet", "help"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
