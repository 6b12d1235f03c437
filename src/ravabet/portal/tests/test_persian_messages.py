"""Persian form messages name their field, read well and show Persian digits."""

from __future__ import annotations

import pytest

from ravabet.conftest import make_staff

pytestmark = pytest.mark.django_db


def _errors(html: str) -> str:
    return " ".join(part.split("</ul>", 1)[0] for part in html.split('class="errorlist')[1:])


def test_length_error_names_the_field_in_persian_digits(client, offices):
    from ravabet.demands.tests.helpers import submit

    html = submit(client, "mehran", subject="ب" * 250).content.decode()
    errors = _errors(html)
    assert "«موضوع» حداکثر ۲۰۰ حرف می‌تواند داشته باشد؛ آنچه نوشته‌اید ۲۵۰ حرف است." in errors
    assert not any(ch.isascii() and ch.isdigit() for ch in errors)


def test_required_error_names_the_field(client, offices):
    from ravabet.demands.tests.helpers import submit

    html = submit(client, "mehran", name="").content.decode()
    assert "«نام شما» را پر کنید." in _errors(html)
    assert "این فیلد لازم است" not in html


def test_bad_email_is_said_plainly(client, offices):
    from ravabet.demands.tests.helpers import submit

    html = submit(client, "mehran", email="not-an-address").content.decode()
    assert "آنچه در «ایمیل» نوشته‌اید نشانی ایمیل نیست" in _errors(html)
    assert "یک ایمیل آدرس معتبر" not in html


def test_english_errors_stay_english(client, offices):
    from ravabet.demands.tests.helpers import form_data

    data = form_data(client, "mehran", subject="b" * 250)
    html = client.post("/en/mehran/demands/new/", data).content.decode()
    assert "can be at most 200 characters; it has 250." in _errors(html)


def test_wrong_password_is_said_once(client, offices):
    make_staff("someone", offices["gov"], "editor")
    html = client.post(
        "/accounts/login/", {"username": "someone", "password": "wrong"}
    ).content.decode()
    assert html.count("نام کاربری یا گذرواژه نادرست است") == 1


def test_captcha_error_names_the_question_not_the_sum(client, offices):
    from ravabet.demands.tests.helpers import submit

    html = submit(client, "mehran", captcha_answer="").content.decode()
    assert "«سؤال امنیتی» را پر کنید." in _errors(html)
