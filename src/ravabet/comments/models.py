"""Reader comments, their votes and reports, triage marks and the per-office settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ravabet.network.models import Office

from .policy import Reason


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    target_kind = models.CharField(max_length=20)
    target_key = models.CharField(max_length=64)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    name = models.CharField(_("name"), max_length=80, blank=True)
    email = models.EmailField(_("email"), blank=True)  # never shown
    text = models.TextField(_("text"))
    original_text = models.TextField(blank=True)  # what the reader sent, when a moderator edited
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # An official answer of the office (written by staff, published at once).
    is_official = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client = models.CharField(max_length=32, blank=True)  # hashed client key, for floods
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_automatically = models.BooleanField(default=False)
    reject_reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    reject_note = models.CharField(max_length=300, blank=True)
    edited = models.BooleanField(default=False)
    # Triage: {reason: confidence 0..1}; `triage_score` is the highest confidence (for sorting).
    triage = models.JSONField(default=dict, blank=True)
    triage_score = models.FloatField(null=True, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    likes = models.PositiveIntegerField(default=0)
    dislikes = models.PositiveIntegerField(default=0)
    reports = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["target_kind", "target_key", "status"], name="comment_target_idx"),
            models.Index(fields=["office", "status", "created_at"], name="comment_queue_idx"),
            models.Index(fields=["client", "created_at"], name="comment_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.target_kind}:{self.target_key} #{self.pk}"

    @property
    def labels(self) -> list[tuple[str, float]]:
        return sorted(self.triage.items(), key=lambda kv: -kv[1])


class CommentVote(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    like = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter"], name="one_vote_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.comment_id} {'+' if self.like else '-'}"


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="report_rows")
    reporter = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reader")
        ]

    def __str__(self) -> str:
        return f"report {self.comment_id}"


class TriageMark(models.Model):
    """A moderator's verdict that a triage label was wrong (kept as data to improve triage)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="marks")
    label = models.CharField(max_length=20, choices=Reason.choices)
    confidence = models.FloatField(null=True, blank=True)
    text = models.TextField()  # the comment's text when marked, so the data outlives edits
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "label"], name="one_mark_per_label")
        ]

    def __str__(self) -> str:
        return f"{self.comment_id} {self.label} wrong"


class OfficeCommentSettings(models.Model):
    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="comment_settings")
    auto_reject = models.BooleanField(
        _("reject the clearest cases automatically"),
        default=False,
        help_text=_("Only comments the triage is almost certain about; the rest wait for review."),
    )

    def __str__(self) -> str:
        return f"{self.office} comments"
