"""Rate limits, the arithmetic captcha and upload cleaning that every public form shares."""

from __future__ import annotations

import io
import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signing import TimestampSigner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ravabet.network import captcha, ratelimit, uploads

# Rate limits and replay guards count in the database (network/counters.py).
pytestmark = pytest.mark.django_db


def test_rate_limit_counts_per_client_and_scope():
    assert all(ratelimit.hit("vote", "a", limit=3, window=60) for _ in range(3))
    assert not ratelimit.hit("vote", "a", limit=3, window=60)
    assert ratelimit.hit("vote", "b", limit=3, window=60)
    assert ratelimit.hit("comment", "a", limit=3, window=60)


def _solve(challenge: captcha.Challenge) -> str:
    from ravabet.network.text import to_ascii_digits

    a, op, b, _ = to_ascii_digits(challenge.question).split()
    return str(int(a) + int(b) if op == "+" else int(a) - int(b))


def test_captcha_shows_persian_digits_and_accepts_any_digits():
    challenge = captcha.new_challenge("fa")
    assert any("۰" <= ch <= "۹" for ch in challenge.question)
    answer = _solve(challenge).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    captcha.verify(challenge.token, answer, "client-1")


def test_captcha_wrong_answer_replay_and_forgery():
    guessed = captcha.new_challenge()
    with pytest.raises(captcha.CaptchaError) as wrong:
        captcha.verify(guessed.token, str(int(_solve(guessed)) + 1), "c")
    assert wrong.value.code == "wrong"
    with pytest.raises(captcha.CaptchaError) as second_guess:  # one answer per token
        captcha.verify(guessed.token, _solve(guessed), "c")
    assert second_guess.value.code == "replayed"
    challenge = captcha.new_challenge()
    captcha.verify(challenge.token, _solve(challenge), "c")
    with pytest.raises(captcha.CaptchaError) as replay:
        captcha.verify(challenge.token, _solve(challenge), "c")
    assert replay.value.code == "replayed"
    with pytest.raises(captcha.CaptchaError) as forged:
        captcha.verify(TimestampSigner().sign("x"), "3", "c")
    assert forged.value.code == "invalid"
    nonce, issued, tag, proof = challenge.token.split(".")
    for token in (f"{nonce}.{int(issued) + 1}.{tag}.{proof}", f"{nonce}x.{issued}.{tag}.{proof}"):
        with pytest.raises(captcha.CaptchaError) as altered:
            captcha.verify(token, _solve(challenge), "d")
        assert altered.value.code == "invalid"


def test_the_answer_cannot_be_read_off_the_token(settings):
    """The token holds a nonce, a time and two keyed hashes: nothing a bot could solve from."""
    challenge = captcha.new_challenge("en")
    nonce, issued, tag, proof = challenge.token.split(".")
    assert re.fullmatch(r"[0-9a-f]{16}", nonce) and issued.isdecimal()
    assert re.fullmatch(r"[0-9a-f]{16}", tag) and re.fullmatch(r"[0-9a-f]{32}", proof)
    settings.SECRET_KEY = "another-deployment-" + "x" * 40  # without the key it proves nothing
    with pytest.raises(captcha.CaptchaError) as foreign:
        captcha.verify(challenge.token, _solve(challenge), "f")
    assert foreign.value.code == "invalid"


def test_an_old_token_has_expired(monkeypatch):
    challenge = captcha.new_challenge()
    later = captcha.time.time() + captcha.MAX_AGE + 5
    monkeypatch.setattr(captcha.time, "time", lambda: later)
    with pytest.raises(captcha.CaptchaError) as expired:
        captcha.verify(challenge.token, _solve(challenge), "e")
    assert expired.value.code == "expired"


@settings(max_examples=100)
@given(st.text(max_size=30))
def test_captcha_never_crashes_on_garbage_answers(answer):
    challenge = captcha.new_challenge()
    try:
        captcha.verify(challenge.token, answer, "fuzz")
    except captcha.CaptchaError:
        pass


class DemoForm(captcha.CaptchaFormMixin):
    text = forms.CharField()


def test_form_mixin_honeypot_and_captcha():
    blank = DemoForm()
    token = blank.initial["captcha_token"]
    answer = _solve(captcha.Challenge(blank.captcha_question, token))
    form = DemoForm({"text": "سلام", "captcha_token": token, "captcha_answer": answer})
    form.bind_client("k")
    assert form.is_valid(), form.errors
    bot = DemoForm(
        {"text": "x", "captcha_token": token, "captcha_answer": answer, "website": "spam"}
    )
    bot.bind_client("k2")
    assert not bot.is_valid()


def _image_bytes(fmt="JPEG", size=(40, 30), exif=True) -> bytes:
    image = Image.new("RGB", size, (200, 10, 10))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x8825] = {2: (35.0, 41.0, 0.0)}  # GPS latitude
        data[0x010F] = "PhoneMaker"
        image.save(out, fmt, exif=data.tobytes())
    else:
        image.save(out, fmt)
    return out.getvalue()


def test_clean_image_strips_exif_and_reports_size():
    upload = SimpleUploadedFile("p.jpg", _image_bytes(), content_type="image/jpeg")
    assert Image.open(io.BytesIO(upload.read())).getexif()
    clean = uploads.clean_image(upload)
    assert (clean.width, clean.height, clean.format) == (40, 30, "JPEG")
    assert not Image.open(io.BytesIO(clean.content.read())).getexif()


@pytest.mark.parametrize(
    "data",
    [b"<script>alert(1)</script>", b"%PDF-1.4 not a photo", b"\xff\xd8\xff broken jpeg", b""],
)
def test_non_images_are_refused(data):
    upload = SimpleUploadedFile("p.jpg", data, content_type="image/jpeg")
    with pytest.raises(Exception) as error:
        uploads.clean_image(upload)
    assert error.value.code == "not_image"


def test_oversized_upload_is_refused():
    upload = SimpleUploadedFile("p.png", _image_bytes("PNG", exif=False), content_type="image/png")
    with pytest.raises(Exception) as error:
        uploads.clean_image(upload, max_bytes=100)
    assert error.value.code == "too_large"


def test_gif_is_refused_as_a_type():
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, "GIF")
    with pytest.raises(Exception) as error:
        uploads.clean_image(SimpleUploadedFile("a.gif", out.getvalue()))
    assert error.value.code == "bad_type"


def test_sniff():
    assert uploads.sniff(_image_bytes(exif=False)) == "jpeg"
    assert uploads.sniff(b"%PDF-1.7") == "pdf"
    assert uploads.sniff(b"MZ\x90\x00") is None
