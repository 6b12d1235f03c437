"""Print the triage labels moderators marked wrong, as JSON lines (data to improve the triage)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from ravabet.comments.models import TriageMark


class Command(BaseCommand):
    help = "Print the triage labels moderators marked wrong, one JSON object per line."

    def handle(self, *args, **options) -> None:
        marks = TriageMark.objects.select_related("comment").order_by("created_at", "id")
        for mark in marks.iterator():
            row = {
                "label": mark.label,
                "confidence": mark.confidence,
                "text": mark.text,
                "target": f"{mark.comment.target_kind}:{mark.comment.target_key}",
                "marked_at": mark.created_at.isoformat(),
            }
            self.stdout.write(json.dumps(row, ensure_ascii=False))
