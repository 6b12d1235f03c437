"""Evaluation of PR offices (ارزیابی روابط عمومی‌ها): versioned criteria, periods, scores, replies.

A `CriteriaVersion` is a tree of `Section`s and `Indicator`s; the version a `Period` uses is frozen
when the period opens (`frozen_at`), after which no weight or formula of it changes: a change is
made in a new version, for the next period. A period's `Score`s are one per office and indicator;
`Reply` is the office's right of reply on one score; `OfficeResult` is the office's total, tier
and standing in its peer group. Every change is written through `services` and audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ravabet.network.language import is_english
from ravabet.network.models import Office


class _Titled(models.Model):
    title_fa = models.CharField(_("Persian title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        return self.title_en if is_english() and self.title_en else self.title_fa

    def __str__(self) -> str:
        return self.title


class CriteriaVersion(models.Model):
    """One version of the criteria tree; frozen (unchangeable) once a period uses it."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    # Tier thresholds on the 0–100 total, and the share of the indicators' weight that must be
    # valid before an office is placed in a tier at all.
    outstanding_from = models.FloatField(default=80)
    active_from = models.FloatField(default=60)
    semi_active_from = models.FloatField(default=40)
    min_valid_share = models.FloatField(default=0.6)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Section(_Titled):
    version = models.ForeignKey(CriteriaVersion, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(max_length=40)
    weight = models.FloatField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="evaluation_section_code")
        ]


class Kind(models.TextChoices):
    MEASURED = "measured", _("Measured from Ravabet's records")
    SCORED = "scored", _("Scored by evaluators (1–5 rubric)")
    EVIDENCE = "evidence", _("Evidence submitted by the office")


class Indicator(_Titled):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    weight = models.FloatField(_("weight"), default=1)
    # The formula, written out for the methodology page: numerator / denominator.
    numerator = models.CharField(_("numerator"), max_length=300)
    denominator = models.CharField(_("denominator"), max_length=300, blank=True)
    # Measured: the metric's key in `measures.METRICS` (it names its source app); others: blank.
    metric = models.CharField(max_length=60, blank=True)
    source = models.CharField(_("data source"), max_length=120)
    min_sample = models.PositiveIntegerField(_("minimum sample"), default=0)
    # Points: a measured value reaching `target` (per month; scaled by the period's length for
    # counts) earns 100; lower-is-better metrics earn 100 at or under it.
    target = models.FloatField(null=True, blank=True)
    # Scored and evidence: the written anchors of the 1–5 rubric {"1": "...", ..., "5": "..."}.
    rubric = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="evaluation_indicator_code")
        ]


class Evaluator(models.Model):
    """A member of the evaluation working group: marks and audits, never their own office."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluator"
    )
    active = models.BooleanField(default=True)
    appointed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.user)


class Period(models.Model):
    class Length(models.TextChoices):
        MONTH = "month", _("Month")
        YEAR = "year", _("Festival year")

    class Stage(models.TextChoices):
        MARKING = "marking", _("First mark")
        REPLY = "reply", _("Right of reply")
        AUDIT = "audit", _("Audit")
        PUBLISHED = "published", _("Published")

    length = models.CharField(max_length=5, choices=Length.choices)
    year = models.PositiveSmallIntegerField()  # Jalali
    month = models.PositiveSmallIntegerField(null=True, blank=True)  # Jalali; NULL for a year
    start = models.DateTimeField()
    end = models.DateTimeField()  # exclusive
    # The offices evaluated are the active ones under `scope` (the network's root by default).
    scope = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(CriteriaVersion, on_delete=models.PROTECT, related_name="periods")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.MARKING)
    reply_days = models.PositiveSmallIntegerField(_("working days for replies"), default=5)
    reply_deadline = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start", "length"]
        constraints = [
            models.UniqueConstraint(
                fields=["length", "year", "month", "scope"], name="evaluation_one_period"
            )
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        """The period in URLs and on the command line: 1405-08 for a month, 1405 for a year;
        a period of one office's subtree adds its address (1405-08-mehran)."""
        when = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return when if self.scope.parent_id is None else f"{when}-{self.scope.slug}"

    @property
    def office(self) -> Office:  # for `may`: the period belongs to its scope's office
        return self.scope


class Status(models.TextChoices):
    VALID = "valid", _("Valid")
    NOT_ENOUGH = "not_enough", _("Not enough data")
    SKIPPED = "skipped", _("Skipped: source not installed")
    PENDING = "pending", _("Waiting for an evaluator")


class Score(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="scores")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores")
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(max_length=40, blank=True)  # why not valid: sample, new_office...
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    sample = models.PositiveIntegerField(default=0)
    low = models.FloatField(null=True, blank=True)  # 95% Wilson interval of a rate
    high = models.FloatField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)  # 0–100
    rubric_mark = models.PositiveSmallIntegerField(null=True, blank=True)  # 1–5
    evidence = models.TextField(blank=True)  # what the office submitted (evidence indicators)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    audited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audited_at = models.DateTimeField(null=True, blank=True)
    audit_note = models.TextField(blank=True)

    class Meta:
        ordering = ["indicator__section__position", "indicator__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "office", "indicator"], name="evaluation_one_score"
            )
        ]
        indexes = [models.Index(fields=["period", "office"], name="evaluation_score_office")]

    def __str__(self) -> str:
        return f"{self.period} {self.office_id} {self.indicator_id}"


class Reply(models.Model):
    """The office's answer to one score: agree or disagree, with its reasons and evidence."""

    score = models.OneToOneField(Score, on_delete=models.CASCADE, related_name="reply")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField(_("agree"))
    text = models.TextField(_("reasons"), blank=True)
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"reply {self.score_id}"


class PeerGroup(models.TextChoices):
    DIRECTORATE = "directorate", _("Provincial directorate")
    AGENCIES = "agencies", _("Executive agencies")
    COUNTIES = "counties", _("County governorates")
    DISTRICTS = "districts", _("District governorates")


class Tier(models.TextChoices):
    OUTSTANDING = "outstanding", _("Outstanding")
    ACTIVE = "active", _("Active")
    SEMI_ACTIVE = "semi_active", _("Semi-active")
    INACTIVE = "inactive", _("Inactive")


class OfficeResult(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="results")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=12, choices=PeerGroup.choices)
    exposure = models.FloatField(default=1)  # share of the period the office existed
    total = models.FloatField(null=True, blank=True)  # 0–100 over its valid indicators
    valid_share = models.FloatField(default=0)  # share of the weight with valid scores
    tier = models.CharField(max_length=12, choices=Tier.choices, blank=True)  # blank: not placed
    improvement = models.FloatField(null=True, blank=True)  # total minus the previous period's
    replies_closed_at = models.DateTimeField(null=True, blank=True)  # the office is done replying

    class Meta:
        ordering = ["group", "-total", "office_id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "office"], name="evaluation_one_result")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.office_id} {self.tier}"
