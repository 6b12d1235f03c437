"""Writes of the newsroom: items, workflow steps, revisions, photos, votes and imports.

Every staff step locks the item's row, then asks `network.permissions.may` about the locked row
(lock-then-check, `_locked`: a refusal is audited by `network.services.require` after the
transaction), runs in that transaction with its audit event, and retires the public page cache
when readers could see the change. Writes name their columns (`update_fields`): the view count and
the useful votes are written by others (`viewcounts.flush`, `vote`) with `F()`, and a whole-row
save would put back the numbers read at the start of the request. Search is fed through
`_after_change` once the search app is installed.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image

from ravabet.network.models import Office
from ravabet.network.permissions import Action, may
from ravabet.network.services import (
    count_once,
    lock_and_require,
    locked_transaction,
    record,
    require,
)
from ravabet.network.text import normalize, to_persian_digits

from . import pagecache, richtext, search_feed
from .models import NewsCode, NewsGroup, NewsItem, Photo, Revision, Tag, UsefulVote

RENDITION_WIDTHS = (320, 640, 1024)
Status = NewsItem.Status
CODE_START = 1000  # the first item gets 1001
# The columns staff edit (`_apply`); a save writes these and nothing else.
EDITED_FIELDS = (
    "title",
    "over_title",
    "lead",
    "body",
    "body_text",
    "source_line",
    "group",
    "language",
    "translation_of",
    "slug",
    "updated_at",
)


@dataclass
class NewsData:
    """What staff (or an import) type for an item; normalised by the services."""

    title: str
    over_title: str = ""
    lead: str = ""
    body: str = ""
    source_line: str = ""
    group: NewsGroup | None = None
    tags: list[str] = field(default_factory=list)
    language: str = "fa"
    translation_of: NewsItem | None = None


# --- helpers ---------------------------------------------------------------------------------


def _clean_line(text: str) -> str:
    return " ".join(normalize(text or "").split())


def make_slug(title: str) -> str:
    slug = slugify(_clean_line(title).replace("\u200c", "-"), allow_unicode=True)
    return slug[:100].strip("-")


def split_tags(text: str) -> list[str]:
    """Tags typed in one field, separated by commas (Latin or Persian) or new lines."""
    parts = text.replace("،", ",").replace("\n", ",").split(",")
    return [p for p in (_clean_line(part) for part in parts) if p]


def tags_from_names(names: list[str]) -> list[Tag]:
    tags: list[Tag] = []
    for name in names:
        name = _clean_line(name)[:80]
        slug = slugify(name.replace("\u200c", ""), allow_unicode=True)[:100]
        if not slug:
            continue
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(name=name, slug=slug)
            except IntegrityError:
                tag = Tag.objects.get(slug=slug)
        if tag not in tags:
            tags.append(tag)
    return tags


def _next_code() -> int:
    updated = NewsCode.objects.filter(pk=1).update(last=F("last") + 1)
    if not updated:
        NewsCode.objects.get_or_create(pk=1, defaults={"last": CODE_START})
        NewsCode.objects.filter(pk=1).update(last=F("last") + 1)
    return NewsCode.objects.values_list("last", flat=True).get(pk=1)


def _apply(item: NewsItem, data: NewsData) -> None:
    item.title = _clean_line(data.title)[:250]
    item.over_title = _clean_line(data.over_title)[:250]
    item.lead = normalize(data.lead or "").strip()
    item.body = richtext.sanitize(data.body)
    item.body_text = richtext.to_text(item.body)
    item.source_line = _clean_line(data.source_line)[:250]
    item.group = data.group
    item.language = data.language if data.language in ("fa", "en") else "fa"
    if data.translation_of is not None:
        item.translation_of = data.translation_of
    item.slug = make_slug(item.title)
    if not item.title:
        raise ValidationError(_("A news item needs a title."), code="required")


def revision_data(item: NewsItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "over_title": item.over_title,
        "lead": item.lead,
        "body": item.body,
        "source_line": item.source_line,
        "group": item.group.slug if item.group is not None else "",
        "tags": [t.name for t in item.tags.all()],
        "language": item.language,
    }


def _revise(item: NewsItem, actor: Any, note: str) -> Revision:
    # The next number is read and inserted under the item's row lock (a no-op when the caller
    # holds it already), so two edits at once queue instead of both taking the same number.
    NewsItem.objects.select_for_update().filter(pk=item.pk).exists()
    last = item.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return Revision.objects.create(
        news=item,
        number=last + 1,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:200],
        data=revision_data(item),
    )


def _reindex(item: NewsItem) -> None:
    """Feed the search index after the commit (drafts too: staff search their own offices')."""
    transaction.on_commit(lambda: search_feed.update(item))


def _after_change(
    item: NewsItem, *, taken_back: bool = False, before: set[str] | None = None
) -> None:
    """Readers may see the change: retire the cached pages that show it, refresh the index.

    The item and its translations get a new version (`updated_at`): the cached article of a news
    page is keyed by it, and each page links to its translation only while that is public.
    A public item's change retires only the pages of its scopes (`pagecache.item_scopes`: its
    office and those above, its group, the pages of any publication), with `before` the scopes
    it had before an edit (an old group's pages showed it). An item `taken_back` (no longer
    public) retires every page: any article's aside may list it.
    """
    linked = NewsItem.objects.filter(
        Q(pk=item.pk) | Q(pk=item.translation_of_id) | Q(translation_of_id=item.pk)
    )
    linked.update(updated_at=timezone.now())
    if taken_back:
        pagecache.invalidate()
    elif item.is_public:
        scopes = pagecache.item_scopes(item.office, item.group_id) | (before or set())
        # Its translations' pages link to it: their articles are retired with it.
        scopes |= {
            pagecache.articles_scope(office_id)
            for office_id in linked.exclude(pk=item.pk).values_list("office_id", flat=True)
        }
        pagecache.retire(scopes)
    else:
        pagecache.retire(set())  # scheduled: only the next due time changes
    _reindex(item)


def _edit_action(actor: Any, item: NewsItem) -> Action:
    """A draft (or an item in review) needs NEWS_EDIT_DRAFT, which editors have on anyone's and
    authors on their own (`network.permissions.OWNER_ACTIONS`); anything later NEWS_EDIT_ANY."""
    if item.status in (Status.DRAFT, Status.REVIEW):
        return Action.NEWS_EDIT_DRAFT
    return Action.NEWS_EDIT_ANY


def can_edit(actor: Any, item: NewsItem) -> bool:
    return may(actor, _edit_action(actor, item), item)


def can_read(actor: Any, item: NewsItem) -> bool:
    """May `actor` see the item's staff pages (the draft, its revisions and photos)?"""
    return may(actor, Action.NEWS_READ_ANY, item)


ActionFor = Action | Callable[[Any, NewsItem], Action]


@contextmanager
def _locked(
    actor: Any, item: NewsItem, action: ActionFor, request: HttpRequest | None
) -> Iterator[NewsItem]:
    """Lock-then-check (`network.services.lock_and_require`): a transaction holding the item's
    row lock, with the permission asked of the locked (fresh) row; a refusal is audited after
    the rollback. `action` may depend on the row's state (editing one's own draft)."""
    with locked_transaction():
        if callable(action):
            current = NewsItem.objects.select_for_update().only("status").get(pk=item.pk)
            wanted = action(actor, current)
        else:
            wanted = action
        locked = lock_and_require(
            NewsItem.objects.select_related("office"), item.pk, actor, wanted, request
        )
        yield locked
    # The caller's copy shows the outcome too (views and the demo read it after a step).
    for column in NewsItem._meta.concrete_fields:
        setattr(item, column.attname, getattr(locked, column.attname))


def _shown_code(item: NewsItem) -> str:
    """A news code inside a message, in Persian digits on Persian pages."""
    lang = get_language() or "fa"
    return str(item.code) if lang.startswith("en") else to_persian_digits(str(item.code))


def _check_translation(actor: Any, item: NewsItem | None, original: NewsItem | None) -> None:
    """An item may be the translation of another only where its author may edit the original,
    and each original has one translation (items 4 and 15 of issue 11)."""
    if original is None:
        return
    if item is not None and original.pk == item.pk:
        raise ValidationError(
            _("An item cannot be a translation of itself."), code="translation_self"
        )
    if not can_edit(actor, original):
        raise ValidationError(
            _(
                "You may not edit news item %(code)s, so you cannot mark this item as its "
                "translation."
            )
            % {"code": _shown_code(original)},
            code="translation_forbidden",
        )
    others = NewsItem.objects.filter(translation_of=original)
    if item is not None:
        others = others.exclude(pk=item.pk)
    taken = others.first()
    if taken is not None:
        raise ValidationError(
            _("News item %(code)s already has a translation: news item %(other)s.")
            % {"code": _shown_code(original), "other": _shown_code(taken)},
            code="translation_taken",
        )


def _save_translation_safely(item: NewsItem, save: Callable[[], None]) -> None:
    """Two claims at once pass the check; the one-to-one column refuses the second."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        original = item.translation_of
        if original is None:
            raise
        raise ValidationError(
            _("News item %(code)s already has a translation.") % {"code": _shown_code(original)},
            code="translation_taken",
        ) from None


# --- writes by staff -------------------------------------------------------------------------


def create_news(
    actor: Any, office: Office, data: NewsData, request: HttpRequest | None = None
) -> NewsItem:
    return _create(actor, office, data, request, note=_("Created"))


def create_draft_from(
    actor: Any,
    office: Office,
    data: NewsData,
    *,
    origin: str,
    origin_label: str = "",
    request: HttpRequest | None = None,
) -> NewsItem:
    """A draft that another app prepared for `office`'s newsroom (a council meeting's news,
    prefilled from its public minutes). The actor needs `news.write` there, as for any new item,
    and the draft then goes through the office's normal review: nothing is published here.
    `origin` (e.g. ``"council.meeting:12"``) is kept in the audit event and `origin_label`
    (readable) in the first revision's note, so the newsroom sees where the text came from."""
    note = _("Prepared from %(origin)s") % {"origin": origin_label or origin}
    return _create(actor, office, data, request, note=note[:200], origin=origin[:100])


