"""Writes of the experiences app. Every staff step asks `network.permissions` (lock-then-check
where a row is locked) and writes an audit event in the same transaction.

Workflow (docs/experiences.md): draft → submitted → (sent back with comments ↔ revised and
submitted again) → approved by a second person → published to the network (staff only) or to
the public → withdrawn (the address then says 410 to readers who could once see it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import override

from ravabet.network import outbox, text, uploads
from ravabet.network.jalali import format_date, to_jalali_parts
from ravabet.network.models import Office
from ravabet.network.permissions import Action
from ravabet.network.services import (
    count_once,
    field_changes,
    lock_and_require,
    locked_transaction,
    record,
    record_refusal,
    require,
)

from . import privacy, reviewers, search_feed
from .models import (
    Application,
    Attachment,
    Audience,
    Contact,
    Evidence,
    Experience,
    Lesson,
    ReviewComment,
    Status,
    Step,
    Tag,
    UsefulVote,
    Version,
)

log = logging.getLogger(__name__)

REVIEW_PERIOD = timedelta(days=365)  # a published write-up is re-confirmed after a year
MAX_ATTACHMENT_BYTES = 10_000_000
MAX_ATTACHMENTS = 20
ATTACHMENT_TYPES = {"pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "jpeg", "png", "webp"}

# The sections a write-up must have before it is submitted, in the order of the form.
REQUIRED_SECTIONS: dict[str, Any] = {
    "title": _l("Title"),
    "period_start": _l("Period (from)"),
    "situation": _l("Situation"),
    "goal": _l("Goal"),
    "steps": _l("What was done (steps)"),
    "results": _l("Results"),
    "lessons": _l("Lessons"),
    "contact_name": _l("Contact person"),
}


@dataclass
class LessonData:
    text: str
    tags: list[str] = field(default_factory=list)


@dataclass
class ExperienceData:
    """What the write-up form carries (normalised by the form)."""

    title: str = ""
    kind: str = "other"
    period_start: date | None = None
    period_end: date | None = None
    situation: str = ""
    goal: str = ""
    steps: list[str] = field(default_factory=list)
    channels: str = ""
    audience_text: str = ""
    people: int | None = None
    days: int | None = None
    money: int | None = None
    results: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)
    news_codes: list[int] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    worked: str = ""
    did_not_work: str = ""
    lessons: list[LessonData] = field(default_factory=list)
    recommendations: str = ""
    contact_name: str = ""
    contact_role: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    tags: list[str] = field(default_factory=list)


SCALAR_FIELDS = [
    "title", "kind", "period_start", "period_end", "situation", "goal", "channels",
    "audience_text", "people", "days", "money", "results", "worked", "did_not_work",
    "recommendations", "contact_name", "contact_role", "contact_phone", "contact_email",
]  # fmt: skip


class MissingSections(ValidationError):
    """Submitted with empty required sections; `sections` names them (in the form's order)."""

    def __init__(self, sections: list[str]) -> None:
        self.sections = sections
        labels = "، ".join(str(REQUIRED_SECTIONS[name]) for name in sections)
        super().__init__(
            _("These required sections are empty: %(sections)s.") % {"sections": labels},
            code="missing_sections",
        )


class PersonalDataFound(ValidationError):
    """A public write-up seems to hold citizens' personal data; publish again with `confirm`."""

    def __init__(self, findings: list[privacy.Finding]) -> None:
        self.findings = findings
        super().__init__(
            _(
                "The text seems to hold citizens' personal data (%(count)s items). Remove it, "
                "or confirm that it may be published."
            )
            % {"count": text.to_persian_digits(str(len(findings)))},
            code="personal_data",
        )


class WrongState(ValidationError):
    """The write-up is not in a state that allows this step (409)."""


def tag_named(name: str) -> Tag | None:
    """The tag with this name (one per folded spelling), created when new."""
    name = text.normalize(name).strip().strip("#").strip()[:80]
    key = text.fold(name)[:80]
    if not key:
        return None
    tag, _created = Tag.objects.get_or_create(key=key, defaults={"name": name})
    return tag


def _tags(names: list[str]) -> list[Tag]:
    found: dict[int, Tag] = {}
    for name in names:
        tag = tag_named(name)
        if tag is not None:
            found[tag.pk] = tag
    return list(found.values())


def version_data(experience: Experience) -> dict[str, str]:
    """The write-up as plain text per section: what a version keeps and the diff compares."""
    data = {
        name: "" if getattr(experience, name) is None else str(getattr(experience, name))
        for name in SCALAR_FIELDS
    }
    data["steps"] = "\n".join(
        f"{i}. {step.text}" for i, step in enumerate(experience.steps.all(), 1)
    )
    data["lessons"] = "\n".join(
        lesson.text + (" — " + "، ".join(t.name for t in lesson.tags.all()) if lesson.pk else "")
        for lesson in experience.lessons.all()
    )
    data["evidence"] = "\n".join(
        " ".join(part for part in (e.label, e.value, str(e.news_code or ""), e.url) if part)
        for e in experience.evidence.all()
    )
    data["tags"] = "، ".join(tag.name for tag in experience.tags.all())
    return data


def _write_parts(experience: Experience, data: ExperienceData) -> None:
    """Steps, lessons, evidence and tags replaced by what the form carries."""
    experience.steps.all().delete()
    Step.objects.bulk_create(
        Step(experience=experience, position=i, text=step)
        for i, step in enumerate(data.steps, 1)
        if step
    )
    experience.lessons.all().delete()
    for i, lesson_data in enumerate(data.lessons, 1):
        lesson = Lesson.objects.create(experience=experience, position=i, text=lesson_data.text)
        lesson.tags.set(_tags(lesson_data.tags))
    experience.evidence.all().delete()
    rows = [
        Evidence(experience=experience, kind=Evidence.Kind.NEWS, position=i, news_code=code)
        for i, code in enumerate(data.news_codes, 1)
    ]
    rows += [
        Evidence(
            experience=experience, kind=Evidence.Kind.FIGURE, position=i, label=label, value=value
        )
        for i, (label, value) in enumerate(data.figures, 1)
    ]
    rows += [
        Evidence(experience=experience, kind=Evidence.Kind.LINK, position=i, label=label, url=url)
        for i, (label, url) in enumerate(data.links, 1)
    ]
    Evidence.objects.bulk_create(rows)
    experience.tags.set(_tags(data.tags))


def _apply_scalars(experience: Experience, data: ExperienceData) -> None:
    for name in SCALAR_FIELDS:
        setattr(experience, name, getattr(data, name))
    experience.year = to_jalali_parts(data.period_start)[0] if data.period_start else None


def _save_version(experience: Experience, actor: Any) -> Version:
    return Version.objects.create(
        experience=experience,
        number=experience.version,
        data=version_data(experience),
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )


def check_news_codes(office: Office, codes: list[int]) -> list[int]:
    """The codes that are not published news items of `office` (evidence must be the office's)."""
    from ravabet.news import selectors as news

    wrong = []
    for code in codes:
        item = news.item_by_code(code)
        if item is None or item.office_id != office.pk or not item.is_public:
            wrong.append(code)
    return wrong


def create(
    actor: Any, office: Office, data: ExperienceData, request: HttpRequest | None = None
) -> Experience:
    require(actor, Action.EXPERIENCES_WRITE, office, request)
    with transaction.atomic():
        experience = Experience(office=office, author=actor)
        _apply_scalars(experience, data)
        experience.save()
        _write_parts(experience, data)
        _save_version(experience, actor)
        record(actor, "experiences.create", target=experience, request=request)
    return experience


def _check_public_text(experience: Experience, confirm: bool) -> list[privacy.Finding]:
    from ravabet.demands import selectors as demands

    findings = privacy.find_personal_data(
        "\n".join(version_data(experience).values()), demands.citizen_names()
    )
    if findings and not confirm:
        raise PersonalDataFound(findings)
    return findings


def update(
    actor: Any,
    experience: Experience,
    data: ExperienceData,
    request: HttpRequest | None = None,
    *,
    confirm_personal_data: bool = False,
) -> Experience:
    """Revise the write-up: a new version. Not while a reviewer has it (409). A published
    public write-up is checked for personal data again; an approved one goes back to draft."""
    with locked_transaction():
        experience = lock_and_require(
            Experience.objects.select_related("office"),
            experience.pk,
            actor,
            Action.EXPERIENCES_WRITE,
            request,
        )
        if experience.status == Status.SUBMITTED:
            raise WrongState(
                _("The write-up is with its reviewer; it can be revised once it is sent back."),
                code="in_review",
            )
        before = version_data(experience)
        _apply_scalars(experience, data)
        experience.save()
        _write_parts(experience, data)
        after = version_data(experience)
        if before == after:
            return experience
        if experience.status == Status.APPROVED:
            experience.status = Status.DRAFT  # what the reviewer approved has changed
        if experience.is_public:
            _check_public_text(experience, confirm_personal_data)
        experience.version = F("version") + 1
        experience.save(update_fields=["version", "status", "updated_at"])
        experience.refresh_from_db(fields=["version"])
        _save_version(experience, actor)
        record(
            actor,
            "experiences.update",
            target=experience,
            changes=field_changes(before, after),
            request=request,
        )
        if experience.is_published:
            search_feed.update(experience)
    return experience


def missing_sections(experience: Experience) -> list[str]:
    missing = []
    for name in REQUIRED_SECTIONS:
        if name == "steps":
            empty = not experience.steps.exists()
        elif name == "lessons":
            empty = not experience.lessons.exists()
        else:
            value = getattr(experience, name)
            empty = value is None or (isinstance(value, str) and not value.strip())
        if empty:
            missing.append(name)
    return missing


def submit(actor: Any, experience: Experience, request: HttpRequest | None = None) -> Experience:
    with locked_transaction():
        experience = lock_and_require(
            Experience, experience.pk, actor, Action.EXPERIENCES_WRITE, request
        )
        if experience.status not in (Status.DRAFT, Status.CHANGES):
            raise WrongState(_("Only a draft can be submitted for review."), code="state")
        missing = missing_sections(experience)
        if missing:
            raise MissingSections(missing)
        experience.status = Status.SUBMITTED
        experience.submitted_at = timezone.now()
        experience.save(update_fields=["status", "submitted_at", "updated_at"])
        record(actor, "experiences.submit", target=experience, request=request)
        _notify_reviewers(experience)
    return experience


def review(
    actor: Any,
    experience: Experience,
    decision: str,
    body: str = "",
    request: HttpRequest | None = None,
) -> ReviewComment:
    """A reviewer's comment, "changes" (back to the author, with the comment) or "approve".

    The second-person rule (`reviewers.may_review`): the author and the staff of the write-up's
    own office are refused (403, audited)."""
    body = text.normalize(body or "")
    if not reviewers.may_review(actor, experience):
        record_refusal(
            actor, f"denied:{Action.EXPERIENCES_REVIEW}", target=experience, request=request
        )
        raise PermissionDenied(str(Action.EXPERIENCES_REVIEW))
    if decision not in ReviewComment.Decision.values:
        raise ValidationError(_("Choose a decision."), code="decision")
    if decision != ReviewComment.Decision.APPROVE and not body:
        raise ValidationError(_("Write the comment."), code="empty")
    with transaction.atomic():
        experience = Experience.objects.select_for_update().get(pk=experience.pk)
        if experience.status != Status.SUBMITTED:
            raise WrongState(_("This write-up is not waiting for review."), code="state")
        comment = ReviewComment.objects.create(
            experience=experience,
            author=actor,
            decision=decision,
            body=body,
            version=experience.version,
        )
        if decision == ReviewComment.Decision.CHANGES:
            experience.status = Status.CHANGES
        elif decision == ReviewComment.Decision.APPROVE:
            experience.status = Status.APPROVED
        experience.reviewer = actor
        experience.save(update_fields=["status", "reviewer", "updated_at"])
        action = {
            "comment": "experiences.comment",
            "changes": "experiences.send_back",
            "approve": "experiences.approve",
        }[decision]
        record(actor, action, target=experience, changes={"comment": [None, body]}, request=request)
    return comment


def publish(
    actor: Any,
    experience: Experience,
    audience: str,
    review_by: date | None = None,
    request: HttpRequest | None = None,
    *,
    confirm_personal_data: bool = False,
) -> Experience:
    """Publish an approved write-up (or change a published one's audience, or publish a
    withdrawn one again). Going public runs the personal-data check first."""
    if audience not in Audience.values:
        raise ValidationError(_("Choose who may read it."), code="audience")
    with locked_transaction():
        experience = lock_and_require(
            Experience.objects.select_related("office"),
            experience.pk,
            actor,
            Action.EXPERIENCES_PUBLISH,
            request,
        )
        if experience.status not in (Status.APPROVED, Status.PUBLISHED, Status.WITHDRAWN):
            raise WrongState(
                _("Only a write-up approved by its reviewer can be published."), code="state"
            )
        before = {"status": experience.status, "audience": experience.audience}
        experience.audience = audience
        findings: list[privacy.Finding] = []
        if audience == Audience.PUBLIC:
            findings = _check_public_text(experience, confirm_personal_data)
            experience.was_public = True
        now = timezone.now()
        experience.status = Status.PUBLISHED
        experience.published_at = experience.published_at or now
        experience.withdrawn_at = None
        experience.review_by = (
            review_by or experience.review_by or (timezone.localdate(now) + REVIEW_PERIOD)
        )
        experience.save(
            update_fields=[
                "audience",
                "was_public",
                "status",
                "published_at",
                "withdrawn_at",
                "review_by",
                "updated_at",
            ]
        )
        changes: dict[str, Any] = field_changes(
            before, {"status": experience.status, "audience": experience.audience}
        )
        if findings:
            changes["personal_data_confirmed"] = [None, [f.kind for f in findings]]
        record(actor, "experiences.publish", target=experience, changes=changes, request=request)
        search_feed.update(experience)
    return experience


def unpublish(actor: Any, experience: Experience, request: HttpRequest | None = None) -> Experience:
    with locked_transaction():
        experience = lock_and_require(
            Experience, experience.pk, actor, Action.EXPERIENCES_PUBLISH, request
        )
        if experience.status != Status.PUBLISHED:
            raise WrongState(_("This write-up is not published."), code="state")
        experience.status = Status.WITHDRAWN
        experience.withdrawn_at = timezone.now()
        experience.save(update_fields=["status", "withdrawn_at", "updated_at"])
        record(actor, "experiences.unpublish", target=experience, request=request)
        search_feed.update(experience)
    return experience


def confirm_still_valid(
    actor: Any,
    experience: Experience,
    review_by: date | None = None,
    request: HttpRequest | None = None,
) -> Experience:
    """The office confirms that the published write-up still holds: a new review-by date."""
    with locked_transaction():
        experience = lock_and_require(
            Experience, experience.pk, actor, Action.EXPERIENCES_PUBLISH, request
        )
        if experience.status != Status.PUBLISHED:
            raise WrongState(_("This write-up is not published."), code="state")
        today = timezone.localdate()
        new = review_by or today + REVIEW_PERIOD
        if new <= today:
            raise ValidationError(_("The review-by date must be in the future."), code="past")
        changes = field_changes({"review_by": experience.review_by}, {"review_by": new})
        experience.review_by = new
        experience.reminded_for = None
        experience.save(update_fields=["review_by", "reminded_for", "updated_at"])
        record(actor, "experiences.confirm", target=experience, changes=changes, request=request)
    return experience


def attach(
    actor: Any,
    experience: Experience,
    upload: Any,
    title: str,
    purpose: str = Attachment.Purpose.OTHER,
    request: HttpRequest | None = None,
) -> Attachment:
    """A reusable file: PDF, office documents (no macros), photos (re-encoded without
    metadata); at most MAX_ATTACHMENT_BYTES. Anything else is refused with a clear message."""
    require(actor, Action.EXPERIENCES_WRITE, experience, request)
    data = uploads.read_limited(upload, MAX_ATTACHMENT_BYTES)
    kind = uploads.sniff_document(data)
    if kind not in ATTACHMENT_TYPES:
        raise ValidationError(
            _(
                "This type of file cannot be attached. Attach PDF, Word, Excel, PowerPoint or "
                "OpenDocument files (without macros), or JPEG, PNG and WebP photos."
            ),
            code="bad_type",
        )
    from django.core.files.base import ContentFile

    if kind in {"jpeg", "png", "webp"}:
        upload.seek(0)
        image = uploads.clean_image(upload, max_bytes=MAX_ATTACHMENT_BYTES)
        content, extension = image.content, image.extension
    else:
        content, extension = ContentFile(data), kind
    title = (
        text.normalize(title or "").strip()[:200]
        or text.strip_controls(getattr(upload, "name", "") or "")[:200]
    )
    if experience.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("A write-up has at most %(n)s attachments.")
            % {"n": text.to_persian_digits(str(MAX_ATTACHMENTS))},
            code="too_many",
        )
    if purpose not in Attachment.Purpose.values:
        purpose = Attachment.Purpose.OTHER
    with transaction.atomic():
        attachment = Attachment(
            experience=experience,
            purpose=purpose,
            title=title or extension,
            extension=extension,
            size=content.size,
            uploaded_by=actor,
        )
        attachment.file.save(f"experience-{experience.pk}.{extension}", content, save=False)
        attachment.save()
        record(
            actor,
            "experiences.attach",
            target=experience,
            changes={"file": [None, attachment.title]},
            request=request,
        )
    return attachment


