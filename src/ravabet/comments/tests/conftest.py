from __future__ import annotations

import re

import pytest

from ravabet.network.text import to_ascii_digits
from ravabet.news.tests.conftest import _empty_view_buffer, _media, group, people, publish  # noqa: F401

NEWS_BODY = (
    "نشست شورای هماهنگی روابط عمومی‌های استان ایلام با حضور استاندار برگزار شد و درباره "
    "برنامه‌های هفته روابط عمومی و آموزش مدیران روابط عمومی گفتگو شد."
)


@pytest.fixture
def item(publish):  # noqa: F811 — the imported fixture
    return publish(title="نشست شورای هماهنگی روابط عمومی‌ها", body=NEWS_BODY)


def captcha(html: str) -> dict[str, str]:
    """Solve the form's captcha the way a person would: read the question, do the sum."""
    token = re.search(r'name="captcha_token" value="([^"]+)"', html)[1]
    question = re.search(r'for="id_captcha_answer">[^:<]*:\s*([^<=]+)=', html)[1]
    a, op, b = to_ascii_digits(question).split()
    return {
        "captcha_token": token,
        "captcha_answer": str(int(a) + int(b) if op == "+" else int(a) - int(b)),
    }


@pytest.fixture
def comment_form(client, item):
    """Fields of a fresh, solved comment form on the item's page."""

    def make(**fields):
        page = client.get(item.get_absolute_url())
        assert page.status_code == 200
        return {**captcha(page.content.decode()), "text": "", "name": "", "email": "", **fields}

    return make


@pytest.fixture
def submit_url(item):
    return f"/comments/on/news/{item.code}/"
