"""Forms of the events app: a guest's registration, the organiser's event, series and clone
forms, the door's check-in code, marks, revocation and the verify box."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ravabet.network import selectors as network_selectors
from ravabet.network import text
from ravabet.network.captcha import CaptchaFormMixin
from ravabet.network.contact import normalize_mobile
from ravabet.network.forms import NamedFieldErrors, PersianNormalisingForm
from ravabet.network.jalali import JalaliParseError, parse_jalali
from ravabet.network.models import Office

from .models import Audience, Enrolment, Kind, Mark

_LTR = {"dir": "ltr"}


class JalaliDateTimeField(forms.CharField):
    """A Jalali date and time as staff type it (۱۴۰۵/۰۲/۲۷ ۱۰:۳۰), as an aware datetime."""

    def __init__(self, **kwargs: Any) -> None:
        # No max_length: its validator would measure the parsed datetime; the widget limits it.
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"placeholder": "۱۴۰۵/۰۲/۲۷ ۱۰:۰۰", "dir": "ltr", "maxlength": "40"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        typed = super().to_python(value)
        if not typed:
            return None
        try:
            return parse_jalali(typed)
        except JalaliParseError:
            raise ValidationError(
                _("Write a Jalali date and time such as ۱۴۰۵/۰۲/۲۷ ۱۰:۳۰."), code="bad_date"
            ) from None


class GuestForm(NamedFieldErrors, CaptchaFormMixin):
    name = forms.CharField(label=_("Full name"), max_length=200)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        help_text=_("For example 0912 345 6789"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", **_LTR}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", **_LTR}),
    )
    organisation = forms.CharField(
        label=_("Organisation or medium"), max_length=200, required=False
    )

    field_order = ["name", "mobile", "email", "organisation"]

    def clean_name(self) -> str:
        value = text.normalize(self.cleaned_data["name"])
        if not value:
            raise ValidationError(_("Write your name."), code="required")
        return value

    def clean_mobile(self) -> str:
        mobile = normalize_mobile(self.cleaned_data.get("mobile", ""))
        if mobile is None:
            raise ValidationError(
                _("This is not an Iranian mobile number; it should look like 0912 345 6789."),
                code="bad_mobile",
            )
        return mobile


class SeriesForm(NamedFieldErrors, PersianNormalisingForm):
    title_fa = forms.CharField(label=_("Persian title"), max_length=200)
    title_en = forms.CharField(label=_("English title"), max_length=200, required=False)
    slug = forms.SlugField(label=_("Address"), max_length=80, widget=forms.TextInput(attrs=_LTR))
    year = forms.IntegerField(label=_("Jalali year"), min_value=1380, max_value=1500)


class CloneForm(SeriesForm):
    pass


class EventForm(NamedFieldErrors, PersianNormalisingForm):
    series = forms.TypedChoiceField(
        label=_("Programme"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_at = JalaliDateTimeField(label=_("Starts at"))
    ends_at = JalaliDateTimeField(label=_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs=_LTR),
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=Audience.choices, initial=Audience.STAFF
    )
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1)
    enrolment = forms.ChoiceField(
        label=_("Registration"), choices=Enrolment.choices, initial=Enrolment.OPEN
    )
    moderated = forms.BooleanField(
        label=_("The organiser approves each registration"), required=False
    )
    registration_closes_at = JalaliDateTimeField(label=_("Registration closes at"), required=False)
    sessions = forms.IntegerField(
        label=_("Number of daily sessions"),
        min_value=1,
        max_value=30,
        initial=1,
        help_text=_("A course of several days: one session a day at the same hours."),
    )
    min_sessions = forms.IntegerField(label=_("Minimum sessions"), required=False, min_value=1)
    min_share = forms.DecimalField(
        label=_("Minimum share of sessions (0–1)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=1,
        decimal_places=2,
    )
    signer_name = forms.CharField(label=_("Signer's name"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)

    def __init__(self, *args: Any, series_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["series"])
        field.choices = [("", _("None")), *series_choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        if cleaned.get("place") == "" and cleaned.get("video_link") == "":
            self.add_error("place", _("Give a place or a video link."))
        return cleaned


class MoveForm(NamedFieldErrors, forms.Form):
    starts_at = JalaliDateTimeField(label=_("New start"))
    ends_at = JalaliDateTimeField(label=_("New end"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)


class CancelForm(NamedFieldErrors, PersianNormalisingForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class InviteForm(forms.Form):
    offices: forms.ModelMultipleChoiceField[Office] = forms.ModelMultipleChoiceField(
        label=_("Offices"),
        queryset=network_selectors.active_offices().none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    working_groups = forms.TypedMultipleChoiceField(
        label=_("Council working groups"), required=False, coerce=int
    )
    usernames = forms.CharField(
        label=_("People (user names, one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **_LTR}),
    )

    def __init__(
        self, *args: Any, offices: Any, working_groups: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["offices"]).queryset = offices
        if working_groups:
            cast(forms.ChoiceField, self.fields["working_groups"]).choices = working_groups
        else:
            del self.fields["working_groups"]


class CheckinForm(NamedFieldErrors, forms.Form):
    code = forms.CharField(
        label=_("Pass code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True, **_LTR}
        ),
    )


class MarkForm(forms.Form):
    registration = forms.IntegerField(widget=forms.HiddenInput)
    session = forms.IntegerField(widget=forms.HiddenInput)
    mark = forms.ChoiceField(label=_("Mark"), choices=Mark.choices)


class RevokeForm(NamedFieldErrors, PersianNormalisingForm):
    reason = forms.CharField(label=_("Reason for revocation"), max_length=300)


class VerifyForm(NamedFieldErrors, forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **_LTR}),
    )
