"""The staff page of the offices below one's own (/staff/<office>/offices/): add, rename, move,
deactivate; every write through network.services, audited, allowed by `may` only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ravabet.conftest import make_staff
from ravabet.network import services
from ravabet.network.models import AuditEvent, Office


def _page(office: Office) -> str:
    return f"/staff/{office.slug}/offices/"


def _edit(office: Office, child: Office) -> str:
    return f"/staff/{office.slug}/offices/{child.slug}/"


def test_the_manager_sees_the_subtree_in_persian(staff_client, offices):
    client, _ = staff_client("manager", "gov")
    response = client.get(_page(offices["gov"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "روابط عمومی‌ها" in body and "افزودن روابط عمومی" in body
    assert "بخشداری صالح‌آباد" in body and "راه و شهرسازی" in body
    assert "روابط عمومی ایلام" not in body  # the parent is not the manager's


@pytest.mark.parametrize("role", ["editor", "author", "moderator", "responder"])
def test_other_roles_are_refused_and_audited(staff_client, offices, role):
    client, user = staff_client(role, "gov")
    assert client.get(_page(offices["gov"])).status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="denied:office.edit").exists()


def test_adding_an_office_below(staff_client, offices):
    client, user = staff_client("manager", "gov")
    response = client.post(
        _page(offices["gov"]),
        {
            "parent": offices["county"].pk,
            "kind": "district",
            "slug": "mehran-center",
            "name_fa": "بخشداري مركزي مهران",
            "name_en": "Mehran Central District",
        },
    )
    assert response.status_code == 302
    child = Office.objects.get(slug="mehran-center")
    assert child.parent == offices["county"]
    assert child.name_fa == "بخشداری مرکزی مهران"  # normalised
    assert child.path.startswith(offices["county"].path)
    assert AuditEvent.objects.filter(actor=user, action="office.create").exists()


def test_a_bad_address_says_so_in_persian(staff_client, offices):
    client, _ = staff_client("manager", "gov")
    response = client.post(
        _page(offices["gov"]),
        {"parent": offices["gov"].pk, "kind": "agency", "slug": "staff", "name_fa": "الف"},
    )
    assert response.status_code == 400
    assert "«staff» برای خود سامانه رزرو شده است" in response.content.decode()
    assert not Office.objects.filter(slug="staff").exists()


def test_a_county_manager_cannot_add_above_their_office(staff_client, offices):
    client, user = staff_client("manager", "county")
    response = client.post(
        _page(offices["county"]),
        {"parent": offices["gov"].pk, "kind": "agency", "slug": "x-agency", "name_fa": "دستگاه"},
    )
    assert response.status_code == 400  # the governorate is not among the choices
    with pytest.raises(PermissionDenied):
        services.add_child_office(user, offices["gov"], kind="agency", slug="x", name_fa="x")
    # The refusal is audited even though the write's transaction was rolled back.
    assert AuditEvent.objects.filter(actor=user, action="denied:office.edit").exists()
    assert not Office.objects.filter(slug__in=["x", "x-agency"]).exists()


def test_renaming(staff_client, offices):
    client, user = staff_client("manager", "gov")
    response = client.post(
        _edit(offices["gov"], offices["district"]),
        {"action": "rename", "name_fa": "بخشداری صالح آباد نو", "name_en": "New Salehabad"},
    )
    assert response.status_code == 302
    district = Office.objects.get(pk=offices["district"].pk)
    assert (district.name_fa, district.name_en) == ("بخشداری صالح آباد نو", "New Salehabad")
    event = AuditEvent.objects.get(actor=user, action="office.rename")
    assert event.changes["name_en"] == ["", "New Salehabad"]


def test_moving_within_the_subtree_moves_paths(staff_client, offices):
    client, user = staff_client("manager", "gov")
    response = client.post(
        _edit(offices["gov"], offices["county"]),
        {"action": "move", "parent": offices["agency"].pk},
    )
    assert response.status_code == 302
    county = Office.objects.get(pk=offices["county"].pk)
    district = Office.objects.get(pk=offices["district"].pk)
    assert county.parent_id == offices["agency"].pk
    assert district.path == f"{county.path}{district.pk}/"  # the subtree moved along
    assert AuditEvent.objects.get(actor=user, action="office.move").changes == {
        "parent": ["ilam-gov", "roads"]
    }


def test_moving_under_its_own_child_is_refused(staff_client, offices):
    """The office-cycle check, through the page and through the service."""
    client, user = staff_client("manager", "gov")
    response = client.post(
        _edit(offices["gov"], offices["county"]),
        {"action": "move", "parent": offices["district"].pk},
    )
    assert response.status_code == 400  # not offered: the county's own subtree
    with pytest.raises(ValidationError) as caught:
        services.move_office(user, offices["county"], offices["district"])
    assert "parent" in caught.value.error_dict
    assert Office.objects.get(pk=offices["county"].pk).parent_id == offices["gov"].pk


def test_the_office_cycle_check_on_the_model(offices):
    county = Office.objects.get(pk=offices["county"].pk)
    county.parent = Office.objects.get(pk=offices["district"].pk)
    with pytest.raises(ValidationError) as caught:
        county.full_clean()
    assert "parent" in caught.value.error_dict
    county.parent = county
    with pytest.raises(ValidationError):
        county.full_clean()


def test_a_county_manager_cannot_move_out_of_their_subtree(offices):
    manager = make_staff("county-manager", offices["county"], "manager")
    with pytest.raises(PermissionDenied):
        services.move_office(manager, offices["district"], offices["agency"])
    with pytest.raises(PermissionDenied):  # nor their own office (its parent is not theirs)
        services.move_office(manager, offices["county"], offices["county"])
    assert Office.objects.get(pk=offices["district"].pk).parent_id == offices["county"].pk


def test_deactivating(staff_client, offices):
    client, user = staff_client("manager", "gov")
    response = client.post(_edit(offices["gov"], offices["district"]), {"action": "deactivate"})
    assert response.status_code == 302
    assert not Office.objects.get(pk=offices["district"].pk).is_active
    assert AuditEvent.objects.filter(actor=user, action="office.deactivate").exists()


def test_an_office_with_active_offices_below_is_not_deactivated(staff_client, offices):
    client, _ = staff_client("manager", "gov")
    response = client.post(_edit(offices["gov"], offices["county"]), {"action": "deactivate"})
    assert response.status_code == 400
    assert "نخست روابط عمومی‌های زیرمجموعهٔ این یکی را غیرفعال کنید" in response.content.decode()
    assert Office.objects.get(pk=offices["county"].pk).is_active


def test_a_manager_cannot_deactivate_their_own_office(staff_client, offices):
    client, _ = staff_client("manager", "district")
    response = client.post(
        _edit(offices["district"], offices["district"]), {"action": "deactivate"}
    )
    assert response.status_code == 403
    assert Office.objects.get(pk=offices["district"].pk).is_active


def test_an_office_outside_the_subtree_is_not_found(staff_client, offices):
    client, _ = staff_client("manager", "county")
    assert client.get(_edit(offices["county"], offices["agency"])).status_code == 404


def test_the_desk_links_the_page_for_managers_only(staff_client, offices):
    client, _ = staff_client("manager", "gov")
    assert _page(offices["gov"]) in client.get("/staff/").content.decode()
    client.post("/accounts/logout/")
    editor_client, _ = staff_client("editor", "county")
    assert "/offices/" not in editor_client.get("/staff/").content.decode()
