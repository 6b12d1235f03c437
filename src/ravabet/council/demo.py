"""Demo councils of the Ilam demo network (original text written for the demo).

Two councils: the province directorate's council of the executive agencies' PR offices, with
the six working groups of seed 004 (education, news, evaluation, elections, media and
cyberspace, crisis media management), and the Mehran county governorate's council of its
districts' PR offices. Meetings in every state, minutes (approved and circulated), attendance,
and decisions done, in progress, awaiting action, overdue and cancelled, public and internal,
with follow-up reports. Loaded by `ravabet demo` (portal/demo_content.py); running it again adds
nothing. Written straight to the tables (a demo loader is part of the data layer), then indexed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ravabet.network.models import Office

from . import models as m

GROUPS = [  # (slug, code, Persian name, English name, lead office slug)
    ("education", "EDU", "کارگروه آموزش", "Education working group", "ilam-health"),
    ("news", "NEWS", "کارگروه اخبار", "News working group", "ilam-governorate"),
    ("evaluation", "EVAL", "کارگروه ارزیابی", "Evaluation working group", "ilam-roads"),
    ("elections", "ELEC", "کارگروه انتخابات", "Elections working group", "ilam-governorate"),
    ("media", "MEDIA", "کارگروه رسانه و فضای مجازی", "Media and cyberspace working group",
     "ilam-heritage"),
    ("crisis", "CRISIS", "کارگروه مدیریت بحران در رسانه", "Crisis media management working group",
     "ilam-health"),
]  # fmt: skip

AGENCIES = {  # the province council's seats: office slug → position
    "ilam": m.Position.CHAIR,
    "ilam-governorate": m.Position.SECRETARY,
    "ilam-roads": m.Position.DEPUTY_CHAIR,
    "ilam-health": m.Position.BOARD,
    "ilam-heritage": m.Position.MEMBER,
    "mehran": m.Position.MEMBER,
    "dehloran": m.Position.OBSERVER,
}

DISTRICTS = {"mehran": m.Position.CHAIR, "salehabad": m.Position.SECRETARY}


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _day(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def _council(office: Office, **fields: Any) -> tuple[m.Council, bool]:
    return m.Council.objects.get_or_create(
        slug=fields.pop("slug"), defaults={"office": office, **fields}
    )


def _meeting(
    council: m.Council,
    group: m.WorkingGroup | None,
    number: int,
    *,
    days: int,
    host: Office,
    state: str,
    title: str,
    place: str,
    public: bool = True,
    agenda: list[tuple[str, str]],
    present: list[Office],
    absent: list[Office] = (),  # type: ignore[assignment]
    minutes: str = "",
    minutes_state: str = "",
) -> m.Meeting:
    when = _at(days)
    meeting = m.Meeting.objects.create(
        council=council,
        working_group=group,
        number=number,
        title=title,
        starts_at=when,
        place=place,
        host_office=host,
        state=state,
        is_public=public,
        invited_at=when - timedelta(days=7) if state != m.MeetingState.DRAFT else None,
        started_at=when if days <= 0 else None,
        closed_at=when + timedelta(hours=2) if days < 0 else None,
    )
    items = [
        m.AgendaItem.objects.create(
            meeting=meeting,
            position=1,
            kind=m.AgendaItem.Kind.FOLLOW_UP,
            title="پیگیری مصوبات جلسات پیشین",
            planned_minutes=15,
        )
    ]
    for position, (item_title, _text) in enumerate(agenda, start=2):
        items.append(
            m.AgendaItem.objects.create(
                meeting=meeting, position=position, title=item_title, planned_minutes=20
            )
        )
    for office in present:
        m.Invitation.objects.create(meeting=meeting, office=office, answer="yes")
        if days < 0:
            m.Attendance.objects.create(meeting=meeting, office=office, status="present")
    for office in absent:
        m.Invitation.objects.create(meeting=meeting, office=office, answer="no")
        if days < 0:
            m.Attendance.objects.create(meeting=meeting, office=office, status="excused")
    if minutes_state:
        header = m.Minutes.objects.create(meeting=meeting)
        version = m.MinutesVersion.objects.create(
            minutes=header,
            number=1,
            state=minutes_state,
            summary=minutes,
            circulated_at=when + timedelta(days=1),
            objection_deadline=(when + timedelta(days=5)).date(),
            approved_at=when + timedelta(days=6)
            if minutes_state == m.MinutesVersion.State.APPROVED
            else None,
        )
        texts = ["مصوبات پیشین مرور شد و گزارش پیشرفت هر دستگاه ارائه شد.", *(t for _, t in agenda)]
        for item, text in zip(items, texts, strict=True):
            m.MinutesEntry.objects.create(version=version, agenda_item=item, text=text)
    return meeting


def _decision(
    meeting: m.Meeting,
    number: int,
    text: str,
    office: Office,
    *,
    deadline_days: int,
    status: str,
    percent: int = 0,
    public: bool = True,
    co: list[Office] = (),  # type: ignore[assignment]
    reports: list[tuple[int, int, str]] = (),  # type: ignore[assignment]
) -> m.Decision:
    group = meeting.working_group
    code = (
        f"{meeting.council.code}-{group.code}-{meeting.number}-{number}"
        if group is not None
        else f"{meeting.council.code}-{meeting.number}-{number}"
    )
    agenda_item = meeting.agenda.order_by("-position").first()
    decision = m.Decision.objects.create(
        council=meeting.council,
        working_group=meeting.working_group,
        meeting=meeting,
        agenda_item=agenda_item,
        number=number,
        code=code,
        text=text,
        office=office,
        deadline=_day(deadline_days),
        status=status,
        percent_done=percent,
        is_public=public,
        done_on=_day(deadline_days - 3) if status == m.DecisionStatus.DONE else None,
    )
    if co:
        decision.co_offices.set(co)
    for days_ago, pct, note in reports:
        m.FollowUpReport.objects.create(
            decision=decision, office=office, day=_day(-days_ago), percent=pct, note=note
        )
    return decision


def load(offices: dict[str, Office]) -> int:
    """Create the demo councils if missing; return how many records were created."""
    needed = set(AGENCIES) | set(DISTRICTS) | {g[4] for g in GROUPS}
    if not needed <= set(offices) or m.Council.objects.filter(slug="ilam-agencies").exists():
        return 0
    o = offices
    created = 0
    from . import search_feed

    with transaction.atomic(), search_feed.paused():
        province, _ = _council(
            o["ilam"],
            slug="ilam-agencies",
            code="ILM",
            kind=m.Council.Kind.PROVINCE_AGENCIES,
            name_fa="شورای هماهنگی روابط عمومی دستگاه‌های اجرایی استان ایلام",
            name_en="Coordination Council of the PR Offices of Ilam's Executive Agencies",
            description_fa="شورای هماهنگی روابط عمومی‌های دستگاه‌های اجرایی استان با دبیری اداره‌کل "
            "روابط عمومی استانداری ایلام؛ هیأت‌رئیسه آن برای یک دوره دوساله انتخاب می‌شود "
            "و کارگروه‌های تخصصی آن جلسات منظم با موضوع هر کارگروه برگزار می‌کنند.",
        )
        term = m.Term.objects.create(council=province, number=1, start=_day(-300))
        for slug, position in AGENCIES.items():
            m.Seat.objects.create(
                council=province, office=o[slug], position=position, term=term, start=_day(-300)
            )
        # History: the deputy chair was a plain member before the board was elected.
        m.Seat.objects.create(
            council=province, office=o["ilam-heritage"], position=m.Position.BOARD,
            term=term, start=_day(-300), end=_day(-200),
        )  # fmt: skip
        groups = {}
        for order, (slug, code, name_fa, name_en, lead) in enumerate(GROUPS):
            group = m.WorkingGroup.objects.create(
                council=province,
                slug=slug,
                code=code,
                topic=slug,  # the six groups of seed 004 are named by their topics
                name_fa=name_fa,
                name_en=name_en,
                lead_office=o[lead],
                secretary_office=o["ilam-governorate"],
                position=order,
            )
            groups[slug] = group
            for member in ("ilam-governorate", "ilam-roads", "ilam-health", "ilam-heritage"):
                m.WorkingGroupMembership.objects.create(
                    group=group, office=o[member], joined=_day(-280)
                )
        members = [o[s] for s in AGENCIES if s != "dehloran"]
        first = _meeting(
            province, None, 1, days=-60, host=o["ilam-governorate"],
            state=m.MeetingState.MINUTES_APPROVED,
            title="نخستین نشست شورا و تشکیل کارگروه‌های تخصصی",
            place="سالن جلسات استانداری ایلام",
            agenda=[
                ("تشکیل کارگروه‌های تخصصی روابط عمومی",
                 "شش کارگروه آموزش، اخبار، ارزیابی، انتخابات، رسانه و فضای مجازی و مدیریت بحران "
                 "در رسانه تشکیل شد و مدیران روابط عمومی دستگاه‌ها در آن‌ها عضو شدند."),
                ("تجربه‌نگاری در روابط عمومی‌ها",
                 "مقرر شد هر دستگاه دست‌کم یک تجربه موفق خود را برای استفاده "
                 "دیگر دستگاه‌ها ثبت کند."),
            ],
            present=members[:-1], absent=members[-1:],
            minutes="نخستین نشست شورای هماهنگی روابط عمومی دستگاه‌های اجرایی استان با حضور مدیران "
            "روابط عمومی دستگاه‌ها برگزار شد و بر هم‌افزایی و بهره‌گیری از تجارب یکدیگر تأکید شد.",
            minutes_state=m.MinutesVersion.State.APPROVED,
        )  # fmt: skip
        _decision(
            first, 1, "هر دستگاه اجرایی تا پایان مهلت، مدیر روابط عمومی خود را برای عضویت در "
            "کارگروه‌های شش‌گانه معرفی کند.", o["ilam-governorate"], deadline_days=-40,
            status=m.DecisionStatus.DONE, percent=100,
            reports=[(45, 60, "معرفی‌نامه ۱۸ دستگاه دریافت شد."),
                     (41, 100, "همه دستگاه‌ها نماینده خود را معرفی کردند.")],
        )  # fmt: skip
        _decision(
            first, 2, "سامانه تجربه‌نگاری روابط عمومی‌ها راه‌اندازی و نخستین تجربه‌ها در آن ثبت شود.",
            o["ilam-roads"], deadline_days=20, status=m.DecisionStatus.IN_PROGRESS, percent=40,
            co=[o["ilam-heritage"]],
            reports=[(20, 20, "نیازسنجی و طراحی فرم تجربه‌نگاری انجام شد."),
                     (5, 40, "نسخه آزمایشی سامانه آماده و برای دو دستگاه فعال شد.")],
        )  # fmt: skip
        _decision(
            first, 3, "دوره آموزشی خبرنویسی برای کارشناسان روابط عمومی شهرستان‌ها برگزار شود.",
            o["ilam-health"], deadline_days=-10, status=m.DecisionStatus.OVERDUE, percent=30,
            reports=[(25, 30, "سرفصل دوره تهیه و مدرس آن انتخاب شد.")],
        )  # fmt: skip
        _decision(
            first, 4, "فهرست تماس اضطراری مدیران روابط عمومی برای شرایط بحران به‌روز شود.",
            o["ilam-governorate"], deadline_days=-30, status=m.DecisionStatus.DONE, percent=100,
            public=False,
        )  # fmt: skip
        second = _meeting(
            province, None, 2, days=-8, host=o["ilam-roads"], state=m.MeetingState.CLOSED,
            title="برنامه هفته روابط عمومی", place="اداره‌کل راه و شهرسازی استان ایلام",
            agenda=[("برنامه‌های هفته ملی ارتباطات و روابط عمومی",
                     "برنامه‌های هفته روابط عمومی از ۲۷ اردیبهشت بررسی و تقسیم کار شد.")],
            present=members, minutes="جلسه دوم شورا به میزبانی اداره‌کل راه و شهرسازی برگزار شد.",
            minutes_state=m.MinutesVersion.State.CIRCULATED,
        )  # fmt: skip
        _decision(
            second, 1, "ویژه‌برنامه هفته روابط عمومی با تجلیل از روابط عمومی‌های برتر برگزار شود.",
            o["ilam-governorate"], deadline_days=15, status=m.DecisionStatus.AWAITING,
        )  # fmt: skip
        _meeting(
            province, None, 3, days=6, host=o["ilam-health"], state=m.MeetingState.INVITED,
            title="ارزیابی عملکرد روابط عمومی‌ها", place="دانشگاه علوم پزشکی ایلام",
            agenda=[("شاخص‌های ارزیابی ماهانه", "")], present=[],
        )  # fmt: skip
        news_group = _meeting(
            province, groups["news"], 1, days=-30, host=o["ilam-governorate"],
            state=m.MeetingState.MINUTES_APPROVED, title="هماهنگی پوشش خبری رویدادهای استان",
            place="استانداری ایلام",
            agenda=[("پوشش خبری مشترک سفرهای استانی",
                     "مقرر شد اخبار سفرهای استانی با یک کد خبری مشترک منتشر شود.")],
            present=[o["ilam-governorate"], o["ilam-roads"], o["ilam-health"]],
            minutes="نخستین جلسه کارگروه اخبار برگزار شد.",
            minutes_state=m.MinutesVersion.State.APPROVED,
        )  # fmt: skip
        _decision(
            news_group, 1,
            "دستورالعمل پوشش خبری مشترک سفرهای استانی تدوین و به دستگاه‌ها ابلاغ شود.",
            o["ilam-governorate"], deadline_days=3, status=m.DecisionStatus.IN_PROGRESS,
            percent=70, co=[o["ilam-roads"]],
            reports=[(10, 70, "پیش‌نویس دستورالعمل آماده و برای نظرخواهی ارسال شد.")],
        )  # fmt: skip
        _decision(
            news_group, 2, "بانک عکس مشترک رویدادهای استان راه‌اندازی شود.", o["ilam-heritage"],
            deadline_days=-5, status=m.DecisionStatus.CANCELLED,
        )  # fmt: skip
        created += 1 + 1 + len(AGENCIES) + 1 + len(GROUPS) * 5 + 4

        districts, _ = _council(
            o["mehran"],
            slug="mehran-districts",
            code="MHR",
            kind=m.Council.Kind.COUNTY_DISTRICTS,
            name_fa="شورای هماهنگی روابط عمومی بخشداری‌های شهرستان مهران",
            name_en="Coordination Council of the District PR Offices of Mehran County",
            description_fa="شورای هماهنگی روابط عمومی بخشداری‌های تابعه فرمانداری مهران.",
        )
        for slug, position in DISTRICTS.items():
            m.Seat.objects.create(
                council=districts, office=o[slug], position=position, start=_day(-200)
            )
        local = _meeting(
            districts, None, 1, days=-20, host=o["salehabad"],
            state=m.MeetingState.MINUTES_APPROVED,
            title="نخستین نشست شورای هماهنگی روابط عمومی بخشداری‌ها",
            place="سالن جلسات بخشداری صالح‌آباد",
            agenda=[("انعکاس خدمات بخشداری‌ها",
                     "بر انعکاس به‌موقع خدمات و پاسخگویی به مطالبات مردم تأکید شد.")],
            present=[o["mehran"], o["salehabad"]],
            minutes="اولین نشست شورای هماهنگی روابط عمومی بخشداری‌های شهرستان مهران به میزبانی "
            "بخشداری صالح‌آباد برگزار شد.",
            minutes_state=m.MinutesVersion.State.APPROVED,
        )  # fmt: skip
        _decision(
            local, 1, "هر بخشداری گزارش ماهانه پاسخگویی به مطالبات مردم را منتشر کند.",
            o["salehabad"], deadline_days=25, status=m.DecisionStatus.AWAITING,
        )  # fmt: skip
        created += 8
    transaction.on_commit(search_feed.index_now)
    return created