def _create(
    actor: Any,
    office: Office,
    data: NewsData,
    request: HttpRequest | None,
    *,
    note: str,
    origin: str = "",
) -> NewsItem:
    require(actor, Action.NEWS_WRITE, office, request)
    _check_translation(actor, None, data.translation_of)
    with transaction.atomic():
        item = NewsItem(office=office, author=actor, status=Status.DRAFT)
        _apply(item, data)
        item.code = _next_code()
        _save_translation_safely(item, item.save)
        item.tags.set(tags_from_names(data.tags))
        _revise(item, actor, note)
        changes: dict[str, Any] = {"title": item.title}
        if origin:
            changes["origin"] = origin
        record(actor, "news.create", target=item, request=request, changes=changes)
        _reindex(item)
    return item


def update_news(
    actor: Any,
    item: NewsItem,
    data: NewsData,
    request: HttpRequest | None = None,
    note: str = "",
) -> NewsItem:
    with _locked(actor, item, _edit_action, request) as item:
        if data.translation_of is not None and data.translation_of.pk != item.translation_of_id:
            _check_translation(actor, item, data.translation_of)
        before = revision_data(item)
        scopes = pagecache.item_scopes(item.office, item.group_id)
        _apply(item, data)
        _save_translation_safely(item, lambda: item.save(update_fields=EDITED_FIELDS))
        item.tags.set(tags_from_names(data.tags))
        after = revision_data(item)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        _revise(item, actor, note or _("Edited"))
        record(actor, "news.update", target=item, request=request, changes=changes)
        if item.is_public:
            _after_change(item, before=scopes)
        else:
            _reindex(item)
    return item


