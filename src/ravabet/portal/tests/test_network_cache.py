"""The home pages cache the office tree, children and footer links under the network's version
stamp: a second visit reads nothing from the database, and any office change shows at once."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from ravabet.network import services
from ravabet.network.models import Office, QuickLink
from ravabet.network.versioning import network_version


def _superuser():
    return get_user_model().objects.create_superuser("op", "op@example.org", "x-long-pass-1405")


def test_second_visit_of_the_province_home_reads_no_database(
    client, offices, django_assert_num_queries, settings
):
    settings.RAVABET_STAMP_CHECK = 60  # tests re-read the version stamps on every request
    client.get("/")
    with django_assert_num_queries(0):
        response = client.get("/")
    assert 'href="/mehran/"' in response.content.decode()


def test_new_office_shows_at_once_on_both_home_pages(client, offices):
    client.get("/"), client.get("/ilam-gov/")
    before = network_version()
    services.create_office(
        _superuser(), parent=offices["gov"], kind="county", slug="ivan", name_fa="فرمانداری ایوان"
    )
    assert network_version() != before
    assert "فرمانداری ایوان" in client.get("/").content.decode()
    assert 'href="/ivan/"' in client.get("/ilam-gov/").content.decode()


def test_renamed_office_shows_at_once(client, offices):
    client.get("/")
    services.update_office(_superuser(), offices["county"], name_fa="فرمانداری شهرستان مهران")
    assert "فرمانداری شهرستان مهران" in client.get("/").content.decode()


def test_deactivated_office_leaves_the_tree(client, offices):
    client.get("/")
    services.update_office(_superuser(), offices["agency"], is_active=False)
    assert 'href="/roads/"' not in client.get("/").content.decode()


def test_quick_link_change_shows_in_footer(client, offices):
    client.get("/mehran/")
    QuickLink.objects.create(
        office=offices["root"], title_fa="پیشخوان دولت", url="https://x.example.ir/"
    )
    assert "پیشخوان دولت" in client.get("/mehran/").content.decode()


def test_network_footer_lists_a_shared_link_once(client, offices):
    other = Office.objects.create(slug="tehran", kind="directorate", name_fa="روابط عمومی تهران")
    for root in (offices["root"], other):
        QuickLink.objects.create(
            office=root, title_fa="سامانه سامد", url="https://sameh.example.ir/"
        )
    QuickLink.objects.create(
        office=other, title_fa="درگاه مجوزها", url="https://permits.example.ir/"
    )
    html = client.get("/").content.decode()
    assert html.count("https://sameh.example.ir/") == 1
    assert "https://permits.example.ir/" in html


def test_office_without_contact_data_has_no_contact_heading(client, offices):
    assert 'id="contact-title"' not in client.get("/salehabad/").content.decode()
    offices["district"].phone = "084-1234"
    offices["district"].save()
    assert 'id="contact-title"' in client.get("/salehabad/").content.decode()
