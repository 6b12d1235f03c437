"""The demo: the PR-week 1405 programme of seed 000, its course's certificates, and 1406."""

from __future__ import annotations

from django.core.management import call_command

from ravabet.events.models import Certificate, Event, Kind, Series


def test_the_demo_has_pr_week_1405_with_certificates_and_its_1406_copy(db, client):
    call_command("demo", verbosity=0)
    week = Series.objects.get(slug="pr-week-1405")
    kinds = set(week.events.values_list("kind", flat=True))
    assert {Kind.CEREMONY, Kind.VIDEO, Kind.VISIT, Kind.HONOURING, Kind.TRAINING} <= kinds
    course = week.events.get(kind=Kind.TRAINING)
    holders = set(
        Certificate.objects.filter(registration__event=course).values_list("holder_name", flat=True)
    )
    assert len(holders) == 4  # three staff met the rules, and the guest; the moderator did not
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 1
    assert Series.objects.get(slug="pr-week-1406").events.count() == week.events.count()
    page = client.get("/events/programme/pr-week-1405/").content.decode()
    assert "هفته روابط عمومی ۱۴۰۵" in page and "۲۷ اردیبهشت ۱۴۰۵" in page
    valid = Certificate.objects.filter(revoked_at__isnull=True).first()
    assert "این گواهی معتبر است" in client.get(f"/events/verify/{valid.code}/").content.decode()
    events_before = Event.objects.count()
    call_command("demo", verbosity=0)
    assert Event.objects.count() == events_before
