"""Events and trainings: programmes (series), their events and sessions, who registered, who came,
and the certificates given to those who met the course's rules.

Storage is Gregorian and aware; Jalali is how the pages show it (`network.jalali`). Guests' personal
data (name, mobile, email) lives on `Registration` and is anonymised by `events_retention` after
`RAVABET_EVENTS_GUEST_RETENTION_MONTHS` months (docs/events.md).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ravabet.network.language import is_english
from ravabet.network.models import Office


class Series(models.Model):
    """A programme: e.g. "PR week 1405" (هفته روابط عمومی ۱۴۰۵), a set of events of one office."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="event_series")
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title_fa = models.CharField(_("Persian title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("Jalali year"))
    cloned_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="clones"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title_fa"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if is_english() and self.title_en else self.title_fa

    def get_absolute_url(self) -> str:
        return reverse("events:series", kwargs={"slug": self.slug})


class Kind(models.TextChoices):
    CEREMONY = "ceremony", _("Ceremony")
    MEETING = "meeting", _("Meeting")
    VIDEO = "video", _("Video conference")
    TRAINING = "training", _("Training course")
    VISIT = "visit", _("Visit")
    HONOURING = "honouring", _("Honouring ceremony")
    SESSION = "session", _("Session")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    STAFF = "staff", _("PR staff of the network")
    JOURNALISTS = "journalists", _("Journalists")


class Enrolment(models.TextChoices):
    NONE = "none", _("No registration")
    OPEN = "open", _("Open registration")
    INVITATION = "invitation", _("By invitation")
    BOTH = "both", _("Invited, and open to others")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    MOVED = "moved", _("Moved")
    CANCELLED = "cancelled", _("Cancelled")


class Event(models.Model):
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.STAFF
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    enrolment = models.CharField(
        _("registration"), max_length=20, choices=Enrolment.choices, default=Enrolment.OPEN
    )
    moderated = models.BooleanField(_("registrations approved by the organiser"), default=False)
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True
    )
    status = models.CharField(
        max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    # Attendance rules (training courses): at least `min_sessions` sessions, or at least
    # `min_share` of them, and every mandatory session. No rule: every session.
    min_sessions = models.PositiveSmallIntegerField(_("minimum sessions"), null=True, blank=True)
    min_share = models.DecimalField(
        _("minimum share of sessions"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    # Bumped on every change people are told about: the SEQUENCE of the .ics they receive.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["office", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="ev_ends"),
            models.CheckConstraint(
                condition=Q(min_share__isnull=True) | Q(min_share__gt=0, min_share__lte=1),
                name="ev_share",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def takes_registrations(self) -> bool:
        return self.enrolment != Enrolment.NONE

    @property
    def is_open_to_all(self) -> bool:
        return self.enrolment in (Enrolment.OPEN, Enrolment.BOTH)

    @property
    def is_invitation_only(self) -> bool:
        return self.enrolment == Enrolment.INVITATION


class Session(models.Model):
    """One sitting of an event (a day of a course). Every event has at least one."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mandatory = models.BooleanField(_("mandatory"), default=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="ses_ends")
        ]

    def __str__(self) -> str:
        return self.title or str(self.starts_at)

    @property
    def hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at) / timedelta(seconds=1)
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


class Invitation(models.Model):
    """Who is invited: a whole office (its staff), a council working group, or one person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.CASCADE)
    working_group_id = models.PositiveIntegerField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(office__isnull=False, working_group_id__isnull=True, user__isnull=True)
                    | Q(office__isnull=True, working_group_id__isnull=False, user__isnull=True)
                    | Q(office__isnull=True, working_group_id__isnull=True, user__isnull=False)
                ),
                name="inv_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.office_id or self.working_group_id or self.user_id}"


class RegStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the organiser's approval")
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Not accepted")


ACTIVE_STATUSES = (RegStatus.PENDING, RegStatus.CONFIRMED, RegStatus.WAITING)


class Registration(models.Model):
    """One person on an event's list: a staff user, or a guest by name, mobile and email."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    # The staff member's office when they registered (training hours are counted to it).
    home_office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guest_name = models.CharField(_("full name"), max_length=200, blank=True)
    guest_mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    guest_email = models.EmailField(_("email"), blank=True)
    guest_organisation = models.CharField(_("organisation or medium"), max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=RegStatus.choices)
    checkin_code = models.CharField(max_length=12, unique=True)
    # The secret of the "leave this list" link (never shown to anyone but its holder).
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["event", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False, status__in=ACTIVE_STATUSES),
                name="reg_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["event", "guest_mobile"],
                condition=Q(user__isnull=True, status__in=ACTIVE_STATUSES) & ~Q(guest_mobile=""),
                name="reg_once_per_mobile",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        return self.guest_name or "—"


class Mark(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    mark = models.CharField(max_length=10, choices=Mark.choices)
    method = models.CharField(max_length=10)  # "qr", "code", "manual"
    marked_at = models.DateTimeField(auto_now=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "session"], name="att_once")]

    def __str__(self) -> str:
        return f"{self.registration_id}@{self.session_id}: {self.mark}"


class Certificate(models.Model):
    """What was certified, frozen when issued (a later rename does not change a certificate)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(max_length=16, unique=True)
    holder_name = models.CharField(max_length=200)
    course_title = models.CharField(max_length=200)
    office_name = models.CharField(max_length=200)
    signer_name = models.CharField(max_length=200, blank=True)
    signer_title = models.CharField(max_length=200, blank=True)
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    course_date = models.DateTimeField()
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return f"{self.course_title} — {self.holder_name}"

    @property
    def office(self) -> Office:
        return self.registration.event.office

    def get_absolute_url(self) -> str:
        return reverse("events:verify", kwargs={"code": self.code})
