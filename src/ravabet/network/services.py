"""Writes of the network app: offices, roles and the audit log.

Every staff action ends in `record`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from . import text
from .models import AuditEvent, Membership, Office, Role
from .permissions import Action, forget_memberships, may, office_of


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as the server saw it (a proxy in front sets REMOTE_ADDR correctly)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    return str(value)


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs."""
    return {
        name: [_jsonable(before.get(name)), _jsonable(after.get(name))]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A model's concrete field values, for diffing before and after an edit."""
    names = fields or [
        f.attname for f in instance._meta.concrete_fields if not f.primary_key and f.editable
    ]
    return {name: getattr(instance, name) for name in names}


def record(
    actor: Any,
    action: str,
    *,
    target: models.Model | None = None,
    office: Office | None = None,
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    allowed: bool = True,
) -> AuditEvent:
    """Write one audit event. Call it inside the same transaction as the change it records."""
    if office is None and target is not None:
        try:
            office = office_of(target)  # type: ignore[arg-type]
        except TypeError:
            office = None
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "",
        office=office,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None and target.pk is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        changes=changes or {},
        allowed=allowed,
        ip_address=client_ip(request),
    )


def require(
    user: Any,
    action: Action | str,
    target: Office | Any,
    request: HttpRequest | None = None,
) -> None:
    """Raise PermissionDenied (403) unless `may` says yes; a refusal is audited too.

    Call it before opening the transaction of the write it guards: a refusal recorded inside a
    transaction that the PermissionDenied then rolls back would be lost.
    """
    if may(user, action, target):
        return
    office = office_of(target)
    record(
        user,
        f"denied:{action}",
        target=target if isinstance(target, models.Model) else None,
        office=office,
        request=request,
        allowed=False,
    )
    raise PermissionDenied(str(action))


def create_office(
    actor: Any,
    *,
    parent: Office | None,
    kind: str,
    slug: str,
    name_fa: str,
    name_en: str = "",
    request: HttpRequest | None = None,
    **fields: Any,
) -> Office:
    if parent is not None:
        require(actor, Action.OFFICE_EDIT, parent, request)
    elif not getattr(actor, "is_superuser", False):
        raise PermissionDenied("only operators create root offices")
    with transaction.atomic():
        return _create_office(actor, parent, kind, slug, name_fa, name_en, request, fields)


def _create_office(
    actor: Any,
    parent: Office | None,
    kind: str,
    slug: str,
    name_fa: str,
    name_en: str,
    request: HttpRequest | None,
    fields: dict[str, Any],
) -> Office:
    office = Office(
        parent=parent,
        kind=kind,
        slug=slug,
        name_fa=text.normalize(name_fa),
        name_en=name_en.strip(),
        **fields,
    )
    office.full_clean()
    office.save()
    record(
        actor,
        "office.create",
        target=office,
        office=office,
        request=request,
        changes=field_changes({}, snapshot(office, ["kind", "slug", "name_fa", "name_en"])),
    )
    return office


def update_office(
    actor: Any, office: Office, request: HttpRequest | None = None, **fields: Any
) -> Office:
    require(actor, Action.OFFICE_EDIT, office, request)
    with transaction.atomic():
        return _update_office(actor, office, request, fields)


def _update_office(
    actor: Any, office: Office, request: HttpRequest | None, fields: dict[str, Any]
) -> Office:
    before = snapshot(office)
    for name, value in fields.items():
        if isinstance(value, str) and name.endswith("_fa"):
            value = text.normalize(value)
        setattr(office, name, value)
    office.full_clean()
    office.save()
    record(
        actor,
        "office.edit",
        target=office,
        request=request,
        changes=field_changes(before, snapshot(office)),
    )
    return office


def grant_role(
    actor: Any, user: Any, office: Office, role: str, request: HttpRequest | None = None
) -> Membership:
    require(actor, Action.OFFICE_MEMBERS, office, request)
    role = Role(role)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, office=office, role=role)
        if created:
            record(
                actor,
                "role.grant",
                target=membership,
                office=office,
                request=request,
                changes={"user": [None, user.get_username()], "role": [None, str(role)]},
            )
    forget_memberships(user)
    return membership


def revoke_role(actor: Any, membership: Membership, request: HttpRequest | None = None) -> None:
    require(actor, Action.OFFICE_MEMBERS, membership.office, request)
    with transaction.atomic():
        record(
            actor,
            "role.revoke",
            target=membership,
            office=membership.office,
            request=request,
            changes={
                "user": [membership.user.get_username(), None],
                "role": [membership.role, None],
            },
        )
        membership.delete()
    forget_memberships(membership.user)


# System writes, for management commands (demo, imports): no acting user, audited as "system".


@transaction.atomic
def ensure_office(
    *, slug: str, parent: Office | None, kind: str, name_fa: str, name_en: str = "", **fields: Any
) -> tuple[Office, bool]:
    """The office at `slug`, created when missing (an existing office is left as it is)."""
    office = Office.objects.filter(slug=slug).first()
    if office is not None:
        return office, False
    office = Office(
        slug=slug,
        parent=parent,
        kind=kind,
        name_fa=text.normalize(name_fa),
        name_en=name_en,
        **fields,
    )
    office.full_clean()
    office.save()
    record(
        None,
        "office.create",
        target=office,
        office=office,
        changes=field_changes({}, snapshot(office, ["kind", "slug", "name_fa"])),
    )
    return office, True