def detach(actor: Any, attachment: Attachment, request: HttpRequest | None = None) -> None:
    experience = attachment.experience
    require(actor, Action.EXPERIENCES_WRITE, experience, request)
    with transaction.atomic():
        name = attachment.file.name
        title = attachment.title
        attachment.delete()
        record(
            actor,
            "experiences.detach",
            target=experience,
            changes={"file": [title, None]},
            request=request,
        )
        if name:
            transaction.on_commit(lambda: attachment.file.storage.delete(name))


def mark_applied(
    actor: Any,
    experience: Experience,
    office: Office,
    note: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """Another office says "we applied this", with a short note; one mark per office (marking
    again replaces the note)."""
    require(actor, Action.EXPERIENCES_WRITE, office, request)
    if not experience.is_published:
        raise WrongState(_("This write-up is not published."), code="state")
    if office.pk == experience.office_id:
        raise ValidationError(
            _("The write-up's own office cannot mark it as applied by another office."),
            code="own_office",
        )
    note = text.normalize(note or "").strip()[:1000]
    with transaction.atomic():
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    experience=experience, office=office, user=actor, note=note
                )
            Experience.objects.filter(pk=experience.pk).update(applied_count=F("applied_count") + 1)
        except IntegrityError:
            application = Application.objects.get(experience=experience, office=office)
            application.note, application.user = note, actor
            application.save(update_fields=["note", "user"])
        record(
            actor,
            "experiences.applied",
            target=experience,
            office=office,
            changes={"note": [None, note]},
            request=request,
        )
    return application


