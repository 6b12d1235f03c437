"""Certificates in bulk: issuing N certificates and the organiser's zip of N PDFs.

Creates one training course with N participants who all met its rules (default 500, the issue's
figure), then measures:

  * issuing every certificate (`services.issue_certificates`: one locked transaction);
  * the organiser's bulk download (`certificates.zip_of`: one Persian PDF per person through
    `network.pdf`, WeasyPrint with Vazirmatn embedded, zipped);

each as wall-clock seconds, and the process's peak resident memory (ru_maxrss) before and after,
plus the peak of Python's own allocations during the zip (tracemalloc, in a second pass, since
tracing slows the run). Prints a table for docs/performance.md.

Reproduce (a throw-away SQLite file; any DATABASE_URL works, use your own database):
    .venv/bin/python bench/certificates.py               # 500 certificates
    .venv/bin/python bench/certificates.py --count 50    # a quick look
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument(
        "--one-by-one",
        action="store_true",
        help="lay out every PDF on its own (the first version) instead of 50 at a time",
    )
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.gettempdir()) / "ravabet_certificates_bench.sqlite3"
        if path.exists():
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
    os.environ.setdefault("RAVABET_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ravabet.events import certificates, codes, services
    from ravabet.events.models import Attendance, Certificate, Kind, Mark, Registration, RegStatus
    from ravabet.network.models import Membership, Office

    office, _ = Office.objects.get_or_create(
        slug="bench-ilam",
        defaults={"kind": "directorate", "name_fa": "اداره‌کل روابط عمومی استانداری ایلام"},
    )
    organiser, _ = get_user_model().objects.get_or_create(username="bench-organiser")
    Membership.objects.get_or_create(user=organiser, office=office, role="manager")
    start = timezone.now() - timedelta(days=3)
    course = services.create_event(
        organiser,
        office,
        kind=Kind.TRAINING,
        title="دوره آموزشی مدیران روابط عمومی: نگارش خبر و رسانه‌های نو",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        place="مرکز آموزش استانداری ایلام",
        signer_name="آیت قیصربیگی",
        signer_title="مدیرکل روابط عمومی استانداری ایلام",
    )
    session = course.sessions.get()
    registrations = Registration.objects.bulk_create(
        Registration(
            event=course,
            guest_name=f"شرکت‌کننده شماره {n + 1}",
            guest_mobile=f"0912{n:07d}",
            status=RegStatus.CONFIRMED,
            checkin_code=codes.new_checkin_code() + str(n),
            token=f"bench-{n}",
        )
        for n in range(args.count)
    )
    Attendance.objects.bulk_create(
        Attendance(registration=r, session=session, mark=Mark.PRESENT, method="code")
        for r in registrations
    )

    rows: list[tuple[str, str, str]] = []
    rss_start = peak_rss_mb()
    began = time.perf_counter()
    made = services.issue_certificates(organiser, course)
    issue_s = time.perf_counter() - began
    assert len(made) == args.count
    rows.append((f"issue {args.count} certificates", f"{issue_s:.2f}", f"{peak_rss_mb():.0f}"))

    listed = list(Certificate.objects.filter(registration__event=course).order_by("pk"))
    began = time.perf_counter()
    single = certificates.render(listed[0], base_url="https://pr.ilam.example")
    first_s = time.perf_counter() - began
    rows.append(
        ("first PDF (loads WeasyPrint, Pango, fonts)", f"{first_s:.2f}", f"{peak_rss_mb():.0f}")
    )

    if args.one_by_one:
        certificates.BATCH = 1  # render_many of one certificate: laid out alone, like render()
    began = time.perf_counter()
    data = certificates.zip_of(listed, base_url="https://pr.ilam.example")
    zip_s = time.perf_counter() - began
    how = "one by one" if args.one_by_one else f"{certificates.BATCH} per layout"
    rows.append((f"zip of {args.count} PDFs ({how})", f"{zip_s:.2f}", f"{peak_rss_mb():.0f}"))

    traced = ""
    if not args.no_trace:
        sample = listed[: max(1, min(50, args.count))]
        tracemalloc.start()
        certificates.zip_of(sample, base_url="https://pr.ilam.example")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        traced = f"{peak / 2**20:.1f} MiB Python heap peak for a zip of {len(sample)}"

    print(
        f"Certificates in bulk: {args.count} people, {os.cpu_count()} CPUs, "
        f"database {django.db.connection.vendor}"
    )
    print(f"{'what':<48} {'seconds':>8} {'peak RSS MiB':>13}")
    for what, seconds, rss in rows:
        print(f"{what:<48} {seconds:>8} {rss:>13}")
    print(
        f"per certificate in the zip: {zip_s / args.count * 1000:.0f} ms; "
        f"one PDF {len(single) / 1024:.0f} KiB; zip {len(data) / 2**20:.1f} MiB; "
        f"RSS before issuing {rss_start:.0f} MiB"
    )
    if traced:
        print(traced)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
