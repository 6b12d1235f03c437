"""Forms of the demands app: the citizen's form, tracking, rating, and the staff's actions."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ravabet.network import selectors as network
from ravabet.network import text
from ravabet.network.captcha import CaptchaFormMixin
from ravabet.network.forms import NamedFieldErrors
from ravabet.network.models import Office

from . import codes, contact, services
from .models import DEFAULT_DEADLINES, Kind, Status

MAX_FILES = 3
MAX_FILE_BYTES = 8_000_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class DemandForm(NamedFieldErrors, CaptchaFormMixin):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Your demand"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    name = forms.CharField(label=_("Your name"), max_length=120)
    mobile = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=30,
        help_text=_("For example 0912 345 6789"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    consent_publish = forms.BooleanField(
        label=_(
            "The exchange may be published on the site without my name, number or email address."
        ),
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("Up to 3 photos (JPEG, PNG, WebP) or PDF files, 8 MB each."),
    )

    field_order = [
        "kind", "subject", "body", "name", "mobile", "email", "attachments", "consent_publish",
    ]  # fmt: skip

    def clean_subject(self) -> str:
        value = text.normalize(self.cleaned_data["subject"])
        if not value:
            raise ValidationError(_("Write a subject."), code="required")
        return value

    def clean_body(self) -> str:
        value = text.normalize(self.cleaned_data["body"])
        if len(value) < 10:
            raise ValidationError(_("Describe your demand in a few words more."), code="short")
        return value

    def clean_name(self) -> str:
        value = text.normalize(self.cleaned_data["name"])
        if not value:
            raise ValidationError(_("Write your name."), code="required")
        return value

    def clean_mobile(self) -> str:
        typed = self.cleaned_data.get("mobile", "")
        if not typed.strip():
            return ""
        mobile = contact.normalize_mobile(typed)
        if mobile is None:
            raise ValidationError(
                _("This is not an Iranian mobile number; it should look like 0912 345 6789."),
                code="bad_mobile",
            )
        return mobile

    def clean_attachments(self) -> list[services.CleanAttachment]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("At most %(n)s files can be attached.") % {"n": MAX_FILES}, code="too_many"
            )
        cleaned = []
        for upload in files:
            try:
                cleaned.append(services.clean_attachment(upload, max_bytes=MAX_FILE_BYTES))
            except ValidationError as error:
                raise ValidationError(
                    _("“%(name)s”: %(problem)s")
                    % {"name": upload.name, "problem": " ".join(error.messages)},
                    code=error.code,
                ) from None
        return cleaned

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("mobile")
            and not cleaned.get("email")
            and not (self.errors.get("mobile") or self.errors.get("email"))
        ):
            raise ValidationError(
                _("Give a mobile number or an email address, so that the answer can reach you."),
                code="no_contact",
            )
        return cleaned


class TrackForm(NamedFieldErrors, forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
    )

    def clean_code(self) -> str:
        try:
            return codes.parse(self.cleaned_data["code"])
        except codes.CodeError as error:
            if error.reason == "check":
                raise ValidationError(
                    _(
                        "This code has a typing mistake (its check digit does not match). "
                        "Compare it digit by digit with the code you received."
                    ),
                    code="check",
                ) from None
            raise ValidationError(
                _("A tracking code has 13 digits, like 1234-5678-9012-3."), code="format"
            ) from None


class RateForm(NamedFieldErrors, forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Did the answer satisfy you?"),
        choices=[("yes", _("Satisfied")), ("no", _("Not satisfied"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Colleague"), coerce=int, choices=())

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            (user.pk, user.get_full_name() or user.get_username()) for user in colleagues
        ]


class ReferForm(NamedFieldErrors, forms.Form):
    to_office = forms.ModelChoiceField(
        label=_("Refer to office"), queryset=network.active_offices().none(), empty_label=None
    )
    note = forms.CharField(
        label=_("Note for the office and the citizen"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, office: Office | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        offices = network.active_offices().order_by("path")
        if office is not None:
            # Referral stays inside the office's province: the tree under its root office (a
            # deployment is one province; docs/decisions.md).
            root = "/" + office.path.strip("/").split("/")[0] + "/"
            offices = offices.filter(path__startswith=root).exclude(pk=office.pk)
        cast(forms.ModelChoiceField, self.fields["to_office"]).queryset = offices


class AnswerForm(forms.Form):
    public = forms.CharField(
        label=_("Answer to the citizen (public)"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    private = forms.CharField(
        label=_("Private part (only for the citizen, never published)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Open")), *list(Status.choices)]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *list(Kind.choices)]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class _PersianNumberInput(forms.TextInput):
    """A number box that shows Persian digits (a type=number box shows only Latin ones); the
    field's int() reads Persian digits back as they are."""

    def __init__(self) -> None:
        super().__init__(attrs={"inputmode": "numeric", "size": 4, "dir": "ltr"})

    def format_value(self, value):
        value = super().format_value(value)
        return text.to_persian_digits(value) if value is not None else None


class DeadlinesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.IntegerField(
                label=label,
                min_value=1,
                max_value=90,
                initial=DEFAULT_DEADLINES[kind],
                help_text=_("working days"),
                widget=_PersianNumberInput(),
            )
