"""Writes of the comments app: submission, triage, moderation, official replies, votes.

Nothing a reader sends is lost: the comment is saved first, in its own transaction, and the
triage runs afterwards in the background; if it fails the comment waits in the queue unlabeled.

Moderation locks then checks: the comments are locked (SELECT ... FOR UPDATE) and the permission
is asked of the offices of the locked rows; each write names its columns (`update_fields`), so
that the triage labels and the like/dislike/report counts that the triage task and readers write
meanwhile are never put back to what the request read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ravabet.network.models import Office
from ravabet.network.permissions import Action, may
from ravabet.network.services import (
    count_once,
    lock_and_require,
    locked_transaction,
    record,
    require,
)
from ravabet.network.text import normalize, strip_controls
from ravabet.news import services as news_services

from . import policy, triage
from .models import Comment, CommentReport, CommentVote, OfficeCommentSettings, TriageMark
from .policy import Reason
from .targets import Target

log = logging.getLogger(__name__)

# More than this many comments from one client in FLOOD_WINDOW is a flood (refused, 429).
FLOOD_LIMIT = 10
FLOOD_WINDOW = timedelta(minutes=10)


class Flood(Exception):
    """Too many comments from one client in a short time."""


@dataclass
class Submission:
    text: str
    name: str = ""
    email: str = ""
    parent_id: int | None = None


def clean_text(text: str) -> str:
    """Normalised comment text; raises ValidationError when empty or too long."""
    text = normalize(strip_controls(text or "")).strip()
    if not text:
        raise ValidationError(_("Write your comment first: the text is empty."), code="empty")
    if len(text) > policy.MAX_LENGTH:
        raise ValidationError(
            _("The comment is too long: at most %(max)s characters, yours has %(length)s.")
            % {"max": policy.MAX_LENGTH, "length": len(text)},
            code="too_long",
        )
    return text


def _parent(target: Target, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = Comment.objects.filter(pk=parent_id).first()
    if parent is None or parent.target_kind != target.kind or parent.target_key != target.key:
        raise ValidationError(
            _("The comment you are replying to is not on this page."), code="bad_parent"
        )
    if parent.status != Comment.Status.PUBLISHED:
        raise ValidationError(
            _("You can only reply to a published comment."), code="parent_not_published"
        )
    # One level of nesting: a reply to a reply joins its thread.
    return parent.parent if parent.parent_id else parent


def submit(target: Target, data: Submission, client: str) -> Comment:
    """Save a reader's comment as pending and queue its triage."""
    if not target.is_open:
        raise ValidationError(_("Comments are closed here."), code="closed")
    text = clean_text(data.text)
    parent = _parent(target, data.parent_id)
    since = timezone.now() - FLOOD_WINDOW
    if Comment.objects.filter(client=client, created_at__gte=since).count() >= FLOOD_LIMIT:
        raise Flood()
    comment = Comment.objects.create(
        target_kind=target.kind,
        target_key=target.key,
        office=target.office,
        parent=parent,
        name=normalize(strip_controls(data.name or ""))[: policy.MAX_NAME],
        email=(data.email or "").strip(),
        text=text,
        client=client[:32],
    )
    transaction.on_commit(lambda: enqueue_triage(comment.pk))
    return comment


def enqueue_triage(comment_id: int) -> None:
    from .tasks import triage_comment

    try:
        triage_comment.enqueue(comment_id)
    except Exception:  # the comment is saved; it waits in the queue unlabeled
        log.exception("could not queue the triage of comment %s", comment_id)


def run_triage(comment_id: int) -> dict[str, float]:
    """Label one comment; auto-reject it only when its office asks and the case is clearest."""
    from .targets import resolve

    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        return {}
    target = resolve(comment.target_kind, comment.target_key)
    since = comment.created_at - timedelta(hours=1)
    from_client = Comment.objects.filter(
        client=comment.client, created_at__gte=since, created_at__lte=comment.created_at
    ).exclude(pk=comment.pk)
    labels = triage.triage(
        comment.text,
        target.text if target is not None else "",
        recent_from_client=from_client.count() if comment.client else 0,
        duplicates=from_client.filter(text=comment.text).count() if comment.client else 0,
    )
    if target is not None and target.language != "fa":
        # English pages take English comments (docs/comments.md): "not Persian" is no reason there.
        labels.pop(Reason.NOT_PERSIAN.value, None)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        comment.triage = labels
        comment.triage_score = max(labels.values(), default=0.0)
        comment.triaged_at = timezone.now()
        comment.save(update_fields=["triage", "triage_score", "triaged_at"])
        reason = triage.clearest(labels)
        if (
            reason
            and comment.status == Comment.Status.PENDING
            and auto_reject_enabled(comment.office)
        ):
            comment.status = Comment.Status.REJECTED
            comment.reject_reason = reason
            comment.decided_at = timezone.now()
            comment.decided_automatically = True
            comment.save(
                update_fields=["status", "reject_reason", "decided_at", "decided_automatically"]
            )
            record(None, "comments.auto_reject", target=comment, changes={"reason": reason})
    return labels


