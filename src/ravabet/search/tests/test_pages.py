"""The public search page over real HTTP, and the rebuild command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ravabet.search import registry, selectors
from ravabet.search.models import SearchDocument

from .conftest import make_doc
from .test_search import BAD_QUERIES

pytestmark = pytest.mark.django_db


def test_url_and_empty_page(client):
    assert reverse("search:results") == "/search/"
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.text


def test_results_with_highlight_and_office_name(client, indexed):
    response = client.get("/search/", {"q": "روابطعمومیها"})
    assert response.status_code == 200
    assert "<mark>" in response.text
    assert "/news/1/" in response.text
    assert "استانداری ایلام" in response.text


def test_english_page(client, indexed):
    response = client.get("/en/search/", {"q": "nothingatallhere"})
    assert response.status_code == 200
    assert "Nothing was found" in response.text


def test_persian_messages(client, indexed):
    response = client.get("/search/", {"q": "nothingatallhere"})
    assert "چیزی پیدا نشد" in response.text


def test_jalali_date_filters(client, indexed):
    # 1405/02/27 is 2026-05-17; item 2 is from 2026-01-05 (1404/10/15).
    response = client.get("/search/", {"q": "برگزار", "date_from": "۱۴۰۵/۰۲/۰۱"})
    assert "/news/1/" in response.text and "/news/2/" not in response.text
    response = client.get("/search/", {"q": "برگزار", "date_to": "1404/10/15"})
    assert "/news/2/" in response.text and "/news/1/" not in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"q": "برگزار", "date_from": "1405/13/01"},
        {"q": "برگزار", "date_from": "'; DROP TABLE x"},
        {"q": "برگزار", "date_from": "1405/02/27", "date_to": "1405/01/01"},
        {"q": "برگزار", "office": "no-such-office"},
        {"q": "برگزار", "language": "de"},
        {"q": "برگزار", "sort": "random()"},
        {"q": "برگزار", "page": "-1"},
        {"q": "برگزار", "page": "abc"},
    ],
)
def test_bad_filters_get_a_clear_400(client, indexed, params):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert 'class="form-errors"' in response.text


def test_filters_and_sort_over_http(client, indexed, offices):
    response = client.get("/search/", {"q": "برگزار", "office": "mehran", "sort": "date"})
    assert response.status_code == 200
    assert "/news/2/" in response.text and "/news/1/" not in response.text
    response = client.get("/search/", {"q": "برگزار", "group": "province", "tag": "ایلام"})
    assert "/news/1/" in response.text and "/news/2/" not in response.text


def test_did_you_mean_link(client, indexed):
    response = client.get("/search/", {"q": "بهداشنی"})
    assert response.status_code == 200
    assert 'class="did-you-mean"' in response.text
    assert "نتیجه‌های «بهداشتی» نشان داده می‌شود" in response.text


def test_pagination_links(client, offices):
    from ravabet.search.services import index_documents

    index_documents([make_doc(offices["gov"], str(i), f"گزارش {i}", "") for i in range(12)])
    response = client.get("/search/", {"q": "گزارش", "sort": "date"})
    assert 'rel="next"' in response.text and "page=2" in response.text
    response = client.get("/search/", {"q": "گزارش", "sort": "date", "page": 2})
    assert response.status_code == 200 and 'rel="prev"' in response.text


def test_drafts_over_http(client, staff_client, indexed):
    assert "/news/4/" not in client.get("/search/", {"q": "سیل"}).text
    signed_in, _user = staff_client("editor", "county")
    response = signed_in.get("/search/", {"q": "سیل"})
    assert "/news/4/" in response.text


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_over_http(client, indexed, query):
    response = client.get("/search/", {"q": query})
    # C0 control characters (NUL, ESC, ...) are refused at the edge for every route
    # (network/edge.py); everything else is a normal page.
    c0 = any(ord(ch) < 0x20 and ch not in "\t\n\r" for ch in query)
    assert response.status_code == (400 if c0 else 200)


def test_rate_limit(client, indexed, settings):
    from django.test import RequestFactory

    from ravabet.network import ratelimit

    # 58 earlier searches from this client counted directly (60 real ones can outlast the
    # 60-second window on a loaded machine), then the last two allowed and the 61st refused.
    key = ratelimit.client_key(RequestFactory().get("/search/"))
    for _ in range(58):
        ratelimit.hit("search", key, limit=60, window=60)
    for _ in range(2):
        assert client.get("/search/", {"q": "ایلام"}).status_code == 200
    refused = client.get("/search/", {"q": "ایلام"})
    assert refused.status_code == 429
    assert "بیش از اندازه" in refused.content.decode()


def test_rebuild_command(offices):
    docs = [make_doc(offices["gov"], str(i), f"خبر شماره {i}", "متن خبر") for i in range(30)]
    registry.register_source("unit", lambda: iter(docs), count=lambda: len(docs))
    try:
        make = make_doc(offices["gov"], "stale", "کهنه", "")
        from ravabet.search.services import index_document

        index_document(make)
        out = StringIO()
        call_command("rebuild_search_index", "--no-progress", stdout=out)
        assert "30 documents" in out.getvalue()
        assert SearchDocument.objects.count() == 30
        assert selectors.search("کهنه").total == 0
        assert selectors.search("خبر").total == 30
        with pytest.raises(CommandError):
            call_command("rebuild_search_index", "--source", "nope")
    finally:
        registry.unregister_source("unit")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_background_tasks_index_and_remove(offices):
    """The real database queue and worker (the worker closes connections, hence transaction)."""
    from django_tasks_db.models import DBTaskResult

    from ravabet.search.services import schedule_index, schedule_remove

    doc = make_doc(offices["gov"], "bg", "کار پس‌زمینه", "متن", tags=("برچسب",))
    schedule_index(doc)
    assert selectors.search("پس‌زمینه").total == 0  # queued, not yet run
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert selectors.search("پس‌زمینه").total == 1
    schedule_remove("test", "bg")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert selectors.search("پس‌زمینه").total == 0
