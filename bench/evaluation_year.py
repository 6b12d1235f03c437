"""Evaluation at scale: a Jalali year of monthly evaluations for 300 offices.

Generates the offices and a year of activity (default 100,000 news items with photos, views and
votes, 10,000 readers' comments with answers, 50,000 demands; `--scale 0.1` for a quick run),
opens the twelve monthly periods and the festival year, then times and measures the peak memory
(tracemalloc, Python allocations) of:

  * the full recompute of every measured score of all thirteen periods from the raw records
    (`services.recompute`, what `ravabet evaluation recompute PERIOD` runs), which must find
    no difference;
  * one period's opening (measured scores, totals, tiers);
  * an office's card and the DG's overview, with their query counts.

Reproduce (SQLite file by default; any DATABASE_URL works, use your own database):
    .venv/bin/python bench/evaluation_year.py               # the issue's size
    .venv/bin/python bench/evaluation_year.py --scale 0.1   # a quick run
    createdb -h 127.0.0.1 -U postgres ravabet_evaluation_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ravabet_evaluation_bench \\
        .venv/bin/python bench/evaluation_year.py
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

YEAR = 1403


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the issue's volumes")
    parser.add_argument("--offices", type=int, default=300)
    args = parser.parse_args()
    news = int(100_000 * args.scale)
    demands = int(50_000 * args.scale)

    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.gettempdir()) / f"ravabet_evaluation_bench_{news}.sqlite3"
        if path.exists():
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from ravabet.evaluation import selectors, services
    from ravabet.evaluation.tests.yeargen import generate

    start, _ = services.bounds(YEAR, 1)
    _, end = services.bounds(YEAR, 12)
    began = time.perf_counter()
    world = generate(
        offices=args.offices, news=news, demands=demands, comments=news // 10, start=start, end=end
    )
    generated = time.perf_counter() - began
    dg = get_user_model().objects.create_user("bench-dg", password="x")
    dg.memberships.create(office=world.root, role="manager")
    services.ensure_default_criteria()

    rows: list[tuple[str, str, str]] = []
    began = time.perf_counter()
    first = services.open_period(dg, year=YEAR, month=1)
    rows.append(
        ("open one month (marks, totals, tiers)", f"{time.perf_counter() - began:.2f} s", "")
    )
    began = time.perf_counter()
    periods = [first] + [services.open_period(dg, year=YEAR, month=m) for m in range(2, 13)]
    periods.append(services.open_period(dg, year=YEAR, month=None))
    rows.append(
        ("open the other 11 months and the year", f"{time.perf_counter() - began:.2f} s", "")
    )

    began = time.perf_counter()
    differences = sum(len(services.recompute(period)) for period in periods)
    elapsed = time.perf_counter() - began
    # Peak memory in a second pass: tracemalloc slows Python down about twofold.
    tracemalloc.start()
    for period in periods:
        services.recompute(period)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(("full recompute, 13 periods", f"{elapsed:.2f} s", f"peak {peak / 2**20:.1f} MiB"))
    rows.append(("differences found by the recompute", str(differences), "must be 0"))

    office = world.offices[len(world.offices) // 2]
    reset_queries()
    for label, call in (
        ("office card", lambda: selectors.card(periods[5], office)),
        ("DG overview", lambda: selectors.overview(periods[5])),
    ):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            call()
            elapsed = time.perf_counter() - began
        rows.append((label, f"{elapsed * 1000:.0f} ms", f"{len(queries)} queries"))

    print(
        f"\nEvaluation benchmark — {connection.vendor}, {args.offices} offices, "
        f"{news:,} news, {demands:,} demands, {news // 10:,} comments "
        f"(generated in {generated:.0f} s)\n"
    )
    width = max(len(r[0]) for r in rows)
    for label, value, note in rows:
        print(f"  {label:<{width}}  {value:>10}  {note}")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
