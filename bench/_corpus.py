"""Shared by the search benchmarks: the real news corpus in ../shared/data/news/."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "news"
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


def articles() -> list[dict]:
    """Every article as {"id", "title", "text", "tags"}; exits with a message without data."""
    if not DATA.is_dir():
        sys.exit(f"news corpus not found at {DATA} (see shared/data/README.md)")
    out = []
    for path in sorted(DATA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle):
                row = json.loads(line)
                text = row.get("body") or "\n".join(
                    [row.get("abstract") or "", *(row.get("paragraphs") or [])]
                )
                title = row.get("title") or ""
                if len(text) < 200 or not title:
                    continue
                out.append(
                    {
                        "id": f"{path.stem}-{n}",
                        "title": title,
                        "text": text,
                        "tags": [t for t in row.get("tags") or [] if isinstance(t, str)],
                    }
                )
    return out


def sentences(items: list[dict]) -> list[str]:
    out = []
    for item in items:
        for sentence in _SENTENCE_END.split(item["text"]):
            sentence = sentence.strip()
            if 40 <= len(sentence) <= 400:
                out.append(sentence)
    return out
