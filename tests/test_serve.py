"""`ravabet serve` keeps its task worker and scheduler alive: a real server, a real kill."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from ravabet.liveserver import LiveServer, descendants


def _children_running(server: LiveServer, command: str) -> list[int]:
    found = []
    for pid in descendants(server.process.pid):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command.encode() in argv:
            found.append(pid)
    return found


def _wait_for(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    return condition()


@pytest.fixture(scope="module")
def server():
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the server under test keeps its own SQLite database: run in the SQLite suite")
    live = LiveServer.prepare(demo=False)
    try:
        live.serve(workers=1, task_worker=True)
        yield live
    finally:
        live.close()


@pytest.mark.parametrize("command", ["db_worker", "scheduler"])
def test_a_killed_background_process_comes_back(server, command):
    first = _wait_for(lambda: _children_running(server, command))
    assert len(first) == 1, f"no {command} under ravabet serve"
    os.kill(first[0], signal.SIGKILL)
    again = _wait_for(lambda: [p for p in _children_running(server, command) if p != first[0]])
    assert len(again) == 1, server.log.read_text()[-2000:]
    assert "restarting it in" in server.log.read_text()
    assert server.process.poll() is None  # the server itself never stopped
