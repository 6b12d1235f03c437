"""Shared helpers for the demands tests: solve the captcha, submit through HTTP."""

from __future__ import annotations

from ravabet.network.text import to_ascii_digits


def solve(question: str) -> str:
    a, op, b, _ = to_ascii_digits(question).split()
    return str(int(a) + int(b) if op == "+" else int(a) - int(b))


def form_data(client, office_slug: str, **overrides) -> dict:
    """A valid submission for the office's form, captcha solved, with `overrides` applied."""
    page = client.get(f"/{office_slug}/demands/new/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        "kind": "request",
        "subject": "روشنایی کوچه",
        "body": "چراغ‌های کوچه ما دو هفته است خاموش است.",
        "name": "مریم احمدی",
        "mobile": "۰۹۱۲ ۳۴۵ ۶۷۸۹",
        "email": "maryam@example.org",
        "consent_publish": "on",
        "captcha_token": form.initial["captcha_token"],
        "captcha_answer": solve(form.captcha_question),
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, office_slug: str, **overrides):
    return client.post(f"/{office_slug}/demands/new/", form_data(client, office_slug, **overrides))


def a_demand(office, **overrides):
    """A demand at `office` through the intake service (a complaint with an email)."""
    from ravabet.demands import services

    values = {
        "kind": "complaint",
        "subject": "آب آشامیدنی",
        "body": "آب روستا سه روز قطع است.",
        "name": "علی",
        "email": "ali@example.org",
        "consent_publish": True,
    }
    values.update(overrides)
    return services.submit(office, **values)
