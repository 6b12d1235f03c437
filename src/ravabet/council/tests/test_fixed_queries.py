"""The register, the secretary's desk and an office's list answer with a fixed number of queries
whatever the size (issue 14, "Measured"): the same count with a few rows and with many."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ravabet.conftest import make_staff, sign_in
from ravabet.council import models as m

from . import pubfactory as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_random_purge(monkeypatch):
    """The rate limit's counters purge expired rows once in a while (one query more, at
    random): not part of the page's own reads."""
    from ravabet.network import counters

    monkeypatch.setattr(counters, "_maybe_purge", lambda now: None)


def grow(offices, council, size: int) -> None:
    """`size` more meetings, each with decisions in every state, co-offices and follow-ups."""
    gov, roads, county = offices["gov"], offices["agency"], offices["county"]
    group = f.group(council, gov)
    statuses = [s.value for s in m.DecisionStatus]
    for i in range(size):
        state = m.MeetingState.MINUTES_APPROVED if i % 3 else m.MeetingState.CLOSED
        meeting = f.meeting(council, gov, group=group if i % 2 else None, state=state,
                            days=-5 * i - 1)  # fmt: skip
        f.meeting(council, roads, state=m.MeetingState.INVITED, days=i + 1)
        m.MinutesVersion.objects.create(
            minutes=m.Minutes.objects.create(meeting=meeting),
            number=1,
            state=m.MinutesVersion.State.CIRCULATED,
        )
        for j, status in enumerate(statuses):
            d = f.decision(meeting, [gov, roads, county][j % 3], status=status,
                           deadline=(j - 3) * 2, public=j != 2)  # fmt: skip
            d.co_offices.add(gov if j % 3 else roads)
            f.report(d, percent=10 * j, note=f"پیشرفت {j}")
            f.report(d, percent=10 * j + 5, note=f"پیشرفت بعدی {j}", days=0)
            if j == 1:
                m.Decision.objects.filter(pk=d.pk).update(responsible_left_at=f.day(-1))


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def setting(offices):
    council = f.council(offices["root"], code="ILM")
    grow(offices, council, 2)
    secretary = make_staff("secretary", offices["root"], "manager")
    return council, secretary


@pytest.mark.parametrize(
    "url",
    [
        "/councils/decisions/",
        "/councils/decisions/?status=overdue",
        "/councils/decisions/?status=in_progress&year=1405",
        "/councils/",
    ],
)
def test_public_register_fixed(client, offices, setting, url, django_assert_num_queries):
    council, _ = setting
    small = count(client, url)
    grow(offices, council, 12)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_register_with_words_fixed(client, offices, setting, django_assert_num_queries):
    from ravabet.council import search_feed

    council, _ = setting
    search_feed.index_now()
    url = "/councils/decisions/?q=دستورالعمل"
    small = count(client, url)
    grow(offices, council, 12)
    search_feed.index_now()
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_council_page_fixed(client, offices, setting, django_assert_num_queries):
    council, _ = setting
    url = f"/councils/{council.slug}/"
    small = count(client, url)
    grow(offices, council, 12)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_secretary_desk_fixed(client, offices, setting, django_assert_num_queries):
    council, secretary = setting
    sign_in(client, secretary)
    small = count(client, "/staff/councils/desk/")
    grow(offices, council, 12)
    f.council(offices["gov"])  # another council in reach
    with django_assert_num_queries(small):
        response = client.get("/staff/councils/desk/")
    assert response.status_code == 200
    assert len(response.context["desk"].overdue_by_body) >= 2


def test_office_list_fixed(client, offices, setting, django_assert_num_queries):
    council, _ = setting
    editor = make_staff("roads-editor", offices["agency"], "editor")
    sign_in(client, editor)
    url = f"/staff/{offices['agency'].slug}/decisions/"
    small = count(client, url)
    grow(offices, council, 12)
    with django_assert_num_queries(small):
        response = client.get(url)
    mine = response.context["mine"]
    assert len(mine.overdue) > 20  # every size: the same queries
