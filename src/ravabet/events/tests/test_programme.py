"""Programmes: cloning last year's in one step; moving and cancelling tell everyone; guests'
personal data removed after the retention period."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from persiantools.jdatetime import JalaliDateTime

from ravabet.events import selectors, services
from ravabet.events.models import EventStatus, Invitation, Registration, RegStatus, Series
from ravabet.network.models import AuditEvent

from .conftest import guest


def local_jalali(value: datetime) -> tuple[int, int, int, int, int]:
    j = JalaliDateTime(timezone.localtime(value).replace(tzinfo=None))
    return j.year, j.month, j.day, j.hour, j.minute


def test_clone_keeps_jalali_day_and_hour_sessions_rules_and_office_invitations(
    course, organiser, programme, offices, staff_people
):
    services.invite(organiser, course, offices=[offices["county"]], users=[staff_people[0]])
    services.register(course, user=staff_people[1])
    clone = services.clone_series(
        organiser, programme, year=1406, slug="pr-week-1406", title_fa="هفته روابط عمومی ۱۴۰۶"
    )
    assert clone.cloned_from == programme and clone.year == 1406
    (copy,) = selectors.programme(clone)
    y, m, d, hh, mm = local_jalali(course.starts_at)
    assert local_jalali(copy.starts_at) == (y + 1, m, d, hh, mm)
    assert copy.sessions.count() == 3
    assert [s.mandatory for s in copy.sessions.all()] == [True, False, False]
    assert copy.min_sessions == 2 and copy.signer_name == course.signer_name
    assert list(Invitation.objects.filter(event=copy).values_list("office_id", "user_id")) == [
        (offices["county"].pk, None)
    ]  # whole offices are copied, chosen people are chosen again
    assert not copy.registrations.exists()
    assert AuditEvent.objects.filter(action="events.series_clone").exists()


def test_30_esfand_becomes_29_in_a_common_year():
    leap = timezone.make_aware(JalaliDateTime(1403, 12, 30, 10, 0).to_gregorian())
    moved = services.shift_jalali_year(leap, 1)
    assert local_jalali(moved)[:3] == (1404, 12, 29)


def test_a_slug_taken_refuses_the_clone(programme, organiser):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.clone_series(
            organiser, programme, year=1406, slug=programme.slug, title_fa="تکراری"
        )
    assert Series.objects.count() == 1


def test_moving_tells_everyone_and_bumps_the_calendar_sequence(
    course, organiser, staff_people, monkeypatch
):
    told = []
    monkeypatch.setattr(services.notices, "tell", lambda r, kind, event: told.append((r.pk, kind)))
    a = services.register(course, user=staff_people[0])
    b = services.register(course, user=staff_people[1])
    w = services.register(course, user=staff_people[2])
    services.leave(w.token)  # someone who left is not told
    told.clear()
    first_session = course.sessions.first().starts_at
    later = course.starts_at + timedelta(days=1)
    moved = services.move_event(
        organiser, course, starts_at=later, ends_at=course.ends_at + timedelta(days=1)
    )
    assert moved.status == EventStatus.MOVED and moved.sequence == 1
    assert course.sessions.first().starts_at == first_session + timedelta(days=1)
    assert sorted(told) == sorted([(a.pk, "moved"), (b.pk, "moved")])


def test_cancelling_tells_everyone_including_the_waiting_list(
    course, organiser, staff_people, monkeypatch
):
    told = []
    monkeypatch.setattr(services.notices, "tell", lambda r, kind, event: told.append((r.pk, kind)))
    regs = [services.register(course, user=p) for p in staff_people]
    told.clear()
    services.cancel_event(organiser, course, reason="همزمانی با تعطیلی")
    assert sorted(told) == sorted((r.pk, "cancelled") for r in regs)
    course.refresh_from_db()
    assert course.status == EventStatus.CANCELLED and course.sequence == 1
    # Nobody is promoted into a cancelled event.
    services.leave(regs[0].token)
    assert Registration.objects.get(pk=regs[2].pk).status == RegStatus.WAITING
    # Cancelling twice tells nobody twice.
    told.clear()
    services.cancel_event(organiser, course)
    assert told == []


def test_moving_a_cancelled_event_is_refused(course, organiser):
    services.cancel_event(organiser, course)
    with pytest.raises(services.RegistrationClosed):
        services.move_event(organiser, course, starts_at=course.starts_at, ends_at=course.ends_at)


def test_retention_clears_guests_after_n_months_only(course, organiser, staff_people):
    visitor = services.register(course, guest=guest(1))
    staff = services.register(course, user=staff_people[0])
    out = StringIO()
    call_command("events_retention", "--months", "6", stdout=out)
    assert "0 guest" in out.getvalue()  # the event has not even happened
    later = course.ends_at + timedelta(days=30 * 6 + 1)
    assert services.anonymise_guests(months=6, now=later) == 1
    visitor.refresh_from_db()
    assert (visitor.guest_name, visitor.guest_mobile, visitor.guest_email) == ("", "", "")
    assert visitor.anonymised_at == later
    staff.refresh_from_db()
    assert staff.user == staff_people[0]
    assert services.anonymise_guests(months=6, now=later) == 0  # again: nothing
    assert AuditEvent.objects.filter(action="events.retention").count() == 1


def test_retention_dry_run_counts_without_clearing(course, db):
    visitor = services.register(course, guest=guest(2))
    Registration.objects.filter(pk=visitor.pk).update()
    from ravabet.events.models import Event

    Event.objects.filter(pk=course.pk).update(
        starts_at=timezone.now() - timedelta(days=400), ends_at=timezone.now() - timedelta(days=399)
    )
    out = StringIO()
    call_command("events_retention", "--dry-run", stdout=out)
    assert out.getvalue().startswith("1 guest")
    assert Registration.objects.get(pk=visitor.pk).guest_name


def test_retention_refuses_zero_months(db):
    with pytest.raises(SystemExit):
        call_command("events_retention", "--months", "0", stderr=StringIO())


def test_retention_is_a_scheduled_task(settings):
    from ravabet.events import tasks

    assert settings.RAVABET_SCHEDULE["ravabet.events.tasks.retention"] >= 3600
    assert hasattr(tasks.retention, "enqueue")
