"""The province home lists the network; each office has its portal; Persian first, English second."""

from __future__ import annotations

from django.core.management import call_command


def test_province_home_lists_offices_rtl(client, offices):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    for office in offices.values():
        assert f'href="/{office.slug}/"' in html
    assert 'href="/en/"' in html  # the English switch


def test_english_switch(client, offices):
    html = client.get("/en/ilam-gov/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Ilam Governorate" in html
    assert 'href="/ilam-gov/"' in html  # back to Persian


def test_office_home_has_breadcrumbs_children_and_skip_link(client, offices):
    html = client.get("/ilam-gov/").content.decode()
    assert "استانداری ایلام" in html
    assert 'href="/mehran/"' in html
    assert 'href="/ilam/"' in html
    assert 'class="skip-link" href="#main"' in html
    assert 'role="search"' in html


def test_unknown_office_is_a_persian_404(client, db):
    response = client.get("/no-such-office/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "یافت نشد" in html
    assert 'dir="rtl"' in html


def test_demo_twice_changes_nothing(db):
    from ravabet.network.models import AuditEvent, Membership, Office

    call_command("demo", verbosity=0)
    counts = (Office.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    call_command("demo", verbosity=0)
    assert counts == (
        Office.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    assert Office.objects.filter(slug="salehabad", parent__slug="mehran").exists()
    assert counts[1] >= 5


def test_demo_loads_one_province(db):
    from ravabet.network.models import Office

    call_command("demo", verbosity=0)
    assert Office.objects.filter(slug="ilam", parent=None).exists()
    # One province per deployment: Tehran's tree is not mixed into Ilam's network.
    assert not Office.objects.filter(slug__in=["tehran", "kahrizak"]).exists()
    assert Office.objects.filter(parent=None).count() == 1


def test_demo_of_another_province_is_its_own_network(db):
    from ravabet.network.models import Office

    call_command("demo", "--province", "tehran", verbosity=0)
    assert Office.objects.filter(slug="kahrizak", parent__slug="rey").exists()
    assert not Office.objects.filter(slug__startswith="ilam").exists()


def test_health_check(client, db):
    assert client.get("/healthz").content == b"ok"


def test_no_template_comment_leaks_into_the_page(client, offices):
    """`{# … #}` spans one line only; a longer one is printed (and its "<style>" ate the page)."""
    for path in ("/", "/news/"):
        html = client.get(path).content.decode()
        assert "{#" not in html and "#}" not in html


def test_the_footer_leads_to_the_coordination_half(client, offices):
    page = client.get("/").content.decode()
    for label, url in (
        ("شوراهای هماهنگی", "/councils/"),
        ("مصوبات و پیگیری آن‌ها", "/councils/decisions/"),
        ("رویدادها و آموزش‌ها", "/events/"),
        ("تجربه‌نگاری‌ها", "/experiences/"),
        ("انتخابات هیأت‌رئیسه", "/elections/"),
        ("روابط عمومی‌های سرآمد", "/evaluation/"),
    ):
        assert f'<a href="{url}">{label}</a>' in page
    assert "هماهنگی شبکه" in page
