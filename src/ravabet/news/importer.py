"""Bulk import of an office's news archive from JSON Lines (`ravabet import-news`).

One JSON object per line: `title`, optional `over_title`, `lead`, `body` (plain text or HTML),
`tags` (list), `group` (slug or title), `published_at` (ISO 8601), `office` (slug; the
command's `--office` is the default), `source_id`, and optionally `language` (`fa` or `en`) and
`translation_of` (the `source_id` of the item this one translates). Items are published as they
were, and an item dated in the future is scheduled for that time (not public before it); a line
whose `source_id` was imported before is skipped, so running an import twice changes nothing.
Bad lines are reported with their number and reason; they never stop it: each line is written
in a savepoint of its own, so a database error (a value too long for a column, a duplicate)
undoes that line only. The finishing step (search indexing, the audit event, refreshing cached
pages) always runs for what came in, even when lines failed or the import was cut short.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ravabet.network.models import Office
from ravabet.network.services import record

from . import richtext, services
from .models import NewsGroup, NewsItem


class BadLine(ValueError):
    pass


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _text(obj: dict, name: str, limit: int | None = None) -> str:
    value = obj.get(name) or ""
    if not isinstance(value, str):
        raise BadLine(f"“{name}” must be text")
    return value[:limit] if limit else value


def _published_at(obj: dict) -> datetime:
    raw = obj.get("published_at")
    if not raw:
        return timezone.now().replace(microsecond=0)
    if not isinstance(raw, str):
        raise BadLine("“published_at” must be an ISO 8601 text")
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise BadLine(f"“published_at” is not an ISO 8601 date and time: {raw[:40]!r}")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.replace(microsecond=0)


class Importer:
    def __init__(self, default_office: Office | None = None) -> None:
        self.default_office = default_office
        self.offices: dict[str, Office | None] = {}
        self.groups = {g.slug: g for g in NewsGroup.objects.all()}
        self.groups.update({g.title_fa: g for g in self.groups.values()})
        self.report = ImportReport()
        self.created: list[int] = []

    def _office(self, obj: dict) -> Office:
        slug = obj.get("office")
        if slug:
            if not isinstance(slug, str):
                raise BadLine("“office” must be an office slug")
            if slug not in self.offices:
                self.offices[slug] = Office.objects.filter(slug=slug).first()
            office = self.offices[slug]
            if office is None:
                raise BadLine(f"no office with the slug {slug!r}")
            return office
        if self.default_office is None:
            raise BadLine("no “office” in the line and no --office given")
        return self.default_office

    def add(self, number: int, line: str) -> None:
        line = line.strip()
        if not line:
            return
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise BadLine("a line must be one JSON object")
            with transaction.atomic():  # a savepoint: a database error undoes this line only
                self._add(obj)
        except (json.JSONDecodeError, BadLine) as exc:
            self.report.errors.append((number, str(exc)))
        except DatabaseError as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            reason = f"the database refused the line ({type(exc).__name__}: {first_line[:200]})"
            self.report.errors.append((number, reason))

    def _add(self, obj: dict) -> None:
        source_id = obj.get("source_id")
        if source_id is not None:
            source_id = str(source_id)[:200]
            if NewsItem.objects.filter(source_id=source_id).exists():
                self.report.skipped += 1
                return
        title = services._clean_line(_text(obj, "title", 250))
        if not title:
            raise BadLine("“title” is missing or empty")
        tags = obj.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise BadLine("“tags” must be a list of texts")
        group = None
        if obj.get("group"):
            group = self.groups.get(str(obj["group"]))
        office = self._office(obj)
        published_at = _published_at(obj)
        language = obj.get("language") or "fa"
        if language not in ("fa", "en"):
            raise BadLine("“language” must be fa or en")
        original = None
        if obj.get("translation_of"):
            original = NewsItem.objects.filter(source_id=str(obj["translation_of"])).first()
            if original is None:
                raise BadLine(f"no imported item with the source_id {obj['translation_of']!r}")
        body = richtext.sanitize(_text(obj, "body"))
        # Dated in the future: scheduled for that time, like an editor's scheduled publication.
        future = published_at > timezone.now()
        with transaction.atomic():
            item = NewsItem(
                office=office,
                code=services._next_code(),
                title=title,
                slug=services.make_slug(title),
                over_title=services._clean_line(_text(obj, "over_title", 250)),
                lead=services.normalize(_text(obj, "lead")).strip(),
                body=body,
                body_text=richtext.to_text(body),
                group=group,
                language=language,
                translation_of=original,
                status=NewsItem.Status.SCHEDULED if future else NewsItem.Status.PUBLISHED,
                published_at=None if future else published_at,
                publish_at=published_at if future else None,
                source_id=source_id,
            )
            item.save()
            if tags:
                item.tags.set(services.tags_from_names(tags[:30]))
            services._revise(item, None, "import")
        self.created.append(item.pk)
        self.report.created += 1

    def finish(self, source: str = "") -> ImportReport:
        """Index what came in, audit the import and refresh the public pages once, at the end."""
        if self.report.created:
            from . import search_feed

            search_feed.index_now(self.created)
            with transaction.atomic():
                record(
                    None,
                    "news.import",
                    office=self.default_office,
                    changes={"created": [0, self.report.created], "source": [None, source]},
                )
                services.pagecache.invalidate()
        return self.report


def import_lines(
    lines: Iterable[str], default_office: Office | None = None, source: str = ""
) -> ImportReport:
    importer = Importer(default_office)
    try:
        for number, line in enumerate(lines, start=1):
            importer.add(number, line)
    finally:
        report = importer.finish(source)
    return report
