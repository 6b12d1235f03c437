"""Real Persian news for the newsroom's benchmarks, read in place from ../shared/data/news/.

python bench/news_corpus.py convert OUT.jsonl
    The shared files in `ravabet import-news` format (their fields differ: ir_news has
    title/summary/body/tags/published_at/news_id, fars_news has title/abstract/paragraphs/tags).
python bench/news_corpus.py load --items 100000 --offices 50
    A realistic archive in the configured database (DATABASE_URL; default the SQLite file under
    ./var/): offices `bench-001…` under a `bench` directorate, and items made by recombining the
    real titles and sentences, spread over two years, with groups and tags. Bulk inserts, so
    100,000 items take well under a minute; the output says how the archive was built.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "news"
_SENTENCE_RE = re.compile(r"(?<=[.!؟?])\s+")


def shared_articles() -> Iterator[dict]:
    """Every article of the shared corpus as {title, lead, body, tags, published_at, source_id}."""
    ir = SHARED / "ir_news.jsonl"
    fars = SHARED / "fars_news.jsonl"
    if not ir.exists() and not fars.exists():
        sys.exit(f"The shared corpus is not at {SHARED}; nothing to convert.")
    if ir.exists():
        with ir.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle):
                obj = json.loads(line)
                if not obj.get("title") or not obj.get("body"):
                    continue
                published = (obj.get("published_at") or "").replace(" ", "T")
                yield {
                    "title": obj["title"],
                    "lead": obj.get("summary") or "",
                    "body": obj["body"],
                    "tags": [t for t in obj.get("tags") or [] if isinstance(t, str)][:8],
                    "published_at": f"{published}+03:30" if published else None,
                    "source_id": f"ir-news-{obj.get('agency', '')}-{n}",
                }
    if fars.exists():
        with fars.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle):
                obj = json.loads(line)
                if not obj.get("title"):
                    continue
                yield {
                    "title": obj["title"],
                    "lead": obj.get("abstract") or "",
                    "body": "\n\n".join(obj.get("paragraphs") or []),
                    "tags": [t for t in obj.get("tags") or [] if isinstance(t, str)][:8],
                    "published_at": None,
                    "source_id": f"fars-news-{n}",
                }


def convert(out: Path) -> None:
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for article in shared_articles():
            article = {k: v for k, v in article.items() if v}
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
            count += 1
    print(f"wrote {count} articles to {out} (import with: ravabet import-news {out} --office SLUG)")


def _setup() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
    import django

    django.setup()


def load(items: int, offices: int, seed: int = 1405) -> None:
    _setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from tqdm import tqdm

    from ravabet.network import services as network
    from ravabet.news import pagecache, services
    from ravabet.news.models import NewsCode, NewsGroup, NewsItem, Tag

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    articles = list(shared_articles())
    titles = [a["title"] for a in articles]
    sentences = [s for a in articles for s in _SENTENCE_RE.split(a["body"]) if 20 < len(s) < 400]
    tag_names = sorted({t for a in articles for t in a["tags"]})[:3000]
    root, _ = network.ensure_office(
        slug="bench", parent=None, kind="directorate", name_fa="روابط عمومی (آزمون بار)"
    )
    office_list = [
        network.ensure_office(
            slug=f"bench-{n:03d}", parent=root, kind="agency", name_fa=f"دستگاه آزمون {n}"
        )[0]
        for n in range(1, offices + 1)
    ]
    groups = list(NewsGroup.objects.all())
    with transaction.atomic():
        tags = services.tags_from_names(tag_names)
    already = NewsItem.objects.filter(office__in=office_list).count()
    todo = max(0, items - already)
    started = time.perf_counter()
    now = timezone.now()
    batch = 2000
    through = NewsItem.tags.through
    progress = tqdm(total=todo, unit="item", desc="news")
    slugs: dict[str, str] = {}
    while todo > 0:
        size = min(batch, todo)
        with transaction.atomic():
            NewsCode.objects.filter(pk=1).update(last=F("last") + size)
            last = NewsCode.objects.values_list("last", flat=True).get(pk=1)
            rows = []
            for code in range(last - size + 1, last + 1):
                title = rng.choice(titles)[:240]
                if title not in slugs:
                    slugs[title] = services.make_slug(title)
                body_sentences = rng.sample(sentences, k=min(len(sentences), rng.randint(4, 12)))
                # Real sentences, already plain text: escaped into paragraphs directly (the
                # sanitiser's own speed is not what this archive is for).
                body = "".join(f"<p>{html.escape(s)}</p>" for s in body_sentences)
                rows.append(
                    NewsItem(
                        code=code,
                        office=rng.choice(office_list),
                        title=title,
                        slug=slugs[title],
                        lead=rng.choice(sentences)[:400],
                        body=body,
                        body_text="\n".join(body_sentences),
                        group=rng.choice(groups),
                        status=NewsItem.Status.PUBLISHED,
                        published_at=now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60)),
                        view_count=rng.randint(0, 5000),
                    )
                )
            created = NewsItem.objects.bulk_create(rows)
            links = [
                through(newsitem_id=item.pk, tag_id=tag.pk)
                for item in created
                for tag in rng.sample(tags, k=min(len(tags), rng.randint(1, 4)))
            ]
            through.objects.bulk_create(links, ignore_conflicts=True)
            pagecache.invalidate()
        todo -= size
        progress.update(size)
    progress.close()
    elapsed = time.perf_counter() - started
    total = NewsItem.objects.filter(office__in=office_list).count()
    print(
        f"archive: {total} items across {len(office_list)} offices, {Tag.objects.count()} tags; "
        f"built from {len(titles)} real titles and {len(sentences)} real sentences of "
        f"../shared/data/news (recombined), {elapsed:.1f} s for {items - already} new items"
    )
    rare_county(root, titles, sentences, rng)


RARE_DISTRICTS = 6
RARE_ITEMS = 40


def rare_county(root, titles: list[str], sentences: list[str], rng: random.Random) -> None:
    """The shapes that made office homes slow at 100,000 items (issue 20), added to the archive:

    - a county (`bench-county`) with six districts that publish rarely (40 items in two years,
      some without a group), so its subtree's items are a needle in the archive's date index;
    - an imported archive without groups: one item in ten of the busy offices loses its group.
    """
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from ravabet.network import services as network
    from ravabet.news import pagecache
    from ravabet.news.models import NewsCode, NewsGroup, NewsItem

    county, _ = network.ensure_office(
        slug="bench-county", parent=root, kind="county", name_fa="فرمانداری آزمون"
    )
    districts = [county] + [
        network.ensure_office(
            slug=f"bench-county-{n}", parent=county, kind="district", name_fa=f"بخشداری آزمون {n}"
        )[0]
        for n in range(1, RARE_DISTRICTS + 1)
    ]
    if NewsItem.objects.filter(office__in=districts).exists():
        return
    groups = list(NewsGroup.objects.all())
    now = timezone.now()
    with transaction.atomic():
        NewsCode.objects.filter(pk=1).update(last=F("last") + RARE_ITEMS)
        last = NewsCode.objects.values_list("last", flat=True).get(pk=1)
        rows = []
        for code in range(last - RARE_ITEMS + 1, last + 1):
            title = rng.choice(titles)[:240]
            body = rng.sample(sentences, k=4)
            rows.append(
                NewsItem(
                    code=code,
                    office=rng.choice(districts),
                    title=title,
                    slug=f"rare-{code}",
                    lead=body[0][:400],
                    body="".join(f"<p>{html.escape(s)}</p>" for s in body),
                    body_text="\n".join(body),
                    group=rng.choice([*groups, None]),
                    status=NewsItem.Status.PUBLISHED,
                    published_at=now - timedelta(minutes=rng.randint(60, 2 * 365 * 24 * 60)),
                    view_count=rng.randint(0, 500),
                )
            )
        NewsItem.objects.bulk_create(rows)
        busy = NewsItem.objects.filter(office__slug__startswith="bench-0", code__endswith="7")
        ungrouped = busy.update(group=None)
        pagecache.invalidate()
    print(
        f"rare county: {RARE_ITEMS} items over {len(districts)} offices (bench-county); "
        f"{ungrouped} busy items made group-less (an imported archive)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    conv = sub.add_parser("convert")
    conv.add_argument("out", type=Path)
    ld = sub.add_parser("load")
    ld.add_argument("--items", type=int, default=100_000)
    ld.add_argument("--offices", type=int, default=50)
    args = parser.parse_args()
    if args.command == "convert":
        convert(args.out)
    else:
        load(args.items, args.offices)


if __name__ == "__main__":
    main()
