"""Coordination councils (شورای هماهنگی روابط عمومی‌ها): the chain council → working group →
meeting → agenda item → decision → follow-up.

A *body* is a council or one of its working groups; meetings, agenda proposals and decisions
belong to a body (`council` always set; `working_group` set for a group's). Members are offices
(seats, memberships), each filled by its PR manager; history is kept by dates, never by deleting.
Dates a person chooses (deadlines, seat and term dates) are `DateField`s in the Gregorian
calendar, shown in Jalali; a meeting's time is an aware datetime.
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from typing import cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.db.models import Q
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ravabet.network.models import Office


class QuorumRule(models.TextChoices):
    MAJORITY = "majority", _("More than half of the voting members")
    TWO_THIRDS = "two_thirds", _("Two thirds of the voting members")
    FIXED = "fixed", _("A fixed number of voting members")


class Body(models.Model):
    """What a council and a working group share: the quorum rule and the minutes' circulation."""

    quorum_rule = models.CharField(
        _("quorum rule"), max_length=12, choices=QuorumRule.choices, default=QuorumRule.MAJORITY
    )
    quorum_count = models.PositiveSmallIntegerField(
        _("quorum (members present)"), null=True, blank=True
    )
    objection_days = models.PositiveSmallIntegerField(
        _("working days for objections to the minutes"), default=3
    )
    is_public = models.BooleanField(_("shown on the portal"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Council(Body):
    """A coordination council, owned by an office (a province's or a governorate's PR office)."""

    class Kind(models.TextChoices):
        PROVINCE_AGENCIES = "province", _("Council of the province's agencies' PR offices")
        COUNTY_DISTRICTS = "county", _("Council of a governorate's districts' PR offices")
        DISTRICTS = "districts", _("Council of the province's districts' PR offices")
        OTHER = "other", _("Other coordination council")

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="councils", verbose_name=_("owner office")
    )
    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    slug = models.SlugField(_("address name"), max_length=80, unique=True, allow_unicode=False)
    # The body part of a decision's code (`<code>-<meeting>-<n>`): short Latin letters/digits.
    code = models.CharField(_("code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    description_fa = models.TextField(_("Persian description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)

    class Meta:
        ordering = ["office__path", "name_fa"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name_fa


class Term(models.Model):
    """A council's term (دوره), e.g. the second term 1403–1405."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("term number"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["council", "-start"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="council_term_number"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="council_term_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} — {self.number}"


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy", _("Deputy chair")
    SECRETARY = "secretary", _("Secretary")
    BOARD = "board", _("Board member")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


# Positions held by one office at a time in a council.
SINGLE_POSITIONS = (Position.CHAIR, Position.DEPUTY_CHAIR, Position.SECRETARY)
# Observers attend but do not count towards the quorum.
VOTING_POSITIONS = tuple(p for p in Position if p != Position.OBSERVER)


class Seat(models.Model):
    """An office's seat in a council, with its position, from `start` until `end` (open: now).

    A change of position closes the seat and opens another, so the history stays.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="seats")
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="council_seats",
        verbose_name=pgettext_lazy("council", "office"),
    )
    position = models.CharField(_("position"), max_length=10, choices=Position.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_seats",
        verbose_name=_("holder (the office's PR manager)"),
    )
    term = models.ForeignKey(
        Term, on_delete=models.SET_NULL, null=True, blank=True, related_name="seats"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["council", "position", "office__name_fa"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "office"],
                condition=Q(end__isnull=True),
                name="council_seat_one_open_per_office",
            ),
            models.UniqueConstraint(
                fields=["council", "position"],
                condition=Q(end__isnull=True, position__in=["chair", "deputy", "secretary"]),
                name="council_seat_single_positions",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="council_seat_dates",
            ),
        ]
        indexes = [models.Index(fields=["office", "end"], name="council_seat_office_end")]

    def __str__(self) -> str:
        return f"{self.office} — {self.get_position_display()}"

    def is_open_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


