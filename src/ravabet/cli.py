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
from pathlib import Path


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
    children: list[subprocess.Popen] = []
    if not args.no_task_worker:
        # The worker's task lines and the emails it prints (console backend) go to a file, not
        # over the terminal after the banner (docs/decisions.md).
        log_path = task_log_path(settings.VAR_DIR)
        task_log = open(log_path, "ab")
        for command in (
            ["db_worker", "--interval", "1"],
            # django-tasks has no periodic schedule: this loop enqueues the demands tick every
            # few minutes (reminders and escalations; docs/demands.md).
            ["demands_scheduler"],
        ):
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "ravabet.cli", *command],
                    stdout=task_log,
                    stderr=subprocess.STDOUT,
                )
            )
        print(f"Background tasks and the emails they send: {log_path}", flush=True)
    # granian with one blocking thread per worker: measured faster with a flat p99 than its
    # default pool and than gunicorn sync workers (docs/decisions.md, bench/serve_compare.py).
    server = subprocess.Popen(
        [
            sys.executable, "-m", "granian",
            "--interface", "wsgi",
            "--host", args.host,
            "--port", str(args.port),
            "--workers", str(args.workers),
            "--blocking-threads", "1",
            "--no-ws",
            "ravabet.wsgi:application",
        ]
    )  # fmt: skip
    children.append(server)
    print(f"Ravabet is serving at {settings.SITE_URL}/  (Ctrl+C stops it)", flush=True)

    def stop(signum: int, frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        code = server.wait()
    finally:
        stop(signal.SIGTERM, None)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
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
