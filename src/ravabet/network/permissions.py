"""The one answer to "may this user do this action on this office's object?".

Every app asks `may(user, action, target)`; no view or service decides permissions on its own.

Rules (docs/architecture.md, "Permissions"):
- A membership gives its role's actions on objects of its own office.
- A manager's actions reach the whole subtree below the office as well (a province directorate
  manager oversees every office under it). Other roles stay in their own office.
- Nothing reaches upward or sideways: a role in a child office gives nothing on its parent or its
  siblings.
- Superusers may do everything (they are the deployment's operators, audited like everyone).
- Some actions are given on *one's own* objects by a lesser action (`OWNER_ACTIONS`): an author
  reads and edits the news items they wrote, editors anyone's. `may` answers it for one object,
  `reach(...).q()` for a queryset (the staff desk, the search index), from the same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from django.db.models import Q, QuerySet

from .models import Membership, Office, Role


class Action(StrEnum):
    """Every staff action the apps know, named `<domain>.<verb>`."""

    NEWS_WRITE = "news.write"  # create news (and, as owner, read and edit own drafts)
    NEWS_READ_ANY = "news.read_any"  # staff pages of anyone's item: drafts, revisions, photos
    NEWS_EDIT_ANY = "news.edit_any"  # edit anyone's item in the office
    NEWS_EDIT_DRAFT = "news.edit_draft"  # a draft or an item in review: anyone's, or one's own
    NEWS_REVIEW = "news.review"  # send back, approve
    NEWS_PUBLISH = "news.publish"  # publish, schedule, unpublish
    NEWS_DELETE = "news.delete"
    NEWS_STATS = "news.stats"  # usefulness votes, views
    COMMENTS_MODERATE = "comments.moderate"
    COMMENTS_REPLY = "comments.reply"  # answer as the office
    DEMANDS_VIEW = "demands.view"
    DEMANDS_ANSWER = "demands.answer"
    DEMANDS_ASSIGN = "demands.assign"
    DEMANDS_REFER = "demands.refer"
    DEMANDS_SETTINGS = "demands.settings"  # per-kind deadlines of the office
    COUNCIL_MANAGE = "council.manage"  # a body's meetings, agenda, attendance, minutes, decisions
    COUNCIL_APPROVE = "council.approve"  # approve minutes (asked on the chair's office)
    COUNCIL_TAKE_PART = "council.take_part"  # a member office: RSVP, propose items, object
    COUNCIL_REPORT = "council.report"  # report progress on the office's decisions
    OFFICE_EDIT = "office.edit"  # profile, quick links, settings
    OFFICE_MEMBERS = "office.members"  # grant and revoke roles
    AUDIT_VIEW = "audit.view"
    STAFF_AREA = "staff.area"  # see the staff dashboard at all


_EDITORIAL = {
    Action.STAFF_AREA,
    Action.NEWS_WRITE,
    Action.NEWS_READ_ANY,
    Action.NEWS_EDIT_DRAFT,
    Action.NEWS_EDIT_ANY,
    Action.NEWS_REVIEW,
    Action.NEWS_PUBLISH,
    Action.NEWS_STATS,
}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.MANAGER: frozenset(Action),
    Role.EDITOR: frozenset(
        _EDITORIAL
        | {
            Action.COMMENTS_MODERATE,
            Action.COMMENTS_REPLY,
            Action.COUNCIL_TAKE_PART,
            Action.COUNCIL_REPORT,
        }
    ),
    Role.AUTHOR: frozenset({Action.STAFF_AREA, Action.NEWS_WRITE}),
    Role.MODERATOR: frozenset({Action.STAFF_AREA, Action.COMMENTS_MODERATE, Action.COMMENTS_REPLY}),
    Role.RESPONDER: frozenset(
        {
            Action.STAFF_AREA,
            Action.DEMANDS_VIEW,
            Action.DEMANDS_ANSWER,
            Action.DEMANDS_ASSIGN,
            Action.DEMANDS_REFER,
        }
    ),
}

# Roles whose reach extends down the office's subtree.
SUBTREE_ROLES = frozenset({Role.MANAGER})

# The "own draft" rule. An action on the left is also allowed on an object the user owns (a
# news item they wrote: `author_id`, or `owner_id` on a search document) where the user may do
# the action on the right; on anyone else's object the role must give the action itself.
# The newsroom asks NEWS_EDIT_DRAFT while an item is a draft or in review, NEWS_EDIT_ANY after.
OWNER_ACTIONS: dict[Action, Action] = {
    Action.NEWS_READ_ANY: Action.NEWS_WRITE,
    Action.NEWS_EDIT_DRAFT: Action.NEWS_WRITE,
}


class HasOffice(Protocol):
    office: Office


def office_of(target: Office | HasOffice) -> Office:
    if isinstance(target, Office):
        return target
    office = getattr(target, "office", None)
    if not isinstance(office, Office):
        raise TypeError(f"{target!r} has no office to check permissions against")
    return office


def owner_id_of(target: Any) -> int | None:
    """Who owns `target`: a news item's author, a search document's owner; None for offices."""
    for name in ("author_id", "owner_id"):
        value = getattr(target, name, None)
        if value is not None:
            return value
    return None


def _memberships(user: Any) -> list[tuple[str, str]]:
    """(role, office path) pairs for the user, cached on the user object for one request."""
    cached = getattr(user, "_ravabet_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, office__is_active=True).values_list(
                "role", "office__path"
            )
        )
        user._ravabet_memberships = cached
    return cached


def forget_memberships(user: Any) -> None:
    """Drop the per-request cache after a role change."""
    if hasattr(user, "_ravabet_memberships"):
        del user._ravabet_memberships


def may(user: Any, action: Action | str, target: Office | HasOffice) -> bool:
    """May `user` do `action` on `target` (an Office, or any object with an `office`)?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    action = Action(action)
    if user.is_superuser:
        return True
    path = office_of(target).path
    if _role_allows(user, action, path):
        return True
    lesser = OWNER_ACTIONS.get(action)
    return (
        lesser is not None and owner_id_of(target) == user.pk and _role_allows(user, lesser, path)
    )


