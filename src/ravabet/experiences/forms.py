"""Staff forms of the experiences app. Everything typed is normalised (`network.text`);
dates are Jalali; lists (steps, lessons, figures, links) are one item per line, so the forms
work without JavaScript."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from ravabet.network import selectors as network_selectors
from ravabet.network import text
from ravabet.network.forms import NamedFieldErrors, PersianNormalisingForm
from ravabet.network.jalali import JalaliParseError, format_date, parse_jalali
from ravabet.network.models import Office

from .models import Attachment, Audience, Contact, Kind, ReviewComment
from .services import ExperienceData, LessonData, check_news_codes

TEXTAREA = forms.Textarea(attrs={"rows": 4})
_SPLIT_TAGS = re.compile(r"[,،؛;]+")


def split_tags(value: str) -> list[str]:
    return [part.strip().strip("#").strip() for part in _SPLIT_TAGS.split(value) if part.strip()]


def _lines(value: str) -> list[str]:
    return [
        re.sub(r"^\s*(?:[-*•]|\d+[.)-])\s*", "", line).strip()
        for line in value.splitlines()
        if line.strip()
    ]


class JalaliDateField(forms.CharField):
    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_jalali(value).date()
        except JalaliParseError:
            raise ValidationError(
                _("“%(field)s” is not a Jalali date; write it like ۱۴۰۵/۰۲/۲۷.")
                % {"field": self.label},
                code="invalid",
            ) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, date):
            return format_date(value)
        return value


class ExperienceForm(NamedFieldErrors, PersianNormalisingForm):
    title = forms.CharField(label=_("Title"), max_length=250)
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    period_start = JalaliDateField(label=_("Period (from)"), required=False)
    period_end = JalaliDateField(label=_("Period (to)"), required=False)
    situation = forms.CharField(label=_("Situation"), widget=TEXTAREA, required=False)
    goal = forms.CharField(label=_("Goal"), widget=TEXTAREA, required=False)
    steps = forms.CharField(
        label=_("What was done (steps)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("One step per line, in order."),
    )
    channels = forms.CharField(label=_("Channels and tools"), widget=TEXTAREA, required=False)
    audience_text = forms.CharField(label=_("Audience"), widget=TEXTAREA, required=False)
    people = forms.IntegerField(label=_("People"), min_value=0, required=False)
    days = forms.IntegerField(label=_("Days"), min_value=0, required=False)
    money = forms.IntegerField(label=_("Money (rials)"), min_value=0, required=False)
    results = forms.CharField(label=_("Results"), widget=TEXTAREA, required=False)
    figures = forms.CharField(
        label=_("Figures"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line: what was measured, a colon, the figure."),
    )
    news_codes = forms.CharField(
        label=_("The office's news items (news codes)"),
        required=False,
        help_text=_("News codes of the office's published items, separated by commas."),
    )
    links = forms.CharField(
        label=_("Links"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One address per line; a title may come first, then a “|”."),
    )
    worked = forms.CharField(label=_("What worked"), widget=TEXTAREA, required=False)
    did_not_work = forms.CharField(label=_("What did not work"), widget=TEXTAREA, required=False)
    lessons = forms.CharField(
        label=_("Lessons"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One lesson per line; its tags after a “|”, separated by commas."),
    )
    recommendations = forms.CharField(label=_("Recommendations"), widget=TEXTAREA, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_role = forms.CharField(label=_("Contact's position"), max_length=150, required=False)
    contact_phone = forms.CharField(label=_("Contact's phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Contact's email"), required=False)
    tags = forms.CharField(
        label=_("Tags"), max_length=500, required=False, help_text=_("Separated by commas.")
    )
    confirm_personal_data = forms.BooleanField(
        label=_("I have checked: the personal data found may be published."), required=False
    )

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        self.office = office
        super().__init__(*args, **kwargs)

    def clean_period_end(self) -> date | None:
        start, end = self.cleaned_data.get("period_start"), self.cleaned_data.get("period_end")
        if start and end and end < start:
            raise ValidationError(_("The period ends before it starts."), code="order")
        return end

    def clean_news_codes(self) -> list[int]:
        value = text.to_ascii_digits(self.cleaned_data.get("news_codes") or "")
        codes = [int(code) for code in re.findall(r"\d{1,18}", value)]
        wrong = check_news_codes(self.office, codes)
        if wrong:
            raise ValidationError(
                _("These are not published news items of this office: %(codes)s")
                % {"codes": "، ".join(text.to_persian_digits(str(c)) for c in wrong)},
                code="news",
            )
        return list(dict.fromkeys(codes))

    def clean_links(self) -> list[tuple[str, str]]:
        links = []
        validate = URLValidator(schemes=["http", "https"])
        for line in _lines(self.cleaned_data.get("links") or ""):
            label, _sep, url = line.rpartition("|")
            url = url.strip()
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(
                    _("“%(url)s” is not a web address.") % {"url": url}, code="url"
                ) from None
            links.append((label.strip()[:250], url[:200]))
        return links

    def clean_figures(self) -> list[tuple[str, str]]:
        figures = []
        for line in _lines(self.cleaned_data.get("figures") or ""):
            label, sep, value = line.rpartition(":")
            if not sep:
                label, value = line, ""
            figures.append((label.strip()[:250], value.strip()[:120]))
        return figures

    def data_object(self) -> ExperienceData:
        c = self.cleaned_data
        lessons = []
        for line in _lines(c.get("lessons") or ""):
            body, _sep, tags = line.partition("|")
            if body.strip():
                lessons.append(LessonData(text.normalize(body).strip(), split_tags(tags)))
        return ExperienceData(
            title=c["title"],
            kind=c["kind"],
            period_start=c.get("period_start"),
            period_end=c.get("period_end"),
            situation=c.get("situation", ""),
            goal=c.get("goal", ""),
            steps=_lines(c.get("steps") or ""),
            channels=c.get("channels", ""),
            audience_text=c.get("audience_text", ""),
            people=c.get("people"),
            days=c.get("days"),
            money=c.get("money"),
            results=c.get("results", ""),
            figures=c.get("figures") or [],
            news_codes=c.get("news_codes") or [],
            links=c.get("links") or [],
            worked=c.get("worked", ""),
            did_not_work=c.get("did_not_work", ""),
            lessons=lessons,
            recommendations=c.get("recommendations", ""),
            contact_name=c.get("contact_name", ""),
            contact_role=c.get("contact_role", ""),
            contact_phone=text.to_ascii_digits(c.get("contact_phone", "")),
            contact_email=c.get("contact_email", ""),
            tags=split_tags(c.get("tags") or ""),
        )

    @classmethod
    def initial_from(cls, item: Any) -> dict[str, Any]:
        """The form's initial values from a saved write-up."""
        initial = {
            name: getattr(item, name)
            for name in (
                "title",
                "kind",
                "period_start",
                "period_end",
                "situation",
                "goal",
                "channels",
                "audience_text",
                "people",
                "days",
                "money",
                "results",
                "worked",
                "did_not_work",
                "recommendations",
                "contact_name",
                "contact_role",
                "contact_phone",
                "contact_email",
            )
        }
        initial["steps"] = "\n".join(step.text for step in item.steps.all())
        initial["lessons"] = "\n".join(
            lesson.text
            + (
                " | " + "، ".join(tag.name for tag in lesson.tags.all())
                if lesson.tags.all()
                else ""
            )
            for lesson in item.lessons.all()
        )
        evidence = list(item.evidence.all())
        initial["figures"] = "\n".join(
            f"{e.label}: {e.value}" for e in evidence if e.kind == "figure"
        )
        initial["news_codes"] = "، ".join(
            str(e.news_code) for e in evidence if e.kind == "news" and e.news_code
        )
        initial["links"] = "\n".join(
            (f"{e.label} | " if e.label else "") + e.url for e in evidence if e.kind == "link"
        )
        initial["tags"] = "، ".join(tag.name for tag in item.tags.all())
        return initial


