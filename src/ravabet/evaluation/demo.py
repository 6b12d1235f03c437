"""Demo content of the evaluation: last month evaluated and published, this month open.

Runs the real process through the services: the previous Jalali month is opened, the demo
evaluator marks the scored indicators (never the directorate, their own office), Mehran's PR
manager submits evidence and disputes one mark, the second evaluator audits it, and the DG
publishes. The current month is opened and left at its first mark, to try the process.
The demo network's activity is thin, so many indicators honestly read "not enough data".
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from persiantools.jdatetime import JalaliDate

from ravabet.network.models import Office

from . import services
from .models import Evaluator, Kind, Period, Score


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def load(offices: dict[str, Office]) -> int:
    """Create the demo evaluation when there is none; return how many records were created."""
    if Period.objects.exists() or "ilam" not in offices:
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["manager", "evaluator", "auditor", "mehran-manager"]
    )}  # fmt: skip
    dg = users.get("manager")
    if dg is None:
        return 0
    services.ensure_default_criteria()
    created = 1
    for name in ("evaluator", "auditor"):
        if name in users and not Evaluator.objects.filter(user=users[name]).exists():
            services.appoint_evaluator(dg, users[name])
            created += 1
    today = JalaliDate.today()
    year, month = _previous(today.year, today.month)
    period = services.open_period(dg, year=year, month=month, scope=offices["ilam"])
    created += 1
    evaluator, auditor = users.get("evaluator"), users.get("auditor")
    mehran = offices.get("mehran")
    manager = users.get("mehran-manager")
    if mehran is not None and manager is not None:
        coverage = Score.objects.get(period=period, office=mehran, indicator__code="coverage")
        services.submit_evidence(
            manager, coverage,
            "گزارش ویژه بازگشایی پایانه مرزی مهران در خبرگزاری‌ها و صداوسیمای مرکز ایلام؛ "
            "پیوندها: https://example.ir/mehran-coverage",
        )  # fmt: skip
    if evaluator is not None:
        pending = Score.objects.filter(
            period=period, indicator__kind__in=[Kind.SCORED, Kind.EVIDENCE]
        ).select_related("office", "indicator")
        for score in pending:
            if score.office.slug == "ilam":
                continue  # the evaluator's own office: left for another evaluator
            if score.indicator.kind == Kind.EVIDENCE and not score.evidence:
                continue
            services.mark(evaluator, score, 2 + score.office_id % 4, "نمره نمایشی")
    opened = timezone.now() - timedelta(days=20)
    services.open_replies(dg, period, now=opened)
    period.refresh_from_db()
    if mehran is not None and manager is not None and auditor is not None:
        quality = Score.objects.get(period=period, office=mehran, indicator__code="quality")
        services.reply(
            manager, quality, agrees=False,
            reasons="همه خبرهای ماه گذشته عکس و توضیح داشتند؛ گزارش تصویری هفتگی هم منتشر شد.",
            now=opened + timedelta(days=1),
        )  # fmt: skip
        services.start_audit(dg, period)
        services.audit(auditor, quality, rubric_mark=5, note="مستندات دستگاه پذیرفته شد.")
    else:
        services.start_audit(dg, period)
    services.publish(dg, period)
    created += 1
    services.open_period(dg, year=today.year, month=today.month, scope=offices["ilam"])
    return created + 1
