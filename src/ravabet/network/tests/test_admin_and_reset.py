"""The operators' admin demands the second factor and audits its writes; the password-reset
link really sets a new password."""

from __future__ import annotations

import re

from ravabet.conftest import STAFF_PASSWORD, make_staff, sign_in
from ravabet.network.models import AuditEvent, Office


def _operator(offices):
    user = make_staff("operator")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_the_admin_refuses_a_password_only_session(client, offices):
    operator = _operator(offices)
    client.force_login(operator)  # a session without the second factor
    response = client.get("/admin/network/office/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_opens_after_both_steps(client, offices):
    sign_in(client, _operator(offices))
    assert client.get("/admin/network/office/").status_code == 200


def test_admin_edits_and_deletions_are_audited(client, offices):
    operator = _operator(offices)
    sign_in(client, operator)
    agency = offices["agency"]
    response = client.post(
        f"/admin/network/office/{agency.pk}/change/",
        {
            "parent": agency.parent_id,
            "kind": agency.kind,
            "slug": agency.slug,
            "name_fa": "راه و شهرسازی استان",
            "name_en": "",
            "position": 0,
            "is_active": "on",
            "quick_links-TOTAL_FORMS": "0",
            "quick_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.edit", actor=operator)
    assert event.changes["name_fa"] == ["راه و شهرسازی", "راه و شهرسازی استان"]
    leaf = Office.objects.create(slug="leaf", kind="district", name_fa="برگ", parent=agency)
    response = client.post(f"/admin/network/office/{leaf.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="admin.delete", actor=operator).exists()


def test_the_reset_link_sets_a_new_password(client, offices, mailoutbox):
    user = make_staff("ed", offices["gov"], "editor")
    client.post("/accounts/password-reset/", {"email": "ed@example.org"})
    link = re.search(r"(/accounts/reset/[^/\s]+/[^/\s]+/)", mailoutbox[0].body)[1]
    form_page = client.get(link, follow=True)  # Django swaps the token for a session marker
    assert form_page.status_code == 200
    assert "گذرواژه تازه را برگزینید" in form_page.content.decode()
    new_password = "a-brand-new-password-1405"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password) and not user.check_password(STAFF_PASSWORD)
    # The link is spent.
    assert "این پیوند دیگر معتبر نیست" in client.get(link, follow=True).content.decode()
