"""Precision and recall of the comments triage, per policy reason, against a simpler baseline;
the insult flag on its own labelled set; wrong flags on the shared news corpus; triage time.

Reproduce:  .venv/bin/python bench/comments_triage.py        (add -v to list disagreements,
            --no-corpus to skip the news corpus, which takes about a minute)
Data:       bench/data/comments_labelled.jsonl and comments_heldout.jsonl (hand-written and
            hand-labelled, see bench/data/README.md), bench/data/comments_news.json (the news they
            comment on), bench/data/insults_labelled.jsonl (insult or not, written by the project,
            CC0), and every sentence of ../shared/data/news/*.jsonl (read in place).
Baseline:   lexicon only, as a first attempt would do it: the raw Persian-Swear-Words list
            (read in place from ../shared/data/lexicons/persian-swear-words/data.json) matched as
            whole space-separated words without normalisation, "no Arabic-script letter" for
            not Persian, "http"/"www." for spam, "09" + nine ASCII digits for personal data,
            nothing for off-topic.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ravabet.settings")

import django  # noqa: E402

django.setup()

from ravabet.comments import triage  # noqa: E402
from ravabet.comments.policy import Reason  # noqa: E402

DATA = ROOT / "bench" / "data"
RAW_LEXICON = Path(
    os.environ.get(
        "RAVABET_SWEAR_WORDS",
        ROOT.parent / "shared" / "data" / "lexicons" / "persian-swear-words" / "data.json",
    )
)


def load(name: str) -> tuple[list[dict], dict[str, str]]:
    rows = [
        json.loads(line)
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    news = json.loads((DATA / "comments_news.json").read_text(encoding="utf-8"))
    return rows, news


def scores(predicted: list[set[str]], truth: list[set[str]], reason: str) -> tuple[str, str, int]:
    tp = sum(1 for p, t in zip(predicted, truth, strict=True) if reason in p and reason in t)
    fp = sum(1 for p, t in zip(predicted, truth, strict=True) if reason in p and reason not in t)
    fn = sum(1 for p, t in zip(predicted, truth, strict=True) if reason not in p and reason in t)
    precision = f"{tp / (tp + fp):.2f}" if tp + fp else "—"
    recall = f"{tp / (tp + fn):.2f}" if tp + fn else "—"
    return precision, recall, tp + fn


def main() -> None:
    raw = (
        json.loads(RAW_LEXICON.read_text(encoding="utf-8"))["word"] if RAW_LEXICON.exists() else []
    )
    print(f"baseline lexicon: {len(raw)} words from {RAW_LEXICON}")
    # Load the lexicon and compile the patterns before anything is timed.
    triage.triage("گرم کردن پیش از اندازه‌گیری", "خبر")
    timings: list[float] = []
    cpu_started = time.process_time()
    for name, title in (
        ("comments_labelled.jsonl", "development set (the triage was tuned on it)"),
        ("comments_heldout.jsonl", "held-out set (written after tuning, never tuned on)"),
    ):
        print(f"\n== {title}: {name}")
        timings += run(*load(name), raw)
    insult_p, insult_r, insult_n, insult_times = insult_set()
    timings += insult_times
    cpu_ms = (time.process_time() - cpu_started) * 1000 / len(timings)
    corpus = news_corpus() if "--no-corpus" not in sys.argv else None
    summary(insult_p, insult_r, insult_n, corpus, timings, cpu_ms)


def insult_set() -> tuple[float, float, int, list[float]]:
    """Precision and recall of the insult flag on bench/data/insults_labelled.jsonl."""
    rows = [
        json.loads(line)
        for line in (DATA / "insults_labelled.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    tp = fp = fn = 0
    times: list[float] = []
    for row in rows:
        started = time.perf_counter()
        labels = triage.triage(row["text"])
        times.append((time.perf_counter() - started) * 1000)
        flagged = Reason.INSULT.value in labels
        tp += flagged and row["insult"]
        fp += flagged and not row["insult"]
        fn += (not flagged) and row["insult"]
        if "-v" in sys.argv and flagged != row["insult"]:
            print(f"  insult set: want {row['insult']} got {flagged}: {row['text']}")
    return tp / (tp + fp), tp / (tp + fn), len(rows), times


def news_corpus() -> tuple[int, int, int] | None:
    """(sentences, flagged as insult, at auto-reject level) over the shared news corpus."""
    folder = ROOT.parent / "shared" / "data" / "news"
    files = sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
    if not files:
        print(f"\nnews corpus not found at {folder}: skipped")
        return None
    seen: set[str] = set()
    flagged = auto = 0
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            body = row.get("body") or "\n".join(row.get("paragraphs") or [])
            for sentence in triage.sentences(body):
                if sentence in seen:
                    continue
                seen.add(sentence)
                score = triage.insult_score(sentence)
                flagged += score >= triage.MIN_CONFIDENCE
                auto += score >= triage.AUTO_REJECT_AT
    return len(seen), flagged, auto


def summary(
    precision: float,
    recall: float,
    n: int,
    corpus: tuple[int, int, int] | None,
    timings: list[float],
    cpu_ms: float,
) -> None:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    print("\n== summary (issue 12)")
    print(f"{'measure':<52}{'value':>12}")
    print("-" * 64)
    print(f"{'insult precision (insults_labelled.jsonl, n=' + str(n) + ')':<52}{precision:>12.2f}")
    print(f"{'insult recall':<52}{recall:>12.2f}")
    if corpus:
        sentences, flagged, auto = corpus
        print(f"{'news sentences (shared corpus, distinct)':<52}{sentences:>12,}")
        print(f"{'  flagged as insult':<52}{f'{flagged} ({flagged / sentences:.2%})':>12}")
        print(f"{'  at auto-reject level (>= 0.95)':<52}{auto:>12}")
    label = f"triage time per comment, median (n={len(ordered)})"
    print(f"{label:<52}{statistics.median(ordered):>9.2f} ms")
    print(f"{'triage time per comment, p95':<52}{p95:>9.2f} ms")
    print(f"{'CPU time per comment, mean (bench run, baseline incl.)':<52}{cpu_ms:>9.2f} ms")
    print("\nreproduce: .venv/bin/python bench/comments_triage.py")


def run(rows: list[dict], news: dict[str, str], raw: list[str]) -> list[float]:
    truth = [set(row["labels"]) for row in rows]
    ours: list[set[str]] = []
    times: list[float] = []
    for row in rows:
        started = time.perf_counter()
        ours.append(set(triage.triage(row["text"], news[row["news"]])))
        times.append((time.perf_counter() - started) * 1000)
    elapsed = sum(times) / len(rows)
    base = [set(triage.baseline(row["text"], raw)) for row in rows]
    print(f"{len(rows)} labelled comments")
    print(f"triage time: {elapsed:.2f} ms per comment\n")
    header = (
        f"{'reason':<15}{'n':>4}  {'triage P':>9}{'triage R':>9}"
        f"  {'baseline P':>11}{'baseline R':>11}"
    )
    print(header)
    print("-" * len(header))
    for reason in Reason.values:
        p, r, n = scores(ours, truth, reason)
        bp, br, _ = scores(base, truth, reason)
        print(f"{reason:<15}{n:>4}  {p:>9}{r:>9}  {bp:>11}{br:>11}")
    exact = sum(1 for p, t in zip(ours, truth, strict=True) if p == t)
    exact_base = sum(1 for p, t in zip(base, truth, strict=True) if p == t)
    print(
        f"\nexactly right label sets: triage {exact}/{len(rows)}, baseline {exact_base}/{len(rows)}"
    )
    if "-v" in sys.argv:
        for row, p, t in zip(rows, ours, truth, strict=True):
            if p != t:
                print(f"  want {sorted(t)} got {sorted(p)}: {row['text']}")
    return times


if __name__ == "__main__":
    main()
