"""Citizens' demands (مطالبات مردمی) sent to an office, and everything that happens to them.

A demand is at one office at a time; its clock (`clock_started_at`) starts when it arrives there,
by submission or by referral, and its deadline (`due_at`) is counted in working days
(`network.workdays`). `DemandEvent` is the demand's history, shown to the citizen where `public` is
set; staff actions are audited in `network.AuditEvent` as well.
"""

from __future__ import annotations

import os
import uuid
from typing import cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.db.models import Q
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from ravabet.network.models import Office

from . import codes


class PrivateStorage(LazyObject):
    """Attachments live outside MEDIA_ROOT (served publicly); only staff views read them."""

    def _setup(self) -> None:
        location = (
            getattr(settings, "RAVABET_PRIVATE_MEDIA_ROOT", None)
            or os.environ.get("RAVABET_PRIVATE_MEDIA_ROOT")
            or settings.VAR_DIR / "private"
        )
        self._wrapped = FileSystemStorage(location=location, base_url=None)


private_storage = PrivateStorage()


def get_private_storage() -> Storage:
    """The field's storage as a callable, so migrations never record a machine's path."""
    # The lazy proxy stands in for the FileSystemStorage it wraps.
    return cast(Storage, private_storage)


class Kind(models.TextChoices):
    QUESTION = "question", _("Question")
    REQUEST = "request", _("Request")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    APPRECIATION = "appreciation", _("Appreciation")


# Working days to answer, unless the office sets its own (DeadlineRule).
DEFAULT_DEADLINES: dict[str, int] = {
    Kind.QUESTION: 5,
    Kind.REQUEST: 10,
    Kind.COMPLAINT: 10,
    Kind.SUGGESTION: 15,
    Kind.APPRECIATION: 5,
}


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED)


class DeadlineRule(models.Model):
    """An office's own deadline for one kind of demand, in working days."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="deadline_rules")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "kind"], name="unique_deadline_rule"),
            models.CheckConstraint(
                condition=Q(working_days__gte=1) & Q(working_days__lte=90),
                name="deadline_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.kind} {self.working_days}"


class Demand(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="demands")
    code = models.CharField(max_length=codes.LENGTH, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    name = models.CharField(_("name"), max_length=120)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    email = models.EmailField(_("email"), blank=True)
    consent_publish = models.BooleanField(_("may be published without personal data"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    clock_started_at = models.DateTimeField()
    due_date = models.DateField()
    due_at = models.DateTimeField()
    remind_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_on_time = models.BooleanField(null=True)
    answer_public = models.TextField(blank=True)
    answer_private = models.TextField(blank=True)
    satisfied = models.BooleanField(null=True)
    satisfaction_comment = models.TextField(blank=True)
    reopened = models.BooleanField(default=False)
    referral_count = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # The inbox: an office's demands by status, soonest deadline first.
            models.Index(fields=["office", "status", "due_at"], name="demand_inbox"),
            # The overdue scan touches only open demands that still owe a reminder/escalation.
            models.Index(
                fields=["remind_at"],
                name="demand_remind_due",
                condition=Q(status__in=["received", "assigned"], reminded_at__isnull=True),
            ),
            models.Index(
                fields=["due_at"],
                name="demand_escalation_due",
                condition=Q(status__in=["received", "assigned"], escalated_at__isnull=True),
            ),
            # Monthly figures of one office.
            models.Index(fields=["office", "clock_started_at"], name="demand_office_month"),
            # Published exchanges, newest answer first.
            models.Index(
                fields=["-answered_at"],
                name="demand_published",
                condition=Q(consent_publish=True, answered_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{codes.display(self.code)} {self.subject}"

    @property
    def display_code(self) -> str:
        return codes.display(self.code)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DemandEvent(models.Model):
    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Assigned to a colleague")
        REFERRED = "referred", _("Referred to another office")
        ANSWERED = "answered", _("Answered")
        NOTE = "note", _("Internal note")
        RATED = "rated", _("Rated by the citizen")
        REOPENED = "reopened", _("Reopened")
        CLOSED = "closed", _("Closed")
        REMINDED = "reminded", _("Deadline reminder sent")
        ESCALATED = "escalated", _("Escalated to the parent office")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["from_office", "kind", "at"], name="demand_event_from")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"demands/{instance.demand_id}/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=get_private_storage, upload_to=_attachment_path, max_length=200)
    extension = models.CharField(max_length=8)
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""


class MonthlyFigure(models.Model):
    """Responsiveness of one office in one Jalali month, kept current by the services.

    Demands count in the month their clock started at the office that holds them; referrals
    count for the office that referred them, in the month of the referral. The row without an
    office is the network's sum, so that the network page reads twelve rows, not thousands.
    """

    # NULL: the whole network (the sum of every office's row for the month).
    office = models.ForeignKey(Office, null=True, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_on_time = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    unsatisfied = models.PositiveIntegerField(default=0)
    referred_out = models.PositiveIntegerField(default=0)
    # {whole days to answer: count}, so that medians can be merged across offices.
    answer_days = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "month"], name="unique_monthly_figure"
            ),
            models.UniqueConstraint(
                fields=["year", "month"],
                condition=Q(office__isnull=True),
                name="unique_network_monthly_figure",
            ),
        ]
        indexes = [models.Index(fields=["year", "month"], name="monthly_figure_month")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.year}/{self.month}"