def auto_reject_enabled(office: Office) -> bool:
    return OfficeCommentSettings.objects.filter(office=office, auto_reject=True).exists()


def set_auto_reject(
    actor: Any, office: Office, enabled: bool, request: HttpRequest | None = None
) -> None:
    require(actor, Action.COMMENTS_MODERATE, office, request)
    with transaction.atomic():
        row, _created = OfficeCommentSettings.objects.get_or_create(office=office)
        if row.auto_reject != enabled:
            row.auto_reject = enabled
            row.save(update_fields=["auto_reject"])
            record(
                actor,
                "comments.settings",
                office=office,
                changes={"auto_reject": [not enabled, enabled]},
                request=request,
            )


# --- moderation -----------------------------------------------------------------------------


# The columns a moderator's decision writes (and nothing else).
DECISION_FIELDS = [
    "status",
    "decided_at",
    "decided_by",
    "decided_automatically",
    "reject_reason",
    "reject_note",
]


class _Denied(Exception):
    def __init__(self, office: Office) -> None:
        self.office = office


@contextmanager
def _locked_decision(
    actor: Any, comments: list[Comment], action: Action, request: HttpRequest | None
) -> Iterator[list[Comment]]:
    """Lock-then-check for a bulk decision: lock the comments (one query, with their offices),
    then ask `may` of each office of the locked rows. A refusal leaves the transaction first,
    so that `require` audits it outside the rollback (as `network.services.locked_transaction`
    does for one row)."""
    try:
        with transaction.atomic():
            rows = list(
                Comment.objects.select_for_update(of=("self",))
                .select_related("office")
                .filter(pk__in=[c.pk for c in comments])
                .order_by("pk")
            )
            for office in {row.office_id: row.office for row in rows}.values():
                if not may(actor, action, office):
                    raise _Denied(office)
            yield rows
    except _Denied as denied:
        require(actor, action, denied.office, request)
        raise


def approve(actor: Any, comments: list[Comment], request: HttpRequest | None = None) -> int:
    """Publish pending (or rejected) comments; returns how many changed."""
    changed = 0
    with _locked_decision(actor, comments, Action.COMMENTS_MODERATE, request) as rows:
        for comment in rows:
            if comment.status == Comment.Status.PUBLISHED:
                continue
            before = comment.status
            comment.status = Comment.Status.PUBLISHED
            comment.decided_at = timezone.now()
            comment.decided_by = actor
            comment.decided_automatically = False
            comment.reject_reason = ""
            comment.reject_note = ""
            comment.save(update_fields=DECISION_FIELDS)
            record(
                actor,
                "comments.approve",
                target=comment,
                changes={"status": [before, "published"]},
                request=request,
            )
            changed += 1
        if changed:
            news_services.refresh_public_pages()
    return changed


