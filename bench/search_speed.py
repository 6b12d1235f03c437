"""Search speed at scale: index build rate, size on disk, query latency, SQLite vs PostgreSQL.

Builds N news items by recombining real sentences and titles from ../shared/data/news/
(the corpus has ~6,500 articles; each built item takes a real title and 5-12 real
sentences, a random office of 20, a date in 2019-2026 and 0-3 real tags), indexes them
through `ravabet.search.services.index_documents` in batches of 1,000, then times
`ravabet.search.selectors.search` (the full public path: match, rank, count, snippets)
for 1-, 2- and 4-word queries taken from real titles.

Reproduce (figures in docs/performance.md):
    .venv/bin/python bench/search_speed.py                  # 2,000 items, quick
    .venv/bin/python bench/search_speed.py --items 200000   # the figures
PostgreSQL: 127.0.0.1:5432 as user postgres; the database ravabet_search_bench is
dropped and created (--pg-url to change). --backends sqlite runs SQLite only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/ravabet_search_bench"


def worker(args: argparse.Namespace) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
    import django

    django.setup()
    from _corpus import articles, sentences
    from django.core.management import call_command
    from django.db import connection

    from ravabet.network.models import Office
    from ravabet.search import selectors, services
    from ravabet.search.analysis import terms

    call_command("migrate", verbosity=0)
    offices = [
        Office.objects.create(slug=f"bench-{i}", kind="agency", name_fa=f"دفتر {i}")
        for i in range(20)
    ]
    corpus = articles()
    pool = sentences(corpus)
    titles = [a["title"] for a in corpus]
    tags = sorted({t for a in corpus for t in a["tags"]})
    rng = random.Random(1405)
    start_date = datetime(2019, 1, 1, tzinfo=UTC)

    def item(n: int) -> services.IndexableDocument:
        return services.IndexableDocument(
            source="bench",
            key=str(n),
            office_id=rng.choice(offices).pk,
            title=rng.choice(titles),
            text=" ".join(rng.sample(pool, rng.randint(5, 12))),
            url=f"/news/{n}/",
            published_at=start_date + timedelta(minutes=rng.randrange(7 * 365 * 24 * 60)),
            group=rng.choice(["province", "economy", "health", "culture", "sport"]),
            tags=tuple(rng.sample(tags, rng.randint(0, 3))),
        )

    build_seconds = 0.0
    build_cpu = 0.0
    chars = 0
    batch_size = 1000
    for start in range(0, args.items, batch_size):
        batch = [item(n) for n in range(start, min(args.items, start + batch_size))]
        chars += sum(len(d.text) + len(d.title) for d in batch)
        began, began_cpu = time.perf_counter(), time.process_time()
        services.index_documents(batch)
        build_seconds += time.perf_counter() - began
        build_cpu += time.process_time() - began_cpu
        if args.progress:
            print(f"  {connection.vendor}: {start + len(batch):,} items", file=sys.stderr)

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = Path(connection.settings_dict["NAME"]).stat().st_size
            try:
                cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_fts%%'")
                index_size = cursor.fetchone()[0]
            except Exception:
                index_size = None
        else:
            cursor.execute("VACUUM ANALYZE search_document")
            cursor.execute(
                "SELECT pg_total_relation_size('search_document') "
                "+ pg_total_relation_size('search_term'), "
                "pg_relation_size('search_document_vector') "
                "+ pg_total_relation_size('search_term')"
            )
            size, index_size = cursor.fetchone()

    qrng = random.Random(27)
    title_words = [terms(t) for t in qrng.sample(titles, min(len(titles), 3000))]
    title_words = [w for w in title_words if len(w) >= 4]
    latencies: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    for size_words in (1, 2, 4):
        label = f"{size_words}-word"
        latencies[label], hits[label] = [], []
        for i in range(args.queries + 10):
            words = qrng.choice(title_words)
            at = qrng.randrange(len(words) - size_words + 1)
            query = " ".join(words[at : at + size_words])
            began = time.perf_counter()
            page = selectors.search(query)
            elapsed = time.perf_counter() - began
            if i >= 10:  # warm-up
                latencies[label].append(elapsed * 1000)
                hits[label].append(page.total)
    return {
        "vendor": connection.vendor,
        "items": args.items,
        "build_seconds": build_seconds,
        "items_per_second": args.items / build_seconds,
        "items_per_cpu_second": args.items / build_cpu,
        "chars_per_item": chars / args.items,
        "size_bytes": size,
        "index_bytes": index_size,
        "queries": {
            label: {
                "p50": statistics.median(values),
                "p95": statistics.quantiles(values, n=20)[-1],
                "mean_hits": statistics.mean(hits[label]),
            }
            for label, values in latencies.items()
        },
    }


def run_backend(vendor: str, args: argparse.Namespace, tmp: Path) -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    if vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        import psycopg

        name = args.pg_url.rsplit("/", 1)[1]
        admin = args.pg_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = args.pg_url
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--items",
        str(args.items),
        "--queries",
        str(args.queries),
    ]
    if args.progress:
        command.append("--progress")
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    if args.progress:
        sys.stderr.write(output.stderr)
    return json.loads(output.stdout.strip().splitlines()[-1])


def mb(value: float | None) -> str:
    return "—" if value is None else f"{value / 1e6:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=100, help="per query length")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for vendor in args.backends.split(","):
            results[vendor] = run_backend(vendor, args, Path(tmp))
    vendors = list(results)
    print(
        f"Search speed: {args.items:,} items built from real sentences "
        f"(~{results[vendors[0]]['chars_per_item']:,.0f} characters each), "
        f"{args.queries} queries per length"
    )
    header = f"{'':28}" + "".join(f"{v:>14}" for v in vendors)
    if len(vendors) == 2:
        header += f"{'ratio':>10}"
    print(header)

    def row(label: str, values: list[float], fmt: str) -> None:
        line = f"{label:28}" + "".join(f"{format(v, fmt):>14}" for v in values)
        if len(values) == 2 and values[0]:
            line += f"{values[1] / values[0]:>9.2f}x"
        print(line)

    row("build (items/s, wall)", [results[v]["items_per_second"] for v in vendors], ",.0f")
    row(
        "build (items/s, Python CPU)", [results[v]["items_per_cpu_second"] for v in vendors], ",.0f"
    )
    print(
        f"{'size on disk (all)':28}"
        + "".join(f"{mb(results[v]['size_bytes']):>14}" for v in vendors)
    )
    print(
        f"{'  of which full-text index':28}"
        + "".join(f"{mb(results[v]['index_bytes']):>14}" for v in vendors)
    )
    for label in ("1-word", "2-word", "4-word"):
        for stat in ("p50", "p95"):
            row(
                f"{label} query {stat} (ms)",
                [results[v]["queries"][label][stat] for v in vendors],
                ".1f",
            )
        row(
            f"{label} mean results",
            [results[v]["queries"][label]["mean_hits"] for v in vendors],
            ",.0f",
        )
    print("ratio = second backend / first; results above 1,000 are counted as 1,001.")
    print(
        "Python CPU = time.process_time() of the indexing process: on SQLite all the work, "
        "on PostgreSQL without the server's share."
    )
    print(f"load average during the run: {os.getloadavg()}")


if __name__ == "__main__":
    main()
