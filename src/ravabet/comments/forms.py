from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ravabet.network.captcha import CaptchaFormMixin
from ravabet.network.forms import NamedFieldErrors

from . import policy
from .policy import Reason


class CommentForm(NamedFieldErrors, CaptchaFormMixin, forms.Form):
    """A reader's comment. The text limit is checked by the service (with a clear message),
    so the field takes more than the limit and loses nothing the reader typed."""

    name = forms.CharField(label=_("Name (optional)"), required=False, max_length=policy.MAX_NAME)
    email = forms.EmailField(
        label=_("Email (optional, never shown)"), required=False, max_length=254
    )
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=50_000,
        error_messages={"required": _("Write your comment first: the text is empty.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    field_order = ["name", "email", "text", "parent", "captcha_answer", "captcha_token", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["captcha_answer"].label_suffix = ""  # the question already ends with "="


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason from the policy"),
        choices=[("", _("— write a reason —")), *Reason.choices],
        required=False,
    )
    note = forms.CharField(label=_("Or your own reason"), required=False, max_length=300)


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=50_000
    )
