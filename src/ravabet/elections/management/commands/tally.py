"""`ravabet tally FILE`: re-count a downloaded election file and compare with its result.

Reads the JSON an election's page offers (ballots in receipt order, or the tellers' agreed
count for a paper election), counts it with the same rules Ravabet used (`elections.tally`),
applies the recorded lottery for ties, prints the count and exits 0 when it equals the
published result, 1 when it does not, 2 when the file cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ravabet.elections import tally


class Command(BaseCommand):
    help = "Re-count an election's published ballots file and compare it with its result."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the election-N.json downloaded from the ballots page")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
            positions = data["positions"]
            specs = [
                {
                    "id": p["id"],
                    "seats": p["seats"],
                    "method": p["method"],
                    "candidates": [c["id"] for c in p["candidates"]],
                }
                for p in positions
            ]
            tie_rule = data["election"]["tie_rule"]
            draws = data.get("draws") or {}
            ballots = (
                [b["choices"] for b in data["ballots"]] if data.get("ballots") is not None else None
            )
            paper = data.get("paper_count")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"cannot read {options['file']}: {exc}", returncode=2) from exc
        try:
            if ballots is not None:
                mine = tally.full_result(specs, ballots, tie_rule=tie_rule, draws=draws)
            else:
                mine = tally.full_result(specs, None, tie_rule=tie_rule, draws=draws, counts=paper)
        except ValueError as exc:  # an invalid ballot, or a tie with no recorded lottery
            self.stderr.write(f"The count DIFFERS from the published result: {exc}")
            raise SystemExit(1) from exc

        names = {c["id"]: c["name"] for p in positions for c in p["candidates"]}
        self.stdout.write(f"{data['election']['title']}: {mine['ballots']} ballots")
        for p in positions:
            counted = mine["positions"][p["id"]]
            outcome = mine["outcome"][p["id"]]
            self.stdout.write(f"\n{p['name']} ({p['method']}, {p['seats']} seat(s))")
            ranked = sorted(counted["votes"].items(), key=lambda kv: (-kv[1], kv[0]))
            for cid, votes in ranked:
                mark = (
                    " elected"
                    if cid in outcome["elected"]
                    else " run-off"
                    if cid in outcome["runoff"]
                    else ""
                )
                self.stdout.write(f"  {votes:6d}  {names.get(cid, cid)}{mark}")
            self.stdout.write(f"  {counted['blank']:6d}  blank")
        published = data.get("result") or {}
        same = all(mine[key] == published.get(key) for key in ("ballots", "positions", "outcome"))
        if same:
            self.stdout.write("\nThe count equals the published result.")
            return
        self.stderr.write("\nThe count DIFFERS from the published result.")
        raise SystemExit(1)
