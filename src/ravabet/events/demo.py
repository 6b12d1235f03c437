"""Demo events: the PR-week 1405 programme of seed 000 (original text written for the demo).

PR week starts on 27 Ordibehesht, the national day of communications and public relations, with
a ceremony at the unknown martyrs' graves; then the governor's video conference with the PR
managers and county governors, the council board's visit, honouring active PR offices and
front-line health workers, a cyberspace session and a training course for PR managers. The
1405 programme is in the past: its course has attendance and certificates (one revoked), so that
the verify page has something to show. It is also copied to 1406 in one step (open for
registration), as an organiser would each spring. Running the loader again adds nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from persiantools.jdatetime import JalaliDateTime

from ravabet.network.models import Office

from .models import Audience, Enrolment, Kind, Mark, Series

SERIES_SLUG = "pr-week-1405"
CLONE_SLUG = "pr-week-1406"
SIGNER = ("آیت قیصربیگی (نمایشی)", "مدیرکل روابط عمومی استانداری ایلام")

# (office, kind, title, Jalali (month, day, hour, minute), hours, place, video, audience,
#  enrolment, capacity, sessions, invited offices)
EVENTS: list[dict[str, Any]] = [
    {
        "office": "ilam", "kind": Kind.CEREMONY, "when": (2, 27, 8, 0), "hours": 1.5,
        "title": "آیین غبارروبی مزار شهدای گمنام و آغاز هفته روابط عمومی",
        "place": "گلزار شهدای گمنام ایلام", "audience": Audience.PUBLIC,
        "enrolment": Enrolment.NONE,
    },
    {
        "office": "ilam", "kind": Kind.VIDEO, "when": (2, 27, 10, 0), "hours": 2,
        "title": "نشست ویدیوکنفرانس استاندار با مدیران روابط عمومی و فرمانداران",
        "video_link": "https://video.ilam.example.ir/pr-week", "audience": Audience.STAFF,
        "enrolment": Enrolment.INVITATION,
        "invite": ["ilam-roads", "ilam-health", "ilam-heritage", "mehran", "dehloran"],
        "description": "فرمانداران و مدیران کل استان نیز حضور دارند؛ گزارش روابط عمومی‌ها و "
        "بیان دیدگاه‌ها درباره جایگاه روابط عمومی به‌عنوان خانه مردم.",
    },
    {
        "office": "ilam", "kind": Kind.VISIT, "when": (2, 28, 10, 0), "hours": 1,
        "title": "دیدار هیأت‌رئیسه شورای هماهنگی روابط عمومی‌ها با نماینده ولی فقیه در استان",
        "place": "دفتر نماینده ولی فقیه در استان ایلام", "audience": Audience.JOURNALISTS,
        "enrolment": Enrolment.NONE,
    },
    {
        "office": "ilam-governorate", "kind": Kind.HONOURING, "when": (2, 29, 10, 0), "hours": 2,
        "title": "آیین تجلیل از روابط عمومی‌های فعال استان",
        "place": "سالن اجتماعات استانداری ایلام", "audience": Audience.STAFF,
        "enrolment": Enrolment.OPEN, "capacity": 120,
    },
    {
        "office": "ilam-health", "kind": Kind.HONOURING, "when": (2, 29, 16, 0), "hours": 1.5,
        "title": "تجلیل از جهادگران خط مقدم سلامت",
        "place": "تالار دانشگاه علوم پزشکی ایلام", "audience": Audience.PUBLIC,
        "enrolment": Enrolment.OPEN, "capacity": 200,
    },
    {
        "office": "ilam", "kind": Kind.SESSION, "when": (2, 30, 10, 0), "hours": 2,
        "title": "نشست فضای مجازی با روابط عمومی‌ها",
        "place": "سالن اجتماعات استانداری ایلام",
        "video_link": "https://video.ilam.example.ir/cyberspace", "audience": Audience.STAFF,
        "enrolment": Enrolment.OPEN, "capacity": 60,
    },
    {
        "office": "ilam", "kind": Kind.TRAINING, "when": (2, 30, 8, 0), "hours": 4, "days": 3,
        "title": "دوره آموزشی مدیران روابط عمومی: نگارش خبر و رسانه‌های نو",
        "place": "مرکز آموزش استانداری ایلام", "audience": Audience.STAFF,
        "enrolment": Enrolment.OPEN, "capacity": 25, "min_sessions": 2,
        "description": "سه نشست چهارساعته؛ گواهی برای حضور دست‌کم در دو نشست، از جمله نشست نخست.",
    },
]  # fmt: skip

# Who came to the course (username → sessions present), for the attendance and certificates.
COURSE_ATTENDANCE = {
    "editor": [0, 1, 2],
    "author": [0, 2],
    "moderator": [1, 2],  # missed the mandatory first session: no certificate
    "responder": [0, 1],
}


def at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return timezone.make_aware(JalaliDateTime(year, month, day, hour, minute).to_gregorian())


def load(offices: dict[str, Office]) -> int:
    """Create the demo programme if it is missing; return how many records were created."""
    from . import services

    if "ilam" not in offices or Series.objects.filter(slug=SERIES_SLUG).exists():
        return 0
    users = get_user_model().objects
    manager = users.filter(username="manager").first()
    if manager is None:
        return 0
    created = 0
    series = services.create_series(
        manager,
        offices["ilam"],
        slug=SERIES_SLUG,
        title_fa="هفته روابط عمومی ۱۴۰۵",
        title_en="PR week 1405",
        year=1405,
        description="برنامه‌های هفته روابط عمومی استان ایلام، از ۲۷ اردیبهشت، روز ملی ارتباطات و "
        "روابط عمومی.",
    )
    created += 1
    course = None
    for item in EVENTS:
        office = offices.get(item["office"])
        if office is None:
            continue
        month, day, hour, minute = item["when"]
        start = at(1405, month, day, hour, minute)
        length = timedelta(hours=item["hours"])
        days = item.get("days", 1)
        sessions = [
            (start + timedelta(days=i), start + timedelta(days=i) + length, f"روز {i + 1}", i == 0)
            for i in range(days)
        ]
        event = services.create_event(
            manager,
            office,
            series=series,
            sessions=sessions,
            kind=item["kind"],
            title=item["title"],
            description=item.get("description", ""),
            starts_at=start,
            ends_at=sessions[-1][1],
            place=item.get("place", ""),
            video_link=item.get("video_link", ""),
            audience=item["audience"],
            enrolment=item["enrolment"],
            capacity=item.get("capacity"),
            min_sessions=item.get("min_sessions"),
            signer_name=SIGNER[0],
            signer_title=SIGNER[1],
            invite_offices=[offices[s] for s in item.get("invite", []) if s in offices],
        )
        created += 1 + days
        if item["kind"] == Kind.TRAINING:
            course = event
    if course is not None:
        created += _attend(manager, course)
    services.clone_series(
        manager,
        series,
        year=1406,
        slug=CLONE_SLUG,
        title_fa="هفته روابط عمومی ۱۴۰۶",
        title_en="PR week 1406",
    )
    return created + 1 + len(EVENTS)


def _attend(manager: Any, course: Any) -> int:
    from . import services

    users = {u.username: u for u in get_user_model().objects.filter(username__in=COURSE_ATTENDANCE)}
    sessions = list(course.sessions.all())
    early = course.starts_at - timedelta(days=7)
    created = 0
    for username, present in COURSE_ATTENDANCE.items():
        user = users.get(username)
        if user is None:
            continue
        registration = services.register(course, user=user, now=early)
        created += 1
        for index, session in enumerate(sessions):
            value = Mark.PRESENT if index in present else Mark.ABSENT
            services.mark(manager, registration, session, value)
            created += 1
    guest = services.register(
        course,
        guest=services.Guest("خبرنگار نمایشی", "09120001405", "reporter@demo.ravabet.example"),
        now=early,
    )
    for session in sessions[:2]:
        services.check_in(manager, session, guest.checkin_code)
    certificates = services.issue_certificates(manager, course)
    revoked = next((c for c in certificates if c.holder_name == "خبرنگار نمایشی"), None)
    if revoked is not None:
        services.revoke_certificate(manager, revoked, reason="صدور نمایشی برای آزمودن ابطال")
    return created + 1 + len(certificates)
