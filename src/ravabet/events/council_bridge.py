"""Council working groups, only where the council app is installed (it may not be).

The council app (another branch when this was written) is asked through its selectors:
`working_group_member_ids(group_ids) -> set[int]` (user ids) and `working_groups() ->
list[tuple[int, str]]` for the invitation form. Without the app, or without those selectors,
working groups are simply not offered: nothing here fails.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from django.apps import apps


def _selectors() -> ModuleType | None:
    if not apps.is_installed("ravabet.council"):
        return None
    try:
        module = importlib.import_module("ravabet.council.selectors")
    except ImportError:
        return None
    return module if hasattr(module, "working_group_member_ids") else None


def available() -> bool:
    return _selectors() is not None


def is_member_of_any(user: Any, group_ids: Iterable[int]) -> bool:
    module = _selectors()
    if module is None:
        return False
    return user.pk in set(module.working_group_member_ids(set(group_ids)))


def working_groups() -> list[tuple[int, str]]:
    module = _selectors()
    if module is None or not hasattr(module, "working_groups"):
        return []
    return list(module.working_groups())