def vote_useful(
    experience: Experience, voter: str, useful: bool, office: Office | None = None
) -> bool:
    """A "was this useful?" answer, one per reader; False when this reader answered before."""
    if not experience.is_published:
        raise WrongState(_("This write-up is not published."), code="state")
    return count_once(
        lambda: UsefulVote.objects.create(
            experience=experience, voter=voter[:80], useful=useful, office=office
        ),
        Experience.objects.filter(pk=experience.pk),
        "useful_yes" if useful else "useful_no",
    )


# ------------------------------------------------------------------ the PR network directory


def save_contact(
    actor: Any,
    office: Office,
    *,
    name: str,
    position: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    expertise: list[str] | None = None,
    user: Any = None,
    contact: Contact | None = None,
    request: HttpRequest | None = None,
) -> Contact:
    require(actor, Action.OFFICE_EDIT, office, request)
    with transaction.atomic():
        row = contact or Contact(office=office)
        row.name = text.normalize(name).strip()[:150]
        row.position = position if position in Contact.Position.values else "expert"
        row.title = text.normalize(title).strip()[:150]
        row.phone = text.to_ascii_digits(phone).strip()[:40]
        row.email = email.strip()[:254]
        row.user = user
        row.save()
        row.expertise.set(_tags(expertise or []))
        record(
            actor,
            "experiences.directory",
            target=row,
            office=office,
            changes={"name": [None, row.name]},
            request=request,
        )
    return row


