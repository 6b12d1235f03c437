"""An arithmetic captcha that works without JavaScript and shows Persian digits.

Seed 000 shows the form: "6 + 2 =".


Stateless: the challenge travels in a signed, time-stamped token, so a page that shows it may be
cached. A token is accepted once per client (replays are refused) and for `MAX_AGE` seconds.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .text import to_ascii_digits, to_persian_digits

SALT = "ravabet.captcha"
MAX_AGE = 30 * 60


@dataclass(frozen=True)
class Challenge:
    question: str  # e.g. "۶ + ۲ ="
    token: str


class CaptchaError(forms.ValidationError):
    pass


def new_challenge(lang: str = "fa") -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2) and a > b:
        op, answer = "−", a - b
    else:
        op, answer = "+", a + b
    token = signing.dumps({"a": answer, "n": secrets.token_hex(8)}, salt=SALT, compress=True)
    digits = to_persian_digits if lang == "fa" else str
    return Challenge(question=f"{digits(a)} {op} {digits(b)} =", token=token)


def verify(token: str, answer: str, client: str) -> None:
    """Raise CaptchaError unless `answer` solves `token`'s challenge, unused by this client."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise CaptchaError(
            _("The security question has expired; answer the new one."), code="expired"
        ) from None
    except signing.BadSignature:
        raise CaptchaError(_("The security question is invalid."), code="invalid") from None
    cleaned = to_ascii_digits((answer or "").strip())
    if not cleaned.lstrip("-").isdecimal() or int(cleaned) != data.get("a"):
        raise CaptchaError(_("The answer to the security question is wrong."), code="wrong")
    used = "captcha:" + hashlib.blake2s(f"{token}|{client}".encode(), digest_size=16).hexdigest()
    if not cache.add(used, 1, timeout=MAX_AGE + 60):
        raise CaptchaError(
            _("This security question was already used; answer the new one."), code="replayed"
        )


class CaptchaFormMixin(forms.Form):
    """Adds the captcha and a honeypot to a public form. Call `bind_client(key)` before is_valid().

    The view renders `form.captcha_question`; the token rides in a hidden field.
    """

    captcha_token = forms.CharField(widget=forms.HiddenInput, max_length=400)
    captcha_answer = forms.CharField(label=_("Security question"), max_length=4)
    # Bots fill every field; people never see this one (hidden by CSS and from screen readers).
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "tabindex": "-1", "class": "hp-field"}
        ),
    )

    def __init__(self, *args, lang: str = "fa", **kwargs):
        super().__init__(*args, **kwargs)
        self._client = ""
        challenge = new_challenge(lang)
        self.captcha_question = challenge.question
        if not self.is_bound:
            self.initial["captcha_token"] = challenge.token
        self.fields["captcha_answer"].label = f"{_('Security question')}: {challenge.question}"
        self.fields["captcha_answer"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off"}
        )
        self._fresh_token = challenge.token

    def bind_client(self, client: str) -> None:
        self._client = client

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("The form could not be accepted."), code="honeypot")
        token, answer = cleaned.get("captcha_token"), cleaned.get("captcha_answer")
        if token and answer is not None:
            try:
                verify(token, answer, self._client)
            except CaptchaError as error:
                self.add_error("captcha_answer", error)
        return cleaned

    def renew_challenge(self) -> None:
        """After a failed submit, show a new question (and send its token)."""
        data = self.data.copy()
        data["captcha_token"] = self._fresh_token
        data["captcha_answer"] = ""
        self.data = data
