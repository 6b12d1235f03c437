"""Benchmark Ravabet's pages against nginx serving the same HTML (the machine's limit).

    .venv/bin/python bench/run.py                       # SQLite, demo data, 5 s per page
    .venv/bin/python bench/run.py --size 200 --duration 10
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ravabet_bench .venv/bin/python bench/run.py

Starts the real `ravabet serve` (2 workers) in a fresh folder with the chosen database (SQLite
by default; DATABASE_URL names PostgreSQL, which should be an empty database of its own), loads
the demo and `--size` more records per loader of bench/data.py, drives every page of
bench/scenarios.py with wrk on loopback, then nginx on the saved HTML, and prints one table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Result, nginx_serving, table, wrk
from scenarios import SCENARIOS

from ravabet.liveserver import LiveServer


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--size", type=int, default=0, help="extra records per data loader")
    parser.add_argument("--duration", type=float, default=5, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    args = parser.parse_args()
    scenarios = [s for s in SCENARIOS if not args.only or s.name in args.only.split(",")]

    env = {}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    started = time.monotonic()
    server = LiveServer.prepare(demo=True, env=env)
    try:
        if args.size:
            subprocess.run(
                [
                    sys.executable,
                    str(Path(__file__).with_name("data.py")),
                    "--size",
                    str(args.size),
                ],
                env=server.env,
                check=True,
            )
        server.serve(workers=args.workers)
        print(
            f"# server ready in {time.monotonic() - started:.1f} s: {server.base_url}",
            file=sys.stderr,
        )
        pages: dict[str, bytes] = {}
        results: list[Result] = []
        for scenario in scenarios:
            with urllib.request.urlopen(server.url(scenario.path)) as response:
                pages[scenario.path] = response.read()
            results.append(
                wrk(
                    server.url(scenario.path),
                    duration=args.duration,
                    connections=args.connections,
                    threads=args.threads,
                    pids=server.pids,
                    label="ravabet",
                    target=scenario.name,
                )
            )
    finally:
        server.close()
    baseline: dict[str, Result] = {}
    with nginx_serving(pages, workers=args.workers) as (base, pids):
        for scenario in scenarios:
            baseline[scenario.name] = wrk(
                base + scenario.path,
                duration=args.duration,
                connections=args.connections,
                threads=args.threads,
                pids=pids,
                label="nginx",
                target=scenario.name,
            )
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(
        f"\nRavabet ({database}, demo + size {args.size}, {args.workers} workers) vs nginx on the"
        f" same HTML; wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s, loopback\n"
    )
    rows = []
    for scenario in scenarios:
        rows.extend(r for r in results if r.target == scenario.name)
        rows.append(baseline[scenario.name])
        size = len(pages[scenario.path])
        print(f"  {scenario.name}: {scenario.path} ({size / 1024:.1f} KB)")
    print()
    print(table(rows, baseline))


if __name__ == "__main__":
    main()
