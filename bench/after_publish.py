"""Throughput in the seconds after a publication, under load (issue 20): scoped retirement
against retiring every page, in one run.

    .venv/bin/python bench/after_publish.py --items 5000 --urls 500 --after 60

Builds a fresh SQLite archive (the demo plus `--items` news over `--offices` offices:
bench/news_corpus.py), serves it with 2 granian workers and the page cache on, and drives `--urls`
different article pages plus the province home and a few office homes with wrk (`--connections`,
default 32; a Lua script walks the addresses in turn). Rows:
  steady            every page cached (after a full warm-up)
  after a publish   a real publication (`news.services.publish` of a new item in one office and
                    group, what the newsroom does) at the start of the window: only the pages that
                    show it are retired (`news.pagecache.retire`)
  after retire-all  the same window after `pagecache.invalidate()`, which is what every
                    publication did before (the whole portal cold at once)
Each window lasts `--after` seconds and starts right after the change; the pages are warmed
again before each. The table gives req/s, p50/p99 over the window and the load average (the
machine may be shared: compare rows of the same run).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from harness import parse_wrk  # noqa: E402

from ravabet.liveserver import LiveServer  # noqa: E402

_URLS = """
import json, django
django.setup()
from ravabet.news.models import NewsItem
from ravabet.network.models import Office
items = NewsItem.objects.filter(status="published").order_by("-published_at")[:{count}]
paths = [item.get_absolute_url() for item in items]
offices = [o.get_absolute_url() for o in Office.objects.filter(slug__startswith="bench-")[:10]]
print(json.dumps({{"articles": paths, "homes": ["/", *offices]}}))
"""

_CHANGE = """
import sys, django
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from ravabet.news import pagecache, services
from ravabet.news.models import NewsGroup
from ravabet.network.models import Office
if sys.argv[1] == "all":
    with transaction.atomic():
        pagecache.invalidate()
else:
    actor, _ = get_user_model().objects.get_or_create(
        username="bench-publisher", defaults={{"is_superuser": True, "is_staff": True}}
    )
    office = Office.objects.get(slug="bench-007")
    data = services.NewsData(
        title="خبر تازه برای سنجش انتشار", lead="لید", body="متن خبر تازه.",
        group=NewsGroup.objects.order_by("position").last(), tags=["سنجش"],
    )
    services.publish(actor, services.create_news(actor, office, data))
"""

_LUA = """
local paths = {paths}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
"""


def _python(env: dict[str, str], code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**env, "DJANGO_SETTINGS_MODULE": "ravabet.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE.parent,
    )
    return done.stdout


def _warm(server: LiveServer, paths: list[str]) -> None:
    for path in paths:
        with urllib.request.urlopen(server.url(path)) as response:
            response.read()


def _window(server: LiveServer, script: Path, seconds: float, connections: int) -> str:
    done = subprocess.run(
        [
            "wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
            "--latency", "-s", str(script), server.url("/"),
        ],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    )  # fmt: skip
    rps, p50, p99, errors = parse_wrk(done.stdout)
    load = os.getloadavg()[0]
    return f"{rps:>8,.0f} | {p50:>7.1f} | {p99:>7.1f} | {errors:>6} | {load:>5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--offices", type=int, default=50)
    parser.add_argument("--urls", type=int, default=500)
    parser.add_argument("--after", type=float, default=60, help="seconds measured after a change")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    server = LiveServer.prepare(demo=True)
    subprocess.run(
        [sys.executable, str(HERE / "news_corpus.py"), "load", "--items", str(args.items),
         "--offices", str(args.offices)],
        env=server.env, check=True, capture_output=True,
    )  # fmt: skip
    found = json.loads(_python(server.env, _URLS.format(count=args.urls)))
    paths = found["articles"] + found["homes"]
    server.serve(workers=2)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "walk.lua"
        script.write_text(
            _LUA.format(paths="{" + ", ".join(json.dumps(p) for p in paths) + "}"),
            encoding="utf-8",
        )
        try:
            for label, change in (
                ("steady (all cached)", None),
                ("after a publish (scoped)", "publish"),
                ("after retire-all (before)", "all"),
            ):
                for _ in range(2):  # both workers' copies
                    _warm(server, paths)
                if change:
                    started = time.monotonic()
                    _python(server.env, _CHANGE.format(), change)
                    took = time.monotonic() - started
                    print(f"# {label}: change committed in {took:.1f} s", file=sys.stderr)
                rows.append((label, _window(server, script, args.after, args.connections)))
        finally:
            server.stop()
    print(
        f"# {args.items:,} items over {args.offices} offices (+ the demo), SQLite, 2 workers, "
        f"wrk -t2 -c{args.connections}, {len(found['articles'])} articles + "
        f"{len(found['homes'])} home pages in turn, {args.after:g} s per window"
    )
    print("| window | req/s | p50 ms | p99 ms | errors | load |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, row in rows:
        print(f"| {label} | {row} |")
    server.close()


if __name__ == "__main__":
    main()
