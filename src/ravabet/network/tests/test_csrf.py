"""Fast CSRF tokens in Django's own formats."""

from __future__ import annotations

import pytest
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private: not in the stubs
    CSRF_ALLOWED_CHARS,
    _unmask_cipher_token,
)
from django.test import Client, RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from ravabet.network import csrf


@given(secret=st.text(alphabet=CSRF_ALLOWED_CHARS, min_size=32, max_size=32))
def test_masked_tokens_unmask_to_the_secret_as_django_reads_them(secret):
    token = csrf.mask(secret)
    assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    assert csrf.mask(secret) != token  # a new mask every time (BREACH)
    fresh = csrf.random_letters(32)
    assert len(fresh) == 32 and set(fresh) <= set(CSRF_ALLOWED_CHARS)


@pytest.mark.django_db
def test_a_token_from_get_token_passes_djangos_check():
    request = RequestFactory().get("/")
    token = csrf.get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] and _unmask_cipher_token(token) == secret
    assert _unmask_cipher_token(csrf.get_token(request)) == secret  # the same secret kept
    strict = Client(enforce_csrf_checks=True)
    strict.cookies["csrftoken"] = secret
    response = strict.post("/search/", {"csrfmiddlewaretoken": token})
    assert response.status_code != 403
