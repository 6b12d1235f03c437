"""The arithmetic captcha: deferred challenges on cached pages are filled per response."""

from __future__ import annotations

import re

import pytest
from django import forms

from ravabet.network import captcha
from ravabet.network.text import to_ascii_digits

# Rate limits and replay guards count in the database (network/counters.py).
pytestmark = pytest.mark.django_db


class _Form(captcha.CaptchaFormMixin, forms.Form):
    pass


def _solve(question: str) -> int:
    a, op, b = to_ascii_digits(question.rstrip("= ")).split()
    return int(a) + int(b) if op == "+" else int(a) - int(b)


def _page(*forms_: _Form) -> bytes:
    return "".join(
        f"<p>{form.captcha_question}</p><i>{form.initial['captcha_token']}</i>" for form in forms_
    ).encode()


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_each_fill_gives_each_form_its_own_solvable_question(lang, db):
    page = _page(_Form(lang=lang, deferred=True), _Form(lang=lang, deferred=True))
    assert page.count(captcha.MARK.encode()) == 4
    seen = set()
    for reader in ("reader-1", "reader-2"):
        filled = captcha.fill_marks(page).decode()
        assert captcha.MARK not in filled
        pairs = re.findall(r"<p>([^<]+)</p><i>([^<]+)</i>", filled)
        assert len(pairs) == 2
        for question, token in pairs:
            assert (lang == "fa") == any(d in question for d in "۱۲۳۴۵۶۷۸۹")
            captcha.verify(token, str(_solve(question)), reader)
            seen.add(token)
    assert len(seen) == 4  # no two forms, and no two responses, share a question


def test_a_bound_form_never_defers():
    form = _Form(data={"captcha_token": "x", "captcha_answer": "1"}, deferred=True)
    assert captcha.MARK not in form.captcha_question


def test_bodies_without_marks_are_returned_unchanged():
    body = b"<p>@@ravabet-captcha:zz:q:fa@@ and nothing else</p>"
    assert captcha.fill_marks(body) == body
    plain = b"<p>no marks</p>"
    assert captcha.fill_marks(plain) is plain