class SubmitForm(forms.Form):
    pass


class ReviewForm(NamedFieldErrors, PersianNormalisingForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ReviewComment.Decision.choices, widget=forms.RadioSelect
    )
    body = forms.CharField(label=_("Comment"), widget=TEXTAREA, required=False)


class PublishForm(NamedFieldErrors, forms.Form):
    audience = forms.ChoiceField(
        label=_("Publish to"), choices=Audience.choices, widget=forms.RadioSelect
    )
    review_by = JalaliDateField(label=_("Review by"), required=False)
    confirm_personal_data = forms.BooleanField(
        label=_("I have checked: the personal data found may be published."), required=False
    )


class ConfirmForm(NamedFieldErrors, forms.Form):
    review_by = JalaliDateField(label=_("Next review by"), required=False)


class AttachmentForm(NamedFieldErrors, PersianNormalisingForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    purpose = forms.ChoiceField(label=_("Kind"), choices=Attachment.Purpose.choices)
    file = forms.FileField(label=_("File"))


class AppliedForm(NamedFieldErrors, PersianNormalisingForm):
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=network_selectors.active_offices().none()
    )
    note = forms.CharField(label=_("What you did with it"), widget=TEXTAREA, max_length=1000)

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offices is not None:
            self.fields["office"].queryset = offices  # type: ignore[attr-defined]


class ContactForm(NamedFieldErrors, PersianNormalisingForm):
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=network_selectors.active_offices().none()
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.ChoiceField(label=_("Position"), choices=Contact.Position.choices)
    title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    expertise = forms.CharField(
        label=_("Expertise"), max_length=500, required=False, help_text=_("Separated by commas.")
    )

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offices is not None:
            self.fields["office"].queryset = offices  # type: ignore[attr-defined]
