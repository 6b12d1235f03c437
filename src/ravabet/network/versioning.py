"""A version stamp of the office network, changed on every write to an office or a quick link.

Pages that show the network (the province home's office tree, an office's children, footers)
cache what they build under the current stamp, so a change shows at once in every server
process. With Redis the stamp lives in the shared cache; without it (the embedded default, where
each process has its own local-memory cache) it lives in a small file under RAVABET_VAR_DIR, which
every process on the machine reads. A process re-reads the stamp at most once per
`RAVABET_STAMP_CHECK` seconds (default 1; 0 in tests), and at once after its own bump.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

_KEY = "network:version"


def _stamp_file() -> Path:
    return (
        Path(getattr(settings, "RAVABET_STAMP_DIR", Path(settings.VAR_DIR) / "stamps")) / "network"
    )


_memo: dict[str, object] = {"at": -1e9, "stamp": ""}


def network_version() -> str:
    """The current stamp (an opaque string)."""
    check = float(getattr(settings, "RAVABET_STAMP_CHECK", 1.0))
    if time.monotonic() - float(_memo["at"]) < check:  # type: ignore[arg-type]
        return str(_memo["stamp"])
    stamp = _read()
    _memo.update(at=time.monotonic(), stamp=stamp)
    return stamp


def _read() -> str:
    if settings.REDIS_URL:
        return str(cache.get_or_set(_KEY, uuid.uuid4().hex, None))
    try:
        return _stamp_file().read_text()
    except FileNotFoundError:
        return bump_network_version()


def bump_network_version() -> str:
    """Give the network a new stamp: everything cached under the old one is out of date."""
    stamp = uuid.uuid4().hex
    _memo.update(at=-1e9)
    if settings.REDIS_URL:
        cache.set(_KEY, stamp, None)
        return stamp
    path = _stamp_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{stamp}")
    temporary.write_text(stamp)
    os.replace(temporary, path)  # readers see the old stamp or the new one, never half a file
    return stamp
