"""Staff sign-in and membership forms. Labels and errors are translated (Persian first)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from . import text
from .models import Role


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

    def __init__(self, *args, **kwargs):
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

    def clean(self):
        cleaned = super().clean()
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

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this user name."))
        return user
