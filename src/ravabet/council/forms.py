"""Forms of the council's staff pages. Dates are typed in Jalali (Persian or Latin digits)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ravabet.network.forms import NamedFieldErrors
from ravabet.network.jalali import JalaliParseError, parse_jalali

from .models import (
    Attendance,
    Council,
    DecisionStatus,
    Invitation,
    Position,
    QuorumRule,
    WorkingGroup,
)

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
                _("Write a Jalali date such as ۱۴۰۵/۰۳/۱۲ (%(field)s).") % {"field": self.label},
                code="bad_date",
            ) from None
        return moment.date() if self.date_only else moment


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_fa)


class OfficesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_fa)


def _offices(field: forms.Field, offices: Any, *, one_is_chosen: bool = False) -> None:
    """Offer `offices`; with `one_is_chosen`, a single office is chosen already (on whose
    behalf someone acts, when there is only one)."""
    choice = cast(forms.ModelChoiceField, field)
    choice.queryset = offices
    if one_is_chosen and offices is not None:
        only = list(offices[:2])
        if len(only) == 1:
            choice.initial = only[0].pk


class MeetingForm(NamedFieldErrors, forms.Form):
    working_group = forms.ChoiceField(label=pgettext_lazy("council", "Body"), required=False)
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
        assume_scheme="https",
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
    working_group = forms.ChoiceField(label=pgettext_lazy("council", "Body"), required=False)
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
        _offices(self.fields["office"], offices, one_is_chosen=True)
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
        _offices(self.fields["office"], offices, one_is_chosen=True)


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
        label=pgettext_lazy("council", "Decision"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
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
        assume_scheme="https",
        label=_("Link to a news item"),
        required=False,
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )
    is_public = forms.BooleanField(label=_("Public report"), required=False, initial=True)

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offices(self.fields["office"], offices, one_is_chosen=True)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > 10_000_000:
            raise forms.ValidationError(_("The file can be at most 10 MB."), code="too_big")
        return upload


# --------------------------------------------------------------------------- setting up


RESERVED_SLUGS = frozenset({"new", "calendar", "meetings", "decisions"})
CODE_HELP = _("Latin letters only, e.g. ILM: the first part of decision codes (ILM-12-3).")


def _clean_code(value: str) -> str:
    code = value.strip().upper()
    if not code.isascii() or not code.isalpha() or len(code) > 12:
        raise forms.ValidationError(
            _("The code is 1 to 12 Latin letters, e.g. ILM."), code="bad_code"
        )
    return code


class CouncilForm(NamedFieldErrors, forms.Form):
    office = OfficeChoiceField(label=_("Owner office"), queryset=None)
    name_fa = forms.CharField(label=_("Name of the council"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    slug = forms.SlugField(
        label=_("Address name"), max_length=80, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    code = forms.CharField(
        label=_("Code"), max_length=12, help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("Kind"), choices=Council.Kind.choices)
    quorum_rule = forms.ChoiceField(label=_("Quorum rule"), choices=QuorumRule.choices)
    quorum_count = forms.IntegerField(
        label=_("Quorum (for a fixed number)"), required=False, min_value=1, max_value=500
    )
    objection_days = forms.IntegerField(
        label=_("Working days for objections to the minutes"), min_value=0, max_value=30, initial=3
    )
    is_public = forms.BooleanField(label=_("Shown on the portal"), required=False, initial=True)

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offices(self.fields["office"], offices, one_is_chosen=True)

    def clean_code(self) -> str:
        return _clean_code(self.cleaned_data["code"])

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address name is taken by the site."), code="taken")
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("quorum_rule") == QuorumRule.FIXED and not data.get("quorum_count"):
            self.add_error("quorum_count", _("Give the number of members for a fixed quorum."))
        return data


class SeatForm(NamedFieldErrors, forms.Form):
    office = OfficeChoiceField(label=pgettext_lazy("council", "Office"), queryset=None)
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    holder = forms.ChoiceField(label=_("Holder (the office's PR manager)"), required=False)
    start = JalaliDateTimeField(label=_("From"), date_only=True, help_text=JALALI_HINT)

    def __init__(self, *args: Any, offices: Any = None, managers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offices(self.fields["office"], offices)
        self.managers = {str(user.pk): (user, office) for user, office in managers}
        cast(forms.ChoiceField, self.fields["holder"]).choices = [
            ("", _("The office's managers")),
            *[
                (pk, f"{user.get_full_name() or user.get_username()} — {office.name_fa}")
                for pk, (user, office) in self.managers.items()
            ],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = self.managers.get(data.get("holder") or "")
        office = data.get("office")
        if chosen is not None and office is not None and chosen[1].pk != office.pk:
            self.add_error("holder", _("The holder must be a manager of the chosen office."))
        data["holder_user"] = chosen[0] if chosen else None
        return data


class EndForm(NamedFieldErrors, forms.Form):
    end = JalaliDateTimeField(label=_("Until"), date_only=True, help_text=JALALI_HINT)


class WorkingGroupForm(NamedFieldErrors, forms.Form):
    name_fa = forms.CharField(label=_("Name of the working group"), max_length=200)
    slug = forms.SlugField(
        label=_("Address name"), max_length=80, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    code = forms.CharField(
        label=_("Code"), max_length=12, help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )  # fmt: skip
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=WorkingGroup.Topic.choices,
        initial=WorkingGroup.Topic.OTHER,
        help_text=_("The education working group's offices review experience write-ups."),
    )
    lead_office = OfficeChoiceField(label=_("Lead office"), queryset=None)
    secretary_office = OfficeChoiceField(label=_("Secretary office"), queryset=None, required=False)

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offices(self.fields["lead_office"], offices)
        _offices(self.fields["secretary_office"], offices)

    def clean_code(self) -> str:
        return _clean_code(self.cleaned_data["code"])


class JoinGroupForm(NamedFieldErrors, forms.Form):
    group = forms.ChoiceField(label=_("Working group"))
    office = OfficeChoiceField(label=pgettext_lazy("council", "Office"), queryset=None)
    joined = JalaliDateTimeField(label=_("From"), date_only=True, help_text=JALALI_HINT)

    def __init__(self, *args: Any, offices: Any = None, groups: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offices(self.fields["office"], offices)
        cast(forms.ChoiceField, self.fields["group"]).choices = [
            (g.slug, g.name_fa) for g in groups
        ]
