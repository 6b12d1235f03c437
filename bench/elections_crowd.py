"""Voters posting their ballots at the same instant against the real server (two processes).

    .venv/bin/python bench/elections_crowd.py                 # SQLite, 200 voters
    .venv/bin/python bench/elections_crowd.py --voters 500
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/elections_crowd.py

Sets up an in-room election on a fresh database (PostgreSQL: a database of its own,
`ravabet_elections_crowd`, dropped and created), hands out one code per voter, lets every voter
read the code page and then post at once (a thread barrier), and prints the statuses, the
ballots, receipts and roll marks stored, and the wall time of the wave. The load average is
printed too: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--restart", action="store_true", help="restart the server midway")
    args = parser.parse_args()
    from ravabet.elections.tests.crowd import fresh_postgres_database, run_crowd

    url = os.environ.get("DATABASE_URL", "")
    database_url = fresh_postgres_database(url, "ravabet_elections_crowd") if url else ""
    report = run_crowd(args.voters, database_url=database_url, restart=args.restart)
    load = os.getloadavg()[0]
    print(
        "| database | voters | HTTP statuses | ballots | receipts | roll marked | codes used "
        "| wave s | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    statuses = ", ".join(f"{k}×{v}" for k, v in sorted(report.statuses.items()))
    s = report.stored
    print(
        f"| {report.database} | {report.voters} | {statuses} | {s['ballots']} | {s['receipts']} "
        f"| {s['voted']} | {s['codes_used']} | {report.seconds:.1f} | {load:.1f} |"
    )


if __name__ == "__main__":
    main()
