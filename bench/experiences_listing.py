"""The experience write-ups' listing with facets at scale: a fixed number of queries.

Bulk-creates write-ups (default: 500, then up to 5,000, the issue's figure) across 60 offices of
every level, ten types, six Jalali years and 40 tags (three per write-up), published to the
public or to the network; then, through Django's test client (an anonymous reader) and the
selector (a network staff member), times the listing with its five facets — unfiltered, by tag,
by type and year, by office — and the CSV export of a filtered list, and counts the queries of
each. The same query counts at both sizes are the claim; the milliseconds are for this machine.

Reproduce (a fresh SQLite file by default; any DATABASE_URL works, use your own database):
    .venv/bin/python bench/experiences_listing.py
    .venv/bin/python bench/experiences_listing.py --sizes 500 5000 20000
    createdb -h 127.0.0.1 -U postgres ravabet_experiences_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ravabet_experiences_bench \\
        .venv/bin/python bench/experiences_listing.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

KINDS = ["crisis", "media", "event", "social", "pr_week", "elections", "training", "internal",
         "demands", "other"]  # fmt: skip
LEVELS = ["governorate", "agency", "county", "district"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.gettempdir()) / "ravabet_experiences_bench.sqlite3"
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from ravabet.experiences import selectors
    from ravabet.experiences.models import Experience, Tag
    from ravabet.network.models import Office

    offices = make_offices(Office)
    tags = [Tag.objects.get_or_create(key=f"tag{i}", defaults={"name": f"برچسب {i}"})[0]
            for i in range(40)]  # fmt: skip
    staff = get_user_model().objects.filter(username="bench-operator").first() or (
        get_user_model().objects.create_superuser("bench-operator", password="x")
    )
    client = Client()
    results = []
    loaded = 0
    for size in sorted(args.sizes):
        load(Experience, offices, tags, loaded, size)
        loaded = size
        office = offices[7]

        def page(url: str):
            def get() -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)

            return get

        def staff_listing() -> None:
            result = selectors.listing(staff, selectors.Filters())
            for item in result.items:
                list(item.tags.all())

        cases = [
            ("listing, no filter (reader)", page("/experiences/")),
            ("listing, tag (reader)", page("/experiences/?tag=tag3")),
            ("listing, type + year (reader)", page("/experiences/?kind=crisis&year=1403")),
            ("listing, office (reader)", page(f"/experiences/?office={office.slug}")),
            ("listing, page 5 (reader)", page("/experiences/?page=5")),
            ("listing, no filter (staff, selector)", staff_listing),
            ("CSV export, type (reader)", page("/experiences/export.csv?kind=media")),
        ]
        for label, fn in cases:
            cache.clear()
            fn()  # warm
            counted = [0]

            def count(execute, sql, params, many, context, counted=counted):
                counted[0] += 1
                return execute(sql, params, many, context)

            # A wrapper on the connection object outlives the request's closing of the
            # connection itself (CaptureQueriesContext would see an empty log).
            with connection.execute_wrapper(count):
                fn()
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
            results.append((size, label, statistics.median(times), counted[0]))

    print(f"\nExperience write-ups listing — {connection.vendor}, medians of {args.repeat} runs\n")
    print(f"{'write-ups':>9}  {'what':<40} {'median ms':>10} {'queries':>8}")
    print("-" * 72)
    for size, label, ms, count in results:
        print(f"{size:>9,}  {label:<40} {ms:>10.1f} {count:>8}")
    print("-" * 72)
    by_label: dict[str, set[int]] = {}
    for _size, label, _ms, count in results:
        if not label.startswith("CSV"):
            by_label.setdefault(label, set()).add(count)
    fixed = all(len(counts) == 1 for counts in by_label.values())
    print("query counts the same at every size:", "yes" if fixed else "NO")
    return 0 if fixed else 1


def make_offices(Office):
    root, _ = Office.objects.get_or_create(
        slug="bench-root", defaults={"kind": "directorate", "name_fa": "مدیریت نمونه"}
    )
    offices = []
    for i in range(60):
        office, _ = Office.objects.get_or_create(
            slug=f"bench-office-{i}",
            defaults={"kind": LEVELS[i % 4], "name_fa": f"دستگاه نمونه {i}", "parent": root},
        )
        offices.append(office)
    return offices


def load(Experience, offices, tags, start: int, end: int) -> None:
    """Write-ups number `start` to `end` - 1, published, with three tags each (bulk)."""
    from django.utils import timezone

    now = timezone.now()
    rows = []
    for n in range(start, end):
        rows.append(
            Experience(
                office=offices[n % len(offices)],
                title=f"تجربه نمونه شماره {n}",
                kind=KINDS[n % len(KINDS)],
                period_start=date(2021, 3, 21) + timedelta(days=(n * 37) % 2190),
                year=1400 + n % 6,
                situation="وضعیت نمونه",
                results="نتیجه نمونه",
                status="published",
                audience="public" if n % 4 else "network",
                was_public=bool(n % 4),
                published_at=now - timedelta(hours=n),
                review_by=date.today() + timedelta(days=365),
            )
        )
    created = Experience.objects.bulk_create(rows, batch_size=1000)
    through = Experience.tags.through
    through.objects.bulk_create(
        [
            through(experience_id=item.pk, tag_id=tags[(item.pk * k) % len(tags)].pk)
            for item in created
            for k in (1, 7, 13)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
