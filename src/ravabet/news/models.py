"""The newsroom: news items of an office, their photos, revisions, groups, tags and reader votes.

A news item carries a deployment-wide sequential news code (کد خبر) that appears in its public URL
(`/news/<code>/<slug>/`), so a link keeps working when the title and its slug change.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from ravabet.network.language import is_english
from ravabet.network.models import Office


def _lang_is_en() -> bool:
    return is_english()


class NewsGroup(models.Model):
    """A news group (گروه خبری), shared by the whole network so that group pages span offices."""

    slug = models.SlugField(max_length=80, unique=True, allow_unicode=False)
    title_fa = models.CharField(_("Persian title"), max_length=120)
    title_en = models.CharField(_("English title"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("news group")
        verbose_name_plural = _("news groups")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if _lang_is_en() and self.title_en else self.title_fa

    def get_absolute_url(self) -> str:
        return reverse("news:group", args=[self.slug])


class Tag(models.Model):
    """A tag (برچسب); the name is stored normalised, the slug is the name with dashes."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:tag", args=[self.slug])


class NewsCode(models.Model):
    """The one-row counter behind sequential news codes (bumped inside the write's transaction)."""

    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last)


@functools.lru_cache(maxsize=50_000)
def _item_url(language: str, code: int, slug: str, prefix: str) -> str:
    """An item's address, reversed once per (language, code, slug): a home page links ~40 items,
    and reversing a Persian slug in a language of its own cost ~0.3 ms each (issue 20's profile).
    The URL patterns do not change while a process runs; the script prefix is part of the key."""
    with override(language):
        if slug:
            return reverse("news:detail", args=[code, slug])
        return reverse("news:detail_code", args=[code])


class NewsItem(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    class Language(models.TextChoices):
        FA = "fa", _("Persian")
        EN = "en", _("English")

    code = models.PositiveBigIntegerField(_("news code"), unique=True, editable=False)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="news_items")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FA
    )
    translation_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translation",
        verbose_name=_("translation of"),
    )
    over_title = models.CharField(_("over-title"), max_length=250, blank=True)
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(max_length=120, allow_unicode=True, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"), blank=True)  # sanitised HTML
    body_text = models.TextField(blank=True, editable=False)  # plain text of lead + body
    source_line = models.CharField(_("source"), max_length=250, blank=True)
    group = models.ForeignKey(
        NewsGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("news group"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="items", verbose_name=_("tags"))
    main_photo = models.ForeignKey(
        "Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    view_count = models.PositiveBigIntegerField(default=0)
    useful_yes = models.PositiveIntegerField(default=0)
    useful_no = models.PositiveIntegerField(default=0)
    source_id = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-published_at", "-code"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        indexes = [
            models.Index(fields=["status", "published_at", "code"], name="news_public_idx"),
            models.Index(
                fields=["office", "status", "published_at", "code"], name="news_office_idx"
            ),
            models.Index(fields=["group", "status", "published_at", "code"], name="news_group_idx"),
            # Lists read one language (a Persian page lists Persian items): per-office and
            # per-group seeks in that language walk only its rows (news.selectors, issue 20).
            models.Index(
                fields=["status", "language", "published_at", "code"], name="news_public_lang_idx"
            ),
            models.Index(
                fields=["office", "status", "language", "published_at", "code"],
                name="news_office_lang_idx",
            ),
            models.Index(
                fields=["group", "status", "language", "published_at", "code"],
                name="news_group_lang_idx",
            ),
            models.Index(
                fields=["office", "group", "status", "language", "published_at", "code"],
                name="news_office_group_idx",
            ),
            # Covers "most viewed in the last days" (the network's, a group's, a wide subtree's):
            # the window's rows are ranked without reading the (large) table rows.
            models.Index(
                fields=["status", "published_at", "view_count", "language", "office", "group"],
                name="news_recent_views_idx",
            ),
            models.Index(fields=["status", "publish_at"], name="news_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def get_absolute_url(self) -> str:
        """The item's address in its own language (an English item lives under /en/)."""
        return _item_url(self.language, self.code, self.slug, get_script_prefix())

    @property
    def is_public(self) -> bool:
        if self.status == self.Status.PUBLISHED:
            return True
        return (
            self.status == self.Status.SCHEDULED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def public_time(self):
        return self.published_at or self.publish_at


class Photo(models.Model):
    """A photo of a news item, stored without metadata, with renditions made once on upload."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    news = models.ForeignKey(
        NewsItem, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(upload_to="news/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt = models.CharField(_("alternative text"), max_length=250)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    # {"320": "news/2026/11/abc-320.jpg", ...}: widths to storage names.
    renditions = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt


class Revision(models.Model):
    """Every save of a news item, kept so staff can compare and restore."""

    news = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["news", "number"], name="news_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.news_id} r{self.number}"


class UsefulVote(models.Model):
    """One "was this news useful?" vote per reader (an anonymous voter key) and per client
    address (the rate limiter's keyed address, `ratelimit.client_key`) per item."""

    news = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    client = models.CharField(max_length=64, blank=True, default="")
    useful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.news_id}: {self.useful}"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["news", "voter"], name="news_one_vote_per_reader"),
            # Votes from before the address was kept have none; they do not collide.
            models.UniqueConstraint(
                fields=["news", "client"],
                condition=~models.Q(client=""),
                name="news_one_vote_per_address",
            ),
        ]


class DailyViews(models.Model):
    """Views per item per day, written by the view-count flush (never per request)."""

    news = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["news", "day"], name="news_views_per_day")]
        indexes = [models.Index(fields=["day", "news"], name="news_daily_idx")]

    def __str__(self) -> str:
        return f"{self.news_id} {self.day}: {self.count}"
