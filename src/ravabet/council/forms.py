"""Forms of the council's staff pages. Dates are typed in Jalali (Persian or Latin digits)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ravabet.network.forms import NamedFieldErrors
from ravabet.network.jalali import JalaliParseError, parse_jalali

from .models import Attendance, DecisionStatus, Invitation

JALALI_HINT = _("Jalali, for example ۱۴۰۵/۰۳/۱۲")


class JalaliDateTimeField(forms.Field):
    """A Jalali date and time (۱۴۰۵/۰۳/۱۲ ۱۰:۳۰) as an aware datetime, or a date (`date_only`)."""

    def __init__(self, *args: Any, date_only: bool = False, **kwargs: Any) -> None:
        self.date_only = date_only
        placeholder = "۱۴۰۵/۰۳/۱۲" if date_only else "۱۴۰۵/۰۳/۱۲ ۱۰:۰۰"
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"dir": "ltr", "placeholder": placeholder})
        )
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> datetime | date | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            if len(text) > 40:
                raise JalaliParseError(text)
            moment = parse_jalali(text)
        except JalaliParseError:
            raise forms.ValidationError(
                _("Write a Jalali date such as ۱۴۰۵/۰۳/۱۲ (%(field)s).")
                % {"field": self.label},
                code="bad_date",
            ) from None
        return moment.date() if self.date_only else moment


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_fa)


class OfficesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_fa)


def _offices(field: forms.Field, offices: Any) -> None:
    cast(forms.ModelChoiceField, field).queryset = offices


class MeetingForm(NamedFieldErrors, forms.Form):
    working_group = forms.ChoiceField(label=_("Body"), required=False)
    number = forms.IntegerField(
        label=_("Meeting number"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for the body's next number."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    starts_at = JalaliDateTimeField(label=_("Date and time"), help_text=JALALI_HINT)
    duration_minutes = forms.IntegerField(
        label=_("Planned duration (minutes)"), min_value=5, max_value=720, initial=90
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    video_link = forms.URLField(
        label=_("Video-conference link"),
        required=False,
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )
    host_office = OfficeChoiceField(label=_("Host office"), queryset=None)
    is_public = forms.BooleanField(label=_("Public meeting"), required=False)

    def __init__(self, *args: Any, groups: Any = (), offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["working_group"]).choices = [
            ("", _("The council itself")),
            *[(g.slug, g.name_fa) for g in groups],
        ]
        _offices(self.fields["host_office"], offices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place", "").strip() and not data.get("video_link", "").strip():
            raise forms.ValidationError(
                _("Give the meeting a place or a video-conference link."), code="no_place"
            )
        return data


class EditMeetingForm(MeetingForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["working_group"]
        del self.fields["number"]


class AgendaItemForm(NamedFieldErrors, forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=300)
    presenter_office = OfficeChoiceField(
        label=_("Presenting office"), queryset=None, required=False
    )
    presenter_name = forms.CharField(label=_("Presenter"), max_length=150, required=False)
    planned_minutes = forms.IntegerField(
        label=_("Minutes planned"), min_value=1, max_value=600, initial=10
    )

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offices(self.fields["presenter_office"], offices)


class ProposalForm(NamedFieldErrors, forms.Form):
    office = OfficeChoiceField(label=_("Proposing office"), queryset=None)
    working_group = forms.ChoiceField(label=_("Body"), required=False)
    title = forms.CharField(label=_("Proposed item"), max_length=300)
    note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    planned_minutes = forms.IntegerField(
        label=_("Minutes planned"), min_value=1, max_value=600, initial=10
    )

    def __init__(self, *args: Any, offices: Any = None, groups: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offices(self.fields["office"], offices)
        cast(forms.ChoiceField, self.fields["working_group"]).choices = [
            ("", _("The council itself")),
            *[(g.slug, g.name_fa) for g in groups],
        ]


class RsvpForm(NamedFieldErrors, forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[c for c in Invitation.Answer.choices if c[0] != Invitation.Answer.PENDING],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CancelForm(NamedFieldErrors, forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500)


def attendance_field_name(office_id: int) -> str:
    return f"status_{office_id}"


def attendance_name_field(office_id: int) -> str:
    return f"name_{office_id}"


class AttendanceForm(NamedFieldErrors, forms.Form):
    """One status (and the person's name) per office on the sheet."""

    def __init__(self, *args: Any, rows: list[dict[str, Any]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            office = row["office"]
            current = row["attendance"]
            self.fields[attendance_field_name(office.pk)] = forms.ChoiceField(
                label=office.name_fa,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=current.status if current else None,
                required=False,
            )
            self.fields[attendance_name_field(office.pk)] = forms.CharField(
                label=_("Name of the person (%(office)s)") % {"office": office.name_fa},
                max_length=150,
                required=False,
                initial=current.person_name if current else "",
            )

    def cleaned_rows(self) -> dict[int, tuple[str, str]]:
        out = {}
        for row in self.rows:
            pk = row["office"].pk
            status = self.cleaned_data.get(attendance_field_name(pk))
            if status:
                out[pk] = (status, self.cleaned_data.get(attendance_name_field(pk), ""))
        return out

    def bound_rows(self) -> list[dict[str, Any]]:
        return [
            {
                **row,
                "status": self[attendance_field_name(row["office"].pk)],
                "name": self[attendance_name_field(row["office"].pk)],
            }
            for row in self.rows
        ]


def minutes_field(item_id: int) -> str:
    return f"item_{item_id}"


class MinutesForm(forms.Form):
    """The minutes' text per agenda item, with the revision the editor started from."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    summary = forms.CharField(
        label=_("General notes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, items: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[minutes_field(item.pk)] = forms.CharField(
                label=item.title,
                required=False,
                max_length=50000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def texts(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(minutes_field(item.pk), "") for item in self.items}

    def item_fields(self) -> list[tuple[Any, Any]]:
        return [(item, self[minutes_field(item.pk)]) for item in self.items]


class ReasonForm(NamedFieldErrors, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObjectionForm(NamedFieldErrors, forms.Form):
    office = OfficeChoiceField(label=_("On behalf of"), queryset=None)
    text = forms.CharField(
        label=_("Objection"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offices(self.fields["office"], offices)


class DeadlineFields(forms.Form):
    deadline = JalaliDateTimeField(
        label=_("Deadline"), date_only=True, required=False, help_text=JALALI_HINT
    )
    working_days = forms.IntegerField(
        label=_("Or: working days from the meeting"), required=False, min_value=1, max_value=365
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("deadline") and not data.get("working_days"):
            raise forms.ValidationError(
                _("Give the deadline: a date or a number of working days."), code="deadline"
            )
        return data


class DecisionForm(NamedFieldErrors, DeadlineFields):
    text = forms.CharField(
        label=_("Decision"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    agenda_item = forms.ChoiceField(label=_("Agenda item"), required=False)
    office = OfficeChoiceField(label=_("Responsible office"), queryset=None)
    co_offices = OfficesChoiceField(
        label=_("Co-responsible offices"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_public = forms.BooleanField(label=_("Public decision"), required=False)

    field_order = ["agenda_item", "text", "office", "co_offices", "deadline", "working_days"]

    def __init__(self, *args: Any, offices: Any = None, items: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = offices
        _offices(self.fields["office"], queryset)
        _offices(self.fields["co_offices"], queryset)
        cast(forms.ChoiceField, self.fields["agenda_item"]).choices = [
            ("", "—"),
            *[(str(i.pk), i.title) for i in items],
        ]


class DeadlineForm(NamedFieldErrors, DeadlineFields):
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["working_days"].label = _("Or: working days from today")


class CloseDecisionForm(NamedFieldErrors, forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[
            (DecisionStatus.CANCELLED.value, DecisionStatus.CANCELLED.label),
            (DecisionStatus.SUPERSEDED.value, DecisionStatus.SUPERSEDED.label),
        ],
    )
    superseded_by = forms.CharField(
        label=_("Code of the superseding decision"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class ReportForm(NamedFieldErrors, forms.Form):
    office = OfficeChoiceField(label=_("Reporting office"), queryset=None)
    percent = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    day = JalaliDateTimeField(
        label=_("Date of the report"), date_only=True, required=False, help_text=JALALI_HINT
    )
    file = forms.FileField(label=_("Evidence file"), required=False)
    news_link = forms.URLField(
        label=_("Link to a news item"), required=False, widget=forms.URLInput(attrs={"dir": "ltr"})
    )
    is_public = forms.BooleanField(label=_("Public report"), required=False, initial=True)

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offices(self.fields["office"], offices)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > 10_000_000:
            raise forms.ValidationError(_("The file can be at most 10 MB."), code="too_big")
        return upload
