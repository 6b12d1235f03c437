"""Check-in by code (per session), manual marks, the rules, certificates only for those who met
them, revocation audited, figures."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ravabet.conftest import make_staff
from ravabet.events import codes, rules, selectors, services
from ravabet.events.models import Certificate, Kind, Mark, Registration
from ravabet.network.models import AuditEvent
from ravabet.network.text import to_persian_digits

from .conftest import guest


@pytest.fixture
def two_in(course, staff_people):
    a, b, _c = staff_people
    return services.register(course, user=a), services.register(course, user=b)


def sessions_of(event):
    return list(event.sessions.all())


def test_check_in_by_typed_code_in_persian_digits_with_dashes(course, organiser, two_in):
    first, _ = two_in
    session = sessions_of(course)[0]
    typed = to_persian_digits(codes.shown(first.checkin_code))
    done = services.check_in(organiser, session, typed)
    assert done.registration.pk == first.pk and not done.already
    assert selectors.present_count(session) == 1


def test_a_second_check_in_says_so_and_changes_nothing(course, organiser, two_in):
    first, _ = two_in
    session = sessions_of(course)[0]
    services.check_in(organiser, session, first.checkin_code)
    again = services.check_in(organiser, session, first.checkin_code)
    assert again.already
    assert AuditEvent.objects.filter(action="events.checkin").count() == 1


def test_the_same_pass_checks_in_once_per_session(course, organiser, two_in):
    first, _ = two_in
    for session in sessions_of(course):
        assert not services.check_in(organiser, session, first.checkin_code).already


def test_a_code_of_another_event_is_refused(course, organiser, offices, start, staff_people):
    other = services.create_event(
        organiser,
        offices["gov"],
        kind=Kind.MEETING,
        title="نشست فضای مجازی",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="سالن شهید",
    )
    elsewhere = services.register(other, user=staff_people[0])
    with pytest.raises(services.CheckinRefused) as caught:
        services.check_in(organiser, sessions_of(course)[0], elsewhere.checkin_code)
    assert caught.value.status == 409
    assert "رویداد دیگری" in caught.value.message or "another event" in caught.value.message


def test_a_mistyped_or_unknown_code_is_not_found(course, organiser, two_in):
    first, _ = two_in
    code = first.checkin_code
    mistyped = code[:-2] + code[-1] + code[-2]  # neighbours swapped: the check digit sees it
    if mistyped == code:
        mistyped = code[:-1] + str((int(code[-1]) + 1) % 10)
    with pytest.raises(Registration.DoesNotExist):
        services.check_in(organiser, sessions_of(course)[0], mistyped)
    with pytest.raises(Registration.DoesNotExist):
        services.check_in(organiser, sessions_of(course)[0], "abc")


def test_someone_on_the_waiting_list_cannot_check_in(course, organiser, two_in, staff_people):
    waiting = services.register(course, user=staff_people[2])
    with pytest.raises(services.CheckinRefused):
        services.check_in(organiser, sessions_of(course)[0], waiting.checkin_code)


def test_check_in_needs_the_permission_on_the_event(course, two_in, offices):
    outsider = make_staff("outsider", offices["agency"], "manager")
    with pytest.raises(PermissionDenied):
        services.check_in(outsider, sessions_of(course)[0], two_in[0].checkin_code)


def test_an_author_of_the_office_may_check_people_in(course, two_in, offices):
    door = make_staff("door", offices["gov"], "author")
    assert not services.check_in(door, sessions_of(course)[0], two_in[0].checkin_code).already


def test_manual_marks_and_the_rules(course, organiser, two_in):
    first, second = two_in
    s1, s2, s3 = sessions_of(course)
    # First: sessions 1 (mandatory) and 2 → meets "at least 2".
    services.mark(organiser, first, s1, Mark.PRESENT)
    services.mark(organiser, first, s2, Mark.PRESENT)
    services.mark(organiser, first, s3, Mark.ABSENT)
    # Second: sessions 2 and 3, but not the mandatory first; excused is no attendance.
    services.mark(organiser, second, s1, Mark.EXCUSED)
    services.mark(organiser, second, s2, Mark.PRESENT)
    services.mark(organiser, second, s3, Mark.PRESENT)
    outcomes = {r.pk: o for r, o in selectors.outcomes(course)}
    assert outcomes[first.pk].met and outcomes[first.pk].hours == Decimal("8.00")
    assert not outcomes[second.pk].met
    assert "mandatory" in outcomes[second.pk].reason or "اجباری" in outcomes[second.pk].reason


def test_a_mark_can_be_corrected(course, organiser, two_in):
    first, _ = two_in
    session = sessions_of(course)[0]
    services.mark(organiser, first, session, Mark.PRESENT)
    services.mark(organiser, first, session, Mark.ABSENT)
    assert first.attendances.get(session=session).mark == Mark.ABSENT


def test_certificate_refused_to_someone_who_did_not_meet_the_rules(course, organiser, two_in):
    first, _ = two_in
    services.mark(organiser, first, sessions_of(course)[0], Mark.PRESENT)
    with pytest.raises(services.NotEligible) as caught:
        services.issue_certificate(organiser, first)
    assert caught.value.status == 409
    assert not Certificate.objects.exists()


def test_bulk_issue_gives_certificates_only_to_those_who_met_the_rules(course, organiser, two_in):
    first, second = two_in
    for session in sessions_of(course)[:2]:
        services.check_in(organiser, session, first.checkin_code)
    services.check_in(organiser, sessions_of(course)[1], second.checkin_code)
    made = services.issue_certificates(organiser, course)
    assert [c.registration_id for c in made] == [first.pk]
    certificate = made[0]
    assert codes.is_valid(certificate.code) and len(certificate.code) == 12
    assert certificate.hours == Decimal("8.00")
    assert certificate.signer_name == "آیت قیصربیگی"
    assert services.issue_certificates(organiser, course) == []  # none twice


def test_only_a_manager_issues_certificates(course, two_in, offices, organiser):
    editor = make_staff("ed", offices["gov"], "editor")
    with pytest.raises(PermissionDenied):
        services.issue_certificates(editor, course)


def test_revocation_is_audited_and_needs_a_reason(course, organiser, two_in):
    first, _ = two_in
    for session in sessions_of(course):
        services.check_in(organiser, session, first.checkin_code)
    certificate = services.issue_certificate(organiser, first)
    with pytest.raises(ValidationError):
        services.revoke_certificate(organiser, certificate, reason="  ")
    services.revoke_certificate(organiser, certificate, reason="اشتباه در ثبت حضور")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    event = AuditEvent.objects.get(action="events.revoke")
    assert event.changes == {"reason": "اشتباه در ثبت حضور"}
    assert event.office_id == course.office_id


def test_rules_share_and_count_take_the_stricter():
    assert rules.required_sessions(10, None, None) == 10
    assert rules.required_sessions(10, 3, None) == 3
    assert rules.required_sessions(10, None, Decimal("0.75")) == 8
    assert rules.required_sessions(10, 9, Decimal("0.5")) == 9
    assert rules.required_sessions(3, 5, None) == 3  # never more than there are
    assert rules.required_sessions(3, None, Decimal("0.67")) == 3
    assert rules.required_sessions(4, None, Decimal("0.5")) == 2


def test_rules_without_sessions_are_never_met():
    assert not rules.evaluate([], [], min_sessions=None, min_share=None).met


def test_training_hours_by_office_counts_attended_sessions(course, organiser, two_in, offices):
    first, second = two_in  # both of the county
    s1, s2, _s3 = sessions_of(course)
    services.check_in(organiser, s1, first.checkin_code)
    services.check_in(organiser, s2, first.checkin_code)
    services.mark(organiser, second, s1, Mark.PRESENT)
    services.mark(organiser, second, s2, Mark.EXCUSED)
    start, end = s1.starts_at - timedelta(days=1), s1.starts_at + timedelta(days=30)
    assert selectors.training_hours_by_office(start, end) == {offices["county"].pk: 12.0}
    # The window is [start, end): a session starting at `end` is outside.
    assert selectors.training_hours_by_office(start, s2.starts_at) == {offices["county"].pk: 8.0}
    people = selectors.training_hours_by_person(start, end, offices["root"])
    assert [(p.name, p.hours) for p in people] == [("county-a", 8.0), ("county-b", 4.0)]


def test_guests_and_other_kinds_count_no_training_hours(course, organiser, offices):
    visitor = services.register(course, guest=guest(3))
    session = sessions_of(course)[0]
    services.check_in(organiser, session, visitor.checkin_code)
    assert (
        selectors.training_hours_by_office(
            session.starts_at - timedelta(days=1), session.starts_at + timedelta(days=1)
        )
        == {}
    )


def test_attendance_rate_counts_sessions_held(course, organiser, two_in):
    first, _second = two_in
    s1 = sessions_of(course)[0]
    services.check_in(organiser, s1, first.checkin_code)
    figures = selectors.attendance_figures([course], now=s1.starts_at + timedelta(hours=1))[0]
    assert (figures.present_marks, figures.possible_marks) == (1, 2)
    assert figures.rate == 0.5
    before = selectors.attendance_figures([course], now=s1.starts_at - timedelta(days=1))[0]
    assert before.rate is None


def test_codes_catch_single_errors_and_swaps():
    code = codes.new_verification_code()
    assert codes.is_valid(code)
    for i in range(len(code)):
        for d in "0123456789":
            if d != code[i]:
                assert not codes.is_valid(code[:i] + d + code[i + 1 :])
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert not codes.is_valid(swapped)


def test_no_check_in_at_a_cancelled_event(course, organiser, two_in):
    services.cancel_event(organiser, course)
    with pytest.raises(services.CheckinRefused):
        services.check_in(organiser, sessions_of(course)[0], two_in[0].checkin_code)
