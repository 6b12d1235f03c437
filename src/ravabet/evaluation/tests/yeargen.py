"""Generated activity for the evaluation's tests and its benchmark (bench/evaluation_year.py).

Offices under one root (agencies, counties, districts in realistic proportions), each with an
activity level, and a Jalali year of news items (with photos, views and "useful" votes), readers'
comments with official answers, and citizens' demands. Rows are written in bulk straight into
the source apps' tables: this builds a test bed of raw records, it is not a way to publish.
Deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from ravabet.comments.models import Comment
from ravabet.demands.models import Demand
from ravabet.network.models import Office
from ravabet.news.models import DailyViews, NewsCode, NewsItem, Photo, UsefulVote


@dataclass
class Generated:
    root: Office
    offices: list[Office]
    news: int
    demands: int
    comments: int


def _offices(count: int, rng: random.Random, created: datetime) -> tuple[Office, list[Office]]:
    root = Office.objects.create(slug="gen-root", kind="directorate", name_fa="اداره‌کل نمونه")
    gov = Office.objects.create(
        slug="gen-gov", kind="governorate", name_fa="استانداری نمونه", parent=root
    )
    made = [root, gov]
    counties: list[Office] = []
    for n in range(count - 2):
        roll = n % 10
        if roll < 4:
            kind, parent = "agency", gov
        elif roll < 7 or not counties:
            kind, parent = "county", gov
        else:
            kind, parent = "district", counties[rng.randrange(len(counties))]
        office = Office.objects.create(
            slug=f"gen-{n}", kind=kind, name_fa=f"دستگاه نمونه {n}", parent=parent
        )
        if kind == "county":
            counties.append(office)
        made.append(office)
    Office.objects.filter(pk__in=[o.pk for o in made]).update(created_at=created)
    for office in made:
        office.created_at = created
    return root, made


def generate(
    *,
    offices: int = 300,
    news: int = 100_000,
    demands: int = 50_000,
    comments: int | None = None,
    start: datetime,
    end: datetime,
    seed: int = 1405,
) -> Generated:
    """Write the offices and a period's worth of activity spread over [start, end)."""
    rng = random.Random(seed)
    comments = news // 10 if comments is None else comments
    root, made = _offices(offices, rng, start - timedelta(days=400))
    # Activity levels: a few very active offices, many middling ones, some nearly silent.
    weights = [rng.choice([0.05, 0.3, 1, 1, 2, 3, 6]) for _ in made]
    span = (end - start).total_seconds()

    def moment() -> datetime:
        return start + timedelta(seconds=rng.random() * span * 0.999)

    code_row, _ = NewsCode.objects.get_or_create(pk=1)
    first_code = code_row.last + 1
    items = []
    for n in range(news):
        office = rng.choices(made, weights)[0]
        items.append(
            NewsItem(
                code=first_code + n,
                office=office,
                title=f"خبر نمونه {n}",
                slug=f"news-{first_code + n}",
                status=NewsItem.Status.PUBLISHED,
                published_at=moment(),
            )
        )
    NewsCode.objects.filter(pk=1).update(last=first_code + news)
    NewsItem.objects.bulk_create(items, batch_size=2000)
    photos = [
        Photo(
            office_id=item.office_id, news=item, image="news/gen.jpg", width=1, height=1, alt="عکس"
        )
        for item in items
        if rng.random() < 0.6
    ]
    Photo.objects.bulk_create(photos, batch_size=2000)
    by_item = {photo.news_id: photo.pk for photo in photos}
    for item in items:
        item.main_photo_id = by_item.get(item.pk)
    NewsItem.objects.bulk_update(
        [item for item in items if item.main_photo_id], ["main_photo"], batch_size=2000
    )
    views = []
    votes = []
    for item in items:
        assert item.published_at is not None
        day = timezone.localtime(item.published_at).date()
        views.append(DailyViews(news=item, day=day, count=rng.randrange(20, 400)))
        for v in range(rng.choice([0, 0, 1, 2, 3])):
            votes.append(
                UsefulVote(
                    news=item,
                    voter=f"v{item.pk}-{v}",
                    useful=rng.random() < 0.8,
                    created_at=item.published_at + timedelta(hours=rng.randrange(1, 48)),
                )
            )
    DailyViews.objects.bulk_create(views, batch_size=5000)
    UsefulVote.objects.bulk_create(votes, batch_size=5000)
    asked = []
    for n in range(comments):
        item = items[rng.randrange(len(items))]
        assert item.published_at is not None
        asked.append(
            Comment(
                target_kind="news",
                target_key=str(item.code),
                office_id=item.office_id,
                text=f"نظر {n}",
                status=Comment.Status.PUBLISHED,
                created_at=item.published_at + timedelta(hours=rng.randrange(1, 72)),
            )
        )
    Comment.objects.bulk_create(asked, batch_size=2000)
    answers = [
        Comment(
            target_kind=comment.target_kind,
            target_key=comment.target_key,
            office_id=comment.office_id,
            parent=comment,
            text="پاسخ رسمی",
            status=Comment.Status.PUBLISHED,
            is_official=True,
            created_at=comment.created_at + timedelta(hours=rng.randrange(1, 96)),
        )
        for comment in asked
        if rng.random() < 0.7
    ]
    Comment.objects.bulk_create(answers, batch_size=2000)
    rows = []
    for n in range(demands):
        office = rng.choices(made, weights)[0]
        started = moment()
        due = started + timedelta(days=10)
        answered = (
            started + timedelta(hours=rng.randrange(2, 24 * 20)) if rng.random() < 0.85 else None
        )
        rows.append(
            Demand(
                office=office,
                code=f"{n:012d}0",
                kind="question",
                subject="مطالبه نمونه",
                body="متن",
                name="شهروند",
                consent_publish=False,
                status="answered" if answered else "received",
                created_at=started,
                clock_started_at=started,
                due_date=due.date(),
                due_at=due,
                remind_at=due - timedelta(days=2),
                answered_at=answered,
                answered_on_time=None if answered is None else answered <= due,
                satisfied=None if answered is None or rng.random() < 0.5 else rng.random() < 0.7,
            )
        )
    Demand.objects.bulk_create(rows, batch_size=2000)
    return Generated(root, made, news, demands, comments)
