"""What registrants are told, through the network's outbox (`ravabet.network.outbox`).

Every notice is written in the transaction of the change it announces and sent after it commits.
A notice that changes the person's calendar (registered with a place, promoted from the waiting
list, approved, moved, cancelled) carries the event's .ics (`ravabet.network.ics`): the same UID
every time and the event's `sequence`, so a calendar replaces its entry; a cancellation sends
METHOD:CANCEL. Staff are reached at their account's email; guests at the email they gave, and by
SMS where a provider is configured (`network.notify`). Every notice links the person's own page,
where they see their place and can leave either list.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from ravabet.network import ics, outbox
from ravabet.network.jalali import format_datetime

REGISTERED = "registered"
PENDING = "pending"
WAITING = "waiting"
APPROVED = "approved"
REJECTED = "rejected"
PROMOTED = "promoted"
MOVED = "moved"
CANCELLED = "cancelled"

# Notices after which the person's calendar should hold the event (or drop it).
_WITH_CALENDAR = {REGISTERED, APPROVED, PROMOTED, MOVED, CANCELLED}


def topic(registration: Any) -> str:
    return f"events.registration:{registration.pk}"


def calendar_entry(event: Any) -> ics.Event:
    """The event as a calendar entry (the same UID for every version of it)."""
    with override("fa"):
        url = settings.SITE_URL + reverse("events:event", kwargs={"pk": event.pk})
    return ics.Event(
        uid=ics.uid("events-event", event.pk),
        start=event.starts_at,
        end=event.ends_at,
        summary=event.title,
        location=event.place or event.video_link,
        description=event.description,
        url=url,
        sequence=event.sequence,
        cancelled=event.status == "cancelled",
        organizer_email=event.office.email,
    )


def _subject_and_lead(kind: str, event: Any) -> tuple[str, str]:
    when = format_datetime(event.starts_at, "fa")
    texts = {
        REGISTERED: (
            _("Registered: %(title)s"),
            _("Your place at “%(title)s” (%(when)s) is confirmed."),
        ),
        WAITING: (
            _("On the waiting list: %(title)s"),
            _(
                "“%(title)s” (%(when)s) is full; you are on the waiting list and will be told "
                "if a place frees."
            ),
        ),
        APPROVED: (
            _("Registration approved: %(title)s"),
            _("The organiser approved your registration for “%(title)s” (%(when)s)."),
        ),
        REJECTED: (
            _("Registration not accepted: %(title)s"),
            _("The organiser could not accept your registration for “%(title)s”."),
        ),
        PROMOTED: (
            _("A place is yours: %(title)s"),
            _(
                "A place freed at “%(title)s” (%(when)s) and it is now yours: you have moved "
                "from the waiting list to the list of participants."
            ),
        ),
        MOVED: (
            _("New time: %(title)s"),
            _(
                "“%(title)s” has been moved; it is now on %(when)s. The new calendar entry "
                "is attached."
            ),
        ),
        CANCELLED: (
            _("Cancelled: %(title)s"),
            _("“%(title)s”, planned for %(when)s, has been cancelled."),
        ),
    }
    subject, lead = texts[kind]
    values = {"title": event.title, "when": when}
    return subject % values, lead % values


def tell(registration: Any, kind: str, *, event: Any) -> None:
    """Queue the notice `kind` for `registration`, in the caller's transaction."""
    with override("fa"):
        subject, lead = _subject_and_lead(kind, event)
        # A registration without a seat yet is told where it stands instead.
        if kind == REGISTERED and registration.status == "waiting":
            kind = WAITING
            subject, lead = _subject_and_lead(WAITING, event)
        elif kind == REGISTERED and registration.status == "pending":
            kind = PENDING
            subject = _("Registration received: %(title)s") % {"title": event.title}
            lead = _("Your registration for “%(title)s” waits for the organiser's approval.") % {
                "title": event.title
            }
        own_page = settings.SITE_URL + reverse("events:pass", kwargs={"token": registration.token})
        place = event.place or event.video_link
        lines = [
            lead,
            "",
            _("Place") + ": " + place if place else "",
            _("Organiser") + ": " + event.office.name_fa,
            "",
            _("Your registration, your pass and the link to leave the list:"),
            own_page,
        ]
        body = "\n".join(line for line in lines if line is not None)
    attachments = []
    if kind in _WITH_CALENDAR:
        attachments = [
            outbox.Attachment("event.ics", "text/calendar", ics.invitation(calendar_entry(event)))
        ]
    email = registration.user.email if registration.user is not None else registration.guest_email
    messages = [
        outbox.queue(email, subject, body, topic=topic(registration), attachments=attachments)
    ]
    if registration.user is None and registration.guest_mobile and outbox.sms_available():
        messages.append(
            outbox.queue(
                registration.guest_mobile, subject, body, channel="sms", topic=topic(registration)
            )
        )
    outbox.send_after_commit(messages)
