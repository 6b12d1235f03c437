from __future__ import annotations

from datetime import date

import pytest

from ravabet.conftest import make_staff, sign_in
from ravabet.experiences import services
from ravabet.experiences.services import ExperienceData, LessonData


def complete_data(**change) -> ExperienceData:
    data = ExperienceData(
        title="پوشش خبری سیل فروردین در مهران",
        kind="crisis",
        period_start=date(2026, 3, 25),
        period_end=date(2026, 4, 5),
        situation="سیل دو روستا را از راه اصلی جدا کرد و شایعه‌ها در شبکه‌های اجتماعی پخش شد.",
        goal="رساندن خبر درست و زودهنگام به مردم و رسانه‌ها.",
        steps=["تشکیل اتاق خبر مشترک با هلال‌احمر", "انتشار اطلاعیه هر سه ساعت", "پاسخ به شایعه‌ها"],
        channels="پیام‌رسان‌های داخلی، پایگاه خبری، رادیو محلی",
        audience_text="مردم روستاهای آسیب‌دیده و خبرنگاران استان",
        people=4,
        days=10,
        money=0,
        results="شایعه‌ها در دو روز فروکش کرد.",
        figures=[("اطلاعیه", "۲۴")],
        worked="یک سخنگوی واحد برای همه دستگاه‌ها.",
        did_not_work="اینترنت روستاها قطع بود.",
        lessons=[
            LessonData("هماهنگی رسانه‌ای پیش از بحران آغاز شود", ["بحران", "هماهنگی"]),
            LessonData("سخنگوی واحد از تناقض خبرها می‌کاهد", ["سخنگو"]),
        ],
        recommendations="فهرست تماس خبرنگاران پیش از فصل باران به‌روز شود.",
        contact_name="مدیر روابط عمومی فرمانداری مهران",
        contact_role="مدیر روابط عمومی",
        tags=["سیل", "بحران"],
    )
    for name, value in change.items():
        setattr(data, name, value)
    return data


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Attachments go to a fresh folder for each test."""
    from django.utils.functional import empty

    from ravabet.experiences.models import experience_storage

    settings.RAVABET_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    experience_storage._wrapped = empty  # set up again with the new location
    yield
    experience_storage._wrapped = empty


@pytest.fixture
def people(offices):
    """An editor of the county (the author's office), a reviewer in the directorate, an editor
    of a sibling agency (another office), a reviewer who is also a member of the county."""
    author = make_staff("county-editor", offices["county"], "editor")
    reviewer = make_staff("reviewer", offices["root"], "reviewer")
    other = make_staff("agency-editor", offices["agency"], "editor")
    insider = make_staff("insider", offices["root"], "reviewer")
    from ravabet.network.models import Membership

    Membership.objects.create(user=insider, office=offices["county"], role="author")
    return {"author": author, "reviewer": reviewer, "other": other, "insider": insider}


@pytest.fixture
def published(offices, people):
    """A write-up of the county, reviewed and published to the public."""
    item = services.create(people["author"], offices["county"], complete_data())
    services.submit(people["author"], item)
    services.review(people["reviewer"], item, "approve")
    return services.publish(people["author"], item, "public")


@pytest.fixture
def signed_in(client):
    def factory(user):
        sign_in(client, user)
        return client

    return factory