def _transition(
    actor: Any,
    item: NewsItem,
    action: ActionFor,
    allowed_from: tuple[str, ...],
    to: str,
    audit: str,
    request: HttpRequest | None,
    note: str = "",
    **fields: Any,
) -> NewsItem:
    """One workflow step on the locked row; a field value may be a function of that row."""
    with _locked(actor, item, action, request) as item:
        if item.status not in allowed_from:
            raise ValidationError(
                _("This step is not possible while the item is “%(status)s”.")
                % {"status": item.get_status_display()},
                code="bad_state",
            )
        was_public = item.is_public
        old = item.status
        item.status = to
        fields = {k: v(item) if callable(v) else v for k, v in fields.items()}
        for name, value in fields.items():
            setattr(item, name, value)
        item.save(update_fields=["status", *fields, "updated_at"])
        changes = {"status": [old, to], **{k: [None, str(v)] for k, v in fields.items()}}
        if note:
            changes["note"] = [None, note]
        record(actor, audit, target=item, request=request, changes=changes)
        if was_public or item.is_public or to == Status.SCHEDULED:
            _after_change(item, taken_back=was_public and not item.is_public)
        else:
            _reindex(item)
    return item


def submit_for_review(actor: Any, item: NewsItem, request: HttpRequest | None = None) -> NewsItem:
    return _transition(
        actor, item, _edit_action, (Status.DRAFT,), Status.REVIEW, "news.submit", request
    )


