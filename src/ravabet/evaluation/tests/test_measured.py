"""Measured indicators: sources, minimum samples, intervals, new offices, recompute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from ravabet.evaluation import compute, measures, scoring, selectors, services
from ravabet.evaluation.models import OfficeResult, Score, Status
from ravabet.network.models import Office
from ravabet.news.models import NewsCode, NewsItem

from .conftest import MONTH, YEAR
from .yeargen import generate


def _publish(office, when, count, code_from=1):
    NewsCode.objects.get_or_create(pk=1)
    NewsItem.objects.bulk_create(
        NewsItem(
            code=code_from + n,
            office=office,
            title=f"خبر {n}",
            status=NewsItem.Status.PUBLISHED,
            published_at=when + timedelta(days=n % 28, hours=1),
        )
        for n in range(count)
    )


def test_sources_not_installed_are_skipped_and_said_so(network, coordination_not_installed):
    period = services.open_period(network["dg"], year=YEAR, month=MONTH)
    for code in ("decisions", "attendance", "training", "experiences"):
        score = Score.objects.get(period=period, office=network["county"], indicator__code=code)
        assert score.status == Status.SKIPPED and score.reason == "source_missing"
        assert score.points is None
    card = selectors.card(period, network["county"])
    line = next(line for line in card.lines if line.score.indicator.code == "training")
    assert line.score.get_status_display() == "کنار گذاشته شد: منبع نصب نیست"


def test_the_installed_coordination_apps_are_read_not_skipped(network):
    period = services.open_period(network["dg"], year=YEAR, month=MONTH)
    for code in ("decisions", "attendance", "training", "experiences"):
        score = Score.objects.get(period=period, office=network["county"], indicator__code=code)
        assert score.reason != "source_missing"


def test_an_installed_source_is_read_through_its_selector(network, monkeypatch):
    county = network["county"]

    def training_hours_by_office(start, end):
        return {county.pk: 6.0}

    real = measures.optional_selector

    def fake(app, name):
        if (app, name) == ("events", "training_hours_by_office"):
            return training_hours_by_office
        return real(app, name)

    monkeypatch.setattr(measures, "optional_selector", fake)
    period = services.open_period(network["dg"], year=YEAR, month=MONTH)
    score = Score.objects.get(period=period, office=county, indicator__code="training")
    assert score.status == Status.VALID and score.value == 6 and score.points == 100
    other = Score.objects.get(period=period, office=network["agency"], indicator__code="training")
    assert other.status == Status.VALID and other.value == 0 and other.points == 0


def test_an_installed_app_without_the_function_is_skipped(monkeypatch):
    monkeypatch.setattr(measures.apps, "is_installed", lambda name: True)
    assert measures.optional_selector("news", "no_such_function") is None
    assert measures.optional_selector("nonexistent_app_xyz", "figures") is None


def test_not_enough_data_is_never_zero(network):
    period = services.open_period(network["dg"], year=YEAR, month=MONTH)
    photos = Score.objects.get(
        period=period, office=network["county"], indicator__code="photo-share"
    )
    assert photos.status == Status.NOT_ENOUGH and photos.reason == "sample"
    assert photos.points is None and photos.value is None
    result = OfficeResult.objects.get(period=period, office=network["county"])
    assert result.tier == ""  # too few valid indicators to be placed


def test_rates_carry_a_wilson_interval(network):
    start, _end = services.bounds(YEAR, MONTH)
    _publish(network["county"], start, 12)
    period = services.open_period(network["dg"], year=YEAR, month=MONTH)
    regular = Score.objects.get(
        period=period, office=network["county"], indicator__code="regularity"
    )
    assert regular.status == Status.VALID
    assert regular.low <= regular.value <= regular.high
    count = Score.objects.get(period=period, office=network["county"], indicator__code="published")
    assert count.value == 12 and count.points == pytest.approx(60)


def test_an_office_created_mid_period(network):
    start, end = services.bounds(YEAR, MONTH)
    late = Office.objects.create(slug="new-one", kind="district", name_fa="بخشداری تازه",
                                 parent=network["county"])  # fmt: skip
    Office.objects.filter(pk=late.pk).update(created_at=start + (end - start) * 0.8)
    early = Office.objects.create(slug="new-two", kind="district", name_fa="بخشداری دوم",
                                  parent=network["county"])  # fmt: skip
    Office.objects.filter(pk=early.pk).update(created_at=start + (end - start) / 4)
    _publish(early, start + (end - start) / 4, 15)
    period = services.open_period(network["dg"], year=YEAR, month=MONTH)
    result = OfficeResult.objects.get(period=period, office=late)
    assert result.exposure == pytest.approx(0.2, abs=0.01) and result.tier == ""
    assert set(
        Score.objects.filter(period=period, office=late, indicator__kind="measured")
        .exclude(status=Status.SKIPPED)
        .values_list("reason", flat=True)
    ) == {"new_office"}
    # Three quarters of the month: the count's target is pro-rated (20 × 0.75 = 15 → 100).
    count = Score.objects.get(period=period, office=early, indicator__code="published")
    assert count.points == pytest.approx(100)


@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_interval_contains_the_rate(successes, trials):
    successes = min(successes, trials)
    low, high = scoring.wilson(successes, trials)
    assert 0 <= low <= successes / trials <= high <= 1


def test_tiers_need_enough_valid_weight():
    limits = scoring.Thresholds()
    assert scoring.tier(95, 0.9, 1, limits) == "outstanding"
    assert scoring.tier(95, 0.5, 1, limits) == ""
    assert scoring.tier(95, 0.9, 0.3, limits) == ""
    assert scoring.tier(10, 0.9, 1, limits) == "inactive"
    total, share = scoring.total(
        [
            scoring.Weighted(2, 100),
            scoring.Weighted(2, None),
            scoring.Weighted(6, None, counted=False),
        ]
    )
    assert total == 100 and share == 0.5


@pytest.mark.django_db
def test_recompute_equals_what_is_stored_on_a_generated_year(django_user_model):
    start, _ = services.bounds(1403, 1)
    _, end = services.bounds(1403, 12)
    world = generate(offices=24, news=2400, demands=900, comments=300, start=start, end=end)
    dg = django_user_model.objects.create_user("dg-gen", password="x")
    dg.memberships.create(office=world.root, role="manager")
    periods = [services.open_period(dg, year=1403, month=m) for m in range(1, 13)]
    year = services.open_period(dg, year=1403, month=None)
    placed = OfficeResult.objects.filter(period__in=periods).exclude(tier="").count()
    assert placed > 0
    for period in [*periods, year]:
        assert services.recompute(period) == []
    # "Most improved" is the change of total since the previous period, among placed offices.
    before = {
        r.office_id: r for r in OfficeResult.objects.filter(period=periods[1]).exclude(tier="")
    }
    compared = 0
    for result in OfficeResult.objects.filter(period=periods[2]).exclude(tier=""):
        earlier = before.get(result.office_id)
        if earlier is not None:
            assert result.improvement == pytest.approx(result.total - earlier.total, abs=1e-5)
            compared += 1
        else:
            assert result.improvement is None
    assert compared
    # The public page of a published month names only outstanding and most improved offices.
    services.open_replies(dg, periods[2])
    services.start_audit(dg, periods[2])
    periods[2].refresh_from_db()
    services.publish(dg, periods[2], now=periods[2].reply_deadline + timedelta(minutes=1))
    periods[2].refresh_from_db()
    named = {h.office_id for g in selectors.public_results(periods[2]) for h in g.outstanding}
    named |= {
        g.most_improved.office_id for g in selectors.public_results(periods[2]) if g.most_improved
    }
    tiers = dict(OfficeResult.objects.filter(period=periods[2]).values_list("office_id", "tier"))
    assert all(tiers[o] == "outstanding" for o in named - {
        g.most_improved.office_id for g in selectors.public_results(periods[2]) if g.most_improved
    })  # fmt: skip
    call_command("evaluation", "recompute", "1403-05")
    # A record changed after the mark is found by the recompute, and the command says so.
    item = NewsItem.objects.filter(published_at__gte=periods[4].start,
                                   published_at__lt=periods[4].end).first()  # fmt: skip
    NewsItem.objects.filter(pk=item.pk).update(status=NewsItem.Status.UNPUBLISHED)
    differences = services.recompute(periods[4])
    assert any(d[1] == "published" and d[2] == "value" for d in differences)
    with pytest.raises(CommandError):
        call_command("evaluation", "recompute", "1403-05")
    call_command("evaluation", "recompute", "1403-05", "--write")
    assert services.recompute(periods[4]) == []


def test_peer_groups_follow_the_office_tree(offices):
    assert compute.peer_group(offices["root"]) == "directorate"
    assert compute.peer_group(offices["gov"]) == "directorate"
    assert compute.peer_group(offices["agency"]) == "agencies"
    assert compute.peer_group(offices["county"]) == "counties"
    assert compute.peer_group(offices["district"]) == "districts"


def test_offices_entered_when_the_network_was_set_up_are_not_new(offices, django_user_model):
    # Every office created today, for a period months ago: the network was being set up in
    # Ravabet, so nobody is "created mid-period".
    dg = django_user_model.objects.create_user("dg-setup", password="x")
    dg.memberships.create(office=offices["root"], role="manager")
    services.ensure_default_criteria()
    period = services.open_period(dg, year=YEAR, month=MONTH)
    assert set(OfficeResult.objects.filter(period=period).values_list("exposure", flat=True)) == {
        1.0
    }


def test_a_period_of_one_subtree_has_its_own_key(network):
    scoped = services.open_period(network["dg"], year=YEAR, month=MONTH, scope=network["county"])
    whole = services.open_period(network["dg"], year=YEAR, month=MONTH)
    assert scoped.key == f"{YEAR}-{MONTH:02d}-mehran" and whole.key == f"{YEAR}-{MONTH:02d}"
    assert selectors.period_by_key(scoped.key) == scoped
    assert selectors.period_by_key(whole.key) == whole
    assert set(
        OfficeResult.objects.filter(period=scoped).values_list("office__slug", flat=True)
    ) == {
        "mehran",
        "salehabad",
    }
    # A county's PR manager may evaluate the county's subtree, never the whole network.
    services.open_period(network["county_manager"], year=YEAR, month=MONTH - 1,
                         scope=network["county"])  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.open_period(network["county_manager"], year=YEAR, month=MONTH - 1)
