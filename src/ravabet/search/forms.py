from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ravabet.network import selectors as network
from ravabet.network.jalali import JalaliParseError, parse_jalali
from ravabet.network.models import Office


class JalaliDateField(forms.Field):
    """A Jalali date typed as ۱۴۰۵/۰۲/۲۷ (any digits); cleaned to a Gregorian date."""

    def to_python(self, value: object) -> date | None:
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > 40:
            raise forms.ValidationError(
                _("Enter a Jalali date such as 1405/02/27."), code="invalid"
            )
        try:
            return parse_jalali(text).date()
        except JalaliParseError as exc:
            raise forms.ValidationError(
                _("Enter a Jalali date such as 1405/02/27."), code="invalid"
            ) from exc


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    office = forms.CharField(
        label=pgettext_lazy("search filter", "Office"), required=False, max_length=100
    )
    group = forms.CharField(label=_("Group"), required=False, max_length=100)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=200)
    # Contexts: "From" is also a demand's sender (فرستنده) in the demands app's catalog.
    date_from = JalaliDateField(label=pgettext_lazy("search date filter", "From"), required=False)
    date_to = JalaliDateField(label=pgettext_lazy("search date filter", "To"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), ("fa", _("Persian")), ("en", _("English"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("relevance", _("Relevance")), ("date", _("Newest first"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100)

    def clean_office(self) -> Office | None:
        slug = self.cleaned_data.get("office") or ""
        if not slug:
            return None
        office = network.active_office(slug)
        if office is None:
            raise forms.ValidationError(_("There is no such office."), code="invalid")
        return office

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
