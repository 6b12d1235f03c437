"""Replica routing without a replica server: the router, the pin cookie, the decorator's rules.
(The real primary + paused replica test is tests/scale/test_replica.py.)"""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from ravabet.network import replica


@pytest.fixture
def with_replica(settings, monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)
    settings.RAVABET_PIN_SECONDS = 15
    return settings


def test_the_router_reads_the_replica_only_inside_a_decorated_view_outside_transactions(db):
    router = replica.ReplicaRouter()
    assert router.db_for_read(None) is None
    token = replica._reading.set(True)
    try:
        with transaction.atomic():  # the test itself runs in one: reads stay on the primary
            assert router.db_for_read(None) is None
    finally:
        replica._reading.reset(token)
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "news") is False
    assert router.allow_migrate("default", "news") is True


def test_a_write_pins_the_client_and_the_pin_expires(with_replica, monkeypatch):
    factory = RequestFactory()
    middleware = replica.PinMiddleware(lambda request: HttpResponse("ok"))
    assert replica.PIN_COOKIE not in middleware(factory.get("/")).cookies
    response = middleware(factory.post("/ilam/demands/new/"))
    cookie = response.cookies[replica.PIN_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 15
    reader = factory.get("/demands/published/")
    reader.COOKIES[replica.PIN_COOKIE] = cookie.value
    assert replica.pinned(reader)
    later = time.time() + 16
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert not replica.pinned(reader)
    forged = factory.get("/")
    forged.COOKIES[replica.PIN_COOKIE] = "1:forged:sig"
    assert not replica.pinned(forged)


def test_no_pin_cookie_without_a_replica(settings):
    middleware = replica.PinMiddleware(lambda request: HttpResponse("ok"))
    assert replica.PIN_COOKIE not in middleware(RequestFactory().post("/")).cookies


def test_the_decorator_sends_posts_and_pinned_clients_to_the_primary(with_replica, monkeypatch):
    seen = []

    @replica.reads_from_replica
    def view(request):
        seen.append(replica._reading.get())
        return HttpResponse("ok")

    monkeypatch.setattr(replica, "caught_up", lambda: True)
    factory = RequestFactory()
    assert view(factory.get("/"))["X-Ravabet-Read"] == "replica"
    assert view(factory.post("/"))["X-Ravabet-Read"] == "primary"
    pinned = factory.get("/")
    pinned.COOKIES[replica.PIN_COOKIE] = signing.dumps(1, salt=replica.PIN_SALT)
    assert view(pinned)["X-Ravabet-Read"] == "primary"
    monkeypatch.setattr(replica, "caught_up", lambda: False)
    assert view(factory.get("/"))["X-Ravabet-Read"] == "primary"
    assert seen == [True, False, False, False]


def test_without_a_replica_the_decorator_changes_nothing():
    @replica.reads_from_replica
    def view(request):
        return HttpResponse("ok")

    assert "X-Ravabet-Read" not in view(RequestFactory().get("/"))
