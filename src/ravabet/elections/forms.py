"""Forms of the elections app: the ballot (built from the positions), and the staff forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ravabet.network import selectors as network_selectors
from ravabet.network.forms import PersianNormalisingForm

from . import selectors
from .models import Election, Elector, Position
from .tally import BLANK

BLANK_LABEL = _("Blank / abstain")


class BallotForm(forms.Form):
    """One field per position: radio buttons (plurality) or check boxes capped at the seats
    (approval), each with an explicit blank choice; `choices()` is what the service stores."""

    def __init__(self, *args: Any, positions: list[Position], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.positions = positions
        for position in positions:
            options = [
                (str(c.pk), c.display_name)
                for c in position.candidate_list  # type: ignore[attr-defined]
            ] + [(BLANK, BLANK_LABEL)]
            name = f"p{position.pk}"
            if position.method == Position.Method.PLURALITY:
                self.fields[name] = forms.ChoiceField(
                    label=position.name,
                    choices=options,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose a candidate, or blank.")},
                )
            else:
                self.fields[name] = forms.MultipleChoiceField(
                    label=position.name,
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Up to %(seats)s candidates, or blank.")
                    % {"seats": position.seats},
                    error_messages={"required": _("Choose candidates, or blank.")},
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for position in self.positions:
            name = f"p{position.pk}"
            value = cleaned.get(name)
            if isinstance(value, list):
                if BLANK in value and len(value) > 1:
                    self.add_error(name, _("Blank cannot be chosen with candidates."))
                elif len(value) > position.max_choices:
                    self.add_error(
                        name,
                        _("You chose %(chosen)s; this position allows at most %(seats)s.")
                        % {"chosen": len(value), "seats": position.max_choices},
                    )
        return cleaned

    def choices(self) -> dict[str, Any]:
        chosen: dict[str, Any] = {}
        for position in self.positions:
            value = self.cleaned_data[f"p{position.pk}"]
            if value == BLANK or value == [BLANK]:
                chosen[str(position.pk)] = BLANK
            else:
                chosen[str(position.pk)] = value if isinstance(value, list) else [value]
        return chosen


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your one-time code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr", "inputmode": "text"}),
    )


class ElectionForm(PersianNormalisingForm):
    title_fa = forms.CharField(label=_("Persian title"), max_length=200)
    title_en = forms.CharField(label=_("English title"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=Election.Mode.choices)
    tie_rule = forms.ChoiceField(label=_("Tie rule"), choices=Election.TieRule.choices)
    opens_at = forms.DateTimeField(
        label=_("Voting opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Voting closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    quorum_percent = forms.IntegerField(
        label=_("Quorum (per cent of the roll)"), min_value=0, max_value=100, initial=50
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Voting must close after it opens."))
        return cleaned


class PositionForm(PersianNormalisingForm):
    name_fa = forms.CharField(label=_("Position (Persian)"), max_length=120)
    name_en = forms.CharField(label=_("Position (English)"), max_length=120, required=False)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=30, initial=1)
    role = forms.CharField(label=_("Council role code"), max_length=30, required=False)


def _office_label(line: Elector) -> str:
    return line.office.name


class ProxyForm(forms.Form):
    """Before opening: the proxy who casts a member office's vote instead of its PR manager."""

    line = forms.ModelChoiceField(label=_("Member office"), queryset=selectors.no_electors())
    username = forms.CharField(label=_("Proxy's user name"), max_length=150)

    def __init__(self, *args: Any, election: Election, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        line = cast(forms.ModelChoiceField, self.fields["line"])
        line.queryset = selectors.roll(election)
        line.label_from_instance = _office_label  # type: ignore[assignment]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username = cleaned.get("username")
        if username:
            user = network_selectors.active_user(username)
            if user is None:
                self.add_error("username", _("No active user has this user name."))
            cleaned["user"] = user
        return cleaned


def _nominee_label(line: Elector) -> str:
    voter = line.voter
    name = (voter.get_full_name() or voter.get_username()) if voter is not None else "—"
    return f"{name} — {line.office.name}"


class NominateForm(PersianNormalisingForm):
    position = forms.ModelChoiceField(label=_("Position"), queryset=selectors.no_positions())
    nominee = forms.ModelChoiceField(label=_("Nominee"), queryset=selectors.no_electors())
    statement = forms.CharField(
        label=_("Statement to the voters (when nominating yourself)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, election: Election, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["position"]).queryset = election.positions.all()
        nominee = cast(forms.ModelChoiceField, self.fields["nominee"])
        nominee.queryset = election.roll.exclude(voter=None).select_related("office", "voter")
        nominee.label_from_instance = _nominee_label  # type: ignore[assignment]


class AnswerForm(PersianNormalisingForm):
    statement = forms.CharField(
        label=_("Your statement to the voters"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )


class DecisionForm(PersianNormalisingForm):
    note = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class TellerForm(forms.Form):
    """The paper count: ballots in the box, then per position the marks per candidate and blanks."""

    ballots = forms.IntegerField(label=_("Ballots in the box"), min_value=0)

    def __init__(self, *args: Any, positions: list[Position], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.positions = positions
        for position in positions:
            for candidate in position.candidate_list:  # type: ignore[attr-defined]
                self.fields[f"c{candidate.pk}"] = forms.IntegerField(
                    label=f"{position.name}: {candidate.display_name}", min_value=0
                )
            self.fields[f"blank{position.pk}"] = forms.IntegerField(
                label=f"{position.name}: {BLANK_LABEL}", min_value=0
            )

    def counts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "ballots": data["ballots"],
            "positions": {
                str(position.pk): {
                    "votes": {
                        str(c.pk): data[f"c{c.pk}"]
                        for c in position.candidate_list  # type: ignore[attr-defined]
                    },
                    "blank": data[f"blank{position.pk}"],
                }
                for position in self.positions
            },
        }


class TellersForm(forms.Form):
    """The tellers of a paper count: two or more user names, separated by commas or spaces."""

    usernames = forms.CharField(label=_("Tellers' user names"), max_length=500)

    def clean_usernames(self) -> list[Any]:
        names = [
            n
            for n in self.cleaned_data["usernames"].replace("،", ",").replace(",", " ").split()
            if n
        ]
        users = []
        for name in dict.fromkeys(names):
            user = network_selectors.active_user(name)
            if user is None:
                raise forms.ValidationError(
                    _("No active user has the user name %(name)s.") % {"name": name}
                )
            users.append(user)
        if len(users) < 2:
            raise forms.ValidationError(_("Name at least two different tellers."))
        return users
