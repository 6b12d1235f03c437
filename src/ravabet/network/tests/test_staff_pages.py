"""Members and audit pages: allowed roles see them, others get 403 and the refusal is audited."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from ravabet.network.models import AuditEvent, Membership


def test_manager_grants_a_role_through_the_page(staff_client, offices):
    client, _manager = staff_client("manager", "gov")
    get_user_model().objects.create_user(username="newbie", password="x")
    response = client.post("/staff/ilam-gov/members/", {"username": "newbie", "role": "author"})
    assert response.status_code == 302
    assert Membership.objects.filter(user__username="newbie", role="author").exists()
    page = client.get("/staff/ilam-gov/audit/")
    assert page.status_code == 200
    assert "role.grant" in page.content.decode()


def test_unknown_user_gets_a_form_error(staff_client):
    client, _ = staff_client("manager", "gov")
    response = client.post("/staff/ilam-gov/members/", {"username": "ghost", "role": "author"})
    assert response.status_code == 400
    assert "هیچ کاربر فعالی" in response.content.decode()


def test_editor_is_refused_members_page_and_it_is_audited(staff_client):
    client, editor = staff_client("editor", "gov")
    response = client.get("/staff/ilam-gov/members/")
    assert response.status_code == 403
    assert "اجازه" in response.content.decode()
    event = AuditEvent.objects.get(allowed=False)
    assert event.actor == editor
    assert event.action == "denied:office.members"


def test_manager_of_parent_sees_child_audit_but_not_sibling_tree(staff_client, offices):
    client, _ = staff_client("manager", "county")
    assert client.get("/staff/salehabad/audit/").status_code == 200
    assert client.get("/staff/roads/audit/").status_code == 403
    assert client.get("/staff/ilam-gov/audit/").status_code == 403


def test_staff_page_for_unknown_office_is_404(staff_client):
    client, _ = staff_client("manager", "gov")
    assert client.get("/staff/nowhere/audit/").status_code == 404


def test_revoke_is_post_only(staff_client, offices):
    client, manager = staff_client("manager", "gov")
    membership = Membership.objects.get(user=manager)
    url = f"/staff/ilam-gov/members/{membership.pk}/revoke/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