@transaction.atomic
def ensure_staff_user(
    username: str,
    *,
    password: str,
    full_name: str = "",
    email: str = "",
    totp_key: str | None = None,
) -> tuple[Any, bool]:
    """A staff account with a confirmed TOTP device (keyed with `totp_key` when given)."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        return user, False
    first, _, last = full_name.partition(" ")
    user = user_model.objects.create_user(
        username=username,
        password=password,
        email=email,
        first_name=first[:150],
        last_name=last[:150],
    )
    device = TOTPDevice(user=user, name="authenticator", confirmed=True)
    if totp_key:
        device.key = totp_key
    device.save()
    record(None, "user.create", target=user, changes={"username": [None, username]})
    return user, True


@transaction.atomic
def ensure_membership(user: Any, office: Office, role: str) -> tuple[Membership, bool]:
    membership, created = Membership.objects.get_or_create(user=user, office=office, role=role)
    if created:
        record(
            None,
            "role.grant",
            target=membership,
            office=office,
            changes={"user": [None, user.get_username()], "role": [None, role]},
        )
        forget_memberships(user)
    return membership, created


def count_once(create: Callable[[], Any], counted: QuerySet, column: str) -> bool:
    """A reader's one-time act (a vote, a like, a report): create its row, which a unique
    constraint keeps to one per reader, and add one to the counter beside the thing it is about.
    False, and nothing changed, when this reader has done it before."""
    try:
        with transaction.atomic():
            create()
            counted.update(**{column: F(column) + 1})
    except IntegrityError:
        return False
    return True


# ------------------------------------------------------------------ offices below one's own
# The staff page /staff/<office>/offices/: a manager adds, renames, moves and deactivates the
# offices of their subtree. Each write locks the rows it changes, then asks `may` on the locked
# rows (lock-then-check), and saves only the fields it changes. A refusal leaves the transaction
# (rolled back) before `require` audits it, so the audit row is kept.


class _Refused(Exception):
    def __init__(self, target: Office) -> None:
        super().__init__(target)
        self.target = target


def _check(actor: Any, target: Office) -> None:
    if not may(actor, Action.OFFICE_EDIT, target):
        raise _Refused(target)


def _locked(office: Office) -> Office:
    # of=("self",): PostgreSQL locks no row of the nullable (outer-joined) parent.
    return Office.objects.select_for_update(of=("self",)).select_related("parent").get(pk=office.pk)


def _office_write(actor: Any, request: HttpRequest | None, write: Callable[[], Office]) -> Office:
    try:
        with transaction.atomic():
            return write()
    except _Refused as refused:
        require(actor, Action.OFFICE_EDIT, refused.target, request)  # audits, then 403
        raise PermissionDenied(str(Action.OFFICE_EDIT)) from None


def add_child_office(
    actor: Any,
    parent: Office,
    *,
    kind: str,
    slug: str,
    name_fa: str,
    name_en: str = "",
    request: HttpRequest | None = None,
) -> Office:
    """A new office under `parent` (which the actor manages)."""

    def write() -> Office:
        locked = _locked(parent)
        _check(actor, locked)
        if not locked.is_active:
            raise ValidationError(_("An inactive office cannot have new offices below it."))
        return _create_office(actor, locked, kind, slug, name_fa, name_en, request, {})

    return _office_write(actor, request, write)


def rename_office(
    actor: Any,
    office: Office,
    *,
    name_fa: str,
    name_en: str = "",
    request: HttpRequest | None = None,
) -> Office:
    def write() -> Office:
        locked = _locked(office)
        _check(actor, locked)
        before = snapshot(locked, ["name_fa", "name_en"])
        locked.name_fa = text.normalize(name_fa)
        locked.name_en = name_en.strip()
        locked.full_clean(validate_unique=False)
        locked.save(update_fields=["name_fa", "name_en"])
        record(
            actor,
            "office.rename",
            target=locked,
            request=request,
            changes=field_changes(before, snapshot(locked, ["name_fa", "name_en"])),
        )
        return locked

    return _office_write(actor, request, write)


def move_office(
    actor: Any, office: Office, new_parent: Office, request: HttpRequest | None = None
) -> Office:
    """Put `office` (strictly below one the actor manages) under `new_parent` (also managed by
    the actor), never under itself or its own subtree (the office-cycle check, Office.clean)."""

    def write() -> Office:
        locked = _locked(office)
        target = _locked(new_parent)
        if locked.parent is None:
            raise PermissionDenied("a root office is moved by an operator only")
        _check(actor, locked.parent)
        _check(actor, target)
        if not target.is_active:
            raise ValidationError(_("An office cannot be moved under an inactive office."))
        old_parent = locked.parent
        locked.parent = target
        locked.full_clean(validate_unique=False)
        locked.save()  # the freshly locked row; save() also moves the subtree's paths
        record(
            actor,
            "office.move",
            target=locked,
            request=request,
            changes={"parent": [old_parent.slug, target.slug]},
        )
        return locked

    return _office_write(actor, request, write)


def deactivate_office(actor: Any, office: Office, request: HttpRequest | None = None) -> Office:
    """Hide an office below one's own; one with active offices below it is refused, so that
    nothing is left hanging under a hidden office."""

    def write() -> Office:
        locked = _locked(office)
        if locked.parent is None:
            raise PermissionDenied("a root office is deactivated by an operator only")
        _check(actor, locked.parent)
        if Office.objects.filter(parent=locked, is_active=True).exists():
            raise ValidationError(_("Deactivate the offices below this one first."))
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        record(
            actor,
            "office.deactivate",
            target=locked,
            request=request,
            changes={"is_active": [True, False]},
        )
        return locked

    return _office_write(actor, request, write)
