"""Issue 13, item 13: a code signs in once; a second sign-in in the same 30-second window is
told to wait for the next code instead of "the code is wrong"."""

from __future__ import annotations

from django.test import Client

from ravabet.conftest import STAFF_PASSWORD, current_code, make_staff, sign_in


def test_reused_code_says_wait_for_the_next_one(client, offices):
    user = make_staff("ed", offices["gov"], "editor")
    sign_in(client, user)
    other = Client()
    other.post("/accounts/login/", {"username": "ed", "password": STAFF_PASSWORD})
    response = other.post("/accounts/verify/", {"token": current_code(user)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "منتظر کد بعدی" in page
    assert "کد نادرست است" not in page
