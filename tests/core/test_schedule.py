"""The scheduler (core.schedule): jobs run when woken, on the sandbox clock's time, in one
background worker per process that exists only when there is a job; a failing job is logged."""
from __future__ import annotations

import threading

from mockserver.core.schedule import Scheduler


class FixedClock:
    def __init__(self, now: float):
        self.now = now

    def timestamp(self) -> float:
        return self.now


def _recording(clock):
    """A scheduler with one job that notes the time it was given: (scheduler, times, ran)."""
    scheduler = Scheduler(clock)
    seen, ran = [], threading.Event()

    def job(now):
        seen.append(now)
        ran.set()
    scheduler.add("job", job)
    return scheduler, seen, ran


def test_schedule_runs_jobs_on_the_sandbox_time_when_woken():
    clock = FixedClock(1000.0)
    scheduler, seen, ran = _recording(clock)
    try:
        clock.now = 5000.0
        scheduler.wake()
        assert ran.wait(2), "a woken worker runs its jobs at once"
        assert seen[0] == 5000.0
    finally:
        scheduler.stop()


def test_schedule_without_jobs_starts_no_worker_and_run_due_survives_a_failing_job():
    scheduler = Scheduler(FixedClock(0.0))
    before = threading.active_count()
    scheduler.wake()
    assert threading.active_count() == before
    seen = []

    def broken(now):
        raise RuntimeError("a bug in one job")
    scheduler.add("broken", broken)
    scheduler.add("fine", seen.append)
    scheduler.run_due()
    assert seen == [0.0]


class FlakyClock(FixedClock):
    """A clock whose store is out of reach for its first `failures` reads."""

    def __init__(self, now: float, failures: int):
        super().__init__(now)
        self.failures = failures

    def timestamp(self) -> float:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("the store is out of reach")
        return self.now


def test_the_worker_outlives_a_clock_it_cannot_read():
    """A Redis blip must not end the process's worker: webhook retries and scheduled sends
    would stop until a restart."""
    clock = FlakyClock(7.0, failures=1)
    scheduler, seen, ran = _recording(clock)
    try:
        scheduler.wake()  # the first look fails
        assert not ran.wait(0.2) and clock.failures == 0
        scheduler.wake()  # the next one runs the job
        assert ran.wait(2) and seen == [7.0]
    finally:
        scheduler.stop()
