"""Staff sign-in and membership forms. Labels and errors are translated (Persian first)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors, text
from .jalali import JalaliParseError, parse_jalali
from .models import Office, Role


def _default(field: forms.Field, code: str) -> bool:
    """True when the field's message for `code` is still Django's stock one (or none)."""
    message = field.error_messages.get(code)
    if message is None:
        return True
    return any(
        message is getattr(klass, "default_error_messages", {}).get(code)
        for klass in type(field).__mro__
    )


class NamedFieldErrors:
    """Errors that say which field they are about, in the reader's words.

    Django's stock messages ("This field is required.", "Ensure this value has at most 80
    characters (it has 2000).") do not name the field and read badly in Persian; a form that
    mixes this in gets messages that name the field's label. Messages a form sets itself stay.
    The numbers are filled in later by Django's validators; the form renderer
    (`network.formrender`) shows them in Persian digits on Persian pages.
    """

    # Fields whose label is not a name (the captcha's label is its question, "۵ + ۵ =").
    error_names = {"captcha_answer": _("Security question")}

    fields: dict[str, forms.Field]  # a mixin of forms.Form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not field.label or field.widget.is_hidden:
                continue
            label = str(self.error_names.get(name, field.label))
            named = dict(field.error_messages)
            if field.required and _default(field, "required"):
                named["required"] = _("Please fill in “%(field)s”.") % {"field": label}
            if getattr(field, "max_length", None) and _default(field, "max_length"):
                named["max_length"] = _named(
                    _(
                        "“%(field)s” can be at most %(limit_value)s characters; it has "
                        "%(show_value)s."
                    ),
                    label,
                )
            if getattr(field, "min_length", None) and _default(field, "min_length"):
                named["min_length"] = _named(
                    _(
                        "“%(field)s” needs at least %(limit_value)s characters; it has "
                        "%(show_value)s."
                    ),
                    label,
                )
            if isinstance(field, forms.EmailField) and _default(field, "invalid"):
                named["invalid"] = _(
                    "“%(field)s” is not an email address; it should look like name@example.com."
                ) % {"field": label}
            field.error_messages = named


def _named(message: object, label: str) -> str:
    """The message with the field's name in, its number placeholders left for the validator."""
    return str(message).replace("%(field)s", label)


class PersianNormalisingForm(forms.Form):
    """Runs every text field through the normaliser on the way in."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and not isinstance(
                self.fields[name].widget, forms.PasswordInput
            ):
                cleaned[name] = text.normalize(value)
        return cleaned


class SignInForm(NamedFieldErrors, forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(NamedFieldErrors, forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = text.to_ascii_digits(self.cleaned_data["token"]).replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return token


class GrantRoleForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self) -> Any:
        username = self.cleaned_data["username"].strip()
        user = selectors.active_user(username)
        if user is None:
            raise forms.ValidationError(_("No active user has this user name."))
        return user


class ChildOfficeForm(PersianNormalisingForm):
    """A new office below one the manager manages."""

    parent = forms.ModelChoiceField(label=_("Under"), queryset=selectors.active_offices().none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Office.Kind.choices)
    slug = forms.SlugField(
        label=_("Address"), max_length=60, help_text=_("Latin letters, digits and hyphens.")
    )
    name_fa = forms.CharField(label=_("Persian name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = offices


class RenameOfficeForm(PersianNormalisingForm):
    name_fa = forms.CharField(label=_("Persian name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)


class MoveOfficeForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=_("New place: under"), queryset=selectors.active_offices().none()
    )

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = offices


class AuditFilterForm(forms.Form):
    """The audit log's filter: a person, an action, and a span of Jalali dates (both inclusive)."""

    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.CharField(
        label=_("From date"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "۱۴۰۵/۰۹/۰۱", "dir": "ltr"}),
    )
    until = forms.CharField(
        label=_("To date"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "۱۴۰۵/۰۹/۳۰", "dir": "ltr"}),
    )
    subtree = forms.BooleanField(label=_("Include the offices below"), required=False)

    def __init__(
        self,
        *args: Any,
        people: Iterable[Any] = (),
        actions: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["person"]).choices = [("", _("Everyone"))] + [
            (u.pk, u.get_full_name() or u.get_username()) for u in people
        ]
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", _("Every action")), *actions]

    def _date(self, name: str) -> datetime | None:
        value = self.cleaned_data.get(name, "").strip()
        if not value:
            return None
        try:
            return parse_jalali(value)
        except JalaliParseError:
            raise forms.ValidationError(
                _("Write a Jalali date such as ۱۴۰۵/۰۹/۰۱ (%(field)s).")
                % {"field": self.fields[name].label},
                code="bad_date",
            ) from None

    def clean_since(self) -> datetime | None:
        return self._date("since")

    def clean_until(self) -> datetime | None:
        day = self._date("until")
        # "To" is inclusive: events before the next midnight.
        return day + timedelta(days=1) if day is not None else None
