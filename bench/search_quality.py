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

Issue 12's classes, built from *other* phrases of the same articles (windows the classes
above do not use), each rewritten the way readers and pasted text really differ:

  ezafe            «ی» after a word in «ه», apart or after ZWNJ (قطعه ی نخست, دانشگاه‌ی ...)
  enclitic         «ی»/«ش» glued to a word in «ه» (تجربهی, قهوهش)
  typo             one letter of a content word deleted, doubled, swapped or replaced
  presentation     the phrase in Arabic presentation forms, as pasted from a PDF
  heh/hamza yeh    «ه» written «ھ» (U+06BE), «ئ» written «ی» (رئیس → رییس)
  glued digits     a number glued to the next word (۹ کیلومتر → ۹کیلومتر)
  plural an/at     a plural in «ان»/«ات» made singular, or a singular made plural, when
                   the pair is a real derivation (`derived_pair`: both are words of the
                   corpus, the longer one is not a look-alike such as ایران/ایر) (کارگران ↔ کارگر)
  adjectival yeh   «ی» removed from or added to a word, under the same rule (کشوری ↔ کشور)

A typo query counts as found when the article is among the first 10 results of the page
as shown: the exact results, or those of the fuzzy fallback, which the page shows first
with its suggestion.

Recall@10 = share of queries whose source article is among the first 10 results.
"Ravabet" is `ravabet.search` on SQLite (the embedded default) through
`selectors.search`; the baseline is an SQLite FTS5 table with the default `unicode61`
tokenizer over the same titles and bodies, queried with the words of the phrase quoted
and ANDed (what a developer gets for free).

Reproduce (figures in docs/performance.md):
    .venv/bin/python bench/search_quality.py                   # 300 articles, quick
    .venv/bin/python bench/search_quality.py --articles 500    # the figures
    .venv/bin/python bench/search_quality.py --articles 200 --backend postgresql
(PostgreSQL: the database of --pg-url is dropped and created.)
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
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
NEW_CLASSES = (
    "ezafe",
    "enclitic",
    "typo",
    "presentation",
    "heh/hamza yeh",
    "glued digits",
    "plural an/at",
    "adjectival yeh",
)
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/ravabet_search_quality"
_FA_WORD = re.compile(r"[\u0621-\u064a\u067e-\u06d3]+")
_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_DIGIT = re.compile(r"^[0-9۰-۹٠-٩]+$")


def _presentation_forms() -> dict[str, dict[str, str]]:
    """letter → {"isolated"|"final"|"initial"|"medial": presentation form}, from the
    Unicode compatibility decompositions (what a PDF's text layer holds)."""
    forms: dict[str, dict[str, str]] = defaultdict(dict)
    for code in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFEFF)):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and parts[0] in ("<isolated>", "<final>", "<initial>", "<medial>"):
            forms[chr(int(parts[1], 16))].setdefault(parts[0][1:-1], chr(code))
    return forms


_FORMS = _presentation_forms()


def shape(text: str) -> str:
    """``text`` in contextual presentation forms (ZWNJ and spaces break the joining)."""
    out = []
    for i, char in enumerate(text):
        forms = _FORMS.get(char)
        if not forms:
            out.append(char)
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        joins_before = "initial" in _FORMS.get(before, {})  # the letter before joins on
        joins_after = "initial" in forms and after in _FORMS
        if joins_before and joins_after:
            form = forms.get("medial")
        elif joins_before:
            form = forms.get("final")
        elif joins_after:
            form = forms.get("initial")
        else:
            form = forms.get("isolated")
        out.append(form or char)
    return "".join(out)


def typo(word: str, rng: random.Random) -> str:
    """One edit inside ``word`` (never its first letter): delete, double, swap, replace."""
    i = rng.randrange(1, len(word))
    kind = rng.choice(["delete", "double", "swap", "replace"])
    if kind == "delete":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap" and i + 1 < len(word) and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    other = rng.choice([c for c in _LETTERS if c != word[i]])
    return word[:i] + other + word[i + 1 :]


