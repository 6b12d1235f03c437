"""The pages: public honours only, the private card, the DG's overview and exports."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ravabet.conftest import make_staff, sign_in
from ravabet.evaluation import selectors, services
from ravabet.evaluation.models import OfficeResult, Period, Score, Tier
from ravabet.network.models import Office

from .conftest import MONTH, YEAR


def _published(network, period, tiers):
    """Publish the period with the given tiers (office key → tier) set on its results."""
    services.open_replies(network["dg"], period)
    services.start_audit(network["dg"], period)
    period.refresh_from_db()
    services.publish(network["dg"], period, now=period.reply_deadline + timedelta(minutes=1))
    period.refresh_from_db()
    for key, (tier, total, improvement) in tiers.items():
        OfficeResult.objects.filter(period=period, office=network[key]).update(
            tier=tier, total=total, improvement=improvement
        )


def test_public_page_shows_only_the_best_and_the_most_improved(client, network, period):
    _published(
        network,
        period,
        {
            "county": (Tier.OUTSTANDING, 91, None),
            "district": (Tier.INACTIVE, 12, None),
            "agency": (Tier.ACTIVE, 70, 14.5),
        },
    )
    page = client.get("/evaluation/").content.decode()
    assert "روابط عمومی‌های سرآمد" in page
    assert "فرمانداری مهران" in page  # outstanding county
    assert "راه و شهرسازی" in page  # most improved agency
    assert "بخشداری صالح‌آباد" not in page  # the inactive office is named nowhere
    assert "غیرفعال" not in page and "نیمه‌فعال" not in page
    assert "۱۲" not in page  # nor its score
    english = client.get("/en/evaluation/").content.decode()
    assert "Inactive" not in english and "Semi-active" not in english
    assert client.get(f"/evaluation/{period.key}/").status_code == 200


def test_an_unpublished_period_is_not_public(client, network, period):
    assert client.get(f"/evaluation/{period.key}/").status_code == 404
    assert "هنوز" in client.get("/evaluation/").content.decode()


def test_methodology_lists_the_criteria(client, network, period):
    page = client.get("/evaluation/methodology/").content.decode()
    assert "روش ارزیابی" in page
    assert "سهم مطالبات پاسخ‌داده در مهلت" in page
    assert "ویلسون" in page


def test_the_card_is_private_to_the_office(client, network, coordination_not_installed, period):
    url = f"/staff/{network['county'].slug}/evaluation/{period.key}/"
    sign_in(client, network["county_manager"])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "کارنامه ارزیابی" in text and "داده کافی نیست" in text
    assert "منبع نصب نیست" in text  # council, events, experiences are not installed here
    assert (
        client.get(f"/staff/{network['agency'].slug}/evaluation/{period.key}/").status_code == 403
    )


def _count(function, *args) -> int:
    with CaptureQueriesContext(connection) as queries:
        function(*args)
    return len(queries)


def test_card_and_overview_take_a_fixed_number_of_queries(network):
    first = services.open_period(network["dg"], year=YEAR, month=MONTH - 1)
    services.open_period(network["dg"], year=YEAR, month=MONTH)
    small_card = _count(selectors.card, selectors.period_by_key(f"{YEAR}-{MONTH:02d}"),
                        network["county"])  # fmt: skip
    small_overview = _count(selectors.overview, first)
    for n in range(12):
        Office.objects.create(slug=f"more-{n}", kind="county", name_fa=f"شهر {n}",
                              parent=network["gov"])  # fmt: skip
    Office.objects.update(created_at=first.start - timedelta(days=90))
    bigger = services.open_period(network["dg"], year=YEAR, month=MONTH + 1)
    assert _count(selectors.card, bigger, network["county"]) == small_card <= 6
    assert _count(selectors.overview, bigger) == small_overview <= 4


def test_dg_overview_with_svg_charts_and_exports(client, network, period):
    sign_in(client, network["dg"])
    page = client.get(f"/staff/evaluation/{period.key}/").content.decode()
    assert '<svg class="chart" role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert "<table" in page  # the same figures without the picture
    response = client.get(f"/staff/evaluation/{period.key}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
        assert "فرمانداری مهران" in strings and "امتیاز" in strings
        assert 'rightToLeft="1"' in book.read("xl/worksheets/sheet1.xml").decode()


def test_the_overview_is_for_the_dg_only(client, network, period):
    sign_in(client, network["county_manager"])
    assert client.get(f"/staff/evaluation/{period.key}/").status_code == 403
    assert client.get(f"/staff/evaluation/{period.key}/export.xlsx").status_code == 403


def test_open_a_period_through_the_form(client, network):
    sign_in(client, network["dg"])
    bad = client.post("/staff/evaluation/", {"year": "1404", "month": "13", "reply_days": "5"})
    assert bad.status_code == 400
    response = client.post("/staff/evaluation/", {"year": "1404", "month": "3", "reply_days": "5"})
    assert response.status_code == 302
    assert Period.objects.filter(year=1404, month=3).exists()
    again = client.post("/staff/evaluation/", {"year": "1404", "month": "3", "reply_days": "5"})
    assert again.status_code == 409 and "باز شده" in again.content.decode()


def test_a_frozen_weight_is_refused_over_http(client, network, period):
    sign_in(client, network["dg"])
    section = period.version.sections.first()
    url = f"/staff/evaluation/criteria/{period.version.number}/section/{section.pk}/weight/"
    response = client.post(url, {"weight": "9"})
    assert response.status_code == 409 and "نسخه" in response.content.decode()


def test_marking_own_office_is_forbidden_over_http(client, network, period):
    services.appoint_evaluator(network["dg"], network["county_manager"])
    score = Score.objects.get(period=period, office=network["county"], indicator__code="quality")
    sign_in(client, network["county_manager"])
    page = client.get(f"/staff/evaluation/{period.key}/mark/").content.decode()
    assert "فرمانداری مهران" not in page  # their own office is not offered
    response = client.post(f"/staff/evaluation/{period.key}/mark/{score.pk}/",
                           {f"s{score.pk}-mark": "5"})  # fmt: skip
    assert response.status_code == 403


def test_reply_keeps_what_was_typed_and_refuses_late(client, network, period):
    services.open_replies(network["dg"], period)
    score = Score.objects.get(period=period, office=network["county"], indicator__code="published")
    sign_in(client, network["county_manager"])
    url = f"/staff/{network['county'].slug}/evaluation/{period.key}/reply/{score.pk}/"
    bad = client.post(url, {f"r{score.pk}-agrees": "0", f"r{score.pk}-evidence_url": "x"})
    assert bad.status_code in (400, 422)
    good = client.post(
        url, {f"r{score.pk}-agrees": "0", f"r{score.pk}-reasons": "خبرها ثبت نشده‌اند"}
    )
    assert good.status_code == 302
    Period.objects.filter(pk=period.pk).update(reply_deadline=period.opened_at)
    late = client.post(url, {f"r{score.pk}-agrees": "1", f"r{score.pk}-reasons": "متن تازه"})
    assert late.status_code == 410
    text = late.content.decode()
    assert "بسته" in text and "متن تازه" in text


@pytest.mark.parametrize("path", ["/evaluation/", "/evaluation/methodology/"])
def test_public_pages_answer_without_any_period(client, db, path):
    services.ensure_default_criteria()
    assert client.get(path).status_code == 200


def test_honour_roll_for_events(network, period):
    _published(network, period, {"county": (Tier.OUTSTANDING, 88, None)})
    assert selectors.latest_published("month") == period
    assert selectors.latest_published("year") is None
    roll = selectors.honour_roll(period)
    assert [h.slug for h in roll] == [network["county"].slug]
    assert roll[0].group == "counties"


def test_staff_index_for_an_evaluator_without_an_office(client, network, period):
    make_staff("plain")
    sign_in(client, network["first"])
    page = client.get("/staff/evaluation/").content.decode()
    assert f"/staff/evaluation/{period.key}/mark/" in page


def test_pdf_exports_of_the_overview_and_the_card(client, network, period):
    sign_in(client, network["dg"])
    overview = client.get(f"/staff/evaluation/{period.key}/overview.pdf")
    assert overview.status_code == 200 and overview.content.startswith(b"%PDF")
    card = client.get(f"/staff/{network['county'].slug}/evaluation/{period.key}/card.pdf")
    assert card.status_code == 200 and card.content.startswith(b"%PDF")


def test_a_new_version_takes_the_weight_for_the_next_period(client, network, period):
    sign_in(client, network["dg"])
    number = period.version.number
    response = client.post(f"/staff/evaluation/criteria/{number}/copy/", {"note": "وزن تازه"})
    assert response.status_code == 302
    fresh = selectors.version_by_number(number + 1)
    section = fresh.sections.get(code="news")
    url = f"/staff/evaluation/criteria/{fresh.number}/section/{section.pk}/weight/"
    assert client.post(url, {"weight": "4.5"}).status_code == 302
    section.refresh_from_db()
    assert section.weight == 4.5
    assert client.post(url, {"weight": "-1"}).status_code == 400
    page = client.get(f"/staff/evaluation/criteria/{number}/").content.decode()
    assert "قفل" in page and "disabled" in page


def test_evidence_and_finishing_replies_over_http(client, network, period):
    score = Score.objects.get(period=period, office=network["county"], indicator__code="coverage")
    sign_in(client, network["county_manager"])
    base = f"/staff/{network['county'].slug}/evaluation/{period.key}/"
    empty = client.post(f"{base}evidence/{score.pk}/", {f"e{score.pk}-evidence": ""})
    assert empty.status_code == 400
    sent = client.post(f"{base}evidence/{score.pk}/", {f"e{score.pk}-evidence": "گزارش ایرنا"})
    assert sent.status_code == 302
    score.refresh_from_db()
    assert score.evidence == "گزارش ایرنا"
    early = client.post(f"{base}close/")
    assert early.status_code == 409  # the right of reply is not open yet
    services.open_replies(network["dg"], period)
    assert client.post(f"{base}close/").status_code == 302
    assert OfficeResult.objects.get(period=period, office=network["county"]).replies_closed_at


def test_the_english_card_and_methodology(client, network, period):
    sign_in(client, network["county_manager"])
    card = client.get(f"/en/staff/{network['county'].slug}/evaluation/{period.key}/")
    assert card.status_code == 200
    text = card.content.decode()
    assert "Evaluation card" in text and "Not enough data" in text
    methodology = client.get("/en/evaluation/methodology/").content.decode()
    assert "News items published" in methodology and "Wilson" in methodology


def test_the_dg_appoints_and_releases_evaluators(client, network):
    newcomer = make_staff("newcomer")
    sign_in(client, network["dg"])
    assert client.post("/staff/evaluation/evaluators/", {"username": "nobody"}).status_code == 404
    assert client.post("/staff/evaluation/evaluators/", {"username": "newcomer"}).status_code == 302
    assert selectors.is_evaluator(newcomer)
    client.post("/staff/evaluation/evaluators/", {"username": "newcomer", "active": "0"})
    assert not selectors.is_evaluator(newcomer)
    assert "کارگروه ارزیابی" in client.get("/staff/evaluation/").content.decode()


def test_only_the_dg_appoints_evaluators(client, network):
    sign_in(client, network["county_manager"])
    response = client.post("/staff/evaluation/evaluators/", {"username": "evaluator-1"})
    assert response.status_code == 403


def test_an_honouring_ceremony_lists_the_outstanding_offices_of_the_latest_evaluation(
    client, network, period
):
    from ravabet.events import services as events

    start = timezone.now() + timedelta(days=20)
    ceremony = events.create_event(
        network["dg"], network["root"], kind="honouring", title="آیین تقدیر از روابط عمومی‌ها",
        starts_at=start, ends_at=start + timedelta(hours=2), place="سالن استانداری", capacity=100,
    )  # fmt: skip
    training = events.create_event(
        network["dg"], network["root"], kind="training", title="دوره خبرنویسی",
        starts_at=start, ends_at=start + timedelta(hours=2), place="سالن", capacity=20,
    )  # fmt: skip
    before = client.get(f"/events/{ceremony.pk}/").content.decode()
    assert "تقدیر در این مراسم" not in before  # nothing published yet: no list
    _published(network, period, {"county": (Tier.OUTSTANDING, 91, None),
                                 "district": (Tier.INACTIVE, 12, None)})  # fmt: skip
    page = client.get(f"/events/{ceremony.pk}/").content.decode()
    assert "تقدیر در این مراسم: روابط عمومی‌های سرآمد" in page
    assert "فرمانداری مهران" in page and "بخشداری صالح‌آباد" not in page
    other = client.get(f"/events/{training.pk}/").content.decode()
    assert "تقدیر در این مراسم" not in other  # only honouring ceremonies carry it
