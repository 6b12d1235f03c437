"""A council owned by the province's directorate: the governorate chairs it, the county is its
secretary, the district and the agency are members; one working group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from ravabet.conftest import make_staff
from ravabet.council import services
from ravabet.council.models import Council, Position, WorkingGroup
from ravabet.network.models import Office, Role

# A Saturday (the Iranian week's first working day), far from the shipped holidays' weeks.
MEETING_DAY = date(2026, 12, 5)


@dataclass
class Body:
    council: Council
    group: WorkingGroup
    offices: dict[str, Office]
    director: Any  # manager of the directorate (owner office: sees and runs everything)
    secretary: Any  # manager of the county (secretary seat)
    chair: Any  # manager of the governorate (chair seat)
    district: Any  # manager of the district (member)
    agency_editor: Any  # editor of the agency (member: takes part, reports)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


@pytest.fixture
def body(offices) -> Body:
    director = make_staff("director", offices["root"], Role.MANAGER)
    secretary = make_staff("secretary", offices["county"], Role.MANAGER)
    chair = make_staff("chair", offices["gov"], Role.MANAGER)
    district = make_staff("district", offices["district"], Role.MANAGER)
    agency_editor = make_staff("agency-editor", offices["agency"], Role.EDITOR)
    council = services.create_council(
        director,
        offices["root"],
        name_fa="شورای هماهنگی روابط عمومی‌های استان ایلام",
        slug="ilam-council",
        code="ILM",
        kind=Council.Kind.PROVINCE_AGENCIES,
        objection_days=2,
    )
    start = MEETING_DAY - timedelta(days=300)
    services.assign_seat(
        director, council, offices["gov"], Position.CHAIR, start=start, holder=chair
    )
    services.assign_seat(
        director, council, offices["county"], Position.SECRETARY, start=start, holder=secretary
    )
    services.assign_seat(director, council, offices["district"], Position.MEMBER, start=start)
    services.assign_seat(director, council, offices["agency"], Position.MEMBER, start=start)
    group = services.create_working_group(
        director,
        council,
        name_fa="کارگروه آموزش",
        slug="education",
        code="EDU",
        lead_office=offices["district"],
    )
    services.join_group(director, group, offices["agency"], joined=start)
    return Body(council, group, offices, director, secretary, chair, district, agency_editor)


@pytest.fixture
def meeting(body):
    return services.create_meeting(
        body.secretary,
        body.council,
        starts_at=at(MEETING_DAY),
        host_office=body.offices["district"],
        place="سالن اجتماعات بخشداری صالح‌آباد",
    )


def run_meeting(body: Body, meeting, *, present: tuple[str, ...] = ("gov", "county", "district")):
    """Invite, start and take attendance (the named offices present, the others absent)."""
    services.invite(body.secretary, meeting)
    services.move_meeting(body.secretary, meeting, "start")
    rows = {
        o.pk: ("present" if key in present else "absent", "")
        for key, o in body.offices.items()
        if key in ("gov", "county", "district", "agency")
    }
    services.take_attendance(body.secretary, meeting, rows)
    meeting.refresh_from_db()
    return meeting
