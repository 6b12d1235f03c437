"""Who may review a write-up: the seam where the council's education working group comes in.

Today a reviewer is anyone `network.permissions.may` allows `experiences.review` on the
write-up's office (the directorate's `reviewer` role reaches every office below it; managers
above the office too), provided they are a *second person*: not the author and not a member
of the write-up's own office.

When the council's education working group exists, the council app (which may import this app)
calls `register_reviewer_rule(rule)` in its AppConfig.ready(): a rule answers True (may review),
False (may not) or None (no opinion) for a user and a write-up, and the first answer that is
not None wins before the role check. The second-person condition always holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ravabet.network.permissions import Action, may

from .models import Experience

ReviewerRule = Callable[[Any, Experience], bool | None]

_RULES: list[ReviewerRule] = []


def register_reviewer_rule(rule: ReviewerRule) -> None:
    if rule not in _RULES:
        _RULES.append(rule)


def unregister_reviewer_rule(rule: ReviewerRule) -> None:
    if rule in _RULES:
        _RULES.remove(rule)


def is_second_person(user: Any, experience: Experience) -> bool:
    """Not the author, and no role in the write-up's own office (superusers aside)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if experience.author_id == user.pk:
        return False
    if user.is_superuser:
        return True
    from ravabet.network.selectors import memberships_of

    return not memberships_of(user).filter(office_id=experience.office_id).exists()


def may_review(user: Any, experience: Experience) -> bool:
    if not is_second_person(user, experience):
        return False
    for rule in _RULES:
        answer = rule(user, experience)
        if answer is not None:
            return answer
    return may(user, Action.EXPERIENCES_REVIEW, experience)