# Words of the corpus that end like a plural in «ان»/«ات» or an adjective in «ی» but are not
# derived from the shorter word: places and names (ایران/ایر, سپاهان/سپاه, پزشکیان, رئیسی),
# homographs (کردی "Kurdish" / کرد "did", ماهی "fish", بازی "game" / باز "open"), pronoun
# endings (خودشان = خود + شان) and lexicalised words (پایان, دوران, میزان, عملیات, مطالبات is
# the plural of مطالبه). Chosen by reading the most frequent pairs the benchmark formed on 500
# articles, not by whether search finds them; see docs/search.md, "Quality, measured".
_NOT_DERIVED = frozenset(
    """
    پایان دوران سپاهان ایران برایان استان میزان زندان مالیات عملیات طلبان حملات مجازات آبادان
    خواهان چندان فارسان بیانات موجبات مناسبات مقدمات نمایان مسلمان پزشکیان خصوصیات واقعیات
    مطالبات مقررات مشخصات هایشان برایشان خودشان خودمان کشورشان
    کردی بینی بازی ماهی جانی نشانی وقتی رئیسی محمدی بیماری خودی عمومی پیشی باری توانی نامی
    """.split()
)
# A "derived" form this many times more frequent than its base is an independent word that
# happens to contain it (ایران 788 / ایر 5, عمومی 119 / عموم 13).
_MAX_DERIVED_RATIO = 8


def derived_pair(base: str, derived: str, vocabulary: Counter) -> bool:
    """Whether `derived` is a real derived form of `base` for the two derivation classes.

    Both must be words of the corpus on their own (three times or more), the derived form
    must not be an independent word that only looks derived (`_NOT_DERIVED`), nor far more
    frequent than its base.
    """
    return (
        derived not in _NOT_DERIVED
        and vocabulary[base] >= 3
        and vocabulary[derived] >= 3
        and vocabulary[derived] <= _MAX_DERIVED_RATIO * vocabulary[base]
    )


