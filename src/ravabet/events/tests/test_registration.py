"""Registration: capacity, the waiting list and its automatic promotion, moderation,
invitations, deadlines, double registration, leaving either list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ravabet.conftest import make_staff
from ravabet.events import services
from ravabet.events.models import Enrolment, Registration, RegStatus
from ravabet.network.models import AuditEvent

from .conftest import guest


def test_capacity_then_the_waiting_list(course, staff_people):
    a, b, c = staff_people
    assert services.register(course, user=a).status == RegStatus.CONFIRMED
    assert services.register(course, user=b).status == RegStatus.CONFIRMED
    third = services.register(course, user=c)
    assert third.status == RegStatus.WAITING


def test_a_staff_registration_counts_to_the_office_they_work_in(course, staff_people, offices):
    registration = services.register(course, user=staff_people[2])
    assert registration.home_office == offices["agency"]
    assert registration.guest_name == ""


def test_leaving_promotes_the_first_waiting_and_tells_them(course, staff_people, monkeypatch):
    told = []
    monkeypatch.setattr(
        services.notices, "tell", lambda reg, kind, event: told.append((reg.pk, kind))
    )
    a, b, c = staff_people
    first = services.register(course, user=a)
    services.register(course, user=b)
    waiting = services.register(course, user=c)
    later = services.register(course, guest=guest(1))
    assert later.status == RegStatus.WAITING
    services.leave(first.token)
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert waiting.status == RegStatus.CONFIRMED and waiting.promoted_at is not None
    assert later.status == RegStatus.WAITING  # only one seat freed
    assert (waiting.pk, services.notices.PROMOTED) in told
    assert AuditEvent.objects.filter(action="events.promote").count() == 1


def test_leaving_the_waiting_list_promotes_nobody(course, staff_people):
    a, b, c = staff_people
    services.register(course, user=a)
    services.register(course, user=b)
    waiting = services.register(course, user=c)
    services.leave(waiting.token)
    assert course.registrations.filter(status=RegStatus.CONFIRMED).count() == 2
    assert Registration.objects.get(pk=waiting.pk).status == RegStatus.CANCELLED


def test_leaving_twice_changes_nothing_the_second_time(course, staff_people):
    registration = services.register(course, user=staff_people[0])
    services.leave(registration.token)
    again = services.leave(registration.token)
    assert again.status == RegStatus.CANCELLED
    assert AuditEvent.objects.filter(action="events.leave").count() == 1


def test_double_registration_is_refused_with_409(course, staff_people):
    services.register(course, user=staff_people[0])
    with pytest.raises(services.AlreadyRegistered) as caught:
        services.register(course, user=staff_people[0])
    assert caught.value.status == 409
    assert caught.value.message == "شما پیش‌تر در این رویداد ثبت‌نام کرده‌اید."


def test_a_guest_is_one_per_mobile(course):
    services.register(course, guest=guest(1))
    with pytest.raises(services.AlreadyRegistered):
        services.register(course, guest=guest(1))


def test_one_may_register_again_after_leaving(course, staff_people):
    first = services.register(course, user=staff_people[0])
    services.leave(first.token)
    again = services.register(course, user=staff_people[0])
    assert again.status == RegStatus.CONFIRMED and again.pk != first.pk


def test_registration_after_the_deadline_is_closed(course, staff_people):
    course.registration_closes_at = timezone.now() - timedelta(minutes=1)
    course.save(update_fields=["registration_closes_at"])
    with pytest.raises(services.RegistrationClosed) as caught:
        services.register(course, user=staff_people[0])
    assert caught.value.status == 410


def test_registration_closes_when_the_event_starts(course, staff_people):
    with pytest.raises(services.RegistrationClosed):
        services.register(course, user=staff_people[0], now=course.starts_at + timedelta(minutes=1))


def test_a_cancelled_event_takes_no_registration(course, organiser, staff_people):
    services.cancel_event(organiser, course, reason="شرایط جوی")
    with pytest.raises(services.RegistrationClosed):
        services.register(course, user=staff_people[0])


def test_invitation_only_admits_invited_offices_people_and_no_guests(
    course, organiser, staff_people, offices
):
    course.enrolment = Enrolment.INVITATION
    course.save(update_fields=["enrolment"])
    services.invite(organiser, course, offices=[offices["county"]])
    a, _b, agency = staff_people
    assert services.register(course, user=a).status == RegStatus.CONFIRMED
    with pytest.raises(services.NotInvited) as caught:
        services.register(course, user=agency)
    assert caught.value.status == 403
    with pytest.raises(services.NotInvited):
        services.register(course, guest=guest(2))
    services.invite(organiser, course, users=[agency])
    assert services.register(course, user=agency).status in (
        RegStatus.CONFIRMED,
        RegStatus.WAITING,
    )


def test_working_groups_are_refused_without_the_council_app(course, organiser):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.invite(organiser, course, working_groups=[1])


def test_working_group_members_are_invited_when_the_council_says_so(
    course, organiser, staff_people, monkeypatch
):
    from ravabet.events import council_bridge
    from ravabet.events.models import Invitation

    course.enrolment = Enrolment.INVITATION
    course.save(update_fields=["enrolment"])
    Invitation.objects.create(event=course, working_group_id=7)
    member = staff_people[2]

    class FakeCouncil:
        @staticmethod
        def working_group_member_ids(groups):
            return {member.pk} if 7 in groups else set()

    monkeypatch.setattr(council_bridge, "_selectors", lambda: FakeCouncil)
    assert services.register(course, user=member).status == RegStatus.CONFIRMED
    with pytest.raises(services.NotInvited):
        services.register(course, user=staff_people[0])


def test_moderation_holds_no_seat_until_approved(course, organiser, staff_people):
    course.moderated = True
    course.capacity = 1
    course.save(update_fields=["moderated", "capacity"])
    a, b, _c = staff_people
    first = services.register(course, user=a)
    second = services.register(course, user=b)
    assert first.status == second.status == RegStatus.PENDING
    assert services.approve(organiser, first) == RegStatus.CONFIRMED
    assert services.approve(organiser, second) == RegStatus.WAITING  # said clearly: full
    services.reject(organiser, Registration.objects.get(pk=first.pk))
    assert Registration.objects.get(pk=second.pk).status == RegStatus.CONFIRMED


def test_only_the_organiser_approves(course, staff_people):
    course.moderated = True
    course.save(update_fields=["moderated"])
    registration = services.register(course, user=staff_people[0])
    with pytest.raises(PermissionDenied):
        services.approve(staff_people[1], registration)
    assert AuditEvent.objects.filter(action="denied:events.manage", allowed=False).exists()


def test_unlimited_capacity_never_waits(course, staff_people):
    course.capacity = None
    course.save(update_fields=["capacity"])
    for person in staff_people:
        assert services.register(course, user=person).status == RegStatus.CONFIRMED


def test_an_event_without_registration_refuses_it(course, staff_people):
    course.enrolment = Enrolment.NONE
    course.save(update_fields=["enrolment"])
    with pytest.raises(services.RegistrationClosed):
        services.register(course, user=staff_people[0])


def test_guests_text_is_normalised(course):
    registration = services.register(
        course, guest=services.Guest("علي كريمي", "09120000009", "A@Example.org")
    )
    assert registration.guest_name == "علی کریمی"
    assert registration.guest_email == "a@example.org"


def test_the_manager_above_may_manage_but_not_see_guests(course, offices):
    from ravabet.network.permissions import Action, may

    above = make_staff("province", offices["root"], "manager")
    assert may(above, Action.EVENTS_MANAGE, course)
    assert not may(above, Action.EVENTS_GUESTS, course)
