"""Forms of the evaluation: opening a period, weights, marks, replies, evidence and audits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ravabet.network.forms import NamedFieldErrors
from ravabet.network.models import Office

MARKS = [(n, str(n)) for n in range(1, 6)]
MONTHS = [("", _("The whole festival year")), *((str(n), str(n)) for n in range(1, 13))]


class OpenPeriodForm(NamedFieldErrors, forms.Form):
    year = forms.IntegerField(label=_("Jalali year"), min_value=1390, max_value=1499)
    month = forms.TypedChoiceField(
        label=_("Jalali month"), choices=MONTHS, required=False, coerce=int, empty_value=None
    )
    reply_days = forms.IntegerField(
        label=_("Working days for replies"), min_value=1, max_value=30, initial=5
    )

    def __init__(self, *args: Any, scopes: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the offices whose subtree the user may evaluate (`selectors.scopes_for`).
        self.fields["scope"] = forms.ModelChoiceField(
            label=_("Offices evaluated"),
            queryset=scopes,
            required=False,
            empty_label=_("The whole network"),
            help_text=_("An office and every office below it."),
        )


class WeightForm(NamedFieldErrors, forms.Form):
    weight = forms.FloatField(label=_("Weight"), min_value=0, max_value=100)


class MarkForm(NamedFieldErrors, forms.Form):
    mark = forms.TypedChoiceField(
        label=_("Mark (1–5)"), choices=MARKS, coerce=int, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(NamedFieldErrors, forms.Form):
    evidence = forms.CharField(
        label=_("Evidence: what, where, when, with links"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(NamedFieldErrors, forms.Form):
    agrees = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("1", _("We agree")), ("0", _("We disagree"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_url = forms.URLField(
        label=_("Evidence (link)"), required=False, max_length=200, assume_scheme="https"
    )


class AuditForm(NamedFieldErrors, forms.Form):
    mark = forms.TypedChoiceField(
        label=_("Corrected mark (scored and evidence indicators only)"),
        choices=[("", _("Uphold")), *MARKS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(
        label=_("Audit note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
