"""Council pages at scale: the public decisions register, the secretary's desk, an office's
"our decisions" list, and the PDF of a 30-item minutes document (issue 14, "Measured").

Bulk-creates 200 offices, 40 bodies (8 councils with 4 working groups each), 3,000 meetings and
20,000 decisions (every state, public and internal, co-responsible offices, two follow-up reports
each), then times each page through Django's test client, uncached (no page cache in front of
these pages; Django's cache is cleared before every request), and counts its queries. The PDF is
the core's minutes export (`/staff/councils/meetings/<id>/minutes.pdf`) of a meeting with 30
agenda items, each with its text and a decision.

Reproduce (SQLite file by default; any DATABASE_URL works, use your own database):
    .venv/bin/python bench/council_pages.py                 # the issue's sizes
    .venv/bin/python bench/council_pages.py --repeat 50 --keep
    createdb -h 127.0.0.1 -U postgres ravabet_council_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ravabet_council_bench \\
        .venv/bin/python bench/council_pages.py
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offices", type=int, default=200)
    parser.add_argument("--councils", type=int, default=8, help="each with 4 working groups")
    parser.add_argument("--meetings", type=int, default=3_000)
    parser.add_argument("--decisions", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="reuse the database if loaded")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.gettempdir()) / f"ravabet_council_bench_{args.decisions}.sqlite3"
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
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from ravabet.council.models import Council, Decision, Meeting
    from ravabet.network.models import Office

    if not (args.keep and Decision.objects.exists()):
        load(args)
    engine = connection.vendor
    anonymous = Client()
    secretary = Client()
    office_staff = Client()
    root = Office.objects.get(slug="bench-root")
    office = Office.objects.get(slug="bench-office-7")
    sign_in(secretary, "bench-secretary", root, "manager")
    sign_in(office_staff, "bench-office-editor", office, "editor")
    council = Council.objects.order_by("pk").first()
    assert council is not None

    addresses = iter(range(1, 10**9))

    def page(client, url):
        def get():
            cache.clear()  # uncached: nothing kept from the previous request
            # A new reader each time: the register's rate limit (60 a minute) is per client.
            n = next(addresses)
            response = client.get(url, REMOTE_ADDR=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}")
            assert response.status_code == 200, (url, response.status_code)

        return get

    def timed(label: str, fn, repeat: int = args.repeat):
        fn()  # warm the process (templates, URL resolver), not the data
        with count_queries(connection) as queries:
            fn()
        times, cpu = [], []
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        return label, statistics.median(times), p95(times), statistics.median(cpu), queries["n"]

    from ravabet.network.jalali import to_jalali_parts

    year = to_jalali_parts(datetime.now())[0]
    rows = [
        timed("register, first page", page(anonymous, "/councils/decisions/")),
        timed("register, page 20", page(anonymous, "/councils/decisions/?page=20")),
        timed("register, overdue", page(anonymous, "/councils/decisions/?status=overdue")),
        timed(
            "register, office + year",
            page(anonymous, f"/councils/decisions/?office={office.pk}&year={year}"),
        ),
        timed(
            "register, one working group",
            page(anonymous, f"/councils/decisions/?body=g{first_group_id(council)}"),
        ),
        timed("register, words (search app)", page(anonymous, "/councils/decisions/?q=تجربه‌نگاری")),
        timed("council page", page(anonymous, f"/councils/{council.slug}/")),
        timed("secretary's desk (all councils)", page(secretary, "/staff/councils/desk/")),
        timed("office's decisions list", page(office_staff, f"/staff/{office.slug}/decisions/")),
    ]
    pdf = pdf_row(secretary, max(5, args.repeat // 3))

    print(
        f"\nCouncil pages — {Office.objects.count():,} offices, {Council.objects.count()} councils"
        f" + working groups, {Meeting.objects.count():,} meetings, "
        f"{Decision.objects.count():,} decisions, {engine}, {args.repeat} runs each, uncached\n"
    )
    print(f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'queries':>8}")
    print("-" * 70)
    for label, p50, high, cpu, n in rows:
        print(f"{label:<34} {p50:>8.1f} {high:>8.1f} {cpu:>8.1f} {n:>8}")
    if pdf is not None:
        label, p50, high, cpu, pages = pdf
        print(f"{label:<34} {p50:>8.1f} {high:>8.1f} {cpu:>8.1f} {pages:>6} p")
    print("-" * 70)
    worst = max(r[2] for r in rows)
    print(f"worst p95 of the pages: {worst:.1f} ms (aim: under 150 ms)")
    print(
        "ms: wall clock per request through Django's test client (what a reader waits for on "
        "an idle server); cpu: this process's CPU time (the same work without other processes' "
        "contention for the cores)."
    )
    return 0


def first_group_id(council) -> int:
    return council.working_groups.order_by("pk").values_list("pk", flat=True).first()


@contextlib.contextmanager
def count_queries(connection):
    """Count queries with an execute wrapper (the test client resets connection.queries)."""
    counter = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def sign_in(client, username, office, role) -> None:
    from django.contrib.auth import get_user_model

    from ravabet.conftest import make_staff
    from ravabet.conftest import sign_in as walk

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = make_staff(username, office, role)
    walk(client, user)


def pdf_row(client, repeat: int):
    """The core's minutes PDF (`/staff/councils/meetings/<id>/minutes.pdf`, WeasyPrint through
    `network.pdf`) of a meeting with 30 agenda items, each with its minutes text and a decision."""
    meeting = thirty_item_minutes()
    url = f"/staff/councils/meetings/{meeting.pk}/minutes.pdf"
    response = client.get(url)  # warm: fonts loaded once per process
    assert response.status_code == 200, response.status_code
    times, cpu = [], []
    data = b""
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        data = client.get(url).content
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    pages = pdf_pages(data)
    label = "minutes PDF, 30 agenda items"
    return label, statistics.median(times), p95(times), statistics.median(cpu), pages


def pdf_pages(data: bytes) -> int:
    """The page count by poppler's pdfinfo (0 when it is missing: `./dev deps` installs it)."""
    import shutil
    import subprocess

    if shutil.which("pdfinfo") is None:
        return 0
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=False)
    found = re.search(rb"^Pages:\s+(\d+)", info.stdout, re.M)
    return int(found.group(1)) if found else 0


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def thirty_item_minutes():
    from django.utils import timezone

    from ravabet.council import models as m

    meeting = m.Meeting.objects.filter(title="bench: 30 items").first()
    if meeting is not None:
        return meeting
    council = m.Council.objects.order_by("pk").first()
    meeting = m.Meeting.objects.create(
        council=council, number=999_999, title="bench: 30 items", starts_at=timezone.now(),
        host_office=council.office, state=m.MeetingState.MINUTES_APPROVED, is_public=True,
    )  # fmt: skip
    header = m.Minutes.objects.create(meeting=meeting)
    version = m.MinutesVersion.objects.create(
        minutes=header, number=1, state=m.MinutesVersion.State.APPROVED,
        summary="جلسه با حضور مدیران روابط عمومی دستگاه‌های اجرایی استان برگزار شد.",
    )  # fmt: skip
    offices = list(m.Seat.objects.filter(council=council).values_list("office_id", flat=True))
    for office_id in offices:
        m.Attendance.objects.create(meeting=meeting, office_id=office_id, status="present")
    for position in range(1, 31):
        item = m.AgendaItem.objects.create(
            meeting=meeting, position=position, title=f"دستور کار شماره {position}: تجربه‌نگاری"
        )
        m.MinutesEntry.objects.create(
            version=version, agenda_item=item,
            text=("روابط‌عمومی‌ها باید تجربه‌های موفق خود را ثبت کنند و در اختیار دیگران بگذارند. "
                  * 6),
        )  # fmt: skip
        m.Decision.objects.create(
            council=council, meeting=meeting, agenda_item=item, number=position,
            code=f"{council.code}-999999-{position}", text=f"مصوبه {position}",
            office_id=council.office_id, deadline=timezone.localdate() + timedelta(days=10),
            is_public=True,
        )  # fmt: skip
    return meeting


