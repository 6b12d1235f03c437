"""Responsiveness figures (the one selector module), the public pages, and query counts."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from persiantools.jdatetime import JalaliDate

from ravabet.conftest import make_staff
from ravabet.demands import selectors, services
from ravabet.demands.models import Demand, MonthlyFigure

pytestmark = pytest.mark.django_db

ORDIBEHESHT_10 = timezone.make_aware(datetime(2026, 4, 30, 10, 0))  # 1405/02/10
TODAY = JalaliDate(1405, 2, 25).to_gregorian()


def _demand(office, now, **kw):
    return services.submit(
        office, kind="question", subject=kw.pop("subject", "پرسش"), body="متن پرسش شهروند",
        name="سارا", email="sara@example.org", consent_publish=True, now=now, **kw,
    )  # fmt: skip


def _answered(demand, after_days, satisfied=None):
    answered_at = demand.clock_started_at + timedelta(days=after_days)
    Demand.objects.filter(pk=demand.pk).update(
        status="closed" if satisfied is not None else "answered",
        answered_at=answered_at,
        answered_on_time=answered_at <= demand.due_at,
        answer_public="پاسخ",
        satisfied=satisfied,
    )


def test_monthly_figures_of_an_office_and_of_the_network(offices):
    county, agency = offices["county"], offices["agency"]
    a = _demand(county, ORDIBEHESHT_10)
    b = _demand(county, ORDIBEHESHT_10)
    c = _demand(county, ORDIBEHESHT_10)
    _demand(county, ORDIBEHESHT_10)  # unanswered
    _answered(a, 1, satisfied=True)
    _answered(b, 3, satisfied=False)
    _answered(c, 30)  # late: 5 working days were due
    other = _demand(agency, ORDIBEHESHT_10 - timedelta(days=31))  # Farvardin
    _answered(other, 2)
    boss = make_staff("boss", offices["gov"], "manager")
    referred = _demand(county, ORDIBEHESHT_10)
    services.refer(boss, referred, agency, "ارجاع")  # referral counts in the current month
    services.rebuild_figures()

    rows, _total = selectors.responsiveness(county, months=3, today=TODAY)
    assert [(r.year, r.month) for r in rows] == [(1404, 12), (1405, 1), (1405, 2)]
    may = rows[-1]
    assert (may.received, may.answered, may.answered_on_time) == (4, 3, 2)
    assert may.on_time_share == 0.5
    assert may.median_days == 3
    assert (may.satisfied, may.unsatisfied, may.satisfaction_share) == (1, 1, 0.5)
    assert rows[0].received == 0 and rows[0].on_time_share is None

    network_rows, network_total = selectors.responsiveness(None, months=3, today=TODAY)
    assert network_rows[1].received == 1 and network_rows[1].answered_on_time == 1
    assert network_total.received == 5 and network_total.answered == 4
    assert network_total.median_days == 2.5  # 1, 2, 3, 30 days


@given(st.lists(st.integers(0, 60), min_size=1, max_size=50))
def test_median_from_histogram_equals_the_median(values):
    histogram: dict[int, int] = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1
    assert selectors.median_from_histogram(histogram) == statistics.median(values)


def test_median_of_nothing_is_none():
    assert selectors.median_from_histogram({}) is None


def test_figures_stay_current_without_a_rebuild(offices):
    responder = make_staff("resp", offices["county"], "responder")
    demand = _demand(offices["county"], timezone.now())
    services.answer(responder, demand, "پاسخ")
    services.rate(demand, satisfied=True)
    rows, total = selectors.responsiveness(offices["county"])
    assert (total.received, total.answered, total.satisfied) == (1, 1, 1)
    assert rows[-1].answered_on_time == 1


def test_rebuild_matches_the_incremental_figures(offices):
    responder = make_staff("resp", offices["county"], "responder")
    for index in range(3):
        demand = _demand(offices["county"], timezone.now(), subject=f"پرسش {index}")
        if index:
            services.answer(responder, demand, "پاسخ")
    fields = ("office", "received", "answered", "answered_on_time")
    before = sorted(MonthlyFigure.objects.values_list(*fields), key=str)
    MonthlyFigure.objects.all().delete()
    services.rebuild_figures()
    after = sorted(MonthlyFigure.objects.values_list(*fields), key=str)
    assert before == after
    assert sorted(row[1:] for row in after) == [(3, 2, 2), (3, 2, 2)]  # the office, the network


def test_public_pages_show_figures_chart_and_exchanges_without_personal_data(client, offices):
    responder = make_staff("resp", offices["county"], "responder")
    demand = _demand(offices["county"], timezone.now(), mobile="09121112233")
    Demand.objects.filter(pk=demand.pk).update(body="شماره من ۰۹۱۲۱۱۱۲۲۳۳ است و sara@example.org")
    demand.refresh_from_db()
    services.answer(responder, demand, "پاسخ عمومی دفتر")
    private = _demand(offices["county"], timezone.now(), subject="نامه خصوصی")
    Demand.objects.filter(pk=private.pk).update(consent_publish=False)
    services.answer(responder, private, "پاسخ خصوصی")
    for url in ["/mehran/responsiveness/", "/responsiveness/", "/en/responsiveness/"]:
        page = client.get(url)
        assert page.status_code == 200
        body = page.content.decode()
        assert "<svg" in body and "<title" in body and "<desc" in body and "<table" in body
        assert "پاسخ عمومی دفتر" in body and "پاسخ خصوصی" not in body
        assert "سارا" not in body and "sara@example.org" not in body and "۰۹۱۲۱۱۱۲۲۳۳" not in body
    listing = client.get("/mehran/demands/").content.decode()
    assert "پاسخ عمومی دفتر" in listing and "نامه خصوصی" not in listing
    assert client.get("/demands/published/").status_code == 200
    assert client.get("/demands/published/?page=x").status_code == 200


def _fill(office, count):
    for index in range(count):
        _demand(office, timezone.now() - timedelta(days=index * 9), subject=f"مورد {index}")


@pytest.mark.parametrize("count", [2, 25])
def test_query_counts_do_not_grow_with_the_data(
    client, offices, count, django_assert_max_num_queries
):
    _fill(offices["county"], count)
    _fill(offices["agency"], count)
    with django_assert_max_num_queries(6):
        assert client.get("/responsiveness/").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/mehran/responsiveness/").status_code == 200
    from ravabet.conftest import sign_in

    sign_in(client, make_staff("resp", offices["county"], "responder"))
    with django_assert_max_num_queries(12):
        assert client.get("/staff/mehran/demands/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/staff/mehran/demands/?overdue=on&kind=question").status_code == 200
    demand = Demand.objects.filter(office=offices["county"]).first()
    with django_assert_max_num_queries(12):
        assert client.get(f"/demands/track/{demand.code}/").status_code == 200


def test_tick_query_count_does_not_grow_with_overdue_demands(
    offices, django_assert_max_num_queries
):
    _fill(offices["county"], 30)
    Demand.objects.update(due_at=timezone.now() - timedelta(hours=1))
    # 20: the outbox's claim (a savepoint, pick, claim, release, read, mark) is a constant 6.
    with django_assert_max_num_queries(20):
        assert services.tick(batch=1000)["escalated"] == 30


def test_a_huge_page_number_on_the_published_page_is_not_a_500(client, offices):
    responder = make_staff("resp", offices["county"], "responder")
    services.answer(responder, _demand(offices["county"], timezone.now()), "پاسخ عمومی دفتر")
    for page in ("99999999999999999999", "9" * 5000, "۲"):  # past the end: an empty page
        response = client.get("/demands/published/", {"page": page})
        assert response.status_code == 200, page
        assert "پاسخ عمومی دفتر" not in response.content.decode()
    for page in ("-3", "x", "۱"):  # not a page number: the first page
        response = client.get("/demands/published/", {"page": page})
        assert "پاسخ عمومی دفتر" in response.content.decode()
    first = client.get("/mehran/demands/", {"page": "۱"}).content.decode()
    assert "پاسخ عمومی دفتر" in first


def test_a_huge_page_number_on_the_inbox_is_the_last_page(client, offices):
    from ravabet.conftest import sign_in

    responder = make_staff("resp", offices["county"], "responder")
    _demand(offices["county"], timezone.now(), subject="مطالبه تنها")
    sign_in(client, responder)
    response = client.get("/staff/mehran/demands/", {"page": "9" * 40})
    assert response.status_code == 200
    assert "مطالبه تنها" in response.content.decode()