def send_back(
    actor: Any, item: NewsItem, note: str = "", request: HttpRequest | None = None
) -> NewsItem:
    return _transition(
        actor,
        item,
        Action.NEWS_REVIEW,
        (Status.REVIEW, Status.SCHEDULED),
        Status.DRAFT,
        "news.send_back",
        request,
        note=_clean_line(note)[:300],
        publish_at=None,
    )


def publish(
    actor: Any,
    item: NewsItem,
    at: datetime | None = None,
    request: HttpRequest | None = None,
) -> NewsItem:
    """Publish now, or schedule for `at` (a time in the past is refused)."""
    now = timezone.now().replace(microsecond=0)  # whole seconds: valid in <time datetime>
    sources = (Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.UNPUBLISHED)
    if at is not None and at < now - timedelta(minutes=1):
        require(actor, Action.NEWS_PUBLISH, item, request)
        raise ValidationError(
            _("The scheduled time has already passed; choose a time in the future."),
            code="past",
        )
    if at is not None and at > now:
        at = at.replace(microsecond=0)
        return _transition(
            actor,
            item,
            Action.NEWS_PUBLISH,
            sources,
            Status.SCHEDULED,
            "news.schedule",
            request,
            publish_at=at,
        )
    return _transition(
        actor,
        item,
        Action.NEWS_PUBLISH,
        sources,
        Status.PUBLISHED,
        "news.publish",
        request,
        publish_at=None,
        published_at=lambda locked: locked.published_at or now,
    )


def unpublish(actor: Any, item: NewsItem, request: HttpRequest | None = None) -> NewsItem:
    return _transition(
        actor,
        item,
        Action.NEWS_PUBLISH,
        (Status.PUBLISHED, Status.SCHEDULED),
        Status.UNPUBLISHED,
        "news.unpublish",
        request,
    )


def restore_revision(
    actor: Any, item: NewsItem, revision: Revision, request: HttpRequest | None = None
) -> NewsItem:
    if revision.news_id != item.pk:
        raise ValidationError(_("That revision belongs to another item."), code="mismatch")
    data = revision.data
    group = NewsGroup.objects.filter(slug=data.get("group") or "").first()
    return update_news(
        actor,
        item,
        NewsData(
            title=data.get("title", ""),
            over_title=data.get("over_title", ""),
            lead=data.get("lead", ""),
            body=data.get("body", ""),
            source_line=data.get("source_line", ""),
            group=group,
            tags=list(data.get("tags", [])),
            language=data.get("language", item.language),
        ),
        request,
        note=_("Restored revision %(number)s") % {"number": revision.number},
    )


def publish_due(now: datetime | None = None) -> int:
    """System step: scheduled items whose time has come become published (idempotent)."""
    now = now or timezone.now()
    due = list(NewsItem.objects.filter(status=Status.SCHEDULED, publish_at__lte=now))
    for item in due:
        with transaction.atomic():
            changed = NewsItem.objects.filter(pk=item.pk, status=Status.SCHEDULED).update(
                status=Status.PUBLISHED, published_at=item.publish_at
            )
            if changed:
                item.refresh_from_db()
                record(
                    None,
                    "news.publish_scheduled",
                    target=item,
                    changes={"status": ["scheduled", "published"]},
                )
                _after_change(item)
    if not due:
        with transaction.atomic():
            pagecache.retire(set())  # recompute next_due
    return len(due)


# --- photos ----------------------------------------------------------------------------------


def _renditions(photo: Photo, image_bytes: bytes, extension: str) -> dict[str, str]:
    out: dict[str, str] = {}
    with Image.open(io.BytesIO(image_bytes)) as image:
        fmt = image.format or "JPEG"
        for width in RENDITION_WIDTHS:
            if width >= image.width:
                continue
            height = round(image.height * width / image.width)
            copy = image.copy()
            copy.thumbnail((width, height))
            buffer = io.BytesIO()
            if fmt == "JPEG":
                copy.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True)
            else:
                copy.save(buffer, fmt)
            stem = (photo.image.name or "").rsplit(".", 1)[0]
            name = default_storage.save(
                f"{stem}-{width}.{extension}", ContentFile(buffer.getvalue())
            )
            out[str(width)] = name
    return out