def _role_allows(user: Any, action: Action, path: str) -> bool:
    for role, member_path in _memberships(user):
        if action not in ROLE_ACTIONS.get(role, ()):
            continue
        if path == member_path or (role in SUBTREE_ROLES and path.startswith(member_path)):
            return True
    return False


@dataclass(frozen=True)
class Reach:
    """Where a user may do an owner action: on every object of `offices`, and on the objects
    they own (owner id `user_id`) in `own_offices`. The queryset form of `may` (same table)."""

    offices: tuple[int, ...] = ()
    own_offices: tuple[int, ...] = ()
    user_id: int | None = None
    everything: bool = False  # a superuser

    def q(self, office_field: str = "office_id", owner_field: str = "author_id") -> Q:
        """Objects in reach, for a queryset whose office and owner columns are named so."""
        if self.everything:
            return Q()
        condition = Q(**{f"{office_field}__in": self.offices})
        if self.own_offices and self.user_id is not None:
            condition |= Q(**{f"{office_field}__in": self.own_offices, owner_field: self.user_id})
        return condition


def reach(user: Any, action: Action | str) -> Reach:
    """Offices where `user` may do `action` on anyone's object, and where on their own only."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Reach()
    action = Action(action)
    if user.is_superuser:
        return Reach(everything=True, user_id=user.pk)
    anyone = tuple(offices_where(user, action).values_list("pk", flat=True))
    lesser = OWNER_ACTIONS.get(action)
    own: tuple[int, ...] = ()
    if lesser is not None:
        own = tuple(
            pk
            for pk in offices_where(user, lesser).values_list("pk", flat=True)
            if pk not in anyone
        )
    return Reach(offices=anyone, own_offices=own, user_id=user.pk)


def offices_where(user: Any, action: Action | str) -> QuerySet[Office]:
    """Every office on which the user may do `action` (for staff menus and inbox filters)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Office.objects.none()
    action = Action(action)
    if user.is_superuser:
        return Office.objects.filter(is_active=True)
    own: set[str] = set()
    subtree: set[str] = set()
    for role, member_path in _memberships(user):
        if action in ROLE_ACTIONS.get(role, ()):
            (subtree if role in SUBTREE_ROLES else own).add(member_path)
    if not own and not subtree:
        return Office.objects.none()
    condition = Q(path__in=own)
    for prefix in subtree:
        condition |= Q(path__startswith=prefix)
    return Office.objects.filter(condition, is_active=True)


def users_who_may(action: Action | str, office: Office) -> Any:
    """The active users for whom `may(user, action, office)` holds (superusers aside).

    The same rule as `may`, turned round: members of the office whose role has the action, and
    holders of a subtree role with it in an active office above (e.g. the manager of a
    governorate for a district office that has no staff of its own).
    """
    from django.contrib.auth import get_user_model

    action = Action(action)
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    above = [pk for pk in office.ancestor_ids() if pk != office.pk]
    condition = Q(memberships__office=office, memberships__role__in=roles)
    if above:
        condition |= Q(
            memberships__office_id__in=above,
            memberships__office__is_active=True,
            memberships__role__in=[role for role in roles if role in SUBTREE_ROLES],
        )
    if not office.is_active:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(condition, is_active=True).distinct()
