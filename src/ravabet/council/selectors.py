"""Reads of the council app. The core's reads come first; the public side and the desks
(councilpub) follow the marker below."""

from __future__ import annotations

# --- public side and desks (councilpub) ---
