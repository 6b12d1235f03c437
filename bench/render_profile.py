"""Uncached renders in one process: time, SQL queries and where the time goes (issue 20).

    RAVABET_VAR_DIR=/tmp/benchvar .venv/bin/python bench/news_corpus.py load --items 100000
    RAVABET_VAR_DIR=/tmp/benchvar .venv/bin/python bench/render_profile.py [--profile] [--rounds 30]

Renders each page type through Django's test client with the page cache off and, with
`--no-fragments`, the rendered-parts cache off too (every part built on every request). Prints
p50/p95 per page and the query count; `--profile` adds the top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-fragments", action="store_true")
    parser.add_argument("--pages", default="")
    args = parser.parse_args()
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
        print(f"{name:30} {statistics.median(times):8.1f} {p95:8.1f} {queries:8d}")
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
