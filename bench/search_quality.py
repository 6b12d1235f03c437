"""Search quality: recall@10 per spelling-variant class, Ravabet vs a plain FTS5 index.

Evaluation set, built from the real news corpus in ../shared/data/news/: for each sampled
article, three consecutive words of its body are taken for each class whose feature they
contain and rewritten in that class's variant spelling:

  exact            the phrase as written (control)
  zwnj dropped     ZWNJ removed (روابط‌عمومی → روابطعمومی)
  zwnj spaced      ZWNJ written as a space (روابط عمومی)
  arabic letters   ی ↔ ي and ک ↔ ك swapped
  other digits     digits in another script (۲۷ → ٢٧, 27 → ۲۷, ٢٧ → 27)
  plural           a plural suffix removed (خبرها → خبر) or added (خبر → خبرها)
  verb prefix      می‌/نمی‌ written with a space or glued (می‌شود → می شود / میشود)

Recall@10 = share of queries whose source article is among the first 10 results.
"Ravabet" is `ravabet.search` on SQLite (the embedded default) through
`selectors.search`; the baseline is an SQLite FTS5 table with the default `unicode61`
tokenizer over the same titles and bodies, queried with the words of the phrase quoted
and ANDed (what a developer gets for free).

Reproduce (figures in docs/performance.md):
    .venv/bin/python bench/search_quality.py                   # 300 articles, quick
    .venv/bin/python bench/search_quality.py --articles 6000   # the figures
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

ZWNJ = "\u200c"
_TOKEN = re.compile(r"[\w\u200c]+")
_ARABIC_SWAP = str.maketrans({"ی": "ي", "ي": "ی", "ک": "ك", "ك": "ک"})
_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_DIGIT_SWAP = str.maketrans(
    _PERSIAN_DIGITS + "0123456789" + _ARABIC_DIGITS,
    _ARABIC_DIGITS + _PERSIAN_DIGITS + "0123456789",
)
_PLURAL_RE = re.compile(r"^([\u0600-\u06ff]{3,}?)\u200c?(ها|های)$")
_VERB_RE = re.compile(r"^(ن?می)\u200c([\u0600-\u06ff]{2,})$")
CLASSES = (
    "exact",
    "zwnj dropped",
    "zwnj spaced",
    "arabic letters",
    "other digits",
    "plural",
    "verb prefix",
)


def variant(kind: str, words: list[str], rng: random.Random) -> str | None:
    phrase = " ".join(words)
    if kind == "exact":
        return phrase
    if kind == "zwnj dropped":
        return phrase.replace(ZWNJ, "") if ZWNJ in phrase else None
    if kind == "zwnj spaced":
        return phrase.replace(ZWNJ, " ") if ZWNJ in phrase else None
    if kind == "arabic letters":
        swapped = phrase.translate(_ARABIC_SWAP)
        return swapped if swapped != phrase else None
    if kind == "other digits":
        swapped = phrase.translate(_DIGIT_SWAP)
        return swapped if swapped != phrase else None
    if kind == "plural":
        for i, word in enumerate(words):
            match = _PLURAL_RE.match(word)
            if match:
                return " ".join([*words[:i], match.group(1), *words[i + 1 :]])
        for i, word in enumerate(words):
            if re.fullmatch(r"[\u0600-\u06ff]{4,}", word) and not word.endswith(("ی", "ه")):
                return " ".join([*words[:i], word + ZWNJ + "ها", *words[i + 1 :]])
        return None
    if kind == "verb prefix":
        for i, word in enumerate(words):
            match = _VERB_RE.match(word)
            if match:
                glue = rng.choice([" ", ""])
                return " ".join(
                    [*words[:i], match.group(1) + glue + match.group(2), *words[i + 1 :]]
                )
        return None
    raise ValueError(kind)


def build_queries(
    articles: list[dict], rng: random.Random, occurrences
) -> list[tuple[str, str, str]]:
    """(class, query, article id) triples.

    A phrase is used only if it has at least two content words (not stop words) and, as
    written, occurs in its own article only: a known-item test, where one right answer
    exists.
    """
    from ravabet.search.analysis import STOP_WORDS, terms

    out = []
    for article in articles:
        tokens = _TOKEN.findall(article["text"])
        windows = [tokens[i : i + 3] for i in range(0, max(0, len(tokens) - 2))]
        rng.shuffle(windows)
        for kind in CLASSES:
            for words in windows[:400]:
                content = [t for t in terms(" ".join(words)) if t not in STOP_WORDS]
                if len(content) < 2:
                    continue
                query = variant(kind, words, rng)
                if query and occurrences(words) == 1:
                    out.append((kind, query, article["id"]))
                    break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="articles indexed and sampled")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'quality.sqlite3'}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")
    import django

    django.setup()
    from _corpus import articles as load_articles
    from django.core.management import call_command

    from ravabet.network.models import Office
    from ravabet.search import selectors, services

    call_command("migrate", verbosity=0)
    rng = random.Random(1405)
    corpus = load_articles()
    rng.shuffle(corpus)
    corpus = corpus[: args.articles]
    office = Office.objects.create(slug="bench", kind="agency", name_fa="دفتر")

    for start in range(0, len(corpus), 1000):
        services.index_documents(
            services.IndexableDocument(
                source="bench",
                key=a["id"],
                office_id=office.pk,
                title=a["title"],
                text=a["text"],
                url=f"/news/{a['id']}/",
            )
            for a in corpus[start : start + 1000]
        )

    baseline = sqlite3.connect(":memory:")
    baseline.execute("CREATE VIRTUAL TABLE base USING fts5(id UNINDEXED, title, body)")
    baseline.executemany(
        "INSERT INTO base (id, title, body) VALUES (?, ?, ?)",
        [(a["id"], a["title"], a["text"]) for a in corpus],
    )

    def baseline_top10(query: str) -> list[str]:
        words = [w.replace('"', "") for w in query.split()]
        expression = " ".join(f'"{w}"' for w in words if w)
        try:
            rows = baseline.execute(
                "SELECT id FROM base WHERE base MATCH ? ORDER BY rank LIMIT 10", [expression]
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [r[0] for r in rows]

    def occurrences(words: list[str]) -> int:
        phrase = " ".join(w.replace('"', "") for w in words)
        return baseline.execute(
            "SELECT count(*) FROM base WHERE base MATCH ?", [f'"{phrase}"']
        ).fetchone()[0]

    queries = build_queries(corpus, rng, occurrences)
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # ravabet, baseline, n
    misses: dict[str, list[str]] = defaultdict(list)
    for kind, query, article_id in queries:
        page = selectors.search(query, per_page=10)
        hit = article_id in {r.key for r in page.results}
        found[kind][0] += hit
        found[kind][1] += article_id in baseline_top10(query)
        found[kind][2] += 1
        if not hit:
            misses[kind].append(query)

    print(
        f"Search quality: recall@10 over {len(corpus):,} real news articles, "
        f"{len(queries):,} queries"
    )
    print(f"{'class':16}{'queries':>9}{'Ravabet':>10}{'FTS5 unicode61':>16}{'ratio':>8}")
    for kind in CLASSES:
        ravabet, base, n = found[kind]
        if not n:
            continue
        ratio = f"{(ravabet / base):.2f}x" if base else "—"
        print(f"{kind:16}{n:>9}{ravabet / n:>10.3f}{base / n:>16.3f}{ratio:>8}")
    print("ratio = Ravabet / baseline. Some misses per class:")
    for kind in CLASSES:
        if misses[kind]:
            print(f"  {kind}: " + " | ".join(misses[kind][:3]))
    tmp.cleanup()


if __name__ == "__main__":
    main()
