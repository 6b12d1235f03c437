"""What registrants are told, and through which channel.

Notices go through the network's outbox (`ravabet.network.outbox`), each with the event's .ics
where the calendar should change. Guests are reached by the email (or mobile) they gave; staff by
their account's email.
"""

from __future__ import annotations

from typing import Any

REGISTERED = "registered"
WAITING = "waiting"
APPROVED = "approved"
REJECTED = "rejected"
PROMOTED = "promoted"
MOVED = "moved"
CANCELLED = "cancelled"


def tell(registration: Any, kind: str, *, event: Any) -> None:
    """Queue the notice `kind` for `registration` (in the caller's transaction)."""
    # Wired to network.outbox once it lands on main (see the merge commit).
    return None
