"""Sharing sends the short address, to the messengers people use; the print page is a page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from ravabet.network.text import to_persian_digits

pytestmark = pytest.mark.django_db


def _share_links(html: str) -> dict[str, str]:
    share = html.split('class="share"', 1)[1].split("</section>", 1)[0]
    return {
        urlsplit(href.replace("&amp;", "&")).netloc: href.replace("&amp;", "&")
        for href in re.findall(r'href="(https://[^"]+)"', share)
    }


def test_share_links_carry_the_short_address(client, publish):
    item = publish(title="نشست شورای هماهنگی روابط عمومی‌های استان ایلام با حضور استاندار")
    html = client.get(item.get_absolute_url()).content.decode()
    links = _share_links(html)
    short = f"http://testserver/news/{item.code}/"
    for host in ("eitaa.com", "ble.ir", "rubika.ir", "t.me", "twitter.com"):
        assert host in links, host
        assert parse_qs(urlsplit(links[host]).query)["url"] == [short]
    assert all(len(parse_qs(urlsplit(u).query).get("url", [""])[0]) < 60 for u in links.values())
    assert "ایتا" in html and "بله" in html and "روبیکا" in html


def test_short_address_leads_to_the_item(client, publish):
    item = publish()
    response = client.get(f"/news/{item.code}/")
    assert response.status_code == 301 and response["Location"] == item.get_absolute_url()


def test_print_page_has_office_date_code_photo_and_short_link(client, publish, people):
    from ravabet.news import services

    from .conftest import jpeg_bytes, upload

    item = publish()
    services.add_photo(people["editor"], item, upload(jpeg_bytes()), alt="نشست شورا", main=True)
    html = client.get(f"/news/print/{item.code}/").content.decode()
    assert "روابط عمومی — استانداری ایلام" in html
    assert to_persian_digits(str(item.code)) in html
    assert "۱۴" in html  # the Jalali year, in Persian digits
    assert 'alt="نشست شورا"' in html
    assert f"http://testserver/news/{item.code}/" in html
    assert "ravabet/print" in html and "print" in html


def test_no_template_comment_leaks_into_the_news_page(client, publish):
    html = client.get(publish().get_absolute_url()).content.decode()
    assert "{#" not in html and "#}" not in html