def add_photo(
    actor: Any,
    item: NewsItem,
    upload: UploadedFile,
    alt: str,
    caption: str = "",
    main: bool = False,
    request: HttpRequest | None = None,
) -> Photo:
    """Validate (type, size, pixels), strip metadata, make renditions, attach to the item."""
    # Refuse early (no image work for someone who may not edit), then check again under the lock.
    require(actor, _edit_action(actor, item), item, request)
    prepared = _prepare_photo(upload, alt)
    with _locked(actor, item, _edit_action, request) as item:
        return _store_photo(actor, item, prepared, caption, main, request)


@dataclass
class _PreparedPhoto:
    alt: str
    clean: Any  # network.uploads.CleanImage
    data: bytes


def _prepare_photo(upload: UploadedFile, alt: str) -> _PreparedPhoto:
    from ravabet.network.uploads import clean_image

    alt = _clean_line(alt)[:250]
    if not alt:
        raise ValidationError(
            _("Describe the photo for readers who cannot see it (alternative text)."),
            code="alt_required",
        )
    clean = clean_image(upload)
    clean.content.seek(0)
    data = clean.content.read()
    clean.content.seek(0)
    return _PreparedPhoto(alt=alt, clean=clean, data=data)


def _store_photo(
    actor: Any,
    item: NewsItem,
    prepared: _PreparedPhoto,
    caption: str,
    main: bool,
    request: HttpRequest | None,
) -> Photo:
    alt, clean, data = prepared.alt, prepared.clean, prepared.data
    with transaction.atomic():
        photo = Photo(office=item.office, news=item, alt=alt, caption=_clean_line(caption)[:300])
        photo.position = item.photos.count()
        photo.image.save(f"{uuid.uuid4().hex}.{clean.extension}", clean.content, save=False)
        photo.width, photo.height = clean.width, clean.height
        photo.save()
        photo.renditions = _renditions(photo, data, clean.extension)
        photo.save(update_fields=["renditions"])
        if main or item.main_photo_id is None:
            item.main_photo = photo
            item.save(update_fields=["main_photo", "updated_at"])
        record(actor, "news.photo_add", target=item, request=request, changes={"alt": alt})
        if item.is_public:
            _after_change(item)
    return photo


def add_demo_photo(item: NewsItem, upload: UploadedFile, alt: str) -> Photo:
    """System step for `ravabet demo` and imports: attach a main photo without a staff actor."""
    prepared = _prepare_photo(upload, alt)
    with transaction.atomic():
        item = NewsItem.objects.select_for_update().get(pk=item.pk)
        return _store_photo(None, item, prepared, "", True, None)


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def remove_photo(actor: Any, photo: Photo, request: HttpRequest | None = None) -> NewsItem:
    gone = ValidationError(_("This photo is no longer there."), code="gone")
    if photo.news is None:  # a photo not (or no longer) attached to an item
        raise gone
    with _locked(actor, photo.news, _edit_action, request) as item:
        fresh = Photo.objects.filter(pk=photo.pk, news=item).first()
        if fresh is None:
            raise gone
        if item.main_photo_id == fresh.pk:
            item.main_photo = item.photos.exclude(pk=fresh.pk).first()
            item.save(update_fields=["main_photo", "updated_at"])
        record(actor, "news.photo_remove", target=item, request=request, changes={"alt": fresh.alt})
        names = [fresh.image.name, *fresh.renditions.values()]
        fresh.delete()
        transaction.on_commit(lambda: _delete_files(names))
        if item.is_public:
            _after_change(item)
    return item


def refresh_public_pages() -> None:
    """For apps above the newsroom, after a change shown on news pages (an approved comment)."""
    pagecache.invalidate()


# --- readers ---------------------------------------------------------------------------------


def vote(item: NewsItem, voter: str, useful: bool, client: str = "") -> bool:
    """Record a reader's "was this useful?" vote; False when this reader has already voted.

    One vote per reader key *and* one per client address (`client`, the rate limiter's keyed
    address) on each item: a fresh cookie jar is a new reader key but the same address.
    """
    if not item.is_public:
        raise ValidationError(_("This news item is not published."), code="not_public")
    return count_once(
        lambda: UsefulVote.objects.create(
            news=item, voter=voter[:64], client=client[:64], useful=useful
        ),
        NewsItem.objects.filter(pk=item.pk),
        "useful_yes" if useful else "useful_no",
    )
