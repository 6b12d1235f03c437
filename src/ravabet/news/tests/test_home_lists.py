"""An office's home lists its subtree's newest items from per-office index seeks (issue 20):
right whatever the mix (a rare office among busy ones, items without a group), in a number of
queries that does not grow with the archive or with how rarely the subtree publishes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ravabet.network.models import Office
from ravabet.news import selectors
from ravabet.news.models import NewsCode, NewsGroup, NewsItem

pytestmark = pytest.mark.django_db


def _archive(offices, busy: int) -> dict[str, list[NewsItem]]:
    """`busy` recent items at the agency; a few old ones in the county's subtree, some group-less."""
    groups = list(NewsGroup.objects.all())
    now = timezone.now()
    code = NewsCode.objects.get_or_create(pk=1)[0].last
    rows = []

    def item(office, minutes_ago, group):
        nonlocal code
        code += 1
        return NewsItem(
            code=code,
            office=office,
            title=f"خبر {code}",
            slug=f"n-{code}",
            status=NewsItem.Status.PUBLISHED,
            published_at=now - timedelta(minutes=minutes_ago),
            group=group,
        )

    for n in range(busy):
        rows.append(item(offices["agency"], n, groups[n % len(groups)]))
    subtree = [offices["county"], offices["district"]]
    for n in range(9):
        rows.append(item(subtree[n % 2], 10_000 + n * 7, groups[0] if n % 3 else None))
    NewsItem.objects.bulk_create(rows)
    NewsCode.objects.filter(pk=1).update(last=code)
    return {"subtree": subtree}


def _naive_latest(office: Office, limit: int, group=None) -> list[int]:
    ids = Office.objects.filter(path__startswith=office.path).values_list("pk", flat=True)
    qs = NewsItem.objects.filter(status="published", office_id__in=list(ids))
    if group is not None:
        qs = qs.filter(group=group)
    return list(qs.order_by("-published_at", "-code").values_list("pk", flat=True)[:limit])


@pytest.mark.parametrize("busy", [5, 120])
def test_a_rare_subtree_lists_its_own_newest_items(offices, busy):
    _archive(offices, busy)
    county = offices["county"]
    assert [i.pk for i in selectors.latest(county, limit=5, subtree=True)] == _naive_latest(
        county, 5
    )
    group = NewsGroup.objects.first()
    assert [
        i.pk
        for i in selectors.latest(
            Office.objects.get(pk=county.pk), limit=3, subtree=True, group=group
        )
    ] == _naive_latest(county, 3, group)
    shelves = dict(selectors.by_group(Office.objects.get(pk=county.pk), per_group=4, subtree=True))
    assert [i.pk for i in shelves[group]] == _naive_latest(county, 4, group)
    assert len(shelves) == 1  # group-less items are in no group's shelf


def test_the_wide_subtree_shortcut_agrees_with_the_seeks(offices, monkeypatch):
    _archive(offices, 120)
    gov = Office.objects.get(pk=offices["gov"].pk)
    expected = _naive_latest(gov, 10)
    monkeypatch.setattr(selectors, "WIDE_SUBTREE", 1)  # the date-window path first
    assert [i.pk for i in selectors.latest(gov, limit=10, subtree=True)] == expected
    monkeypatch.setattr(selectors, "WIDE_SUBTREE", 100)  # per-office seeks only
    gov = Office.objects.get(pk=offices["gov"].pk)
    assert [i.pk for i in selectors.latest(gov, limit=10, subtree=True)] == expected


@pytest.mark.parametrize("busy", [5, 150])
def test_office_home_queries_do_not_grow_with_the_archive(
    client, offices, busy, django_assert_num_queries, settings
):
    settings.RAVABET_PAGE_CACHE_SECONDS = 0
    settings.RAVABET_FRAGMENT_CACHE_SECONDS = 0
    settings.RAVABET_STAMP_CHECK = 60  # stamps read at most once a second in production
    _archive(offices, busy)
    client.get("/mehran/")  # warm the per-process memos (stamps, office lookups)
    with django_assert_num_queries(_QUERIES[busy > 60]):
        response = client.get("/mehran/")
    assert response.status_code == 200
    assert "خبر" in response.content.decode()


# Measured once for each size and asserted equal: the window query, per-office seeks for the
# short shelves and the cards are the same few statements for 5 or 150 items elsewhere.
_QUERIES = {False: 8, True: 8}
