"""gunicorn (sync, 2 workers) against granian (2 workers, --blocking-threads 1), side by side.

    .venv/bin/python bench/serve_compare.py                 # 5 s per server and page
    .venv/bin/python bench/serve_compare.py --duration 10

Two pages: a fixed 20 KB HTML answer from a bare WSGI application (bench/page20k.py: the servers'
own cost) and Ravabet's province home (ravabet.wsgi, fresh SQLite database with the demo). Each
server is started alone, driven by wrk on loopback, and stopped; the table gives req/s, p50, p99,
granian's ratio to gunicorn and peak memory. The measurement behind `ravabet serve`'s choice of
server (docs/decisions.md). gunicorn is a development dependency used only here.
"""

from __future__ import annotations

import argparse
import http.client
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from harness import Result, wrk  # noqa: E402

from ravabet.liveserver import LiveServer, descendants, free_port, ravabet  # noqa: E402

SERVERS = {
    "gunicorn": lambda app, port: [
        sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app,
    ],
    "granian": lambda app, port: [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", "2",
        "--blocking-threads", "1", "--no-ws", "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "warning", app,
    ],
}  # fmt: skip

PAGES = {
    "20 KB WSGI page": ("page20k:application", "/"),
    "province home": ("ravabet.wsgi:application", "/"),
}


def _wait(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    prepared = LiveServer.prepare(demo=True)
    results: list[Result] = []
    sizes: dict[str, int] = {}
    try:
        ravabet("collectstatic", "--no-input", "-v", "0", env=prepared.env)
        env = dict(prepared.env, PYTHONPATH=str(BENCH))
        for page, (app, path) in PAGES.items():
            for name, command in SERVERS.items():
                port = free_port()
                process = subprocess.Popen(
                    command(app, port), env=env, cwd=BENCH, start_new_session=True
                )
                try:
                    _wait(port, process)
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    connection.request("GET", path)
                    sizes[page] = len(connection.getresponse().read())
                    connection.close()
                    results.append(
                        wrk(
                            f"http://127.0.0.1:{port}{path}",
                            duration=args.duration,
                            connections=args.connections,
                            threads=args.threads,
                            pids=lambda p=process: descendants(p.pid),
                            label=name,
                            target=page,
                        )
                    )
                finally:
                    process.terminate()
                    process.wait(timeout=15)
    finally:
        prepared.close()
    print(
        f"\ngunicorn (sync, 2 workers) vs granian (2 workers, 1 blocking thread);"
        f" wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s, loopback\n"
    )
    header = (
        f"{'page':<18} {'server':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'÷ gunicorn':>10} {'peak RSS':>9}"
    )
    print(header)
    print("-" * len(header))
    for page in PAGES:
        base = next(r for r in results if r.target == page and r.label == "gunicorn")
        for result in (r for r in results if r.target == page):
            errors = f"  ({result.errors} errors)" if result.errors else ""
            print(
                f"{page:<18} {result.label:<9} {result.requests_per_second:>9,.0f}"
                f" {result.p50_ms:>8.2f} {result.p99_ms:>8.2f}"
                f" {result.requests_per_second / base.requests_per_second:>10.2f}"
                f" {result.peak_rss_bytes / 2**20:>7.0f}MB{errors}"
            )
    print("\n" + "; ".join(f"{page}: {size / 1024:.1f} KB" for page, size in sizes.items()))


if __name__ == "__main__":
    main()
