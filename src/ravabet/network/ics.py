"""iCalendar (.ics) files for every app: a meeting invitation, an event, a personal feed.

Built with the `icalendar` library (RFC 5545 folding, escaping and UTC times done for us):

    body = ics.calendar([ics.Event(uid="meeting-7@ravabet", start=..., end=..., summary="جلسه ۱۲")],
                        name="جلسات شورا")
    return ics.response(body, "meeting-7.ics")

A changed or cancelled event keeps its `uid` and raises `sequence`, so calendars update the entry
instead of adding a second one; `cancelled=True` sends STATUS:CANCELLED (with METHOD:CANCEL for an
invitation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar
from icalendar import Event as VEvent

PRODID = "-//Ravabet//روابط//FA"
MIMETYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class Event:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False
    organizer_email: str = ""


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def calendar(events: Iterable[Event], *, name: str = "", method: str = "") -> bytes:
    """One VCALENDAR with these events. `method` is "REQUEST" or "CANCEL" for an invitation sent by
    mail (one event), empty for a feed or a download."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for item in events:
        event = VEvent()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(item.start))
        event.add("dtend", _utc(item.end))
        event.add("summary", item.summary)
        event.add("sequence", item.sequence)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        if item.organizer_email:
            event.add("organizer", f"mailto:{item.organizer_email}")
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        cal.add_component(event)
    return bytes(cal.to_ical())


def invitation(item: Event) -> str:
    """The text of a single-event invitation for an outbox attachment (METHOD REQUEST/CANCEL)."""
    return calendar([item], method="CANCEL" if item.cancelled else "REQUEST").decode("utf-8")


def uid(kind: str, pk: object) -> str:
    """A stable, deployment-unique UID for an object ("council-meeting", 7)."""
    host = (getattr(settings, "SITE_URL", "") or "ravabet").split("//")[-1].split("/")[0]
    return f"{kind}-{pk}@{host or 'ravabet'}"


def response(body: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """An HTTP response carrying the calendar (a feed is served inline, a file as a download)."""
    reply = HttpResponse(body, content_type=MIMETYPE)
    disposition = "inline" if inline else "attachment"
    reply["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    reply["X-Robots-Tag"] = "noindex"
    return reply
