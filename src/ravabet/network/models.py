"""The ground floor: offices of the PR network, who works in which office, and the audit log.

Every other app stands on these models and asks `ravabet.network.permissions.may` whether a user
may act on an office's object; nothing here imports another Ravabet app.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .language import is_english

# Top-level URL segments an office slug may not take: the portal serves offices at /<slug>/.
RESERVED_SLUGS = frozenset(
    {
        "accounts",
        "admin",
        "api",
        "en",
        "fa",
        "feeds",
        "i18n",
        "media",
        "news",
        "search",
        "sitemap.xml",
        "staff",
        "static",
        "robots.txt",
        "demands",
        "comments",
        "council",
        "healthz",
        "responsiveness",
    }
)


def validate_office_slug(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for the site; choose another address."),
            params={"slug": value},
            code="reserved",
        )


class Office(models.Model):
    """A public-relations office (روابط عمومی) of one body in the network, arranged as a tree.

    province PR directorate (اداره‌کل روابط عمومی) → governorate (استانداری) → executive agencies
    (دستگاه‌های اجرایی) and counties (فرمانداری‌ها) → districts (بخشداری‌ها).
    """

    class Kind(models.TextChoices):
        DIRECTORATE = "directorate", _("Provincial PR directorate")
        GOVERNORATE = "governorate", _("Governorate")
        AGENCY = "agency", _("Executive agency")
        COUNTY = "county", _("County governorate")
        DISTRICT = "district", _("District governorate")

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    slug = models.SlugField(
        _("address"), max_length=60, unique=True, validators=[validate_office_slug]
    )
    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description_fa = models.TextField(_("Persian description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="offices/logos/", blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address_fa = models.CharField(_("postal address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Materialised path of ancestor ids ("/1/4/9/"), kept by save(): subtree queries are one
    # indexed prefix match and "is X under Y" needs no query at all.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="/")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    position = models.PositiveIntegerField(_("order among siblings"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path", "position", "id"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to Persian."""
        if is_english() and self.name_en:
            return self.name_en
        return self.name_fa

    @property
    def description(self) -> str:
        if is_english() and self.description_en:
            return self.description_en
        return self.description_fa

    def get_absolute_url(self) -> str:
        return reverse("office_home", kwargs={"office_slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.pk and self.parent_id:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError(
                        {"parent": _("An office cannot be placed under itself or its children.")}
                    )
                node = node.parent

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path if self.pk else None
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent is not None else "/"
        new_path = f"{parent_path}{self.pk}/"
        if new_path != self.path:
            self.path = new_path
            self.depth = new_path.count("/") - 2
            Office.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if old_path and old_path != "/":
                # Moving an office moves its subtree.
                for child in Office.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old_path) :]
                    child.depth = child.path.count("/") - 2
                    Office.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this office, inclusive."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_within(self, other: Office) -> bool:
        """True when this office is `other` or lies in its subtree."""
        return self.path.startswith(other.path)


class QuickLink(models.Model):
    """A frequently used e-service link in an office's footer (خدمات الکترونیک پرکاربرد)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="quick_links")
    title_fa = models.CharField(_("Persian title"), max_length=120)
    title_en = models.CharField(_("English title"), max_length=120, blank=True)
    url = models.URLField(_("address"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if is_english() and self.title_en:
            return self.title_en
        return self.title_fa


class Role(models.TextChoices):
    MANAGER = "manager", _("PR manager")
    EDITOR = "editor", _("Editor")
    AUTHOR = "author", _("Author")
    MODERATOR = "moderator", _("Comment moderator")
    RESPONDER = "responder", _("Demands responder")


class Membership(models.Model):
    """A staff user's role in one office (عضویت). A user may hold several roles and offices."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "office", "role"], name="unique_membership")
        ]
        ordering = ["office__path", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.office}"


class AuditEvent(models.Model):
    """One staff action: who did what to which object of which office, when, and what changed."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(max_length=150, blank=True)
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    allowed = models.BooleanField(default=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Refusals repeated by one actor/address on one target within a window are one row
    # (services.record_refusal): how many times, and when the last one came.
    repeats = models.PositiveIntegerField(default=1)
    last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["office", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class Stamp(models.Model):
    """A named version number (network/versioning.py): caches keyed by it retire when it changes."""

    name = models.CharField(max_length=40, primary_key=True)
    number = models.PositiveBigIntegerField(default=1)
    # When the stamp is next expected to change by itself (e.g. a scheduled publication).
    due = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} {self.number}"


class SharedCounter(models.Model):
    """A counter or a once-only mark that every server process sees (network/counters.py).

    The store of rate limits and replay guards on the embedded default; with Redis they live
    there instead. Rows past `expires_at` are dead and are purged now and then.
    """

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveBigIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "network_sharedcounter"  # named in counters.py's SQL

    def __str__(self) -> str:
        return f"{self.key} {self.count}"


class Holiday(models.Model):
    """An official holiday (تعطیل رسمی): no working day, whatever the weekday (see workdays.py)."""

    day = models.DateField(_("date"), unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("official holiday")
        verbose_name_plural = _("official holidays")

    def __str__(self) -> str:
        return f"{self.day} {self.name_fa}"


class OutboxMessage(models.Model):
    """The outbox (network/outbox.py): a message to a citizen or to staff, kept until delivered.

    Written in the transaction of the change it announces and sent after that commits; a failure
    leaves the row pending and the scheduled delivery tries again, so nothing is lost when the mail
    server is down. `topic` names what the message is about ("demands.demand:42",
    "council.meeting:7") so that an app can find its own messages without a foreign key upward.
    `attachments` is a list of {"name", "mimetype", "content"} with text content (an .ics file).
    """

    channel = models.CharField(max_length=12, default="email")
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    topic = models.CharField(max_length=80, blank=True, db_index=True)
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    # Who is sending it (a delivery's random token) and until when: see outbox.claim.
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_pending",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.recipient} {self.subject}"
