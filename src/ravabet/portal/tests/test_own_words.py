"""The search page's date filter says "from date", not another app's "sender"."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_date_filter_labels_are_the_search_apps_own(client):
    html = client.get("/search/", {"q": "نشست"}).content.decode()
    assert '<label for="id_date_from">از تاریخ</label>' in html
    assert '<label for="id_date_to">تا تاریخ</label>' in html
    assert "فرستنده" not in html


def test_a_demand_still_has_a_sender(offices, client):
    from ravabet.conftest import make_staff, sign_in
    from ravabet.demands.models import Demand
    from ravabet.demands.tests.helpers import submit

    submit(client, "mehran")
    demand = Demand.objects.get()
    responder = make_staff("resp7", offices["county"], "responder")
    sign_in(client, responder)
    html = client.get(f"/staff/mehran/demands/{demand.pk}/").content.decode()
    assert "<dt>فرستنده</dt>" in html
