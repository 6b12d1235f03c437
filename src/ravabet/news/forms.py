from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ravabet.network.jalali import JalaliParseError, parse_jalali

from . import richtext, selectors, services
from .models import NewsItem


class NewsForm(forms.Form):
    over_title = forms.CharField(label=_("Over-title"), max_length=250, required=False)
    title = forms.CharField(label=_("Title"), max_length=250)
    lead = forms.CharField(
        label=_("Lead"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Body"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 14, "dir": "auto", "data-editor": "rich"}),
        help_text=_(
            "A blank line between paragraphs; a line starting with “## ” is a heading, "
            "“- ” or “۱. ” a list item, “> ” a quote."
        ),
    )
    # "text" from the plain textarea (no JavaScript), "html" once the editor has written the body.
    body_format = forms.ChoiceField(
        choices=[("text", "text"), ("html", "html")],
        initial="text",
        required=False,
        widget=forms.HiddenInput(attrs={"data-editor-format": ""}),
    )
    group = forms.ModelChoiceField(
        label=_("News group"), queryset=selectors.all_groups(), required=False
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=NewsItem.Language.choices)
    translation_of = forms.IntegerField(
        label=_("Translation of (news code)"), required=False, min_value=1
    )
    source_line = forms.CharField(label=_("Source"), max_length=250, required=False)

    def clean_translation_of(self):
        code = self.cleaned_data.get("translation_of")
        if not code:
            return None
        item = selectors.item_by_code(code)
        if item is None:
            raise forms.ValidationError(_("There is no news item with this code."))
        return item

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (its stub allows None)
        body = data.get("body", "")
        # A post without the field (an older client, a script) keeps the old rule: the
        # sanitiser tells HTML from plain text by itself.
        if data.get("body_format") == "text" or (
            "body_format" not in self.data and not richtext.looks_like_html(body)
        ):
            stored = self.initial.get("body_html", "")
            # Unchanged text keeps the stored HTML, so bold and links survive a save without JS.
            if stored and body.strip() == richtext.to_editable_text(stored).strip():
                body = stored
            else:
                body = richtext.from_editable_text(body)
        data["body"] = body
        return data

    def body_html(self) -> str:
        """The body as HTML for the rich editor (the textarea itself holds text)."""
        if not self.is_bound:
            return self.initial.get("body_html", "")
        raw = self.data.get("body", "")
        fmt = self.data.get("body_format")
        if fmt == "html" or (fmt is None and richtext.looks_like_html(raw)):
            return richtext.sanitize(raw)
        return richtext.from_editable_text(raw)

    def to_data(self) -> services.NewsData:
        data = self.cleaned_data
        return services.NewsData(
            title=data["title"],
            over_title=data["over_title"],
            lead=data["lead"],
            body=data["body"],
            source_line=data["source_line"],
            group=data["group"],
            tags=services.split_tags(data["tags"]),
            language=data["language"],
            translation_of=data["translation_of"],
        )

    @classmethod
    def initial_for(cls, item: NewsItem) -> dict:
        return {
            "over_title": item.over_title,
            "title": item.title,
            "lead": item.lead,
            "body": richtext.to_editable_text(item.body),
            "body_html": item.body,
            "body_format": "text",
            "group": item.group_id,
            "tags": "، ".join(t.name for t in item.tags.all()),
            "language": item.language,
            "translation_of": (
                item.translation_of.code if item.translation_of is not None else None
            ),
            "source_line": item.source_line,
        }


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Photo"))
    alt = forms.CharField(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    main = forms.BooleanField(label=_("Main photo"), required=False)


class ScheduleForm(forms.Form):
    publish_at = forms.CharField(
        label=_("Publish at (Jalali date and time)"),
        max_length=40,
        required=False,
        help_text=_("For example ۱۴۰۵/۰۹/۱۰ ۰۸:۳۰. Empty: publish now."),
    )

    def clean_publish_at(self):
        text = self.cleaned_data.get("publish_at", "").strip()
        if not text:
            return None
        try:
            return parse_jalali(text)
        except JalaliParseError:
            raise forms.ValidationError(
                _("Write the date as year/month/day hour:minute, e.g. ۱۴۰۵/۰۹/۱۰ ۰۸:۳۰.")
            ) from None
