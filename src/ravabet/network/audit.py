"""The audit log as a manager reads it: Persian names for action codes, fields, roles and states,
and every recorded value in full.

The codes are written by the apps above `network` (news, comments, demands); `network` must not
import them, so their names live here as plain strings. A test reads every `record(...)` call in
the source and fails when a code has no name here (network/tests/test_audit_log.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import selectors
from .jalali import format_datetime
from .text import to_persian_digits

ACTIONS: dict[str, Any] = {
    "auth.sign_in": _("Signed in"),
    "auth.sign_out": _("Signed out"),
    "user.create": _("User created"),
    "role.grant": _("Role granted"),
    "role.revoke": _("Role revoked"),
    "office.create": _("Office created"),
    "office.edit": _("Office edited"),
    "office.rename": _("Office renamed"),
    "office.move": _("Office moved in the tree"),
    "office.deactivate": _("Office deactivated"),
    "auth.enrol_link": _("Enrolment link opened"),
    "auth.enrol_link_made": _("Enrolment link made"),
    "auth.enrol_refused": _("Enrolment without a link refused"),
    "admin.delete": _("Deleted in the admin"),
    "news.create": _("News item written"),
    "news.update": _("News item edited"),
    "news.submit": _("News sent for review"),
    "news.send_back": _("News sent back to the author"),
    "news.schedule": _("News scheduled"),
    "news.publish": _("News published"),
    "news.publish_scheduled": _("Scheduled news published"),
    "news.unpublish": _("News unpublished"),
    "news.photo_add": _("Photo added"),
    "news.photo_remove": _("Photo removed"),
    "news.import": _("News imported"),
    "council.news_draft": _("News draft made from a council meeting"),
    "comments.approve": _("Comment approved"),
    "comments.reject": _("Comment rejected"),
    "comments.auto_reject": _("Comment rejected automatically"),
    "comments.edit": _("Comment edited"),
    "comments.reply": _("Comment answered by the office"),
    "comments.mark_wrong": _("Automatic decision marked wrong"),
    "comments.settings": _("Comment settings changed"),
    "demands.submit": _("Demand received"),
    "demands.assign": _("Demand assigned"),
    "demands.refer": _("Demand referred"),
    "demands.referred_in": _("Demand referred to this office"),
    "demands.answer": _("Demand answered"),
    "demands.note": _("Internal note on a demand"),
    "demands.close": _("Demand closed"),
    "demands.rate": _("Answer rated by the citizen"),
    "demands.deadlines": _("Answer deadlines changed"),
    "demands.attachment_missing": _("Attachment file found missing"),
    "council.create": _("Council created"),
    "council.term": _("Council term added"),
    "council.seat": _("Council seat given"),
    "council.seat_end": _("Council seat ended"),
    "council.group_create": _("Working group created"),
    "council.group_join": _("Office joined a working group"),
    "council.group_leave": _("Office left a working group"),
    "council.meeting_create": _("Meeting created"),
    "council.meeting_edit": _("Meeting changed"),
    "council.meeting_invite": _("Meeting invitations sent"),
    "council.meeting_cancel": _("Meeting cancelled"),
    "council.meeting_start": _("Meeting started"),
    "council.meeting_close": _("Meeting closed"),
    "council.agenda_add": _("Agenda item added"),
    "council.agenda_move": _("Agenda items reordered"),
    "council.agenda_remove": _("Agenda item removed"),
    "council.propose": _("Agenda item proposed"),
    "council.proposal_decline": _("Agenda proposal declined"),
    "council.rsvp": _("Invitation answered"),
    "council.attendance": _("Attendance taken"),
    "council.minutes_edit": _("Minutes edited"),
    "council.minutes_circulate": _("Minutes circulated for objections"),
    "council.minutes_object": _("Objection to the minutes"),
    "council.minutes_reopen": _("Minutes returned to draft"),
    "council.minutes_approve": _("Minutes approved"),
    "council.minutes_version": _("New version of approved minutes"),
    "council.decision_add": _("Decision recorded"),
    "council.decision_deadline": _("Decision deadline changed"),
    "council.decision_close": _("Decision cancelled or superseded"),
    "council.decision_report": _("Progress reported on a decision"),
    "council.feed_token": _("Calendar feed address made"),
    "council.feed_revoke": _("Calendar feed address revoked"),
    "evaluation.version_create": _("Evaluation criteria version made"),
    "evaluation.weight": _("Evaluation weight changed"),
    "evaluation.evaluator": _("Evaluator appointed or released"),
    "evaluation.open": _("Evaluation period opened"),
    "evaluation.mark": _("Indicator marked by an evaluator"),
    "evaluation.evidence": _("Evidence submitted for an indicator"),
    "evaluation.replies_open": _("Right of reply opened"),
    "evaluation.reply": _("Reply to an evaluation score"),
    "evaluation.replies_close": _("Office finished its replies"),
    "evaluation.audit_start": _("Evaluation audit started"),
    "evaluation.audit": _("Evaluation score audited"),
    "evaluation.publish": _("Evaluation published"),
    "evaluation.recompute": _("Measured scores recomputed"),
    "experiences.create": _("Experience write-up started"),
    "experiences.update": _("Experience write-up revised"),
    "experiences.submit": _("Experience write-up submitted for review"),
    "experiences.comment": _("Review comment on an experience write-up"),
    "experiences.approve": _("Experience write-up approved by the reviewer"),
    "experiences.send_back": _("Experience write-up sent back for changes"),
    "experiences.publish": _("Experience write-up published"),
    "experiences.unpublish": _("Experience write-up withdrawn"),
    "experiences.confirm": _("Experience write-up confirmed as still valid"),
    "experiences.attach": _("File attached to an experience write-up"),
    "experiences.detach": _("File removed from an experience write-up"),
    "experiences.applied": _("Experience marked as applied by an office"),
    "experiences.directory": _("PR network directory entry changed"),
    "elections.create": _("Election created"),
    "elections.position_add": _("Position added to an election"),
    "elections.roll": _("Election roll read from the council's members"),
    "elections.proxy": _("Proxy voter recorded"),
    "elections.tellers": _("Tellers named"),
    "elections.nominations": _("Nominations opened"),
    "elections.nominate": _("Candidate nominated"),
    "elections.answer": _("Nomination answered by the nominee"),
    "elections.approve": _("Candidacy approved"),
    "elections.reject": _("Candidacy not approved"),
    "elections.open": _("Voting opened (roll frozen)"),
    "elections.codes": _("In-room voting codes handed out"),
    "elections.close": _("Voting closed (result sealed)"),
    "elections.lottery": _("Tie settled by the system's lottery"),
    "elections.teller_entry": _("Paper count entered by a teller"),
    "elections.count_differs": _("Tellers' counts differ"),
    "elections.count_agreed": _("Tellers' counts agree (result sealed)"),
    "elections.publish": _("Election result published"),
    "elections.confirm": _("Elected board installed in the council"),
    "events.series_create": _("Event programme created"),
    "events.series_clone": _("Event programme copied from another year"),
    "events.create": _("Event created"),
    "events.session_add": _("Event session added"),
    "events.invite": _("Invitations to an event"),
    "events.move": _("Event moved"),
    "events.cancel": _("Event cancelled"),
    "events.register": _("Registered for an event"),
    "events.promote": _("Promoted from the waiting list"),
    "events.leave": _("Left an event's list"),
    "events.approve": _("Registration approved"),
    "events.reject": _("Registration turned down"),
    "events.checkin": _("Checked in at an event"),
    "events.mark": _("Attendance marked by hand"),
    "events.certify": _("Certificate issued"),
    "events.certify_bulk": _("Certificates issued in bulk"),
    "events.revoke": _("Certificate revoked"),
    "events.retention": _("Guests' personal data removed after the retention period"),
}

# The permission a refused request asked for ("denied:<permission>").
PERMISSIONS: dict[str, Any] = {
    "news.write": _("write news"),
    "news.edit_any": _("edit any news item"),
    "news.review": _("review news"),
    "news.publish": _("publish news"),
    "news.delete": _("delete news"),
    "news.stats": _("see news statistics"),
    "comments.moderate": _("moderate comments"),
    "comments.reply": _("answer comments"),
    "demands.view": _("see demands"),
    "demands.answer": _("answer demands"),
    "demands.assign": _("assign demands"),
    "demands.refer": _("refer demands"),
    "demands.settings": _("change answer deadlines"),
    "council.manage": _("manage a council's meetings and decisions"),
    "council.approve": _("approve a council's minutes"),
    "council.take_part": _("take part in a council"),
    "council.report": _("report on a council decision"),
    "office.edit": _("edit the office"),
    "office.members": _("manage members"),
    "audit.view": _("see the audit log"),
    "staff.area": _("enter the staff desk"),
    "evaluation.manage": _("run the evaluation"),
    "evaluation.view": _("see the office's evaluation card"),
    "evaluation.reply": _("reply to the evaluation"),
    "evaluation.mark": _("mark as an evaluator"),
    "evaluation.mark_own_office": _("mark one's own office"),
    "evaluation.audit": _("audit as an evaluator"),
    "evaluation.audit_own_office": _("audit one's own office"),
    "evaluation.audit_own_mark": _("audit one's own mark"),
    "experiences.write": _("write experience write-ups"),
    "experiences.publish": _("publish experience write-ups"),
    "experiences.review": _("review experience write-ups"),
    "elections.manage": _("run elections"),
    "events.manage": _("manage events"),
    "events.checkin": _("check people in at events"),
    "events.guests": _("see event guests' contact details"),
    "events.certify": _("issue and revoke certificates"),
}

FIELDS: dict[str, Any] = {
    "title": _("Title"),
    "over_title": _("Over-title"),
    "lead": _("Lead"),
    "body": _("Body"),
    "source_line": _("Source"),
    "group": _("News group"),
    "tags": _("Tags"),
    "language": _("Language"),
    "translation_of": _("Translation of"),
    "status": _("Status"),
    "publish_at": _("Publish at"),
    "published_at": _("Published at"),
    "note": _("Note"),
    "alt": _("Alternative text"),
    "reason": _("Reason"),
    "text": _("Text"),
    "in_reply_to": _("In reply to comment"),
    "label": _("Label"),
    "auto_reject": _("Automatic rejection"),
    "created": _("Items created"),
    "source": _("Source"),
    "origin": _("Prepared from"),
    "news_code": _("News code"),
    "host_office": _("Host office"),
    "satisfied": _("Satisfied"),
    "assignee": _("Assigned to"),
    "office": _("Office"),
    "on_time": _("On time"),
    "due_at": _("Deadline"),
    "user": _("User"),
    "role": _("Role"),
    "username": _("Username"),
    "kind": _("Kind"),
    "slug": _("Address name"),
    "name_fa": _("Persian name"),
    "name_en": _("English name"),
    "parent_id": _("Parent office"),
    "mode": _("Mode"),
    "tie_rule": _("Tie rule"),
    "quorum_percent": _("Quorum (%)"),
    "seats": _("Seats"),
    "method": _("Method"),
    "position": _("Position"),
    "electors": _("Electors on the roll"),
    "tellers": _("Tellers"),
    "round": _("Round"),
    "counts": _("Counts"),
    "draws": _("Lottery draw"),
    "session": _("Session"),
    "mark": _("Mark"),
    "invited": _("Invitations"),
    "cleared": _("Records cleared"),
    "months": _("Months"),
    "year": _("Year"),
    "starts_at": _("Starts at"),
    "ends_at": _("Ends at"),
    "place": _("Place"),
    # Demand kinds: the deadline settings record one field per kind.
    "question": pgettext_lazy("demand kind", "Question"),
    "request": pgettext_lazy("demand kind", "Request"),
    "complaint": pgettext_lazy("demand kind", "Complaint"),
    "suggestion": pgettext_lazy("demand kind", "Suggestion"),
    "appreciation": pgettext_lazy("demand kind", "Appreciation"),
}

# Values that are codes: roles and the states of news, comments and demands.
VALUES: dict[str, Any] = {
    "manager": _("PR manager"),
    "editor": _("Editor"),
    "author": _("Author"),
    "moderator": _("Comment moderator"),
    "responder": _("Demands responder"),
    "reviewer": _("Experience reviewer"),
    "submitted": _("Submitted for review"),
    "changes": _("Sent back for changes"),
    "approved": _("Approved"),
    "withdrawn": _("Withdrawn"),
    "draft": _("Draft"),
    "review": _("In review"),
    "scheduled": _("Scheduled"),
    "published": _("Published"),
    "unpublished": _("Unpublished"),
    "pending": _("Waiting for review"),
    "rejected": _("Rejected"),
    "received": _("Received"),
    "assigned": _("Assigned"),
    "answered": _("Answered"),
    "closed": _("Closed"),
    "open": _("Open"),
    "confirmed": _("Registered"),
    "waiting": _("On the waiting list"),
    "cancelled": _("Cancelled"),
}
_CODE_FIELDS = {"status", "role"}
_HTML_FIELDS = {"body"}


def action_label(code: str) -> str:
    if code.startswith("denied:"):
        wanted = code.removeprefix("denied:")
        return str(_("Refused: %(permission)s") % {"permission": PERMISSIONS.get(wanted, wanted)})
    return str(ACTIONS.get(code, code))


def action_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in ACTIONS.items()] + [
        ("denied", str(_("Refused requests")))
    ]


def value_text(field: str, value: Any) -> str:
    """A recorded value as a manager reads it, in full (Persian digits, Jalali dates)."""
    if value is None or value == "":
        return "∅"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if field in _HTML_FIELDS and isinstance(value, str):
        # A news body is stored as HTML; the log shows its text, never tags.
        return strip_tags(re.sub(r"</(p|h[2-4]|li|blockquote)>", "\n", value)).strip() or "∅"
    if field in _CODE_FIELDS and str(value) in VALUES:
        return str(VALUES[str(value)])
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and value[10:11] in "T ":
        try:
            return format_datetime(datetime.fromisoformat(value))
        except ValueError:
            pass
    if isinstance(value, list):
        return "، ".join(value_text(field, v) for v in value)
    return to_persian_digits(str(value)) if isinstance(value, int | float) else str(value)


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str | None  # None: a value set, not changed from something
    new: str


_PERSON_FIELDS = {"assignee"}  # stored as a user id


def people_in(events: list[Any]) -> dict[int, str]:
    """Full names of the users that events' changes name by id (one query for a page)."""
    ids = {
        v
        for e in events
        for field, pair in (e.changes or {}).items()
        if field in _PERSON_FIELDS
        for v in (pair if isinstance(pair, list) else [pair])
        if isinstance(v, int)
    }
    return selectors.full_names(ids)


def changes_of(changes: dict[str, Any], people: dict[int, str] | None = None) -> list[Change]:
    """Each recorded field as (label, old, new). A change is stored as [old, new]; some events
    store a single value (a photo's alt text, a rejection's reason), which is shown whole (it was
    once read as a pair, so only its first two letters were shown)."""
    rows = []
    for field, value in (changes or {}).items():
        if field in _PERSON_FIELDS and people:
            if isinstance(value, list):
                value = [people.get(v, v) if isinstance(v, int) else v for v in value]
            elif isinstance(value, int):
                value = people.get(value, value)
        label = str(FIELDS.get(field, field))
        if isinstance(value, list | tuple) and len(value) == 2:
            old, new = value
            shown_old = None if old is None else value_text(field, old)
            rows.append(Change(field, label, shown_old, value_text(field, new)))
        else:
            rows.append(Change(field, label, None, value_text(field, value)))
    return rows
