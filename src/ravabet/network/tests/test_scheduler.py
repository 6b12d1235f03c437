"""Periodic jobs run once per window across every scheduler, one node at a time (issue 19)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from ravabet.network import scheduler

RUNS: list[str] = []
JOB = "ravabet.network.tests.test_scheduler.record_run"


def record_run() -> None:
    RUNS.append(threading.current_thread().name)


@pytest.fixture(autouse=True)
def _clear_runs():
    RUNS.clear()
    yield
    RUNS.clear()


def _run_concurrently(count: int, target) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def body(index: int) -> None:
        try:
            barrier.wait()
            results[index] = target()
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=body, args=(i,), name=f"node{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)  # generous: a loaded machine is slow, never wrong
        assert not thread.is_alive()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_at_the_same_moment_run_one_tick():
    now = 1_800_000_000.0
    results = _run_concurrently(2, lambda: scheduler.run_if_due(JOB, 300, now))
    assert sorted(results) == [False, True]
    assert len(RUNS) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_tick_per_window_over_several_windows():
    start = 1_800_000_000.0
    for window in range(4):
        for offset in (0.0, 1.5, 299.0):  # three schedulers asking within the same window
            scheduler.run_if_due(JOB, 300, start + window * 300 + offset)
    assert len(RUNS) == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_still_running_elsewhere_is_not_started_beside_itself():
    now = 1_800_000_000.0
    with scheduler.job_lock(JOB) as held:
        assert held
        # The next window comes while the run holds the job: another node's scheduler skips it.
        results = _run_concurrently(1, lambda: scheduler.run_if_due(JOB, 300, now + 300))
        assert results == [False]
    assert RUNS == []
    # Given back: the following window runs.
    assert scheduler.run_if_due(JOB, 300, now + 600)
    assert len(RUNS) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_job_does_not_stop_the_loop(settings):
    settings.RAVABET_SCHEDULE = {"ravabet.network.tests.test_scheduler.no_such_job": 1, JOB: 1}
    reports: list[str] = []
    rounds = iter(range(3))
    scheduler.loop(lambda: next(rounds, None) is None, report=reports.append)
    assert reports and "no_such_job" in reports[0]
    assert len(RUNS) >= 1
