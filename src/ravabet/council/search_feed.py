"""What the council tells the search index: one document per public decision and per public
meeting held (issue 14: the register is searchable through the search app).

Only what readers may see is indexed (`selectors.public_decision_q` / `public_meeting_q`): an
internal decision or meeting is removed from the index, never shown with a "non-public" flag,
since its page is not public either. The documents follow the rows through `post_save` signals
(connected in `CouncilConfig.ready()`), so the core's services need not know about search: after
the commit, each changed decision or meeting is re-read and indexed or removed in the background.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.html import strip_tags

from ravabet.network.text import to_persian_digits
from ravabet.search.registry import register_source
from ravabet.search.services import (
    IndexableDocument,
    IndexReport,
    index_documents,
    schedule_index,
    schedule_remove,
)

from . import models as m
from . import selectors

DECISION_SOURCE = "council.decision"
MEETING_SOURCE = "council.meeting"
DECISIONS_TITLE = "مصوبات شوراهای هماهنگی"
MEETINGS_TITLE = "جلسات شوراهای هماهنگی"


def _body_name(row: m.Decision | m.Meeting) -> str:
    group = row.working_group
    return group.name_fa if group is not None else row.council.name_fa


def decision_document(decision: m.Decision, notes: Iterable[str] = ()) -> IndexableDocument:
    code = to_persian_digits(decision.code)
    return IndexableDocument(
        source=DECISION_SOURCE,
        key=str(decision.pk),
        office_id=decision.office_id,
        title=" ".join(decision.text.split())[:200],
        text="\n".join(
            part
            for part in (decision.text, decision.office.name_fa, _body_name(decision), *notes)
            if part
        ),
        url=reverse("council_public:decision", args=[decision.code]),
        published_at=decision.meeting.starts_at,
        is_public=True,
        group=selectors.DECISIONS_GROUP,
        group_title=DECISIONS_TITLE,
        tags=(_body_name(decision),),
        over_title=f"مصوبه {code} — {_body_name(decision)}",
        code=decision.code,
    )


def meeting_document(meeting: m.Meeting, texts: Iterable[str] = ()) -> IndexableDocument:
    number = to_persian_digits(str(meeting.number))
    title = f"جلسه شماره {number} {_body_name(meeting)}"
    if meeting.title:
        title = f"{title}: {meeting.title}"
    return IndexableDocument(
        source=MEETING_SOURCE,
        key=str(meeting.pk),
        office_id=meeting.host_office_id,
        title=title[:250],
        text="\n".join(
            part for part in (meeting.host_office.name_fa, meeting.place, *texts) if part
        ),
        url=reverse("council_public:meeting", args=[meeting.pk]),
        published_at=meeting.starts_at,
        is_public=True,
        group=selectors.MEETINGS_GROUP,
        group_title=MEETINGS_TITLE,
        tags=(_body_name(meeting),),
        over_title=_body_name(meeting),
    )


def _decisions(pks: Iterable[int] | None = None) -> Any:
    reports = m.FollowUpReport.objects.filter(is_public=True).order_by("-day", "-created_at")
    rows = (
        m.Decision.objects.filter(selectors.public_decision_q())
        .select_related("council", "working_group", "meeting", "office")
        .prefetch_related(Prefetch("reports", queryset=reports, to_attr="public_reports"))
        .order_by("pk")
    )
    return rows if pks is None else rows.filter(pk__in=list(pks))


def _meetings(pks: Iterable[int] | None = None) -> Any:
    rows = (
        m.Meeting.objects.filter(selectors.public_meeting_q())
        .select_related("council", "working_group", "host_office")
        .prefetch_related("agenda")
        .order_by("pk")
    )
    return rows if pks is None else rows.filter(pk__in=list(pks))


def _meeting_texts(meeting: m.Meeting) -> list[str]:
    texts = [item.title for item in meeting.agenda.all()]
    if meeting.state == m.MeetingState.MINUTES_APPROVED:
        version = (
            m.MinutesVersion.objects.filter(
                minutes__meeting=meeting, state=m.MinutesVersion.State.APPROVED
            )
            .order_by("-number")
            .first()
        )
        if version is not None:
            texts.append(version.summary)
            texts.extend(version.entries.values_list("text", flat=True))
    return [strip_tags(t) for t in texts if t]


def _decision_doc(decision: m.Decision) -> IndexableDocument:
    reports = getattr(decision, "public_reports", [])  # prefetched by `_decisions`
    return decision_document(decision, [r.note for r in reports[:5]])


def all_documents() -> Iterator[IndexableDocument]:
    for decision in _decisions().iterator(chunk_size=500):
        yield _decision_doc(decision)
    for meeting in _meetings().iterator(chunk_size=200):
        yield meeting_document(meeting, _meeting_texts(meeting))


def count() -> int:
    return (
        m.Decision.objects.filter(selectors.public_decision_q()).count()
        + m.Meeting.objects.filter(selectors.public_meeting_q()).count()
    )


def index_now(
    decisions: Iterable[int] | None = None, meetings: Iterable[int] | None = None
) -> IndexReport:
    """Index at once (the demo, the benchmark, tests): the given rows, or every public one."""
    report = IndexReport()
    report.add(index_documents(_decision_doc(d) for d in _decisions(decisions)))
    report.add(index_documents(meeting_document(x, _meeting_texts(x)) for x in _meetings(meetings)))
    return report


def refresh_decision(pk: int) -> None:
    """Index the decision if readers may see it now, else take it out of the index."""
    decision = _decisions([pk]).first()
    if decision is None:
        schedule_remove(DECISION_SOURCE, str(pk))
    else:
        schedule_index(_decision_doc(decision))


def refresh_meeting(pk: int, *, with_decisions: bool = True) -> None:
    meeting = _meetings([pk]).first()
    if meeting is None:
        schedule_remove(MEETING_SOURCE, str(pk))
    else:
        schedule_index(meeting_document(meeting, _meeting_texts(meeting)))
    if with_decisions:
        for decision_pk in m.Decision.objects.filter(meeting_id=pk).values_list("pk", flat=True):
            refresh_decision(decision_pk)


_paused: ContextVar[bool] = ContextVar("council_search_paused", default=False)


@contextmanager
def paused() -> Iterator[None]:
    """No per-row indexing inside (bulk loads: the demo, the benchmark); call `index_now` after."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _later(fn: Any, *args: Any, **kwargs: Any) -> None:
    if not _paused.get():
        transaction.on_commit(lambda: fn(*args, **kwargs))


