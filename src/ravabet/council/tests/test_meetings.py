"""Meetings: numbers per body, the generated first item, invitations with .ics, changes,
answers, attendance and the quorum, permissions and the audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from icalendar import Calendar

from ravabet.council import selectors, services
from ravabet.council.models import AgendaItem, Invitation, Meeting, MeetingState
from ravabet.network.models import AuditEvent, OutboxMessage

from .conftest import MEETING_DAY, at, run_meeting

pytestmark = pytest.mark.django_db


def test_numbers_are_per_body_and_a_used_number_is_refused(body, meeting):
    assert meeting.number == 1
    second = services.create_meeting(
        body.secretary, body.council, starts_at=at(MEETING_DAY), host_office=body.offices["gov"],
        video_link="https://meet.example.org/x",
    )  # fmt: skip
    assert second.number == 2
    with pytest.raises(ValidationError) as refused:
        services.create_meeting(
            body.secretary, body.council, number=2, starts_at=at(MEETING_DAY),
            host_office=body.offices["gov"], place="سالن",
        )  # fmt: skip
    assert "۲" in refused.value.messages[0]
    # The working group counts its own meetings from 1.
    group_meeting = services.create_meeting(
        body.district, body.council, working_group=body.group, number=2,
        starts_at=at(MEETING_DAY), host_office=body.offices["district"], place="سالن",
    )  # fmt: skip
    assert group_meeting.number == 2
    assert Meeting.objects.filter(council=body.council, number=2).count() == 2


def test_first_item_is_the_generated_follow_up(meeting):
    items = list(meeting.agenda.order_by("position"))
    assert len(items) == 1
    assert items[0].kind == AgendaItem.Kind.FOLLOW_UP
    assert items[0].title == "پیگیری مصوبات جلسات قبل"


def test_a_place_or_a_link_is_needed(body):
    with pytest.raises(ValidationError):
        services.create_meeting(
            body.secretary, body.council, starts_at=at(MEETING_DAY), host_office=body.offices["gov"]
        )


def test_a_member_cannot_run_the_council_and_the_refusal_is_audited(body):
    with pytest.raises(PermissionDenied):
        services.create_meeting(
            body.district, body.council, starts_at=at(MEETING_DAY),
            host_office=body.offices["district"], place="سالن",
        )  # fmt: skip
    assert AuditEvent.objects.filter(action="denied:council.manage", allowed=False).exists()


def test_invitations_go_through_the_outbox_with_a_valid_ics(body, meeting):
    assert OutboxMessage.objects.count() == 0  # a draft tells nobody
    invited = services.invite(body.secretary, meeting)
    assert invited == 4
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.INVITED
    messages = list(OutboxMessage.objects.filter(topic=f"council.meeting:{meeting.pk}"))
    recipients = {m.recipient for m in messages}
    # Seat holders, else the office's managers.
    assert {"chair@example.org", "secretary@example.org", "district@example.org"} <= recipients
    assert "agency-editor@example.org" not in recipients
    message = messages[0]
    assert message.subject.startswith("دعوت")
    attachment = message.attachments[0]
    calendar = Calendar.from_ical(attachment["content"])
    event = next(iter(calendar.walk("VEVENT")))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert "جلسه" in str(event["SUMMARY"])
    assert event["SEQUENCE"] == 0
    with pytest.raises(ValidationError):
        services.invite(body.secretary, meeting)


def test_a_change_after_invitation_is_sent_with_a_higher_sequence(body, meeting):
    services.invite(body.secretary, meeting)
    before = OutboxMessage.objects.count()
    services.update_meeting(body.secretary, meeting, place="فرمانداری مهران")
    changed = list(OutboxMessage.objects.order_by("pk")[before:])
    assert changed and all(m.subject.startswith("تغییر") for m in changed)
    event = next(iter(Calendar.from_ical(changed[0].attachments[0]["content"]).walk("VEVENT")))
    assert event["SEQUENCE"] == 1
    assert "مهران" in str(event["LOCATION"])
    # A change of title alone is not news to the calendars.
    services.update_meeting(body.secretary, meeting, title="جلسه عادی")
    assert OutboxMessage.objects.count() == before + len(changed)


def test_cancelling_an_invited_meeting_sends_a_cancel(body, meeting):
    services.invite(body.secretary, meeting)
    services.cancel_meeting(body.secretary, meeting, reason="هم‌زمانی با سفر استاندار")
    last = OutboxMessage.objects.order_by("-pk").first()
    assert last.subject.startswith("لغو")
    assert "METHOD:CANCEL" in last.attachments[0]["content"]


def test_rsvp_by_the_members_own_office_only(body, meeting):
    services.invite(body.secretary, meeting)
    mine = Invitation.objects.get(meeting=meeting, office=body.offices["agency"])
    services.rsvp(body.agency_editor, mine, "yes", note="با معاون")
    mine.refresh_from_db()
    assert mine.answer == "yes" and mine.answer_note == "با معاون"
    other = Invitation.objects.get(meeting=meeting, office=body.offices["district"])
    with pytest.raises(PermissionDenied):
        services.rsvp(body.agency_editor, other, "no")


def test_attendance_and_the_majority_quorum(body, meeting):
    run_meeting(body, meeting, present=("gov",))
    q = services.quorum(meeting)
    assert (q.voting_members, q.needed, q.present, q.met) == (4, 3, 1, False)
    rows = {body.offices[k].pk: ("present", "") for k in ("gov", "county", "district")}
    services.take_attendance(body.secretary, meeting, rows)
    assert services.quorum(meeting).met


def test_observers_do_not_count_towards_the_quorum(body, meeting):
    from ravabet.council.models import Position

    services.assign_seat(
        body.director, body.council, body.offices["agency"], Position.OBSERVER,
        start=MEETING_DAY,
    )  # fmt: skip
    assert services.quorum(meeting).voting_members == 3


def test_attendance_only_for_member_offices(body, meeting):
    run_meeting(body, meeting)
    with pytest.raises(ValidationError):
        services.take_attendance(
            body.secretary, meeting, {body.offices["root"].pk: ("present", "")}
        )


def test_two_thirds_and_fixed_rules():
    assert services.quorum_needed("two_thirds", None, 9) == 6
    assert services.quorum_needed("two_thirds", None, 10) == 7
    assert services.quorum_needed("majority", None, 10) == 6
    assert services.quorum_needed("fixed", 5, 10) == 5


def test_agenda_items_keep_the_follow_up_first(body, meeting):
    a = services.add_agenda_item(body.secretary, meeting, title="گزارش کارگروه آموزش")
    b = services.add_agenda_item(body.secretary, meeting, title="برنامه هفته روابط عمومی")
    services.move_agenda_item(body.secretary, b, -1)
    assert [i.title for i in selectors.agenda(meeting)][1:] == [b.title, a.title]
    services.move_agenda_item(body.secretary, b, -1)  # cannot pass the follow-up item
    assert selectors.agenda(meeting)[0].kind == AgendaItem.Kind.FOLLOW_UP
    with pytest.raises(ValidationError):
        services.remove_agenda_item(body.secretary, selectors.agenda(meeting)[0])


def test_members_propose_and_the_secretary_schedules(body, meeting):
    proposal = services.propose_item(
        body.agency_editor, body.council, body.offices["agency"], title="پوشش خبری طرح‌های راه"
    )
    item = services.add_agenda_item(
        body.secretary, meeting, title=proposal.title, proposal=proposal
    )
    proposal.refresh_from_db()
    assert proposal.state == "scheduled" and proposal.meeting_id == meeting.pk
    assert item.position == 2
    with pytest.raises(PermissionDenied):  # not a member of the council
        services.propose_item(body.agency_editor, body.council, body.offices["root"], title="x")


def test_working_group_members_are_invited_to_its_meetings(body):
    m = services.create_meeting(
        body.district, body.council, working_group=body.group, starts_at=at(MEETING_DAY),
        host_office=body.offices["district"], place="سالن",
    )  # fmt: skip
    assert services.invite(body.district, m) == 2
    assert set(m.invitations.values_list("office__slug", flat=True)) == {"salehabad", "roads"}
