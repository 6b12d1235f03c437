"""Demands at scale: the overdue scan, an office inbox and the responsiveness pages.

Bulk-creates N demands (default 20,000; the issue's figure is 1,000,000) across 200 offices over
the last twelve months, most of them answered, a few hundred due for a reminder or overdue; then
times, through Django's test client with a signed-in responder:

  * the overdue scan (`services.tick`) with work to do, and again with nothing left (idempotent);
  * an office's inbox page, the network and an office's responsiveness pages;

and counts their queries. Side by side it times the network figures read from the precomputed
monthly rows against the same totals aggregated straight from the demands table (the ratio).

Reproduce (SQLite file by default; any DATABASE_URL works, use your own database):
    .venv/bin/python bench/demands_scale.py                       # 20,000 demands
    .venv/bin/python bench/demands_scale.py --demands 1000000     # the issue's size
    createdb -h 127.0.0.1 -U postgres ravabet_demands_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ravabet_demands_bench \\
        .venv/bin/python bench/demands_scale.py --demands 1000000
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demands", type=int, default=20_000)
    parser.add_argument("--offices", type=int, default=200)
    parser.add_argument("--due", type=int, default=300, help="demands due for the scan")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="reuse the database if loaded")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.gettempdir()) / f"ravabet_demands_bench_{args.demands}.sqlite3"
        if not args.keep and path.exists():
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
    os.environ.setdefault("RAVABET_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from ravabet.demands.models import Demand

    if not (args.keep and Demand.objects.exists()):
        load(args)
    engine = connection.vendor
    prepare_scan(args)

    from ravabet.demands import services
    from ravabet.network.models import Office

    office = Office.objects.filter(slug="bench-office-7").get()
    client = Client()
    sign_in_responder(client, office)

    def timed(label: str, fn, repeat: int = args.repeat):
        fn()  # warm
        times = []
        with count_queries(connection) as queries:
            fn()
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        return label, statistics.median(times), queries["n"]

    rows = []
    # The scan with work to do is timed once (it changes the data); then with nothing to do.
    from django.utils import timezone

    now = timezone.now()
    with count_queries(connection) as queries:
        start = time.perf_counter()
        result = services.tick(now=now)
        scan_ms = (time.perf_counter() - start) * 1000
    rows.append(
        (f"scan: remind {result['reminded']}, escalate {result['escalated']}", scan_ms,
         queries["n"])
    )  # fmt: skip
    rows.append(timed("scan again (nothing due)", lambda: services.tick(now=now)))

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    rows.append(timed("office inbox page", page(f"/staff/{office.slug}/demands/")))
    rows.append(
        timed("office inbox, overdue filter", page(f"/staff/{office.slug}/demands/?overdue=on"))
    )
    rows.append(timed("network responsiveness page", page("/responsiveness/")))
    rows.append(timed("office responsiveness page", page(f"/{office.slug}/responsiveness/")))

    from ravabet.demands import selectors

    precomputed = timed("network figures from monthly rows", lambda: selectors.responsiveness())
    direct = timed("same totals straight from demands", direct_totals, repeat=3)
    rows += [precomputed, direct]

    print(f"\nDemands at scale — {Demand.objects.count():,} demands, {args.offices} offices, "
          f"{engine}\n")  # fmt: skip
    print(f"{'what':<44} {'median ms':>10} {'queries':>8}")
    print("-" * 64)
    for label, ms, count in rows:
        print(f"{label:<44} {ms:>10.1f} {count:>8}")
    print("-" * 64)
    print(
        "aggregating the demands table / reading the precomputed monthly rows: "
        f"{direct[1] / max(precomputed[1], 0.001):.2f}"
    )
    return 0


@contextlib.contextmanager
def count_queries(connection):
    """Count queries with an execute wrapper (the test client resets connection.queries)."""
    counter = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def direct_totals():
    from django.db.models import Count, Q

    from ravabet.demands.models import Demand

    return Demand.objects.aggregate(
        received=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        on_time=Count("id", filter=Q(answered_on_time=True)),
        satisfied=Count("id", filter=Q(satisfied=True)),
    )


def prepare_scan(args) -> None:
    """A fixed amount of work for the scan, whatever earlier runs did: every open demand counts
    as already handled, then `--due` of them are made due (half a reminder, half overdue)."""
    from django.db import connection
    from django.utils import timezone

    from ravabet.demands.models import Demand

    now = timezone.now()
    open_demands = Demand.objects.filter(status__in=["received", "assigned"])
    open_demands.update(reminded_at=now - timedelta(days=1), escalated_at=now - timedelta(days=1))
    ids = list(open_demands.order_by("id").values_list("id", flat=True)[: args.due])
    half = len(ids) // 2
    Demand.objects.filter(pk__in=ids[:half]).update(
        reminded_at=None, remind_at=now - timedelta(hours=2), due_at=now + timedelta(hours=3)
    )
    Demand.objects.filter(pk__in=ids[half:]).update(
        reminded_at=None, escalated_at=None, due_at=now - timedelta(hours=1)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give


def load(args) -> None:
    from django.db import connection, transaction
    from django.utils import timezone
    from tqdm import tqdm

    from ravabet.demands import codes, services, workdays
    from ravabet.demands.models import Demand, Kind
    from ravabet.network.models import Office

    rng = random.Random(1405)
    if connection.vendor == "sqlite":
        # Loading only: a big page cache keeps the random-order unique index of codes in memory
        # (the default 2 MB thrashes past a few hundred thousand rows). Reset after the load.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-500000")
            cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        root = Office.objects.create(slug="bench-root", kind="directorate", name_fa="ریشه")
        offices = [
            Office(slug=f"bench-office-{i}", kind="agency", name_fa=f"دستگاه {i}", parent=root)
            for i in range(args.offices)
        ]
        for office in offices:
            office.save()  # keeps the materialised path
    now = timezone.now()
    holidays = workdays.holidays()
    kinds = [k for k, _ in Kind.choices]
    batch: list[Demand] = []
    seen: set[str] = set()
    deadlines: dict = {}
    due_every = max(args.demands // max(args.due, 1), 1)
    for index in tqdm(range(args.demands), desc="demands", unit="demand", mininterval=2):
        office = offices[index % len(offices)]
        started = now - timedelta(days=rng.uniform(0, 360), minutes=rng.randint(0, 600))
        day = started.date()
        if day not in deadlines:
            deadlines[day] = workdays.deadline(started, 10, holidays)
        due_date, due_at = deadlines[day]
        body = f"{rng.randrange(10**12):012d}"
        code = body + codes.check_digit(body)
        while code in seen:
            body = f"{rng.randrange(10**12):012d}"
            code = body + codes.check_digit(body)
        seen.add(code)
        status, answered_at, satisfied, on_time = "closed", None, None, None
        if index % due_every == 0:
            # Open and due: half for a reminder today, half overdue.
            status = "received"
            started = now - timedelta(days=20)
            due_at = now - timedelta(hours=1) if index % 2 else now + timedelta(hours=3)
            remind_at = now - timedelta(hours=2)
        else:
            remind_at = workdays.local_midnight(due_date)
            answered_at = started + timedelta(days=rng.expovariate(1 / 6))
            if answered_at > now:
                status, answered_at = "received", None
                remind_at = due_at  # not reminded yet, not due: the scan must skip it
            else:
                on_time = answered_at <= due_at
                satisfied = rng.random() < 0.7 if rng.random() < 0.5 else None
        batch.append(
            Demand(
                office=office, code=code, kind=kinds[index % 5], subject=f"مطالبه {index}",
                body="متن مطالبه برای آزمون مقیاس", name="شهروند", email="",
                consent_publish=index % 3 == 0, status=status, created_at=started,
                clock_started_at=started, due_date=due_date, due_at=due_at,
                remind_at=remind_at,
                reminded_at=None if status == "received" else remind_at,
                escalated_at=None, answered_at=answered_at, answered_on_time=on_time,
                answer_public="پاسخ" if answered_at else "", satisfied=satisfied,
            )
        )  # fmt: skip
        if len(batch) >= 5000:
            Demand.objects.bulk_create(batch)
            batch = []
    if batch:
        Demand.objects.bulk_create(batch)
    from ravabet.demands.selectors import last_months

    for office in tqdm(offices, desc="monthly figures", unit="office", mininterval=2):
        for year, month in last_months(13):
            services.refresh_figure(office.pk, year, month)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-2000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("ANALYZE")


def sign_in_responder(client, office) -> None:
    from django.contrib.auth import get_user_model

    from ravabet.conftest import make_staff, sign_in

    user = get_user_model().objects.filter(username="bench-responder").first()
    if user is None:
        user = make_staff("bench-responder", office, "responder")
    sign_in(client, user)


if __name__ == "__main__":
    raise SystemExit(main())