def _decision_saved(sender: Any, instance: m.Decision, raw: bool = False, **_: Any) -> None:
    if not raw:
        _later(refresh_decision, instance.pk)


def _report_saved(sender: Any, instance: m.FollowUpReport, raw: bool = False, **_: Any) -> None:
    if not raw:
        _later(refresh_decision, instance.decision_id)


def _meeting_saved(sender: Any, instance: m.Meeting, raw: bool = False, **_: Any) -> None:
    if not raw:
        _later(refresh_meeting, instance.pk)


def _minutes_saved(sender: Any, instance: m.MinutesVersion, raw: bool = False, **_: Any) -> None:
    if not raw and instance.state == m.MinutesVersion.State.APPROVED:
        meeting_id = (
            m.Minutes.objects.filter(pk=instance.minutes_id)
            .values_list("meeting_id", flat=True)
            .first()
        )
        if meeting_id is not None:
            _later(refresh_meeting, meeting_id, with_decisions=False)


def _body_saved(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    """A council or working group shown or hidden: every meeting and decision of it."""
    if raw or instance.pk is None:
        return
    if _paused.get():
        return
    field = "council_id" if isinstance(instance, m.Council) else "working_group_id"

    def refresh() -> None:
        for pk in m.Meeting.objects.filter(**{field: instance.pk}).values_list("pk", flat=True):
            refresh_meeting(pk, with_decisions=False)
        for pk in m.Decision.objects.filter(**{field: instance.pk}).values_list("pk", flat=True):
            refresh_decision(pk)

    transaction.on_commit(refresh)


def register() -> None:
    """Called from the app's ready(): the rebuild command and the signals."""
    register_source("council", all_documents, count)
    post_save.connect(_decision_saved, sender=m.Decision, dispatch_uid="council-search-decision")
    post_save.connect(_report_saved, sender=m.FollowUpReport, dispatch_uid="council-search-report")
    post_save.connect(_meeting_saved, sender=m.Meeting, dispatch_uid="council-search-meeting")
    post_save.connect(_minutes_saved, sender=m.MinutesVersion, dispatch_uid="council-search-min")
    post_save.connect(_body_saved, sender=m.Council, dispatch_uid="council-search-council")
    post_save.connect(_body_saved, sender=m.WorkingGroup, dispatch_uid="council-search-group")
