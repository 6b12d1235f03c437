"""The council's public pages: the council page, the register (filters, words through the search
app, bad input), a decision and a meeting; internal rows are never shown (issue 14)."""

from __future__ import annotations

import pytest

from ravabet.council import models as m
from ravabet.council import search_feed
from ravabet.network.jalali import to_jalali_parts
from ravabet.network.text import to_persian_digits

from . import pubfactory as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(offices):
    gov, roads, county = offices["gov"], offices["agency"], offices["county"]
    c = f.council(offices["root"], slug="ilam-agencies", code="ILM",
                  name_fa="شورای هماهنگی روابط عمومی دستگاه‌های اجرایی")  # fmt: skip
    m.Seat.objects.create(council=c, office=gov, position=m.Position.SECRETARY, start=f.day(-100))
    m.Seat.objects.create(council=c, office=roads, position=m.Position.MEMBER, start=f.day(-100))
    m.Seat.objects.create(  # closed seat: history, not shown
        council=c, office=county, position=m.Position.MEMBER, start=f.day(-100), end=f.day(-50)
    )
    news = f.group(c, gov, name_fa="کارگروه اخبار")
    m.WorkingGroupMembership.objects.create(group=news, office=roads, joined=f.day(-90))
    hidden_group = f.group(c, gov, name_fa="کارگروه محرمانه", public=False)
    held = f.meeting(c, gov, number=1, title="نخستین نشست شورا")
    f.approved_minutes(held, "جمع‌بندی نشست نخست", {"تجربه‌نگاری": "مقرر شد تجربه‌ها ثبت شود."})
    circulated = f.meeting(c, gov, number=2, state=m.MeetingState.CLOSED, title="نشست دوم")
    internal = f.meeting(c, gov, number=3, public=False, title="نشست داخلی")
    rows = {
        "done": f.decision(held, gov, number=1, text="ثبت تجربه‌نگاری روابط‌عمومی‌ها",
                           status=m.DecisionStatus.DONE, percent_done=100),
        "late": f.decision(held, roads, number=2, text="برگزاری دوره آموزشی خبرنویسی",
                           deadline=-3, status=m.DecisionStatus.IN_PROGRESS, percent_done=30),
        "secret": f.decision(held, gov, number=3, text="فهرست تماس اضطراری", public=False),
        "not_yet": f.decision(circulated, gov, number=1, text="برنامه هفته روابط عمومی"),
        "of_internal_meeting": f.decision(internal, gov, number=1, text="مصوبه جلسه داخلی"),
        "group": f.decision(f.meeting(c, gov, number=1, group=news), roads, number=1,
                            code="ILM-NEWS-1-1", text="دستورالعمل پوشش خبری مشترک"),
        "hidden_group": f.decision(f.meeting(c, gov, number=1, group=hidden_group), gov,
                                   number=1, code="ILM-X-1-1", text="مصوبه کارگروه محرمانه"),
    }  # fmt: skip
    rows["late"].co_offices.add(county)
    f.report(rows["late"], percent=30, note="سرفصل دوره آماده شد")
    f.report(rows["late"], percent=35, note="گزارش داخلی پیشرفت", public=False, days=0)
    return {"council": c, "held": held, "internal": internal, "news": news, **rows}


def codes(response) -> set[str]:
    return {row.decision.code for row in response.context["page"].rows}


def test_council_page(client, world):
    page = client.get("/councils/ilam-agencies/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "شورای هماهنگی روابط عمومی دستگاه‌های اجرایی" in html
    assert "دبیر" in html and "استانداری ایلام" in html  # the secretary's seat
    assert "فرمانداری مهران" not in html  # a closed seat is history
    assert "کارگروه اخبار" in html and "کارگروه محرمانه" not in html
    assert "نخستین نشست شورا" in html and "نشست دوم" in html  # held: closed or approved
    assert "نشست داخلی" not in html


def test_an_internal_council_is_not_found(client, offices):
    f.council(offices["root"], slug="closed-door", public=False)
    assert client.get("/councils/closed-door/").status_code == 404
    assert "closed-door" not in client.get("/councils/").content.decode()


def test_register_shows_only_public_decisions_of_approved_minutes(client, world):
    response = client.get("/councils/decisions/")
    assert response.status_code == 200
    # A public decision of an internal meeting is public (its own flag), without the meeting.
    assert codes(response) == {"ILM-1-1", "ILM-1-2", "ILM-3-1", "ILM-NEWS-1-1"}
    html = response.content.decode()
    assert "برگزاری دوره آموزشی خبرنویسی" in html
    assert "سرفصل دوره آماده شد" in html  # the latest public follow-up
    assert "گزارش داخلی پیشرفت" not in html
    assert "فهرست تماس اضطراری" not in html
    assert to_persian_digits("ILM-1-2") in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "overdue"}, {"ILM-1-2"}),  # open past its deadline: overdue before the tick
        ({"status": "in_progress"}, set()),
        ({"status": "done"}, {"ILM-1-1"}),
        ({"status": "awaiting"}, {"ILM-3-1", "ILM-NEWS-1-1"}),
    ],
)
def test_status_filter(client, world, params, expected):
    assert codes(client.get("/councils/decisions/", params)) == expected


