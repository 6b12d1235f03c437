"""Experience write-ups (تجربه‌نگاری): a structured, reviewed account of what an office did, what
it learnt, and what another office can reuse; and the PR network's directory of people to ask.

The write-up is not a blank page: its sections are fields, its steps and lessons are rows of
their own (a lesson is tagged and found on its own), its evidence points at the office's news
items, figures and files. Counters (`applied_count`, `useful_yes`, `useful_no`) are kept on the
row with `F()` from the rows that justify them (`Application`, `UsefulVote`), which stay the
truth (docs/experiences.md).
"""

from __future__ import annotations

import os
from typing import cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.urls import reverse
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from ravabet.network.models import Office


class Kind(models.TextChoices):
    CRISIS = "crisis", _("Crisis communication")
    MEDIA = "media", _("Media relations")
    EVENT = "event", _("News coverage of an event")
    SOCIAL = "social", _("Social-media campaign")
    PR_WEEK = "pr_week", _("PR week")
    ELECTIONS = "elections", _("Elections")
    TRAINING = "training", _("Training")
    INTERNAL = "internal", _("Internal communication")
    DEMANDS = "demands", _("Answering people's demands")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES = "changes", _("Sent back for changes")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Audience(models.TextChoices):
    NETWORK = "network", _("The PR network (staff only)")
    PUBLIC = "public", _("Everyone (public)")


class Tag(models.Model):
    """A tag of write-ups, lessons and people's expertise; `key` is its folded form (one tag
    whatever the spelling: Arabic letters, ZWNJ or none)."""

    name = models.CharField(_("tag"), max_length=80)
    key = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExperienceStorage(LazyObject):
    """Attachments live outside MEDIA_ROOT: a staff-only write-up's files are not public."""

    def _setup(self) -> None:
        root = (
            getattr(settings, "RAVABET_PRIVATE_MEDIA_ROOT", None)
            or os.environ.get("RAVABET_PRIVATE_MEDIA_ROOT")
            or settings.VAR_DIR / "private"
        )
        self._wrapped = FileSystemStorage(location=os.path.join(root, "experiences"), base_url=None)


experience_storage = ExperienceStorage()


def get_experience_storage() -> Storage:
    return cast(Storage, experience_storage)


class Experience(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="experiences")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True
    )  # Jalali, of the start
    situation = models.TextField(_("situation"), blank=True)
    goal = models.TextField(_("goal"), blank=True)
    channels = models.TextField(_("channels and tools"), blank=True)
    audience_text = models.TextField(_("audience"), blank=True)
    people = models.PositiveIntegerField(_("people"), null=True, blank=True)
    days = models.PositiveIntegerField(_("days"), null=True, blank=True)
    money = models.PositiveBigIntegerField(_("money (rials)"), null=True, blank=True)
    results = models.TextField(_("results"), blank=True)
    worked = models.TextField(_("what worked"), blank=True)
    did_not_work = models.TextField(_("what did not work"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_role = models.CharField(_("contact's position"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact's phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact's email"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="experiences")

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    audience = models.CharField(
        _("published to"), max_length=10, choices=Audience.choices, default=Audience.NETWORK
    )
    was_public = models.BooleanField(default=False)  # once public, its address says "withdrawn"
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    review_by = models.DateField(_("review by"), null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True)  # the review-by date last reminded of
    indexed_lessons = models.PositiveSmallIntegerField(default=0)  # lesson documents in search
    applied_count = models.PositiveIntegerField(default=0)
    useful_yes = models.PositiveIntegerField(default=0)
    useful_no = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "audience", "-published_at"], name="exp_listing"),
            models.Index(fields=["office", "status"], name="exp_office"),
            models.Index(fields=["status", "review_by"], name="exp_review_by"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("experiences:detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.audience == Audience.PUBLIC


class Step(models.Model):
    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text[:80]


class Lesson(models.Model):
    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    tags = models.ManyToManyField(Tag, blank=True, related_name="lessons")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text[:80]


class Evidence(models.Model):
    """One piece of evidence for the results: a news item of the office, a figure, a link."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News item")
        FIGURE = "figure", _("Figure")
        LINK = "link", _("Link")

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=250, blank=True)
    value = models.CharField(max_length=120, blank=True)  # a figure's value
    news_code = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["kind", "position"]

    def __str__(self) -> str:
        return self.label or self.url or str(self.news_code or "")


class Attachment(models.Model):
    """A reusable file (template, checklist, evidence). Type and size checked on the way in."""

    class Purpose(models.TextChoices):
        TEMPLATE = "template", _("Template")
        CHECKLIST = "checklist", _("Checklist")
        EVIDENCE = "evidence", _("Evidence")
        OTHER = "other", _("Other")

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.OTHER)
    title = models.CharField(max_length=200)
    file = models.FileField(storage=get_experience_storage, upload_to="%Y/%m/", max_length=200)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class ReviewComment(models.Model):
    class Decision(models.TextChoices):
        COMMENT = "comment", _("Comment")
        CHANGES = "changes", _("Changes asked")
        APPROVE = "approve", _("Approved")

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    body = models.TextField(blank=True)
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision}: {self.body[:60]}"


class Version(models.Model):
    """The write-up's text as it stood after each save: compared word by word."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["experience", "number"], name="unique_exp_version")
        ]

    def __str__(self) -> str:
        return f"{self.experience_id} v{self.number}"


class Application(models.Model):
    """An office says "we applied this": it reused the experience (one mark per office)."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="applications"
    )
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["experience", "office"], name="unique_application")
        ]

    def __str__(self) -> str:
        return f"{self.office_id} → {self.experience_id}"


class UsefulVote(models.Model):
    """A "was this useful?" answer: one per reader (a staff user, or a reader's keyed address)."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=80)
    useful = models.BooleanField()
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the voter's office, for staff votes
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["experience", "voter"], name="unique_exp_vote")
        ]

    def __str__(self) -> str:
        return f"{self.experience_id} {self.useful}"


class Contact(models.Model):
    """A person of the PR network directory: an office's PR manager or one of its experts."""

    class Position(models.TextChoices):
        MANAGER = "manager", _("PR manager")
        EXPERT = "expert", _("PR expert")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="pr_contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=10, choices=Position.choices)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    expertise = models.ManyToManyField(Tag, blank=True, related_name="contacts")

    class Meta:
        ordering = ["office__path", "position", "name"]

    def __str__(self) -> str:
        return self.name
