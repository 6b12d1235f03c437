"""Demo content of the domain apps, loaded through each app's own services (idempotent)."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ravabet.network.models import Office
from ravabet.news import importer, selectors
from ravabet.news import services as news

from . import demo_news


def _demo_photo(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (1200, 675), colour)
    for x in range(0, 1200, 40):  # a simple pattern so the frame is not flat
        for y in range(0, 675, 40):
            if (x + y) // 40 % 3 == 0:
                image.paste(tuple(min(255, c + 40) for c in colour), (x, y, x + 20, y + 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _load_news(offices: dict[str, Office]) -> int:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    lines = [
        json.dumps(
            {
                "source_id": source_id,
                "office": slug,
                "group": group,
                "published_at": (now - timedelta(days=days, hours=3 * i)).isoformat(),
                "over_title": over_title,
                "title": title,
                "lead": lead,
                "body": body,
                "tags": tags,
            },
            ensure_ascii=False,
        )
        for i, (source_id, slug, group, days, over_title, title, lead, body, tags) in enumerate(
            demo_news.NEWS
        )
        if slug in offices
    ]
    lines += [
        json.dumps(
            {
                "source_id": source_id,
                "translation_of": original,
                "language": "en",
                "office": slug,
                "group": group,
                "published_at": (now - timedelta(days=days)).isoformat(),
                "title": title,
                "lead": lead,
                "body": body,
                "tags": tags,
            }
        )
        for source_id, original, slug, group, days, title, lead, body, tags in (
            demo_news.TRANSLATIONS
        )
        if slug in offices
    ]
    report = importer.import_lines(lines, source="demo")
    photos = 0
    for source_id, (colour, alt) in demo_news.PHOTOS.items():
        item = selectors.item_by_source_id(source_id)
        if item is not None and item.main_photo_id is None:
            news.add_demo_photo(item, _demo_photo(colour), alt)
            photos += 1
    return report.created + photos


def load(offices: dict[str, Office], verbosity: int = 1) -> int:
    """Create the demo content that is missing; return how many records were created."""
    from ravabet.comments import demo as comments_demo
    from ravabet.council import demo as council_demo
    from ravabet.demands.services import load_demo as load_demands
    from ravabet.elections import demo as elections_demo
    from ravabet.evaluation import demo as evaluation_demo
    from ravabet.events import demo as events_demo
    from ravabet.experiences import demo as experiences_demo

    created = _load_news(offices) + comments_demo.load() + load_demands(offices)
    # The council first: the elections' and events' demos use its bodies.
    created += council_demo.load(offices)
    created += experiences_demo.load(offices)
    created += elections_demo.load(offices, verbosity=verbosity)
    created += events_demo.load(offices)
    # The evaluation reads every other app's demo activity: it comes last.
    return created + evaluation_demo.load(offices)
