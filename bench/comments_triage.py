"""Precision and recall of the comments triage, per policy reason, against a simpler baseline.

Reproduce:  .venv/bin/python bench/comments_triage.py
Data:       bench/data/comments_labelled.jsonl (hand-written and hand-labelled, see
            bench/data/README.md) and bench/data/comments_news.json (the news they comment on).
Baseline:   lexicon only, as a first attempt would do it: the raw Persian-Swear-Words list
            (read in place from ../shared/data/lexicons/persian-swear-words/data.json) matched as
            whole space-separated words without normalisation, "no Arabic-script letter" for
            not Persian, "http"/"www." for spam, "09" + nine ASCII digits for personal data,
            nothing for off-topic.
"""

from __future__ import annotations

import json
import os
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
    for name, title in (
        ("comments_labelled.jsonl", "development set (the triage was tuned on it)"),
        ("comments_heldout.jsonl", "held-out set (written after tuning, never tuned on)"),
    ):
        print(f"\n== {title}: {name}")
        run(*load(name), raw)


def run(rows: list[dict], news: dict[str, str], raw: list[str]) -> None:
    truth = [set(row["labels"]) for row in rows]
    started = time.perf_counter()
    ours = [set(triage.triage(row["text"], news[row["news"]])) for row in rows]
    elapsed = (time.perf_counter() - started) / len(rows) * 1000
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


if __name__ == "__main__":
    main()