def test_office_filter_counts_co_responsible_offices(client, world, offices):
    response = client.get("/councils/decisions/", {"office": offices["agency"].pk})
    assert codes(response) == {"ILM-1-2", "ILM-NEWS-1-1"}
    # Persian digits in the address bar are read too; the county is only co-responsible.
    county = to_persian_digits(str(offices["county"].pk))
    assert codes(client.get("/councils/decisions/", {"office": county})) == {"ILM-1-2"}


def test_body_and_year_filters(client, world):
    council, group = world["council"], world["news"]
    assert codes(client.get("/councils/decisions/", {"body": f"g{group.pk}"})) == {"ILM-NEWS-1-1"}
    assert codes(client.get("/councils/decisions/", {"body": f"c{council.pk}"})) == {
        "ILM-1-1",
        "ILM-1-2",
        "ILM-3-1",
    }
    year = to_jalali_parts(world["held"].starts_at)[0]
    both = client.get("/councils/decisions/", {"year": to_persian_digits(str(year))})
    assert both.status_code == 200 and len(codes(both)) == 4


def test_bad_filters_are_a_400_that_keeps_what_was_typed(client, world):
    response = client.get("/councils/decisions/", {"status": "nonsense", "q": "تجربه‌نگاری"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="تجربه‌نگاری"' in html
    assert "لطفاً" in html or "معتبر" in html
    assert client.get("/councils/decisions/", {"year": "۱۳۰۰"}).status_code == 400
    assert client.get("/councils/decisions/", {"body": "x1"}).status_code == 400


@pytest.mark.parametrize("words", ["تجربه‌نگاری", "تجربه نگاری", "تجربهنگاری", "تجربه‌نگاري"])
def test_words_go_through_the_search_app(client, world, words):
    search_feed.index_now()
    assert codes(client.get("/councils/decisions/", {"q": words})) == {"ILM-1-1"}


def test_words_with_a_filter_and_no_match(client, world):
    search_feed.index_now()
    assert codes(client.get("/councils/decisions/", {"q": "خبرنویسی", "status": "done"})) == set()
    assert codes(client.get("/councils/decisions/", {"q": "فهرست تماس اضطراری"})) == set()
    page = client.get("/councils/decisions/", {"q": "ناموجود"})
    assert "هیچ مصوبه" in page.content.decode()


def test_decision_page(client, world):
    page = client.get(f"/councils/decisions/{world['late'].code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "برگزاری دوره آموزشی خبرنویسی" in html
    assert "فرمانداری مهران" in html  # co-responsible
    assert "سرفصل دوره آماده شد" in html and "گزارش داخلی پیشرفت" not in html
    assert "عقب" in html or "تأخیر" in html or "گذشته" in html  # shown as overdue
    internal = client.get(f"/councils/decisions/{world['of_internal_meeting'].code}/")
    assert internal.status_code == 200
    assert f"/councils/meetings/{world['internal'].pk}/" not in internal.content.decode()
    for key in ("secret", "not_yet", "hidden_group"):
        assert client.get(f"/councils/decisions/{world[key].code}/").status_code == 404


def test_meeting_page(client, world):
    page = client.get(f"/councils/meetings/{world['held'].pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "مقرر شد تجربه‌ها ثبت شود." in html and "جمع‌بندی نشست نخست" in html
    assert "فهرست تماس اضطراری" not in html
    assert client.get(f"/councils/meetings/{world['internal'].pk}/").status_code == 404


def test_english_pages(client, world):
    response = client.get("/en/councils/decisions/")
    assert response.status_code == 200
    assert "Public decisions register" in response.content.decode()
    assert client.get("/en/councils/ilam-agencies/").status_code == 200


def test_the_portal_links_the_councils(client, world):
    assert "/councils/" in client.get("/").content.decode()