def new_variant(kind: str, words: list[str], rng: random.Random, vocabulary: Counter) -> str | None:
    """Issue 12's classes (see the module docstring); None if the phrase has no place."""
    from ravabet.search.analysis import STOP_WORDS

    def replace(i: int, new: str) -> str:
        return " ".join([*words[:i], new, *words[i + 1 :]])

    persian = [
        i
        for i, w in enumerate(words)
        if _FA_WORD.fullmatch(w) and len(w) >= 3 and w not in STOP_WORDS
    ]
    if kind == "ezafe":
        for i in persian:
            # Not before a suffix written apart (دستگاه ها, تازه ترین): no ezafe there.
            if (
                i + 1 < len(words)
                and words[i].endswith("ه")
                and len(words[i]) >= 4
                and words[i + 1] not in ("ها", "های", "هایی", "تر", "ترین")
            ):
                return replace(i, words[i] + rng.choice([ZWNJ + "ی", " ی"]))
        return None
    if kind == "enclitic":
        for i in persian:
            if words[i].endswith("ه") and len(words[i]) >= 4:
                return replace(i, words[i] + rng.choice(["ی", "ش"]))
        return None
    if kind == "typo":
        long = [i for i in persian if len(words[i]) >= 5]
        if not long:
            return None
        i = rng.choice(long)
        return replace(i, typo(words[i], rng))
    if kind == "presentation":
        phrase = " ".join(words)
        shaped = shape(phrase)
        return shaped if shaped != phrase else None
    if kind == "heh/hamza yeh":
        phrase = " ".join(words)
        if "ئ" in phrase:
            return phrase.replace("ئ", "ی")
        if "ه" in phrase:
            return phrase.replace("ه", "\u06be")
        return None
    if kind == "glued digits":
        for i in range(len(words) - 1):
            if _DIGIT.match(words[i]) and _FA_WORD.fullmatch(words[i + 1]):
                return " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])
        return None
    if kind == "plural an/at":
        for i in persian:
            w = words[i]
            if len(w) >= 5 and w.endswith(("ان", "ات")) and derived_pair(w[:-2], w, vocabulary):
                return replace(i, w[:-2])
        for i in persian:
            w = words[i]
            for suffix in ("ان", "ات"):
                if len(w) >= 4 and derived_pair(w, w + suffix, vocabulary):
                    return replace(i, w + suffix)
        return None
    if kind == "adjectival yeh":
        for i in persian:
            w = words[i]
            if len(w) >= 4 and w.endswith("ی") and derived_pair(w[:-1], w, vocabulary):
                return replace(i, w[:-1])
        for i in persian:
            w = words[i]
            if len(w) >= 3 and not w.endswith("ی") and derived_pair(w, w + "ی", vocabulary):
                return replace(i, w + "ی")
        return None
    raise ValueError(kind)


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
    articles: list[dict], rng: random.Random, occurrences, vocabulary: Counter
) -> list[tuple[str, str, str]]:
    """(class, query, article id) triples.

    A phrase is used only if it has at least two content words (not stop words) and, as
    written, occurs in its own article only: a known-item test, where one right answer
    exists. The new classes take phrases the original classes did not use (a separate
    random stream over the windows, skipping every window already taken).
    """
    from ravabet.search.analysis import STOP_WORDS, terms

    out = []
    new_rng = random.Random(1212)
    for article in articles:
        tokens = _TOKEN.findall(article["text"])
        windows = [tokens[i : i + 3] for i in range(0, max(0, len(tokens) - 2))]
        rng.shuffle(windows)
        used: set[tuple[str, ...]] = set()
        for kind in CLASSES:
            for words in windows[:400]:
                content = [t for t in terms(" ".join(words)) if t not in STOP_WORDS]
                if len(content) < 2:
                    continue
                query = variant(kind, words, rng)
                if query and occurrences(words) == 1:
                    out.append((kind, query, article["id"]))
                    used.add(tuple(words))
                    break
        fresh = [w for w in windows if tuple(w) not in used]
        new_rng.shuffle(fresh)
        for kind in NEW_CLASSES:
            for words in fresh[:600]:
                if tuple(words) in used:
                    continue
                content = [t for t in terms(" ".join(words)) if t not in STOP_WORDS]
                if len(content) < 2:
                    continue
                query = new_variant(kind, words, new_rng, vocabulary)
                if query and occurrences(words) == 1:
                    out.append((kind, query, article["id"]))
                    used.add(tuple(words))
                    break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="articles indexed and sampled")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="dropped and created")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated classes to measure (the queries are built as for all, so the "
        "figures equal the full run's for these classes)",
    )
    parser.add_argument("--misses", default="", help="write every missed query to this file")
    args = parser.parse_args()
    only = {c.strip() for c in args.only.split(",") if c.strip()}

    tmp = tempfile.TemporaryDirectory()
    if args.backend == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'quality.sqlite3'}"
    else:
        import psycopg

        name = args.pg_url.rsplit("/", 1)[1]
        admin = args.pg_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = args.pg_url
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

    vocabulary = Counter(w for a in corpus for w in _FA_WORD.findall(a["text"].replace(ZWNJ, " ")))
    queries = build_queries(corpus, rng, occurrences, vocabulary)
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # ravabet, baseline, n
    misses: dict[str, list[str]] = defaultdict(list)
    if only:
        queries = [q for q in queries if q[0] in only]
    for kind, query, article_id in queries:
        page = selectors.search(query, per_page=10)
        hit = article_id in {r.key for r in page.results}
        found[kind][0] += hit
        found[kind][1] += article_id in baseline_top10(query)
        found[kind][2] += 1
        if not hit:
            misses[kind].append(query)

    print(
        f"Search quality ({args.backend}): recall@10 over {len(corpus):,} real news articles, "
        f"{len(queries):,} queries"
    )
    print(f"{'class':16}{'queries':>9}{'Ravabet':>10}{'FTS5 unicode61':>16}{'ratio':>8}")
    for kind in CLASSES + NEW_CLASSES:
        ravabet, base, n = found[kind]
        if not n:
            continue
        ratio = f"{(ravabet / base):.2f}x" if base else "—"
        print(f"{kind:16}{n:>9}{ravabet / n:>10.3f}{base / n:>16.3f}{ratio:>8}")
    print("ratio = Ravabet / baseline. Some misses per class:")
    for kind in CLASSES + NEW_CLASSES:
        if misses[kind]:
            print(f"  {kind}: " + " | ".join(misses[kind][:6]))
    if args.misses:
        Path(args.misses).write_text(
            "".join(f"{kind}\t{query}\n" for kind in misses for query in misses[kind]),
            encoding="utf-8",
        )
    tmp.cleanup()


if __name__ == "__main__":
    main()
