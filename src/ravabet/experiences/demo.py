"""Demo experience write-ups of the Ilam network, written for the demo, loaded through the app's
own services (reviewed by the demo's directorate reviewer), and the PR network directory."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from ravabet.network.models import Office

from . import search_feed, services
from .models import Contact, Experience
from .services import ExperienceData, LessonData

# (office, author username, audience, applied by [(office, note)], data)
WRITEUPS: list[tuple[str, str, str, list[tuple[str, str]], ExperienceData]] = [
    ("ilam-governorate", "editor", "public",
     [("mehran", "برای سیلاب بهمن همین اتاق خبر را برپا کردیم.")],
     ExperienceData(
        title="اتاق خبر مشترک در روزهای سیلاب",
        kind="crisis",
        period_start=date(2026, 3, 28), period_end=date(2026, 4, 6),
        situation="بارش‌های سنگین فروردین چند روستای استان را از راه اصلی جدا کرد و در شبکه‌های "
                  "اجتماعی خبرهای نادرست درباره شکستن سد پخش شد.",
        goal="یک منبع خبری معتبر و زودهنگام برای مردم و رسانه‌ها، تا شایعه جای خبر را نگیرد.",
        steps=[
            "تشکیل اتاق خبر مشترک با هلال‌احمر، راهداری و آب منطقه‌ای در استانداری",
            "تعیین یک سخنگو برای همه دستگاه‌ها",
            "انتشار اطلاعیه کوتاه هر سه ساعت در پایگاه خبری و پیام‌رسان‌ها",
            "پاسخ مستند به هر شایعه در کمتر از یک ساعت",
        ],
        channels="پایگاه خبری استانداری، پیام‌رسان‌های داخلی، رادیو ایلام",
        audience_text="مردم روستاهای آسیب‌دیده، خبرنگاران استان",
        people=6, days=10, money=0,
        results="شایعه شکستن سد در کمتر از یک روز فروکش کرد و خبرنگاران به اطلاعیه‌ها ارجاع دادند.",
        figures=[("اطلاعیه منتشرشده", "۳۲"), ("شایعه پاسخ‌داده", "۹")],
        worked="سخنگوی واحد و ساعت ثابت انتشار اطلاعیه‌ها.",
        did_not_work="اینترنت برخی روستاها قطع بود و رادیو تنها راه رساندن خبر شد.",
        lessons=[
            LessonData("هماهنگی رسانه‌ای دستگاه‌ها باید پیش از بحران تمرین شود",
                       ["بحران", "هماهنگی"]),
            LessonData("سخنگوی واحد از تناقض خبرها می‌کاهد", ["سخنگو", "بحران"]),
            LessonData("برای روستاهای بی‌اینترنت رادیو محلی را در نظر بگیرید", ["رادیو"]),
        ],
        recommendations="فهرست تماس خبرنگاران و رابطان دستگاه‌ها پیش از فصل بارش به‌روز شود.",
        contact_name="دبیر خبر استانداری (نمایشی)", contact_role="دبیر خبر",
        tags=["سیل", "بحران", "شایعه"],
    )),
    ("ilam-health", "manager", "public", [],
     ExperienceData(
        title="پویش «واکسن را جدی بگیریم» در شبکه‌های اجتماعی",
        kind="social",
        period_start=date(2025, 10, 1), period_end=date(2025, 11, 15),
        situation="پوشش واکسیناسیون آنفلوانزای سالمندان در دو شهرستان کمتر از میانگین استان بود.",
        goal="رساندن پیام واکسیناسیون به فرزندان سالمندان از راه شبکه‌های اجتماعی.",
        steps=[
            "گفت‌وگو با پزشکان خانواده برای ساخت پیام‌های کوتاه",
            "ساخت ده ویدئوی یک‌دقیقه‌ای به زبان کردی و فارسی",
            "انتشار هفتگی و پاسخ به پرسش‌ها در بخش نظرات",
        ],
        channels="پیام‌رسان‌های داخلی، صفحه دانشگاه در شبکه‌های اجتماعی",
        audience_text="فرزندان سالمندان ساکن شهرها",
        people=3, days=45, money=120_000_000,
        results="مراجعه سالمندان برای واکسن در دو شهرستان هدف بیشتر شد.",
        figures=[("بازدید ویدئوها", "۴۸ هزار")],
        worked="پیام به زبان محلی و از زبان پزشک خانواده.",
        did_not_work="ویدئوهای بلندتر از یک دقیقه کمتر دیده شدند.",
        lessons=[
            LessonData("پیام سلامت را از زبان پزشک آشنا بگویید", ["سلامت", "پیام"]),
            LessonData("ویدئوی کوتاه‌تر از یک دقیقه بیشتر دیده می‌شود", ["ویدئو", "شبکه‌های اجتماعی"]),
        ],
        recommendations="پویش را دو هفته پیش از فصل واکسن آغاز کنید.",
        contact_name="مدیرکل روابط عمومی (نمایشی)", contact_role="مدیر روابط عمومی",
        tags=["سلامت", "شبکه‌های اجتماعی"],
    )),
    ("mehran", "manager", "network", [],
     ExperienceData(
        title="پوشش خبری راهپیمایی اربعین در مرز مهران",
        kind="event",
        period_start=date(2025, 8, 5), period_end=date(2025, 8, 20),
        situation="صدها هزار زائر در دو هفته از مرز مهران گذشتند و رسانه‌های کشور خبر "
                  "لحظه‌ای می‌خواستند.",
        goal="خبر درست از وضع تردد، آب و گرما به زائران و رسانه‌ها.",
        steps=[
            "مرکز رسانه‌ای در پایانه مرزی با برق و اینترنت پشتیبان",
            "گزارش تصویری روزانه و اطلاعیه وضعیت تردد هر چهار ساعت",
            "هماهنگی مصاحبه‌ها با پلیس و هلال‌احمر از یک میز",
        ],
        channels="پایگاه خبری فرمانداری، خبرگزاری‌ها، پیام‌رسان‌ها",
        audience_text="زائران، خبرنگاران سراسر کشور",
        people=8, days=16,
        results="خبرگزاری‌ها آمار تردد را از اطلاعیه‌های فرمانداری نقل کردند.",
        worked="مرکز رسانه‌ای در خود پایانه.",
        did_not_work="گرمای هوا کار تصویربرداری نیمروز را ناممکن کرد.",
        lessons=[
            LessonData("مرکز رسانه‌ای را همان‌جا برپا کنید که خبر هست", ["رویداد", "خبرنگاران"]),
        ],
        recommendations="برق و اینترنت پشتیبان مرکز رسانه‌ای را پیش از رویداد آزمایش کنید.",
        contact_name="مدیر روابط عمومی فرمانداری مهران (نمایشی)",
        tags=["اربعین", "رویداد"],
    )),
]  # fmt: skip

# (office, name, position, title, phone, email, expertise)
CONTACTS: list[tuple[str, str, str, str, str, str, list[str]]] = [
    ("ilam-governorate", "کارشناس رسانه استانداری (نمایشی)", "expert", "کارشناس ارتباط با رسانه",
     "08400000001", "media@demo.ravabet.example", ["ارتباطات بحران", "خبرنگاران"]),
    ("ilam-health", "کارشناس فضای مجازی (نمایشی)", "expert", "کارشناس شبکه‌های اجتماعی",
     "08400000002", "social@demo.ravabet.example", ["شبکه‌های اجتماعی", "ویدئو"]),
    ("mehran", "مدیر روابط عمومی مهران (نمایشی)", "manager", "مدیر روابط عمومی",
     "08400000003", "mehran@demo.ravabet.example", ["رویداد", "عکاسی خبری"]),
]  # fmt: skip


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username, is_active=True).first()


def load(offices: dict[str, Office]) -> int:
    """Create the demo write-ups and directory entries that are missing; how many were made."""
    reviewer = _user("reviewer") or get_user_model().objects.filter(is_superuser=True).first()
    created = 0
    for slug, username, audience, applied, data in WRITEUPS:
        author = _user(username)
        if slug not in offices or author is None or reviewer is None:
            continue
        if Experience.objects.filter(office=offices[slug], title=data.title).exists():
            continue
        item = services.create(author, offices[slug], data)
        services.submit(author, item)
        services.review(reviewer, item, "approve", "روشن و قابل استفاده برای دستگاه‌های دیگر.")
        item = services.publish(author, item, audience, confirm_personal_data=True)
        for other, note in applied:
            if other in offices:
                services.mark_applied(_user("manager"), item, offices[other], note)
        search_feed.reindex(item.pk)
        created += 1
    operator = _user("manager")
    for slug, name, position, title, phone, email, expertise in CONTACTS:
        if slug not in offices or operator is None:
            continue
        if Contact.objects.filter(office=offices[slug], name=name).exists():
            continue
        services.save_contact(
            operator, offices[slug], name=name, position=position, title=title, phone=phone,
            email=email, expertise=expertise,
        )  # fmt: skip
        created += 1
    return created
