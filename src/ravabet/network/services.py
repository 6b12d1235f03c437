"""Writes of the network app: offices, roles and the audit log.

Every staff action ends in `record`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, QuerySet
from django.db.transaction import TransactionManagementError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from . import clientaddr, text
from .models import AuditEvent, Membership, Office, Role
from .permissions import Action, HasOffice, forget_memberships, may, office_of


def client_ip(request: HttpRequest | None) -> str | None:
    """The real client's address (behind a trusted proxy: from X-Forwarded-For; `clientaddr`)."""
    if request is None:
        return None
    return clientaddr.client_address(request)


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
    transaction that the PermissionDenied then rolls back would be lost. A service that locks
    the row it changes uses `lock_and_require` instead (lock-then-check, below).
    """
    if may(user, action, target):
        return
    record_refusal(user, f"denied:{action}", target=target, request=request)
    raise PermissionDenied(str(action))


REFUSAL_WINDOW = timedelta(minutes=10)


def record_refusal(
    actor: Any, action: str, *, target: Any = None, request: HttpRequest | None = None
) -> AuditEvent:
    """Audit a refusal; the same actor (or address, for an anonymous one) refused the same
    action on the same target again within `REFUSAL_WINDOW` counts on the first row
    (`repeats`, `last_at`) instead of adding one, so nobody can flood the audit log with 403s.
    """
    model_target = target if isinstance(target, models.Model) else None
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    now = timezone.now()
    same = AuditEvent.objects.filter(
        allowed=False,
        action=action,
        object_type=model_target._meta.label_lower if model_target is not None else "",
        object_id=str(model_target.pk) if model_target is not None else "",
        at__gte=now - REFUSAL_WINDOW,
    )
    if authenticated:
        same = same.filter(actor=actor)
    else:
        same = same.filter(actor__isnull=True, ip_address=client_ip(request))
    earlier = same.order_by("-at").values_list("pk", flat=True).first()
    if earlier is not None and AuditEvent.objects.filter(pk=earlier).update(
        repeats=F("repeats") + 1, last_at=now
    ):
        return AuditEvent.objects.get(pk=earlier)
    return record(
        actor,
        action,
        target=model_target,
        office=office_of(target),
        request=request,
        allowed=False,
    )


# ----------------------------------------------------------------------------- lock-then-check
#
# A service that locks a row checks the permission on the row it locked, never on the copy the
# view loaded at the start of the request: between the two, another writer may have moved the
# object to another office (a referral) or changed its state. The convention (docs/decisions.md,
# "Lock-then-check"):
#
#     with locked_transaction():
#         demand = lock_and_require(Demand.objects.select_related("office"), demand.pk,
#                                   actor, Action.DEMANDS_ANSWER, request)
#         ...  # state checks and writes on `demand`, the locked row
#
# A refusal is found inside the transaction, and the PermissionDenied that follows rolls the
# transaction back; `locked_transaction` writes the refusal's audit event after that rollback,
# so that it is kept like every other refusal (`require`).

ModelT = TypeVar("ModelT", bound=models.Model)

# The refusals found by lock_and_require in the current locked_transaction (None: not in one).
_pending_refusals: ContextVar[list[Refused] | None] = ContextVar("pending_refusals", default=None)


class Refused(PermissionDenied):
    """A lock-then-check refusal; audited by `locked_transaction` once its transaction is gone."""

    def __init__(
        self, user: Any, action: Action | str, target: Any, request: HttpRequest | None
    ) -> None:
        super().__init__(str(action))
        self.user = user
        self.action = action
        self.target = target
        self.request = request


@contextmanager
def locked_transaction(using: str | None = None) -> Iterator[None]:
    """`transaction.atomic()` for services that lock then check; audits refusals after rollback.

    Nested inside another locked_transaction it is a plain savepoint, and the outermost one
    writes the audit event (an inner one would write it into a transaction about to roll back).
    """
    outer = _pending_refusals.get()
    refusals: list[Refused] = [] if outer is None else outer
    token = _pending_refusals.set(refusals)
    try:
        with transaction.atomic(using=using):
            yield
    except PermissionDenied:
        if outer is None:
            for refusal in refusals:
                record_refusal(
                    refusal.user,
                    f"denied:{refusal.action}",
                    target=refusal.target,
                    request=refusal.request,
                )
        raise
    finally:
        _pending_refusals.reset(token)


def lock_and_require(
    source: type[ModelT] | QuerySet[ModelT],
    pk: Any,
    user: Any,
    action: Action | str,
    request: HttpRequest | None = None,
    *,
    target: Callable[[ModelT], Office | HasOffice] | None = None,
) -> ModelT:
    """Lock the row `pk` (SELECT ... FOR UPDATE) and THEN check `may` on the locked row.

    Returns the locked row; raises `Refused` (a PermissionDenied: 403) when the user may not,
    audited by the enclosing `locked_transaction`, and the model's DoesNotExist when the row is
    gone. `target` picks what the permission is asked about when it is not the row itself
    (e.g. `lambda comment: comment.item`). Only the row itself is locked (`of=("self",)`), not
    the rows its select_related joins read.
    """
    refusals = _pending_refusals.get()
    if refusals is None or not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            "lock_and_require runs inside network.services.locked_transaction()"
        )
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    row = queryset.select_for_update(of=("self",)).get(pk=pk)
    # Without `target` the row itself is asked about, so it is an Office or a row with an
    # `office` (what `office_of` needs; it raises TypeError for anything else). The bound of
    # ModelT (any model) cannot say so.
    checked = target(row) if target is not None else cast("Office | HasOffice", row)
    if may(user, action, checked):
        return row
    refusal = Refused(user, action, checked, request)
    refusals.append(refusal)
    raise refusal


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
# rows (lock-then-check: `locked_transaction` + `lock_and_require`, so a refusal is audited after
# the rollback), and saves only the fields it changes.

_OFFICES = Office.objects.select_related("parent")


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
    with locked_transaction():
        locked = lock_and_require(_OFFICES, parent.pk, actor, Action.OFFICE_EDIT, request)
        if not locked.is_active:
            raise ValidationError(_("An inactive office cannot have new offices below it."))
        return _create_office(actor, locked, kind, slug, name_fa, name_en, request, {})


def rename_office(
    actor: Any,
    office: Office,
    *,
    name_fa: str,
    name_en: str = "",
    request: HttpRequest | None = None,
) -> Office:
    with locked_transaction():
        locked = lock_and_require(_OFFICES, office.pk, actor, Action.OFFICE_EDIT, request)
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


def _lock_below_managed(actor: Any, office: Office, request: HttpRequest | None) -> Office:
    """Lock `office`, then check that the actor manages its parent (a root: operators only)."""
    locked = _OFFICES.select_for_update(of=("self",)).get(pk=office.pk)
    if locked.parent_id is None:
        raise PermissionDenied("a root office is changed by an operator only")
    lock_and_require(Office, locked.parent_id, actor, Action.OFFICE_EDIT, request)
    return locked


def move_office(
    actor: Any, office: Office, new_parent: Office, request: HttpRequest | None = None
) -> Office:
    """Put `office` (strictly below one the actor manages) under `new_parent` (also managed by
    the actor), never under itself or its own subtree (the office-cycle check, Office.clean)."""
    with locked_transaction():
        locked = _lock_below_managed(actor, office, request)
        target = lock_and_require(_OFFICES, new_parent.pk, actor, Action.OFFICE_EDIT, request)
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
            changes={"parent": [old_parent.slug if old_parent else None, target.slug]},
        )
        return locked


def deactivate_office(actor: Any, office: Office, request: HttpRequest | None = None) -> Office:
    """Hide an office below one's own; one with active offices below it is refused, so that
    nothing is left hanging under a hidden office."""
    with locked_transaction():
        locked = _lock_below_managed(actor, office, request)
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