def reject(
    actor: Any,
    comments: list[Comment],
    reason: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> int:
    """Reject with a policy reason or a free-text note (one of them is required)."""
    note = normalize(strip_controls(note or "")).strip()[:300]
    if reason and reason not in Reason.values:
        raise ValidationError(_("Choose a reason from the policy."), code="bad_reason")
    if not reason and not note:
        raise ValidationError(
            _("Give a reason for the rejection: choose one from the policy or write one."),
            code="no_reason",
        )
    changed = 0
    was_public = False
    with _locked_decision(actor, comments, Action.COMMENTS_MODERATE, request) as rows:
        for comment in rows:
            if comment.status == Comment.Status.REJECTED:
                continue
            was_public |= comment.status == Comment.Status.PUBLISHED
            before = comment.status
            comment.status = Comment.Status.REJECTED
            comment.reject_reason = reason
            comment.reject_note = note
            comment.decided_at = timezone.now()
            comment.decided_by = actor
            comment.decided_automatically = False
            comment.save(update_fields=DECISION_FIELDS)
            record(
                actor,
                "comments.reject",
                target=comment,
                changes={"status": [before, "rejected"], "reason": reason, "note": note},
                request=request,
            )
            changed += 1
        if was_public:
            news_services.refresh_public_pages()
    return changed


def edit(actor: Any, comment: Comment, text: str, request: HttpRequest | None = None) -> Comment:
    """Edit before publishing; the reader's own words are kept and the edit is audited."""
    text = clean_text(text)
    with locked_transaction():
        comment = _lock(comment, actor, Action.COMMENTS_MODERATE, request)
        if text == comment.text:
            return comment
        before = comment.text
        if not comment.edited:
            comment.original_text = comment.text
        comment.text = text
        comment.edited = True
        comment.save(update_fields=["text", "original_text", "edited"])
        record(
            actor,
            "comments.edit",
            target=comment,
            changes={"text": [before, text]},
            request=request,
        )
        if comment.status == Comment.Status.PUBLISHED:
            news_services.refresh_public_pages()
    return comment


def reply_as_office(
    actor: Any, comment: Comment, text: str, request: HttpRequest | None = None
) -> Comment:
    """The office's official answer, published at once under the comment's thread."""
    text = clean_text(text)
    with locked_transaction():
        comment = _lock(comment, actor, Action.COMMENTS_REPLY, request)
        if comment.status != Comment.Status.PUBLISHED:
            raise ValidationError(
                _("Publish the comment before answering it."), code="parent_not_published"
            )
        thread = comment.parent if comment.parent_id else comment
        reply = Comment.objects.create(
            target_kind=comment.target_kind,
            target_key=comment.target_key,
            office=comment.office,
            parent=thread,
            text=text,
            name=comment.office.name_fa,
            is_official=True,
            author=actor,
            status=Comment.Status.PUBLISHED,
            decided_at=timezone.now(),
            decided_by=actor,
        )
        record(
            actor,
            "comments.reply",
            target=reply,
            changes={"in_reply_to": comment.pk},
            request=request,
        )
        news_services.refresh_public_pages()
    return reply


def _lock(comment: Comment, actor: Any, action: Action, request: HttpRequest | None) -> Comment:
    """The comment locked, after `may` on its office (network.services.lock_and_require)."""
    return lock_and_require(
        Comment.objects.select_related("office", "parent"),
        comment.pk,
        actor,
        action,
        request,
        target=lambda row: row.office,
    )


def mark_label_wrong(
    actor: Any, comment: Comment, label: str, request: HttpRequest | None = None
) -> bool:
    """Keep a moderator's verdict that a triage label was wrong; False if already marked."""
    require(actor, Action.COMMENTS_MODERATE, comment.office, request)
    if label not in Reason.values:
        raise ValidationError(_("Unknown triage label."), code="bad_label")
    try:
        with transaction.atomic():
            TriageMark.objects.create(
                comment=comment,
                label=label,
                confidence=comment.triage.get(label),
                text=comment.text,
                moderator=actor,
            )
            record(
                actor,
                "comments.mark_wrong",
                target=comment,
                changes={"label": label},
                request=request,
            )
    except IntegrityError:
        return False
    return True


# --- readers' reactions ---------------------------------------------------------------------


def _public(comment: Comment) -> None:
    if comment.status != Comment.Status.PUBLISHED:
        raise ValidationError(_("This comment is not published."), code="not_public")


def vote(comment: Comment, voter: str, like: bool) -> bool:
    """One like or dislike per reader; False when this reader has already voted."""
    _public(comment)
    return count_once(
        lambda: CommentVote.objects.create(comment=comment, voter=voter[:64], like=like),
        Comment.objects.filter(pk=comment.pk),
        "likes" if like else "dislikes",
    )


def report(comment: Comment, reporter: str) -> bool:
    """A reader reports a published comment; False when this reader already did."""
    _public(comment)
    return count_once(
        lambda: CommentReport.objects.create(comment=comment, reporter=reporter[:64]),
        Comment.objects.filter(pk=comment.pk),
        "reports",
    )
