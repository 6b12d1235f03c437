"""200 voters at the same instant against the real server (two processes): exactly 200 ballots
and 200 distinct receipts, no 5xx; on SQLite always, on PostgreSQL when the suite runs on it.
And a restart of the server in the middle of voting loses or doubles nothing."""

from __future__ import annotations

import os

from .crowd import fresh_postgres_database, run_crowd


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return fresh_postgres_database(url, "ravabet_elections_crowd")
    return ""


def test_200_voters_in_the_same_second():
    report = run_crowd(200, database_url=_database_url())
    assert report.statuses == {200: 200}, report.statuses
    assert len(report.receipts) == 200
    assert report.stored == {"ballots": 200, "receipts": 200, "voted": 200, "codes_used": 200}


def test_a_restart_during_voting_loses_and_doubles_nothing():
    report = run_crowd(40, database_url=_database_url(), restart=True)
    assert report.statuses == {200: 40}, report.statuses
    assert report.replays == {409: 10}, report.replays  # codes used before the restart
    assert report.stored == {"ballots": 40, "receipts": 40, "voted": 40, "codes_used": 40}
