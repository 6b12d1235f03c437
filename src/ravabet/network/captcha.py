"""An arithmetic captcha that works without JavaScript and shows Persian digits.

Seed 000 shows the form: "6 + 2 =".


Stateless: the challenge travels in a time-stamped token that proves the answer without showing
it (see `_mint`). A token is accepted once per
client (replays are refused) and for `MAX_AGE` seconds.

Cached pages carry a *deferred* challenge instead: two marks (the question and the token) that
`fill_marks` replaces with a new challenge on every response, so readers of one cached page never
share a question. Minting one costs a signature, a few microseconds.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import counters
from .text import to_ascii_digits, to_persian_digits

SALT = "ravabet.captcha"
MAX_AGE = 30 * 60


@dataclass(frozen=True)
class Challenge:
    question: str  # e.g. "۶ + ۲ ="
    token: str


class CaptchaError(forms.ValidationError):
    pass


_keys: dict[str, bytes] = {}


def _key() -> bytes:
    secret = settings.SECRET_KEY
    key = _keys.get(secret)
    if key is None:
        key = _keys[secret] = hashlib.sha256(f"{SALT}|{secret}".encode()).digest()
    return key


def _mac(*parts: object, size: int) -> str:
    message = "|".join(str(part) for part in parts).encode()
    return hmac.digest(_key(), message, "sha256").hex()[:size]


def _mint() -> tuple[int, str, int, str]:
    """(a, operator, b, token) of a new challenge.

    The token is `nonce.issued.tag.proof`: `tag` shows that Ravabet issued it, `proof` binds
    the answer without revealing it (an HMAC of nonce, time and answer under the secret key), so
    the answer cannot be read off the page. One call to the random source and two HMACs: cheap
    enough for the fast path to mint one for every response of a cached page.
    """
    draw = secrets.token_bytes(11)
    a, b = draw[8] % 9 + 1, draw[9] % 9 + 1  # 256 = 9 × 28 + 4: a bias far below a guess's odds
    if draw[10] & 1 and a > b:
        op, answer = "−", a - b
    else:
        op, answer = "+", a + b
    nonce, issued = draw[:8].hex(), int(time.time())
    tag, proof = _mac("t", nonce, issued, size=16), _mac("a", nonce, issued, answer, size=32)
    token = f"{nonce}.{issued}.{tag}.{proof}"
    return a, op, b, token


def _question(a: int, op: str, b: int, lang: str) -> str:
    digits = to_persian_digits if lang == "fa" else str
    return f"{digits(a)} {op} {digits(b)} ="


def new_challenge(lang: str = "fa") -> Challenge:
    a, op, b, token = _mint()
    return Challenge(question=_question(a, op, b, lang), token=token)


def mark_nonce() -> str:
    """A per-deployment secret part of every per-reader mark on cached pages (this one's and
    the newsroom's CSRF mark): derived from the secret key once per process, so a reader who
    writes a mark's text into a comment cannot have it filled in with a token or a question."""
    digest = hmac.digest(settings.SECRET_KEY.encode(), b"ravabet.page-marks", "sha256")
    return digest.hex()[:20]


MARK_NONCE = mark_nonce()
MARK = f"@@ravabet-captcha-{MARK_NONCE}:"
MARK_PATTERN = MARK.encode() + rb"([0-9a-f]{8}):(q|t):(fa|en)@@"
_MARK_RE = re.compile(MARK_PATTERN)


def deferred_challenge(lang: str = "fa") -> Challenge:
    """Marks in place of a challenge, for a page that is cached and filled per response."""
    pair = secrets.token_hex(4)  # pairs a form's question with its token
    lang = "en" if lang == "en" else "fa"
    return Challenge(question=f"{MARK}{pair}:q:{lang}@@", token=f"{MARK}{pair}:t:{lang}@@")


def fill_marks(body: bytes) -> bytes:
    """Replace every deferred challenge in `body` with a new one (one per form)."""
    if MARK.encode() not in body:
        return body
    minted: dict[bytes, tuple[int, str, int, str]] = {}
    return _MARK_RE.sub(lambda match: fill_mark(match[0], minted), body)


def fill_mark(mark: bytes, minted: dict[bytes, tuple[int, str, int, str]]) -> bytes:
    """What one mark becomes; `minted` pairs a form's question with its token in one response."""
    match = _MARK_RE.fullmatch(mark)
    if match is None:
        return mark
    a, op, b, token = minted.get(match[1]) or minted.setdefault(match[1], _mint())
    if match[2] == b"t":
        return token.encode()
    return _question(a, op, b, match[3].decode()).encode()


def min_fill_seconds() -> float:
    """How long a person takes at least between seeing a public form and sending it
    (`RAVABET_FORM_MIN_SECONDS`, default 3). The token's signed issue time is the form's
    timestamp, so this needs no field of its own and holds on cached pages too (each response
    mints its own token). Scripts that post at once are refused; people are not."""
    return float(getattr(settings, "RAVABET_FORM_MIN_SECONDS", 3))


def verify(token: str, answer: str, client: str) -> None:
    """Raise CaptchaError unless `answer` solves `token`'s challenge, unused by this client.

    A token gets one answer per client: a wrong one uses it up too (the form then shows a new
    question), so guessing through the few possible answers does not work.
    """
    parts = (token or "").split(".")
    if len(parts) != 4 or not parts[1].isdecimal() or len(parts[1]) > 12:
        raise CaptchaError(_("The security question is invalid."), code="invalid")
    nonce, issued, tag, proof = parts
    if not hmac.compare_digest(tag, _mac("t", nonce, int(issued), size=16)):
        raise CaptchaError(_("The security question is invalid."), code="invalid")
    age = time.time() - int(issued)
    if not 0 <= age <= MAX_AGE:
        raise CaptchaError(
            _("The security question has expired; answer the new one."), code="expired"
        )
    if age < min_fill_seconds():
        # Before the replay guard: the token is not used up by a refusal that is no guess.
        raise CaptchaError(
            _(
                "The form was sent too quickly after it was opened. Please check what you "
                "wrote, answer the new security question and send it again."
            ),
            code="too_fast",
        )
    used = "captcha:" + hashlib.blake2s(f"{token}|{client}".encode(), digest_size=16).hexdigest()
    # Shared by every process (database or Redis): a token used in one worker is used in all.
    if not counters.first_use(used, ttl=MAX_AGE + 60):
        raise CaptchaError(
            _("This security question was already used; answer the new one."), code="replayed"
        )
    cleaned = to_ascii_digits((answer or "").strip())
    if (
        not cleaned.lstrip("-").isdecimal()
        or len(cleaned) > 4
        or not hmac.compare_digest(proof, _mac("a", nonce, int(issued), int(cleaned), size=32))
    ):
        raise CaptchaError(_("The answer to the security question is wrong."), code="wrong")


class CaptchaFormMixin(forms.Form):
    """Adds the captcha, a honeypot and a minimum fill time to a public form. Call
    `bind_client(key)` before is_valid().

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

    def __init__(self, *args: Any, lang: str = "fa", deferred: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._client = ""
        # A form on a cached page shows marks that each response fills (`fill_marks`).
        challenge = (
            deferred_challenge(lang) if deferred and not self.is_bound else new_challenge(lang)
        )
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise forms.ValidationError(_("The form could not be accepted."), code="honeypot")
        token, answer = cleaned.get("captcha_token"), cleaned.get("captcha_answer")
        if token and answer is not None:
            try:
                verify(token, answer, self._client)
            except CaptchaError as error:
                # Too fast is about the whole form, not the answer: said above the form.
                self.add_error(None if error.code == "too_fast" else "captcha_answer", error)
        return cleaned

    def renew_challenge(self) -> None:
        """After a failed submit, show a new question (and send its token)."""
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict, typed as Mapping
        data["captcha_token"] = self._fresh_token
        data["captcha_answer"] = ""
        self.data = data
