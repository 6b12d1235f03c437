"""Reads of the network app: offices, the tree, memberships and the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import AuditEvent, Membership, Office, QuickLink
from .versioning import network_version

# How long a cached piece of the network may live even when nothing changes (a safety net; the
# version stamp is what retires it on every change).
NETWORK_CACHE_SECONDS = 24 * 3600


def active_offices() -> QuerySet[Office]:
    return Office.objects.filter(is_active=True)


def active_office(slug: str) -> Office | None:
    """The active office with this slug, or None (for forms that report their own error)."""
    return active_offices().filter(slug=slug).first()


def active_user(username: str) -> Any:
    """The active account with this user name, or None."""
    return get_user_model().objects.filter(username=username, is_active=True).first()


def active_user_by_id(pk: int) -> Any:
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


def office_by_slug(slug: str) -> Office:
    """The active office at /<slug>/, or a Persian/English 404."""
    office = active_offices().select_related("parent").filter(slug=slug).first()
    if office is None:
        raise Http404(_("No office has this address."))
    return office


def office_tree() -> list[tuple[Office, int]]:
    """Every active office with its depth, in tree order; cached until the network changes."""
    key = f"network:tree:{network_version()}"
    tree = cache.get(key)
    if tree is None:
        tree = [(office, office.depth) for office in active_offices().order_by("path")]
        cache.set(key, tree, NETWORK_CACHE_SECONDS)
    return tree


def office_by_id(pk: int) -> Office | None:
    """An office by primary key, active or not (content keeps its office); cached until the
    network changes, so pages that show an office's frame need no query for it."""
    key = f"network:office:{pk}:{network_version()}"
    office = cache.get(key)
    if office is None:
        office = Office.objects.select_related("parent").filter(pk=pk).first()
        if office is not None:
            cache.set(key, office, NETWORK_CACHE_SECONDS)
    return office


def offices_by_id(ids: Iterable[int]) -> dict[int, Office]:
    """Offices by primary key (active or not), cached like `office_by_id`: one cache round trip
    for the lot, one query for those not cached yet (lists attach each card's office this way)."""
    version = network_version()
    keys = {f"network:office:{pk}:{version}": pk for pk in set(ids)}
    found = {keys[key]: office for key, office in cache.get_many(list(keys)).items()}
    missing = [pk for pk in keys.values() if pk not in found]
    if missing:
        fresh = Office.objects.select_related("parent").in_bulk(missing)
        cache.set_many(
            {f"network:office:{pk}:{version}": office for pk, office in fresh.items()},
            NETWORK_CACHE_SECONDS,
        )
        found.update(fresh)
    return found


def subtree(office: Office) -> QuerySet[Office]:
    return active_offices().filter(path__startswith=office.path)


def move_targets(managed: Office, office: Office) -> QuerySet[Office]:
    """Where `office` may go: the managed subtree, without `office`'s own subtree (no cycles)."""
    return subtree(managed).exclude(path__startswith=office.path).order_by("path")


def children(office: Office) -> QuerySet[Office]:
    return active_offices().filter(parent=office).order_by("position", "name_fa")


def ancestors(office: Office) -> list[Office]:
    """From the root down to the office's parent (one query)."""
    ids = office.ancestor_ids()[:-1]
    by_id = Office.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def quick_links(office: Office | None) -> list[QuickLink]:
    """The office's e-services links, or its nearest ancestor's when it has none of its own;
    cached until the network changes."""
    key = f"network:links:{office.pk if office else 'network'}:{network_version()}"
    links = cache.get(key)
    if links is None:
        links = _quick_links(office)
        cache.set(key, links, NETWORK_CACHE_SECONDS)
    return links


def _quick_links(office: Office | None) -> list[QuickLink]:
    if office is None:
        # The network's page: the root offices' links, each address once (several provinces'
        # directorates may list the same national service).
        unique: dict[str, QuickLink] = {}
        for link in QuickLink.objects.filter(office__parent__isnull=True).order_by(
            "office__path", "position", "id"
        ):
            unique.setdefault(link.url, link)
        return list(unique.values())[:8]
    ids = list(reversed(office.ancestor_ids()))
    links = list(QuickLink.objects.filter(office_id__in=ids))
    for office_id in ids:
        own = [link for link in links if link.office_id == office_id]
        if own:
            return own
    return []


def memberships_of(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("office").order_by("office__path")


def users_with_roles_in(office_ids: Iterable[int], roles: Iterable[str]) -> list[Any]:
    """Active users holding one of `roles` in one of these offices (each once)."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__office_id__in=list(office_ids),
            memberships__role__in=list(roles),
        )
        .distinct()
        .order_by("pk")
    )


def members_of(office: Office) -> QuerySet[Membership]:
    return Membership.objects.filter(office=office).select_related("user").order_by("role")


def audit_events(
    office: Office,
    *,
    include_subtree: bool = False,
    actor_id: int | None = None,
    action: str = "",
    since: Any = None,
    before: Any = None,
) -> QuerySet[AuditEvent]:
    """The office's events, newest first, narrowed by person, action code ("denied" for every
    refusal) and time (`since` inclusive, `before` exclusive)."""
    events = AuditEvent.objects.select_related("office", "actor")
    if include_subtree:
        events = events.filter(office__path__startswith=office.path)
    else:
        events = events.filter(office=office)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if action == "denied":
        events = events.filter(action__startswith="denied:")
    elif action:
        events = events.filter(action=action)
    if since is not None:
        events = events.filter(at__gte=since)
    if before is not None:
        events = events.filter(at__lt=before)
    return events


def audit_people(office: Office, *, include_subtree: bool = False) -> list[Any]:
    """The staff who appear in the office's log, by full name: the choices of its person filter."""
    events = audit_events(office, include_subtree=include_subtree).exclude(actor=None)
    ids = events.values_list("actor_id", flat=True).distinct().order_by()
    people = list(get_user_model().objects.filter(pk__in=ids))
    return sorted(people, key=lambda u: u.get_full_name() or u.get_username())


def full_names(ids: Iterable[int]) -> dict[int, str]:
    """Users' full names (or user names) by id, in one query: how the audit log names people."""
    wanted = set(ids)
    if not wanted:
        return {}
    users = get_user_model().objects.filter(pk__in=wanted)
    return {u.pk: u.get_full_name() or u.get_username() for u in users}
