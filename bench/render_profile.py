"""Uncached renders in one process: time, SQL queries and where the time goes (issue 20).

    RAVABET_VAR_DIR=/tmp/benchvar .venv/bin/python bench/news_corpus.py load --items 100000
    RAVABET_VAR_DIR=/tmp/benchvar .venv/bin/python bench/render_profile.py [--profile] [--rounds 30]
    ... bench/render_profile.py --compare /path/to/other/checkout/src [--repeat 3]

Renders each page type through Django's test client with the page cache off and, with
`--no-fragments`, the rendered-parts cache off too (every part built on every request). Prints
p50/p95 per page and the query count; `--profile` adds the top functions by cumulative time.
`--compare SRC` measures another tree (e.g. a checkout of main: before/after in one run) against
this one on the same database, in alternating subprocesses, and prints the ratio of their p50s.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE_SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, os.environ.get("RENDER_PROFILE_SRC", str(HERE_SRC)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--top", type=int, default=0, help="with --profile: a table of the N costliest functions"
    )
    parser.add_argument("--no-fragments", action="store_true")
    parser.add_argument("--pages", default="")
    parser.add_argument("--compare", help="another tree's src folder, measured side by side")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare:
        return compare(args)
    os.environ["RAVABET_PAGE_CACHE_SECONDS"] = "0"
    if args.no_fragments:
        os.environ["RAVABET_FRAGMENT_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client

    from ravabet.news.models import NewsItem

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = True  # record queries
    newest = NewsItem.objects.filter(status="published").order_by("-published_at").first()
    rare = (
        NewsItem.objects.filter(office__slug__startswith="bench-county")
        .order_by("-published_at")
        .first()
    )
    pages = {
        "article": f"/news/{newest.code}/",
        "rare article": f"/news/{rare.code}/" if rare else None,
        "province home": "/",
        "office home (busy)": "/bench-001/",
        "office home (rare subtree)": "/bench-county/",
        "office home (directorate)": "/bench/",
        "group page": "/news/group/" + (newest.group.slug if newest.group else "x") + "/",
    }
    wanted = [p for p in args.pages.split(",") if p]
    client = Client()
    results = {}
    if not args.json:
        print(f"{'page':30} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}  rounds={args.rounds}")
    for name, url in pages.items():
        if url is None or (wanted and not any(w in name for w in wanted)):
            continue
        response = client.get(url, follow=True)
        assert response.status_code == 200, (name, url, response.status_code)
        times = []
        reset_queries()
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.rounds):
            reset_queries()
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            client.get(url, follow=True)
            if profiler:
                profiler.disable()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(connection.queries)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        results[name] = [statistics.median(times), p95, queries]
        if not args.json:
            print(f"{name:30} {statistics.median(times):8.1f} {p95:8.1f} {queries:8d}")
        if profiler and args.top:
            print(top_table(pstats.Stats(profiler), args.rounds, args.top))
        elif profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(25)
    if args.json:
        print(json.dumps(results))


def top_table(stats: pstats.Stats, rounds: int, count: int) -> str:
    """The `count` functions with the most own time, per render: a markdown table."""
    rows = []
    for (filename, line, name), (_, calls, own, total, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename.split("site-packages/")[-1].split("/src/")[-1]
        rows.append((own, total, calls, f"{where}:{line} {name}"))
    rows.sort(reverse=True)
    out = ["| function | calls/render | own ms/render | cumulative ms/render |"]
    out.append("|---|---:|---:|---:|")

    def line(own: float, total: float, calls: int, label: str) -> str:
        return (
            f"| `{label}` | {calls / rounds:,.0f} | {own * 1000 / rounds:.2f} | "
            f"{total * 1000 / rounds:.2f} |"
        )

    out += [line(*row) for row in rows[:count]]
    # Ravabet's own functions by cumulative time: which part of the page costs what.
    ours = sorted((r for r in rows if r[3].startswith("ravabet/")), key=lambda r: -r[1])
    out += ["", "| Ravabet function (by cumulative time) | calls/render | own ms | cumulative ms |"]
    out += ["|---|---:|---:|---:|", *(line(*row) for row in ours[:count])]
    return "\n".join(out)


def compare(args: argparse.Namespace) -> None:
    """Both trees on the same database, alternating, `--repeat` times; the best p50 of each."""
    trees = {"before": args.compare, "after": str(HERE_SRC)}
    best: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    flags = ["--rounds", str(args.rounds), "--pages", args.pages, "--json"]
    if args.no_fragments:
        flags.append("--no-fragments")
    for _ in range(args.repeat):
        for label, src in trees.items():
            env = {**os.environ, "RENDER_PROFILE_SRC": src, "PYTHONPATH": src}
            out = (
                subprocess.run(
                    [sys.executable, __file__, *flags],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            for page, row in json.loads(out).items():
                kept = best[label].get(page)
                if kept is None or row[0] < kept[0]:
                    best[label][page] = row
    load = os.getloadavg()[0]
    print(f"before: {trees['before']}\nafter:  {trees['after']}")
    print(f"best p50 of {args.repeat} alternating runs x {args.rounds} renders; load {load:.1f}")
    print(f"{'page':30} {'before ms':>10} {'after ms':>10} {'after/before':>13} {'queries':>9}")
    for page, row in best["after"].items():
        old = best["before"].get(page)
        if old is None:
            continue
        print(
            f"{page:30} {old[0]:10.1f} {row[0]:10.1f} {row[0] / old[0]:13.2f} "
            f"{int(old[2]):>4}/{int(row[2]):<4}"
        )


if __name__ == "__main__":
    main()
