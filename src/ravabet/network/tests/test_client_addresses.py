"""The real client behind a trusted proxy: rate limits, axes and audit rows see the reader,
never the proxy; a forged X-Forwarded-For from anyone else is ignored."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from ravabet.conftest import STAFF_PASSWORD, make_staff
from ravabet.network import clientaddr

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.RAVABET_TRUSTED_PROXIES = [PROXY, "fd00::/8"]


def _request(remote: str, forwarded: str | None = None):
    meta: dict[str, Any] = {"REMOTE_ADDR": remote}  # WSGI environ keys, not get()'s arguments
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.RAVABET_TRUSTED_PROXIES = []
    assert clientaddr.client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_forwarded_client_counts(behind_proxy):
    assert clientaddr.client_address(_request(PROXY, "198.51.100.1")) == "198.51.100.1"
    # A client that sends its own header gets it kept on the left by nginx: not believed.
    spoofed = _request(PROXY, "1.2.3.4, 198.51.100.1")
    assert clientaddr.client_address(spoofed) == "198.51.100.1"
    # Two trusted hops: the first untrusted address from the right is the client.
    chain = _request(PROXY, "1.2.3.4, 198.51.100.1, fd00::2")
    assert clientaddr.client_address(chain) == "198.51.100.1"
    assert clientaddr.client_address(_request(PROXY, "[2001:db8::1]:443")) == "2001:db8::1"


def test_an_untrusted_peer_cannot_choose_its_address(behind_proxy):
    assert clientaddr.client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_garbage_in_the_header_falls_back_to_the_proxy(behind_proxy):
    assert clientaddr.client_address(_request(PROXY, "not-an-address")) == PROXY
    assert clientaddr.client_address(_request("junk")) is None


@given(st.ip_addresses())
def test_the_address_hash_is_keyed(address):
    text = str(address)
    hashed = clientaddr.address_hash(text)
    assert len(hashed) == 24
    # Not a bare hash anyone could recompute for all 2³² IPv4 addresses.
    for algorithm in ("sha256", "sha1", "md5", "blake2s", "blake2b"):
        assert hashlib.new(algorithm, text.encode()).hexdigest()[:24] != hashed
    assert hashlib.blake2s(text.encode(), digest_size=12).hexdigest() != hashed


def test_the_address_hash_changes_with_the_secret_key(settings):
    before = clientaddr.address_hash("198.51.100.1")
    settings.SECRET_KEY = "another-deployment-" + "y" * 40
    assert clientaddr.address_hash("198.51.100.1") != before


def _fail(client, username: str, reader: str):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=reader,
    )


def test_axes_locks_out_the_real_client_not_everyone_behind_the_proxy(
    behind_proxy, client, offices
):
    make_staff("ed", offices["gov"], "editor")
    for _ in range(5):
        _fail(client, "ed", "198.51.100.66")
    attacker = client.post(
        "/accounts/login/",
        {"username": "ed", "password": STAFF_PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    assert attacker.status_code == 429
    assert "قفل" in attacker.content.decode()
    owner = client.post(
        "/accounts/login/",
        {"username": "ed", "password": STAFF_PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert owner.status_code == 302


def test_audit_rows_keep_the_real_client(behind_proxy, db):
    from ravabet.network import services

    event = services.record(None, "test.action", request=_request(PROXY, "198.51.100.23"))
    event.refresh_from_db()
    assert event.ip_address == "198.51.100.23"
