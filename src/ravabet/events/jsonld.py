"""schema.org `Event` JSON-LD for programme and event pages (search engines' event listings)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from .models import Event, EventStatus

_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.MOVED: "https://schema.org/EventRescheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}


def event_data(event: Event, base_url: str) -> dict[str, Any]:
    online = bool(event.video_link)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": event.starts_at.isoformat(),
        "endDate": event.ends_at.isoformat(),
        "eventStatus": _STATUS.get(EventStatus(event.status), _STATUS[EventStatus.SCHEDULED]),
        "eventAttendanceMode": (
            "https://schema.org/OnlineEventAttendanceMode"
            if online and not event.place
            else "https://schema.org/MixedEventAttendanceMode"
            if online
            else "https://schema.org/OfflineEventAttendanceMode"
        ),
        "url": base_url + event.get_absolute_url(),
        "organizer": {
            "@type": "GovernmentOrganization",
            "name": event.office.name_fa,
            "url": base_url + event.office.get_absolute_url(),
        },
        "inLanguage": "fa",
    }
    if event.description:
        data["description"] = event.description
    locations: list[dict[str, Any]] = []
    if event.place:
        locations.append({"@type": "Place", "name": event.place, "address": event.place})
    if online:
        locations.append({"@type": "VirtualLocation", "url": event.video_link})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
    return data


def script(events: Iterable[Event], base_url: str) -> SafeString:
    """A `<script type="application/ld+json">` with one Event per event (a list for several)."""
    items = [event_data(e, base_url) for e in events]
    if not items:
        return mark_safe("")
    payload = json.dumps(items[0] if len(items) == 1 else items, ensure_ascii=False)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308
