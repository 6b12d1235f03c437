"""The public register's filters: a GET form that keeps what was typed and says what is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ravabet.network.forms import NamedFieldErrors
from ravabet.network.language import is_english
from ravabet.network.text import normalize, strip_controls, to_ascii_digits, to_persian_digits

from . import selectors
from .models import DecisionStatus


class RegisterForm(NamedFieldErrors, forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200, strip=True)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *DecisionStatus.choices],
    )
    body = forms.ChoiceField(label=_("Council or working group"), required=False)
    office = forms.TypedChoiceField(
        label=_("Responsible office"), required=False, coerce=int, empty_value=None
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, choices: selectors.RegisterChoices, **kwargs: Any) -> None:
        data = args[0] if args else kwargs.get("data")
        if data is not None:
            data = data.copy()
            for name in ("office", "year"):  # Persian digits in the address bar
                if name in data:
                    data[name] = to_ascii_digits(data[name]).strip()
            args = (data, *args[1:])
            kwargs.pop("data", None)
        super().__init__(*args, **kwargs)
        shown = str if is_english() else to_persian_digits
        body_field: Any = self.fields["body"]
        body_field.choices = [("", _("Every body")), *choices.bodies]
        office_field: Any = self.fields["office"]
        office_field.choices = [("", _("Every office")), *choices.offices]
        year_field: Any = self.fields["year"]
        year_field.choices = [("", _("Every year")), *((y, shown(str(y))) for y in choices.years)]

    def clean_q(self) -> str:
        return normalize(strip_controls(self.cleaned_data.get("q") or ""))

    def query(self) -> selectors.RegisterQuery:
        data = self.cleaned_data
        body = data.get("body") or ""
        return selectors.RegisterQuery(
            status=data.get("status") or "",
            office_id=data.get("office"),
            council_id=int(body[1:]) if body.startswith("c") else None,
            group_id=int(body[1:]) if body.startswith("g") else None,
            year=data.get("year"),
            q=data.get("q") or "",
        )
