"""Writes of the council's public side: a closed meeting turned into a draft news item.

The draft goes to the host office's newsroom through `news.services.create_draft_from` (the
newsroom's own permission, `news.write` on the host office, and its normal review: nothing is
published here). The step is audited on the meeting (`council.news_draft`, with the news code),
and that event is how a second click finds the draft already made instead of making another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.translation import gettext as _

from ravabet.network import selectors as network
from ravabet.network.jalali import format_date, weekday_name
from ravabet.network.permissions import Action
from ravabet.network.services import lock_and_require, locked_transaction, record
from ravabet.network.text import to_persian_digits
from ravabet.news import selectors as news_selectors
from ravabet.news import services as news
from ravabet.news.models import NewsItem

from . import models as m

NEWS_DRAFT_ACTION = "council.news_draft"
COUNCIL_NEWS_GROUP = "council"  # the newsroom's group for council news, when it exists

_ORDINALS = (
    "اولین", "دومین", "سومین", "چهارمین", "پنجمین", "ششمین", "هفتمین", "هشتمین", "نهمین",
    "دهمین", "یازدهمین", "دوازدهمین", "سیزدهمین", "چهاردهمین", "پانزدهمین", "شانزدهمین",
    "هفدهمین", "هجدهمین", "نوزدهمین", "بیستمین",
)  # fmt: skip


def ordinal(number: int) -> str:
    """«اولین» … «بیستمین»; later meetings by number («جلسه شماره ۲۳»)."""
    if 1 <= number <= len(_ORDINALS):
        return _ORDINALS[number - 1]
    return ""


@dataclass
class DraftResult:
    item: NewsItem
    created: bool  # False: the meeting's draft had been made before


def _body_name(meeting: m.Meeting) -> str:
    group = meeting.working_group
    return group.name_fa if group is not None else meeting.council.name_fa


def _approved_version(meeting: m.Meeting) -> m.MinutesVersion | None:
    state = m.MinutesVersion.State
    versions = m.MinutesVersion.objects.filter(minutes__meeting=meeting)
    return (
        versions.filter(state=state.APPROVED).order_by("-number").first()
        or versions.exclude(state=state.SUPERSEDED).order_by("-number").first()
    )


def compose(meeting: m.Meeting) -> news.NewsData:
    """The draft's title, lead and body from the meeting's public minutes (seed 004's shape:
    «<host>؛ میزبان اولین نشست <body>», then who met where, what was said, and the public
    decisions with their codes, responsible offices and deadlines)."""
    body = _body_name(meeting)
    host = meeting.host_office.name_fa
    number = to_persian_digits(str(meeting.number))
    nth = ordinal(meeting.number)
    session = f"{nth} نشست {body}" if nth else f"جلسه شماره {number} {body}"
    day = format_date(meeting.starts_at, "fa")
    weekday = weekday_name(meeting.starts_at, "fa")
    title = f"{host}؛ میزبان {session}"
    lead = f"{session} (جلسه شماره {number}) روز {weekday} {day} به میزبانی {host} برگزار شد."
    present = list(
        m.Attendance.objects.filter(
            meeting=meeting, status__in=[m.Attendance.Status.PRESENT, m.Attendance.Status.LATE]
        )
        .select_related("office")
        .order_by("office__name_fa")
    )
    paragraphs = []
    where = f" در {meeting.place}" if meeting.place else ""
    who = "، ".join(a.office.name_fa for a in present)
    opening = f"به گزارش روابط عمومی {host}، {session}"
    if who:
        opening += f" با حضور مدیران روابط عمومی {who}"
    paragraphs.append(f"{opening}{where} برگزار شد.")
    version = _approved_version(meeting)
    if version is not None:
        if version.summary.strip():
            paragraphs.append(version.summary.strip())
        entries = {
            entry.agenda_item_id: entry.text
            for entry in version.entries.select_related("agenda_item")
        }
        for item in meeting.agenda.order_by("position"):
            text = (entries.get(item.pk) or "").strip()
            if text and item.kind != m.AgendaItem.Kind.FOLLOW_UP:
                paragraphs.append(f"{item.title}: {text}")
    decisions = list(
        m.Decision.objects.filter(meeting=meeting, is_public=True)
        .select_related("office")
        .order_by("number")
    )
    html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    if decisions:
        html += f"<p>{escape('مصوبات این جلسه:')}</p><ol>"
        for decision in decisions:
            html += (
                f"<li>{escape(decision.text)} ({escape('مسئول')}: {escape(decision.office.name_fa)}"
                f"؛ {escape('مهلت')}: {escape(format_date(decision.deadline, 'fa'))}"
                f"؛ {escape('کد')} <bdi>{escape(to_persian_digits(decision.code))}</bdi>)</li>"
            )
        html += "</ol>"
    html += f"<p>{escape('انتهای پیام/')}</p>"
    group = news_selectors.all_groups().filter(slug=COUNCIL_NEWS_GROUP).first()
    return news.NewsData(
        title=title,
        over_title=body,
        lead=lead,
        body=html,
        source_line=f"روابط عمومی {host}",
        group=group,
        tags=[body, "شورای هماهنگی روابط عمومی"],
    )


def earlier_draft(meeting: m.Meeting) -> NewsItem | None:
    """The draft made from this meeting before, if it still exists."""
    event = (
        network.audit_events(meeting.council.office, action=NEWS_DRAFT_ACTION)
        .filter(object_type="council.meeting", object_id=str(meeting.pk))
        .first()
    )
    code = (event.changes or {}).get("news_code") if event is not None else None
    return news_selectors.item_by_code(int(code)) if code else None


def draft_news_from_meeting(
    actor: Any, meeting: m.Meeting, request: HttpRequest | None = None
) -> DraftResult:
    """Turn a held public meeting into a draft news item for its host office's newsroom.

    Refused (ValidationError, code "not_held" / "internal") before the meeting is closed or when
    it is internal; the newsroom refuses (403, audited) an actor who may not write news there.
    A second click returns the draft already made.
    """
    with locked_transaction():
        # Lock-then-check: the meeting's row, then `news.write` on its host office (audited if
        # refused); a second click waits here and then finds the first one's draft.
        locked = lock_and_require(
            m.Meeting.objects.select_related(
                "council", "council__office", "working_group", "host_office"
            ),
            meeting.pk,
            actor,
            Action.NEWS_WRITE,
            request,
            target=lambda row: row.host_office,
        )
        if locked.state not in (m.MeetingState.CLOSED, m.MeetingState.MINUTES_APPROVED):
            raise ValidationError(
                _("Only a held meeting (closed, or with approved minutes) can become news."),
                code="not_held",
            )
        if not locked.is_public:
            raise ValidationError(
                _("This meeting is internal: it cannot become a news item."), code="internal"
            )
        existing = earlier_draft(locked)
        if existing is not None:
            return DraftResult(existing, created=False)
        label = f"جلسه شماره {to_persian_digits(str(locked.number))} {_body_name(locked)}"
        item = news.create_draft_from(
            actor,
            locked.host_office,
            compose(locked),
            origin=f"council.meeting:{locked.pk}",
            origin_label=label,
            request=request,
        )
        record(
            actor,
            NEWS_DRAFT_ACTION,
            target=locked,
            office=locked.council.office,
            request=request,
            changes={"news_code": item.code, "host_office": locked.host_office.name_fa},
        )
    return DraftResult(item, created=True)