# ------------------------------------------------------------------ reminders and notices


def _notify_reviewers(experience: Experience) -> None:
    """Tell the reviewers that a write-up waits (in the writer's transaction, via the outbox)."""
    from ravabet.network.permissions import users_who_may

    candidates = [
        *users_who_may(Action.EXPERIENCES_REVIEW, experience.office),
        *reviewers.education_group_users(),
    ]
    recipients = sorted(
        {
            user.email
            for user in candidates
            if user.email and reviewers.is_second_person(user, experience)
        }
    )
    with override("fa"):
        subject = _("An experience write-up waits for review: %(title)s") % {
            "title": experience.title
        }
        body = _("%(office)s has submitted “%(title)s” for review: %(url)s") % {
            "office": experience.office.name_fa,
            "title": experience.title,
            "url": experience.get_absolute_url(),
        }
    _send(recipients, subject, body, experience)


def _send(recipients: list[str], subject: str, body: str, experience: Experience) -> None:
    """Queue one message per recipient in the caller's transaction; sent after it commits."""
    messages = [
        outbox.queue(recipient, subject, body, topic=f"experiences:{experience.pk}")
        for recipient in sorted(set(recipients))
    ]
    outbox.send_after_commit(messages)


def remind_due(today: date | None = None) -> int:
    """The periodic job: remind each office of its published write-ups whose review-by date
    has come (once per review-by date). Idempotent; returns how many reminders were queued."""
    today = today or timezone.localdate()
    due = (
        Experience.objects.select_related("office")
        .filter(status=Status.PUBLISHED, review_by__lte=today)
        .exclude(reminded_for=F("review_by"))
    )
    sent = 0
    for experience in due.iterator():
        with transaction.atomic():
            claimed = (
                Experience.objects.filter(pk=experience.pk, review_by=experience.review_by)
                .exclude(reminded_for=F("review_by"))
                .update(reminded_for=F("review_by"))
            )
            if not claimed:
                continue  # another scheduler took it
            _remind_office(experience)
            sent += 1
    return sent


def _remind_office(experience: Experience) -> None:
    """The author's office (its publishers, and the office's own address) is asked to confirm
    the write-up or revise it."""
    from ravabet.network.permissions import users_who_may

    recipients = [
        user.email
        for user in users_who_may(Action.EXPERIENCES_PUBLISH, experience.office)
        if user.email
    ]
    if experience.office.email:
        recipients.append(experience.office.email)
    with override("fa"):
        subject = _("Does this experience write-up still hold? %(title)s") % {
            "title": experience.title
        }
        body = _(
            "The review-by date of “%(title)s” (%(date)s) has come. Confirm on its page that it "
            "still holds, or revise it: %(url)s"
        ) % {
            "title": experience.title,
            "date": format_date(experience.review_by, "fa"),
            "url": experience.get_absolute_url(),
        }
    _send(recipients, subject, body, experience)
