"""Public forms sent faster than a person could are refused (the honeypot and captcha stay), with
nothing the reader typed lost; repeated refusals are one audit row with a count."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from ravabet.comments.models import Comment
from ravabet.comments.tests.conftest import captcha as solve_comment_captcha
from ravabet.conftest import make_staff
from ravabet.demands.models import Demand
from ravabet.demands.tests.helpers import form_data
from ravabet.network import captcha, services
from ravabet.network.models import AuditEvent
from ravabet.news import services as news_services
from ravabet.news.models import NewsGroup

TOO_FAST = "فرم خیلی زود پس از باز شدن فرستاده شد"


@pytest.fixture
def min_fill(settings):
    settings.RAVABET_FORM_MIN_SECONDS = 3


def _later(monkeypatch, seconds: float) -> None:
    now = captcha.time.time() + seconds
    monkeypatch.setattr(captcha.time, "time", lambda: now)


@pytest.fixture
def news_item(offices):
    editor = make_staff("editor1", offices["gov"], "editor")
    data = news_services.NewsData(
        title="نشست شورای هماهنگی",
        lead="لید",
        body="متن خبر",
        group=NewsGroup.objects.get(slug="council"),
        tags=["شورا"],
    )
    return news_services.publish(editor, news_services.create_news(editor, offices["gov"], data))


def test_a_comment_sent_at_once_is_refused_and_kept(client, min_fill, news_item, monkeypatch):
    page = client.get(news_item.get_absolute_url()).content.decode()
    fields = {**solve_comment_captcha(page), "text": "نظر من درباره نشست", "name": "مریم"}
    fields["email"] = ""
    url = f"/comments/on/news/{news_item.code}/"
    response = client.post(url, fields)
    assert response.status_code == 422
    html = response.content.decode()
    assert TOO_FAST in html
    assert "نظر من درباره نشست" in html and 'value="مریم"' in html
    assert not Comment.objects.exists()
    # A person who took a few seconds is let through.
    page = client.get(news_item.get_absolute_url()).content.decode()
    fields.update(solve_comment_captcha(page))
    _later(monkeypatch, 4)
    assert client.post(url, fields).status_code == 302
    assert Comment.objects.count() == 1


def test_a_demand_sent_at_once_is_refused_and_kept(client, offices, min_fill, monkeypatch):
    data = form_data(client, "mehran")
    response = client.post("/mehran/demands/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert TOO_FAST in html
    assert "چراغ‌های کوچه ما دو هفته است خاموش است." in html
    assert not Demand.objects.exists()
    data = form_data(client, "mehran")
    _later(monkeypatch, 4)
    assert client.post("/mehran/demands/new/", data).status_code == 302
    assert Demand.objects.count() == 1


def test_the_honeypot_still_refuses(client, offices, monkeypatch):
    _later(monkeypatch, 10)
    response = client.post("/mehran/demands/new/", form_data(client, "mehran", website="x"))
    assert response.status_code == 400
    assert not Demand.objects.exists()


def test_repeated_refusals_are_one_audit_row_with_a_count(client, offices):
    from ravabet.conftest import sign_in

    author = make_staff("author1", offices["county"], "author")
    sign_in(client, author)
    for _ in range(30):
        assert client.get("/staff/ilam/audit/").status_code == 403
    rows = AuditEvent.objects.filter(allowed=False, actor=author)
    assert rows.count() == 1
    row = rows.get()
    assert row.repeats == 30 and row.last_at is not None
    assert row.action == "denied:audit.view"
    # Another target is another row.
    assert client.get("/staff/ilam-gov/audit/").status_code == 403
    assert AuditEvent.objects.filter(allowed=False, actor=author).count() == 2


def test_anonymous_refusals_are_counted_per_address(offices):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    factory = RequestFactory()
    for address in ["198.51.100.1"] * 3 + ["198.51.100.2"]:
        request = factory.get("/", REMOTE_ADDR=address)
        with pytest.raises(PermissionDenied):
            services.require(AnonymousUser(), "audit.view", offices["root"], request)
    rows = dict(AuditEvent.objects.filter(allowed=False).values_list("ip_address", "repeats"))
    assert rows == {"198.51.100.1": 3, "198.51.100.2": 1}
