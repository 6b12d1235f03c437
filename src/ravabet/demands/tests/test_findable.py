"""A citizen finds the demand pages from anywhere, keeps a lookup cheap, and reads numbers in order."""

from __future__ import annotations

import pytest

from ravabet.demands import codes
from ravabet.demands.models import Demand

from .helpers import submit

pytestmark = pytest.mark.django_db

LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate around a number group in Persian text


@pytest.mark.parametrize(
    "path", ["/", "/en/", "/ilam-gov/", "/news/", "/search/?q=x", "/demands/published/"]
)
def test_every_page_links_to_send_track_and_responsiveness(client, offices, path):
    html = client.get(path).content.decode()
    assert 'href="/demands/track/"' in html or 'href="/en/demands/track/"' in html
    assert "/demands/new/" in html
    assert "/responsiveness/" in html


def test_persian_header_names_the_demand_links_in_persian(client, offices):
    html = client.get("/").content.decode()
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert "ثبت مطالبه" in nav
    assert "پیگیری مطالبه" in nav
    assert "پاسخگویی" in nav


def test_english_header_names_the_demand_links_in_english(client, offices):
    nav = client.get("/en/").content.decode().split('class="main-nav"', 1)[1]
    assert 'href="/en/demands/new/">Send a demand<' in nav
    assert 'href="/en/demands/track/">Follow a demand<' in nav


def test_choose_the_office_lists_every_office_as_a_tree(client, offices):
    response = client.get("/demands/new/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "ثبت مطالبه: انتخاب دفتر" in html
    for office in offices.values():
        assert f'href="/{office.slug}/demands/new/"' in html
    assert 'class="depth-1"' in html  # the tree's levels stay visible


def test_an_office_page_sends_its_demands_to_that_office(client, offices):
    footer = client.get("/mehran/").content.decode().split('class="site-footer"', 1)[1]
    assert 'href="/mehran/demands/new/"' in footer


def test_one_lookup_counts_once(client, offices):
    """Form → status page is one lookup: a citizen can check a code many times an hour."""
    from ravabet.demands.views import TRACK_LIMIT

    submit(client, "mehran")
    demand = Demand.objects.get()
    for _ in range(TRACK_LIMIT["limit"]):
        assert client.get("/demands/track/").status_code == 200
        found = client.get("/demands/track/", {"code": demand.code}, follow=True)
        assert found.status_code == 200
    assert TRACK_LIMIT["limit"] >= 40


def test_too_many_requests_is_in_persian(client, offices):
    from ravabet.demands.views import TRACK_LIMIT

    for _ in range(TRACK_LIMIT["limit"]):
        client.get(f"/demands/track/{codes.generate()}/")
    response = client.get(f"/demands/track/{codes.generate()}/")
    html = response.content.decode()
    assert response.status_code == 429
    assert "بیش از اندازه" in html
    assert "Too many requests" not in html
    english = client.get(f"/en/demands/track/{codes.generate()}/")
    assert "Too many requests" in english.content.decode()


def test_number_groups_in_persian_hints_are_isolated(client, offices):
    form = client.get("/mehran/demands/new/").content.decode()
    assert f"{LRI}۰۹۱۲ ۳۴۵ ۶۷۸۹{PDI}" in form
    track = client.get("/demands/track/").content.decode()
    assert f"{LRI}۱۲۳۴-۵۶۷۸-۹۰۱۲-۳{PDI}" in track
    error = client.get("/demands/track/", {"code": "123"}).content.decode()
    assert f"{LRI}۱۲۳۴-۵۶۷۸-۹۰۱۲-۳{PDI}" in error
    bad_mobile = submit(client, "mehran", mobile="12345").content.decode()
    assert f"{LRI}۰۹۱۲ ۳۴۵ ۶۷۸۹{PDI}" in bad_mobile


def test_referral_arrow_points_from_the_first_office_in_reading_order(client, offices):
    from ravabet.conftest import make_staff
    from ravabet.demands import services

    submit(client, "mehran")
    demand = Demand.objects.get()
    responder = make_staff("resp", offices["county"], "responder")
    services.refer(responder, demand, offices["agency"], note="جاده")
    persian = client.get(f"/demands/track/{demand.code}/").content.decode()
    timeline = persian.split('class="timeline"', 1)[1].split("</ol>", 1)[0]
    assert "</bdi> ← <bdi>" in timeline and "→" not in timeline
    english = client.get(f"/en/demands/track/{demand.code}/").content.decode()
    assert "</bdi> → <bdi>" in english.split('class="timeline"', 1)[1]
