"""Named version stamps: whatever is cached under a stamp is out of date once it changes.

One facility for every app: the network's stamp (`network`) changes on every write to an office
or a quick link, the newsroom's (`news.pages`) on every change a reader could see. A stamp is a
row of `network.Stamp`, bumped inside the caller's transaction, so other processes see the new
number exactly when the change it stands for is committed (and never for a rolled-back one).
Each process reads all stamps with one query at most once per `RAVABET_STAMP_CHECK` seconds
(default 1; 0 in tests), and at once after its own bump. A stamp may also carry `due`: the time
it is next expected to change by itself (the newsroom's next scheduled publication).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

NETWORK = "network"
_KEEP: object = object()
_memo: dict[str, Any] = {"at": -1e9, "stamps": {}}


def read(name: str) -> tuple[int, datetime | None]:
    """(number, due) of the stamp; (0, None) for one never bumped."""
    check = float(getattr(settings, "RAVABET_STAMP_CHECK", 1.0))
    if time.monotonic() - float(_memo["at"]) >= check:
        from .models import Stamp

        stamps = {name: (number, due) for name, number, due in Stamp.objects.values_list()}
        _memo.update(at=time.monotonic(), stamps=stamps)
    return _memo["stamps"].get(name, (0, None))


def current(name: str) -> int:
    return read(name)[0]


def numbers() -> dict[str, tuple[int, datetime | None]]:
    """Every stamp as this process last read it (re-read as `read` would): a snapshot that
    stays as it is while the caller works (a re-read replaces the mapping, never changes it)."""
    read(NETWORK)
    stamps: dict[str, tuple[int, datetime | None]] = _memo["stamps"]
    return stamps


def bump_many(names: Iterable[str]) -> None:
    """Give each stamp a new number in one statement (creating those never bumped), in the
    caller's transaction: a cache keyed by any of them retires."""
    from .models import Stamp

    wanted = sorted(set(names))
    if not wanted:
        return
    Stamp.objects.filter(name__in=wanted).update(number=F("number") + 1)
    existing = set(Stamp.objects.filter(name__in=wanted).values_list("name", flat=True))
    for name in wanted:
        if name not in existing:
            bump(name)
    forget()


def set_due(name: str, due: datetime | None) -> None:
    """Change only the stamp's `due` (caches keyed by its number stay valid)."""
    from .models import Stamp

    if not Stamp.objects.filter(name=name).update(due=due):
        try:
            with transaction.atomic():
                Stamp.objects.create(name=name, number=0, due=due)
        except IntegrityError:
            Stamp.objects.filter(name=name).update(due=due)
    forget()


def bump(name: str, *, due: datetime | object | None = _KEEP) -> None:
    """Give the stamp a new number (and, when given, a new `due`), in the caller's transaction."""
    from .models import Stamp

    changes: dict[str, Any] = {"number": F("number") + 1}
    if due is not _KEEP:
        changes["due"] = due
    if not Stamp.objects.filter(name=name).update(**changes):
        try:
            with transaction.atomic():
                Stamp.objects.create(name=name, number=1, due=changes.get("due"))
        except IntegrityError:  # created meanwhile by another process: bump that row
            Stamp.objects.filter(name=name).update(**changes)
    forget()


def forget() -> None:
    """Read the stamps again on the next call (after this process changed one)."""
    _memo["at"] = -1e9


def network_version() -> str:
    """The network's stamp, for cache keys of anything that shows offices or quick links."""
    return str(current(NETWORK))


def bump_network_version() -> None:
    bump(NETWORK)
