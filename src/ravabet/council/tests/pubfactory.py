"""Rows for the public side's tests (councilpub), written straight to the tables."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import count

from django.utils import timezone

from ravabet.council import models as m
from ravabet.network.models import Office

_numbers = count(1)


def day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def at(offset: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day(offset), time(hour, 0)))


def council(office: Office, *, slug: str = "", public: bool = True, **fields) -> m.Council:
    n = next(_numbers)
    return m.Council.objects.create(
        office=office,
        slug=slug or f"council-{n}",
        code=fields.pop("code", f"C{n}"),
        name_fa=fields.pop("name_fa", f"شورای هماهنگی روابط عمومی {n}"),
        is_public=public,
        **fields,
    )


def group(c: m.Council, lead: Office, *, public: bool = True, **fields) -> m.WorkingGroup:
    n = next(_numbers)
    return m.WorkingGroup.objects.create(
        council=c,
        slug=fields.pop("slug", f"g{n}"),
        code=fields.pop("code", f"G{n}"),
        name_fa=fields.pop("name_fa", f"کارگروه {n}"),
        lead_office=lead,
        is_public=public,
        **fields,
    )


def meeting(
    c: m.Council,
    host: Office,
    *,
    number: int | None = None,
    group: m.WorkingGroup | None = None,
    state: str = m.MeetingState.MINUTES_APPROVED,
    public: bool = True,
    days: int = -10,
    **fields,
) -> m.Meeting:
    return m.Meeting.objects.create(
        council=c,
        working_group=group,
        number=number or next(_numbers),
        starts_at=at(days),
        host_office=host,
        state=state,
        is_public=public,
        **fields,
    )


def decision(
    mt: m.Meeting,
    office: Office,
    *,
    number: int | None = None,
    text: str = "تدوین دستورالعمل پوشش خبری مشترک",
    deadline: int = 10,
    status: str = m.DecisionStatus.AWAITING,
    public: bool = True,
    **fields,
) -> m.Decision:
    number = number or next(_numbers)
    return m.Decision.objects.create(
        council=mt.council,
        working_group=mt.working_group,
        meeting=mt,
        number=number,
        code=fields.pop("code", f"{mt.council.code}-{mt.number}-{number}"),
        text=text,
        office=office,
        deadline=day(deadline),
        status=status,
        is_public=public,
        **fields,
    )


def report(d: m.Decision, *, percent: int, note: str, days: int = -1, public: bool = True):
    return m.FollowUpReport.objects.create(
        decision=d, office=d.office, day=day(days), percent=percent, note=note, is_public=public
    )


def approved_minutes(mt: m.Meeting, summary: str, entries: dict[str, str]) -> m.MinutesVersion:
    header = m.Minutes.objects.create(meeting=mt)
    version = m.MinutesVersion.objects.create(
        minutes=header, number=1, state=m.MinutesVersion.State.APPROVED, summary=summary
    )
    for position, (title, text) in enumerate(entries.items(), start=1):
        item = m.AgendaItem.objects.create(meeting=mt, position=position, title=title)
        m.MinutesEntry.objects.create(version=version, agenda_item=item, text=text)
    return version