class WorkingGroup(Body):
    """A working group (کارگروه) of a council, led by one office with a secretary office.

    `topic` says what the group is for, whatever its name: other apps ask by topic (the education
    working group's member offices review experience write-ups)."""

    class Topic(models.TextChoices):
        EDUCATION = "education", pgettext_lazy("working group topic", "Education")
        NEWS = "news", pgettext_lazy("working group topic", "News")
        EVALUATION = "evaluation", pgettext_lazy("working group topic", "Evaluation")
        ELECTIONS = "elections", pgettext_lazy("working group topic", "Elections")
        MEDIA = "media", pgettext_lazy("working group topic", "Media and cyberspace")
        CRISIS = "crisis", pgettext_lazy("working group topic", "Crisis media management")
        OTHER = "other", pgettext_lazy("working group topic", "Other")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="working_groups")
    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    slug = models.SlugField(_("address name"), max_length=80)
    code = models.CharField(_("code"), max_length=12)
    topic = models.CharField(
        _("topic"), max_length=12, choices=Topic.choices, default=Topic.OTHER, db_index=True
    )
    lead_office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="led_working_groups",
        verbose_name=_("lead office"),
    )
    secretary_office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups_as_secretary",
        verbose_name=_("secretary office"),
    )
    description_fa = models.TextField(_("Persian description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["council", "position", "name_fa"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="council_group_slug"),
            models.UniqueConstraint(fields=["council", "code"], name="council_group_code"),
        ]

    def __str__(self) -> str:
        return self.name_fa


class WorkingGroupMembership(models.Model):
    """An office's membership of a working group, from `joined` until `left` (open: now)."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="working_group_memberships"
    )
    joined = models.DateField(_("joined"))
    left = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["group", "joined"]
        verbose_name = _("working group membership")
        verbose_name_plural = _("working group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "office"],
                condition=Q(left__isnull=True),
                name="council_group_one_open_membership",
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="council_group_membership_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} — {self.office}"


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    INVITED = "invited", _("Invitations sent")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", pgettext_lazy("meeting state", "Closed")
    MINUTES_APPROVED = "approved", _("Minutes approved")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A meeting of a council (`working_group` empty) or of one of its working groups.

    `number` is per body (جلسه شماره ۱۲), enforced by the two partial unique constraints.
    `sequence` counts the changes members were told about (the .ics SEQUENCE).
    """

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("working group"),
    )
    number = models.PositiveIntegerField(_("meeting number"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("planned duration (minutes)"), default=90)
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video-conference link"), blank=True)
    host_office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
        verbose_name=_("host office"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    is_public = models.BooleanField(_("public"), default=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"],
                condition=Q(working_group__isnull=True),
                name="council_meeting_number_per_council",
            ),
            models.UniqueConstraint(
                fields=["working_group", "number"],
                condition=Q(working_group__isnull=False),
                name="council_meeting_number_per_group",
            ),
        ]
        indexes = [
            models.Index(
                fields=["council", "working_group", "-starts_at"], name="council_mtg_body"
            ),
            models.Index(fields=["state", "starts_at"], name="council_mtg_state"),
        ]

    def __str__(self) -> str:
        return f"{self.body_name} — {self.number}"

    @property
    def body_name(self) -> str:
        group = self.working_group
        return group.name_fa if group is not None else self.council.name_fa

    @property
    def body_code(self) -> str:
        group = self.working_group
        return group.code if group is not None else self.council.code


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in `position` order. The first is generated."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Follow-up of earlier decisions")
        REGULAR = "regular", _("Item")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("title"), max_length=300)
    presenter_office = models.ForeignKey(
        Office,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presenting office"),
    )
    presenter_name = models.CharField(_("presenter"), max_length=150, blank=True)
    planned_minutes = models.PositiveSmallIntegerField(_("minutes planned"), default=10)
    proposal = models.ForeignKey(
        "AgendaProposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="council_agenda_position")
        ]

    def __str__(self) -> str:
        return self.title


class AgendaProposal(models.Model):
    """An item a member proposes for a coming meeting of a body (the backlog)."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting")
        SCHEDULED = "scheduled", _("Put on an agenda")
        DECLINED = "declined", _("Declined")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="proposals")
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals"
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposing office")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    note = models.TextField(_("explanation"), blank=True)
    planned_minutes = models.PositiveSmallIntegerField(_("minutes planned"), default=10)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("agenda proposal")
        verbose_name_plural = _("agenda proposals")

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """A member office invited to a meeting, with its answer (RSVP)."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        YES = "yes", _("Will attend")
        NO = "no", _("Will not attend")
        MAYBE = "maybe", _("Maybe")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.PENDING)
    answer_note = models.CharField(_("note"), max_length=300, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "office__name_fa"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "office"], name="council_invitation_once")
        ]
        indexes = [models.Index(fields=["user", "meeting"], name="council_inv_user")]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.office}"


class Attendance(models.Model):
    """Who came, taken during the meeting."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("name of the person"), max_length=150, blank=True)
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    # Whether the office's seat counted towards the quorum when the attendance was taken.
    voting = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "office__name_fa"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "office"], name="council_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.office}: {self.status}"


class Minutes(models.Model):
    """The minutes (صورتجلسه) of a meeting: a header over numbered versions."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    current_number = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting}"


class MinutesVersion(models.Model):
    """One version of the minutes. A draft is edited (optimistic concurrency on `revision`),
    circulated for objections until `objection_deadline`, approved by the chair and then locked;
    a change after approval is a new version with a `reason`."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for objections")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    revision = models.PositiveIntegerField(default=0)
    reason = models.TextField(_("reason for the new version"), blank=True)
    summary = models.TextField(_("general notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    objection_deadline = models.DateField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["minutes", "-number"]
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="council_minutes_version")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.number}"

    @property
    def locked(self) -> bool:
        return self.state in (self.State.APPROVED, self.State.SUPERSEDED)


class MinutesEntry(models.Model):
    """The minutes' text for one agenda item in one version."""

    version = models.ForeignKey(MinutesVersion, on_delete=models.CASCADE, related_name="entries")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["version", "agenda_item__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "agenda_item"], name="council_minutes_entry_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} — {self.agenda_item_id}"