def load(args) -> None:
    from django.db import connection, transaction
    from django.utils import timezone
    from tqdm import tqdm

    from ravabet.council import models as m
    from ravabet.council import search_feed
    from ravabet.network.models import Office

    rng = random.Random(1405)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-200000")
            cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic(), search_feed.paused():
        root = Office.objects.create(slug="bench-root", kind="directorate", name_fa="ریشه")
        offices = []
        for i in range(args.offices):
            office = Office(
                slug=f"bench-office-{i}", kind="agency", name_fa=f"دستگاه {i}", parent=root
            )
            office.save()  # keeps the materialised path
            offices.append(office)
        today = timezone.localdate()
        bodies: list[tuple[m.Council, m.WorkingGroup | None]] = []
        for c in range(args.councils):
            council = m.Council.objects.create(
                office=root if c == 0 else offices[c], slug=f"bench-council-{c}",
                code=f"B{c}", name_fa=f"شورای هماهنگی {c}", is_public=c % 4 != 3,
            )  # fmt: skip
            for k, member in enumerate(offices[c * 20 : c * 20 + 25]):
                m.Seat.objects.create(
                    council=council, office=member, start=today - timedelta(days=400),
                    position=["chair", "deputy", "secretary"][k] if k < 3 else "member",
                )  # fmt: skip
            bodies.append((council, None))
            for g in range(4):
                group = m.WorkingGroup.objects.create(
                    council=council, slug=f"g{g}", code=f"G{g}", name_fa=f"کارگروه {g}",
                    lead_office=offices[c * 20 + g], is_public=g != 3,
                )  # fmt: skip
                bodies.append((council, group))
        now = timezone.now()
        numbers: dict[int, int] = {}
        meetings = []
        for i in range(args.meetings):
            council, group = bodies[i % len(bodies)]
            key = id(group) if group is not None else -council.pk
            numbers[key] = numbers.get(key, 0) + 1
            starts = now - timedelta(days=rng.uniform(-30, 700))
            state = (
                "invited" if starts > now
                else rng.choice(["approved"] * 8 + ["closed", "cancelled"])
            )  # fmt: skip
            meetings.append(
                m.Meeting(
                    council=council, working_group=group, number=numbers[key],
                    starts_at=starts, host_office=offices[rng.randrange(len(offices))],
                    state=state, is_public=rng.random() < 0.85, title=f"جلسه {i}",
                )
            )  # fmt: skip
        m.Meeting.objects.bulk_create(meetings, batch_size=1000)
        meetings = list(m.Meeting.objects.select_related("council", "working_group"))
        statuses = ["awaiting", "in_progress", "done", "overdue", "cancelled", "superseded"]
        weights = [20, 20, 40, 10, 5, 5]
        words = ["تجربه‌نگاری", "آموزش خبرنویسی", "پوشش خبری", "پاسخگویی", "فضای مجازی"]
        batch, per_meeting = [], {}
        held = [x for x in meetings if x.state in ("approved", "closed")]
        for i in tqdm(range(args.decisions), desc="decisions", unit="decision", mininterval=2):
            meeting = held[i % len(held)]
            per_meeting[meeting.pk] = per_meeting.get(meeting.pk, 0) + 1
            n = per_meeting[meeting.pk]
            body = meeting.working_group.code if meeting.working_group_id else ""
            status = rng.choices(statuses, weights)[0]
            deadline = meeting.starts_at.date() + timedelta(days=rng.randint(5, 90))
            if status in ("awaiting", "in_progress") and deadline < today:
                deadline = today + timedelta(days=rng.randint(0, 40))
            batch.append(
                m.Decision(
                    council=meeting.council, working_group=meeting.working_group,
                    meeting=meeting, number=n,
                    code=f"{meeting.council.code}{body}-{meeting.number}-{n}",
                    text=f"مصوبه {i} درباره {words[i % len(words)]} در روابط عمومی دستگاه‌ها",
                    office=offices[rng.randrange(len(offices))], deadline=deadline,
                    status=status, percent_done=100 if status == "done" else rng.randint(0, 90),
                    is_public=rng.random() < 0.8,
                    done_on=deadline if status == "done" else None,
                )
            )  # fmt: skip
            if len(batch) >= 2000:
                m.Decision.objects.bulk_create(batch)
                batch = []
        if batch:
            m.Decision.objects.bulk_create(batch)
        ids = list(m.Decision.objects.values_list("pk", "office_id"))
        through = m.Decision.co_offices.through
        links = [
            through(decision_id=pk, office_id=offices[(i * 7) % len(offices)].pk)
            for i, (pk, office_id) in enumerate(ids)
            if i % 4 == 0 and offices[(i * 7) % len(offices)].pk != office_id
        ]
        through.objects.bulk_create(links, batch_size=2000)
        reports = []
        for i, (pk, office_id) in enumerate(ids):
            for k in range(2):
                reports.append(
                    m.FollowUpReport(
                        decision_id=pk, office_id=office_id, percent=30 * (k + 1),
                        day=today - timedelta(days=rng.randint(1, 300)),
                        note=f"گزارش پیشرفت {k + 1}", is_public=k == 0 or i % 2 == 0,
                    )
                )  # fmt: skip
        m.FollowUpReport.objects.bulk_create(reports, batch_size=5000)
        versions = []
        closed = [x for x in meetings if x.state == "closed"]
        headers = m.Minutes.objects.bulk_create([m.Minutes(meeting=x) for x in closed])
        for header in headers:
            versions.append(m.MinutesVersion(minutes=header, number=1, state="circulated"))
        m.MinutesVersion.objects.bulk_create(versions)
    print("indexing the public decisions and meetings …")
    search_feed.index_now()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-2000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    raise SystemExit(main())
