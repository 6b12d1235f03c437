"""Lock-then-check: the permission is asked about the locked row, and a refusal is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.transaction import TransactionManagementError

from ravabet.network import services
from ravabet.network.models import AuditEvent, Membership, Office
from ravabet.network.permissions import Action, may


@pytest.fixture
def offices(db):
    root = Office.objects.create(slug="root", kind="directorate", name_fa="ریشه")
    one = Office.objects.create(slug="one", kind="governorate", name_fa="یک", parent=root)
    two = Office.objects.create(slug="two", kind="governorate", name_fa="دو", parent=root)
    return one, two


def _member(office, role="manager"):
    user = get_user_model().objects.create_user(username=f"u{office.slug}{role}", password="x")
    Membership.objects.create(user=user, office=office, role=role)
    return user


def test_returns_the_locked_row_when_allowed(offices):
    one, _two = offices
    manager = _member(one)
    with services.locked_transaction():
        row = services.lock_and_require(Office, one.pk, manager, Action.OFFICE_EDIT)
    assert row == one
    assert not AuditEvent.objects.exists()


def test_checks_the_locked_row_not_the_callers_copy(offices):
    one, two = offices
    manager = _member(one)
    membership = Membership.objects.create(
        user=get_user_model().objects.create_user(username="moved", password="x"),
        office=one,
        role="editor",
    )
    stale = Membership.objects.get(pk=membership.pk)
    # Another writer moves the membership to another office after `stale` was read.
    Membership.objects.filter(pk=membership.pk).update(office=two)
    assert may(manager, Action.OFFICE_MEMBERS, stale)  # the stale copy says yes
    with pytest.raises(PermissionDenied), services.locked_transaction():
        services.lock_and_require(Membership, stale.pk, manager, Action.OFFICE_MEMBERS)
    denied = AuditEvent.objects.get()
    assert denied.action == "denied:office.members"
    assert denied.allowed is False
    assert denied.office == two


def test_refusal_is_audited_after_the_rollback(offices):
    one, _two = offices
    author = _member(one, "author")
    with pytest.raises(PermissionDenied), services.locked_transaction():
        Office.objects.filter(pk=one.pk).update(phone="999")  # written before the check
        services.lock_and_require(Office, one.pk, author, Action.OFFICE_EDIT)
    one.refresh_from_db()
    assert one.phone == ""  # the transaction rolled back ...
    assert AuditEvent.objects.filter(action="denied:office.edit", allowed=False).count() == 1


def test_nested_transactions_audit_once(offices):
    one, _two = offices
    author = _member(one, "author")
    with pytest.raises(PermissionDenied), services.locked_transaction():
        with services.locked_transaction():
            services.lock_and_require(Office, one.pk, author, Action.OFFICE_EDIT)
    assert AuditEvent.objects.filter(action="denied:office.edit").count() == 1


def test_refuses_to_lock_outside_a_locked_transaction(offices):
    one, _two = offices
    manager = _member(one)
    with pytest.raises(TransactionManagementError):
        services.lock_and_require(Office, one.pk, manager, Action.OFFICE_EDIT)
    with pytest.raises(TransactionManagementError), transaction.atomic():
        services.lock_and_require(Office, one.pk, manager, Action.OFFICE_EDIT)
