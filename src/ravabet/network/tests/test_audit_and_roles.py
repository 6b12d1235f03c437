"""Role changes and refusals end in the audit log, with who, what, when and the fields."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from ravabet.network import selectors, services
from ravabet.network.models import AuditEvent, Membership, Office


@pytest.fixture
def office(db):
    root = Office.objects.create(slug="root", kind="directorate", name_fa="ریشه")
    return Office.objects.create(slug="gov", kind="governorate", name_fa="استانداری", parent=root)


def make_user(name):
    return get_user_model().objects.create_user(username=name, password="x")


def test_grant_and_revoke_are_audited(office):
    manager = make_user("boss")
    Membership.objects.create(user=manager, office=office, role="manager")
    editor = make_user("ed")
    membership = services.grant_role(manager, editor, office, "editor")
    services.revoke_role(manager, membership)
    actions = list(
        selectors.audit_events(office).order_by("id").values_list("action", "actor_name")
    )
    assert actions == [("role.grant", "boss"), ("role.revoke", "boss")]
    grant = AuditEvent.objects.get(action="role.grant")
    assert grant.changes == {"user": [None, "ed"], "role": [None, "editor"]}
    assert grant.at is not None


def test_refusal_is_audited_and_raises(office):
    author = make_user("writer")
    Membership.objects.create(user=author, office=office, role="author")
    with pytest.raises(PermissionDenied):
        services.grant_role(author, author, office, "manager")
    denied = AuditEvent.objects.get()
    assert denied.action == "denied:office.members"
    assert denied.allowed is False
    assert denied.actor_name == "writer"
    assert not Membership.objects.filter(user=author, role="manager").exists()


def test_office_edit_records_changed_fields_only(office):
    boss = get_user_model().objects.create_superuser(username="op", password="x")
    services.update_office(boss, office, name_fa="استانداري ايلام", phone="084")
    event = AuditEvent.objects.get(action="office.edit")
    assert event.changes["name_fa"] == ["استانداری", "استانداری ایلام"]  # normalised on the way in
    assert event.changes["phone"] == ["", "084"]
    assert set(event.changes) == {"name_fa", "phone"}


def test_reserved_slug_is_refused(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.ensure_office(slug="staff", parent=None, kind="directorate", name_fa="x")
