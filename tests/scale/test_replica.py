"""Replica reads with replication paused on purpose: no client reads a stale page after a write.

A real primary and streaming replica (Debian's PostgreSQL binaries, pg_basebackup; started by
ravabet.ops.pgcluster on free loopback ports in a folder of their own, never the shared
server). Skipped where the binaries are missing, except under CI (CI=true), where that fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ravabet.conftest import missing
from ravabet.liveserver import free_port, ravabet, server_env
from ravabet.ops import pgcluster

CHECKOUT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cluster():
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip(
            "runs in the SQLite suite: it starts its own PostgreSQL whatever the suite uses"
        )
    if pgcluster.bin_dir() is None:
        missing("PostgreSQL's server binaries are missing: apt install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="ravabet-replica-test-"))
    started = pgcluster.Cluster(folder, free_port(), free_port())
    try:
        started.start()
        yield started
    finally:
        started.stop(remove=True)


def test_no_stale_read_after_a_write_while_replication_is_paused(cluster, tmp_path):
    env = server_env(
        tmp_path,
        {
            "DATABASE_URL": cluster.primary_url,
            "RAVABET_REPLICA_URL": cluster.replica_url,
            "RAVABET_DEBUG": "1",  # templates' static links without collectstatic
            "RAVABET_PIN_SECONDS": "600",
        },
    )
    ravabet("migrate", "--no-input", "-v", "0", env=env)
    done = subprocess.run(
        [sys.executable, "-m", "tests.scale.replica_probe", str(cluster.folder)],
        env=env, cwd=CHECKOUT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    # Caught up, a public list is read from the replica: the replica is really used.
    assert seen["caught_up"] == [200, "replica"]
    # Replay paused; the citizen sends a demand and is pinned to the primary by a cookie.
    assert seen["sent"] == [302, True]
    assert seen["writer_reads"] == [200, "primary"]
    # A stranger is not pinned, but the replica is behind the primary: the primary answers.
    assert seen["stranger_reads"] == [200, "primary"]
    # Without that check the stranger would have read the stale replica (the demand "does not
    # exist"); the pinned writer would still be safe.
    assert seen["stranger_unguarded"] == [404, "replica"]
    assert seen["writer_unguarded"] == [200, "primary"]
    assert seen["in_transaction_db"] == "default"
    # Replay resumed and caught up: the replica serves again, and has the demand.
    assert seen["stranger_after_resume"] == [200, "replica"]
    # The replica stopped: reads go to the primary, no error.
    assert seen["replica_stopped"] == [200, "primary"]