class Objection(models.Model):
    """A member's objection to circulated minutes."""

    version = models.ForeignKey(MinutesVersion, on_delete=models.CASCADE, related_name="objections")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("objection"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.version} — {self.office}"


def display_code(code: str) -> str:
    from ravabet.network.text import to_persian_digits

    body, sep, numbers = code.partition("-")
    return body + sep + to_persian_digits(numbers)


class DecisionStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting action")
    IN_PROGRESS = "in_progress", pgettext_lazy("decision status", "In progress")
    DONE = "done", _("Done")
    OVERDUE = "overdue", _("Overdue")
    CANCELLED = "cancelled", _("Cancelled")
    SUPERSEDED = "superseded", _("Superseded")


OPEN_DECISION_STATUSES = (
    DecisionStatus.AWAITING,
    DecisionStatus.IN_PROGRESS,
    DecisionStatus.OVERDUE,
)


class Decision(models.Model):
    """A decision (مصوبه) of a meeting, followed to done by its responsible office.

    `code` is `<body code>-<meeting number>-<n>` (shown with Persian digits). `office` is the
    responsible office (what `may` is asked about for reporting; co-responsible offices report
    too). `responsible_left_at` flags a decision whose responsible office left the body: it stays
    with that office and the secretary sees the flag.
    """

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="decisions")
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("number in the meeting"))
    code = models.CharField(_("code"), max_length=40, unique=True)
    text = models.TextField(_("decision"))
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="council_decisions",
        verbose_name=_("responsible office"),
    )
    co_offices = models.ManyToManyField(
        Office, blank=True, related_name="council_co_decisions", verbose_name=_("co-responsible")
    )
    deadline = models.DateField(_("deadline"))
    # The deadline as asked ("in 10 working days") when it was set that way.
    deadline_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.AWAITING
    )
    percent_done = models.PositiveSmallIntegerField(_("percent done"), default=0)
    is_public = models.BooleanField(_("public"), default=False)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    done_on = models.DateField(null=True, blank=True)
    responsible_left_at = models.DateField(null=True, blank=True)
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-meeting__starts_at", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="council_decision_number"),
            models.CheckConstraint(
                condition=Q(percent_done__lte=100), name="council_decision_percent"
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status", "deadline"], name="council_dec_office"),
            models.Index(fields=["council", "status", "deadline"], name="council_dec_body"),
            models.Index(fields=["status", "deadline"], name="council_dec_due"),
            models.Index(fields=["is_public", "council", "-created_at"], name="council_dec_pub"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DECISION_STATUSES

    @property
    def display_code(self) -> str:
        """The code as shown: the body's letters as they are, the numbers in Persian digits
        (`ILM-۱۲-۳`); in templates inside `<bdi dir="ltr">`."""
        return display_code(self.code)


class _PrivateStorage(LazyObject):
    """Evidence files live outside MEDIA_ROOT (served publicly): the council's views serve them
    to those who may see the decision. Same folder as every private upload
    (`RAVABET_PRIVATE_MEDIA_ROOT`, default var/private), under council/."""

    def _setup(self) -> None:
        location = (
            getattr(settings, "RAVABET_PRIVATE_MEDIA_ROOT", None)
            or os.environ.get("RAVABET_PRIVATE_MEDIA_ROOT")
            or settings.VAR_DIR / "private"
        )
        self._wrapped = FileSystemStorage(location=location, base_url=None)


_private_storage = _PrivateStorage()


def private_storage() -> Storage:
    """The field's storage as a callable, so migrations never record a machine's path."""
    return cast(Storage, _private_storage)


def report_upload_to(instance: FollowUpReport, filename: str) -> str:
    """A random name (the original is kept in `file_name`): nobody guesses another's file."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"council/reports/{instance.decision_id}/{uuid.uuid4().hex}.{extension}"


class FollowUpReport(models.Model):
    """A dated progress report by a responsible office, with its evidence."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reports")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    day = models.DateField(_("date"))
    percent = models.PositiveSmallIntegerField(_("percent done"))
    note = models.TextField(_("note"))
    file = models.FileField(
        _("file"), upload_to=report_upload_to, storage=private_storage, blank=True
    )
    file_name = models.CharField(max_length=200, blank=True)
    news_link = models.URLField(_("link to a news item"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision", "-day", "-created_at"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="council_report_percent")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} — {self.day}: {self.percent}%"


class CalendarFeedToken(models.Model):
    """A user's personal calendar feed address. Only the token's SHA-256 is stored; the address
    is shown once when made. Revoked tokens stay (for the audit) and answer 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_feed_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} — {self.created_at:%Y-%m-%d}"
