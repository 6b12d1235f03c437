"""Who may review a write-up: a second person from the education working group, or a reviewer.

A reviewer is, first, a *second person*: not the author and not a member of the write-up's own
office. Then either
- a manager or editor of an office that belongs today to a council's education working group
  (`council.selectors.offices_in_groups_of_topic("education")`, when the council app is installed:
  the issue's "reviewed by a second person from the education working group"); they review the
  write-ups of every office of the network; or
- anyone `network.permissions.may` allows `experiences.review` on the write-up's office (the
  directorate's `reviewer` role reaches every office below it; managers above the office too):
  the way reviews work where no council has an education working group.

`register_reviewer_rule(rule)` adds a rule that answers True (may review), False (may not) or
None (no opinion) before the checks above; the second-person condition always holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps

from ravabet.network.models import Role
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


EDUCATION = "education"
GROUP_ROLES = (Role.MANAGER, Role.EDITOR)  # who speaks for a working group's member office


def education_group_offices() -> frozenset[int]:
    """Offices in an education working group today (none when the council app is absent)."""
    if not apps.is_installed("ravabet.council"):
        return frozenset()
    from ravabet.council import selectors as council_selectors

    return council_selectors.offices_in_groups_of_topic(EDUCATION)


def in_education_group(user: Any) -> bool:
    """Is the user a manager or editor of an office of an education working group?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    offices = education_group_offices()
    if not offices:
        return False
    from ravabet.network.selectors import memberships_of

    return memberships_of(user).filter(office_id__in=offices, role__in=GROUP_ROLES).exists()


def education_group_users() -> list[Any]:
    """The managers and editors of the education working groups' offices (for notices)."""
    offices = education_group_offices()
    if not offices:
        return []
    from ravabet.network.selectors import users_with_roles_in

    return users_with_roles_in(offices, GROUP_ROLES)


def may_review(user: Any, experience: Experience) -> bool:
    if not is_second_person(user, experience):
        return False
    for rule in _RULES:
        answer = rule(user, experience)
        if answer is not None:
            return answer
    return in_education_group(user) or may(user, Action.EXPERIENCES_REVIEW, experience)
