"""Lighthouse (mobile profile) on every page type marked `lighthouse=True` in tests/e2e/pages.py.

    .venv/bin/python -m tests.e2e.lighthouse --min 90

Starts the real server (fresh SQLite database with the demo, 2 workers, production static
files), runs npm's `lighthouse` with Debian's Chromium (CHROME_PATH, default /usr/bin/chromium),
prints one table of the performance, accessibility, best-practices and SEO scores, keeps each
report under test-output/lighthouse/, and exits 1 when any score is below --min. A run that
fails in Chromium (e.g. NO_NAVSTART on a loaded machine) is tried once more.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from ravabet.liveserver import LiveServer

from .pages import PAGES

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
OUTPUT = ROOT / "test-output" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def run_lighthouse(url: str, report: Path) -> dict[str, int]:
    """The four category scores (0–100) of one Lighthouse run; RuntimeError when it failed."""
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    done = subprocess.run(
        [
            "node", str(LIGHTHOUSE), url,
            "--output=json", f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage",
            "--quiet",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    if done.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse exited {done.returncode}: {done.stderr[-2000:]}")
    result = json.loads(report.read_text())
    if result.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {result['runtimeError'].get('code')}")
    scores = {}
    for name in CATEGORIES:
        score = result["categories"][name]["score"]
        if score is None:
            raise RuntimeError(f"lighthouse gave no {name} score")
        scores[name] = round(score * 100)
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min", type=int, default=90, help="fail below this score")
    args = parser.parse_args()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    rows = []
    with LiveServer.start(demo=True, workers=2) as server:
        for page_type in (p for p in PAGES if p.lighthouse and not p.staff):
            url = server.url(page_type.resolve(server))
            report = OUTPUT / f"{page_type.name}.json"
            try:
                scores = run_lighthouse(url, report)
            except RuntimeError as first:
                print(f"{page_type.name}: {first}; trying once more", file=sys.stderr)
                scores = run_lighthouse(url, report)
            rows.append((page_type.name, page_type.resolve(server), scores))
    print("| page | path | performance | accessibility | best practices | SEO |")
    print("|---|---|---|---|---|---|")
    failed = []
    for name, path, scores in rows:
        print(f"| {name} | `{path}` | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |")
        failed += [f"{name} {c} {scores[c]}" for c in CATEGORIES if scores[c] < args.min]
    if failed:
        print(f"Below {args.min}: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
