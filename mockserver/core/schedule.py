"""Work due at sandbox-clock times (webhook retries; later scheduled campaigns), run by one
background worker per process.

A job is a callable `run_due(now) -> None` given the sandbox clock's timestamp; it does whatever
is due by then (the due times live in the store, shared by every process) and claims each piece
of work in the store before doing it, so that several processes polling one store do each piece
once. The worker never sleeps on the sandbox clock: it waits in real time, at most `POLL` seconds,
and is woken at once by `wake()` — after a commit that created work, and after the clock was
moved through the control API — so advancing the clock runs due work promptly, and a process
that did not see the move notices it within `POLL`.

The worker is a daemon thread (a greenlet where gevent patched threading, as under the server's
gevent workers), started on the first `wake()` in each process, and only when a job is
registered: a sandbox with no time-driven work runs no worker. `run_due()` runs every job once
in the caller's thread (tests that want no background work call it directly).
"""
from __future__ import annotations

import logging
import os
import threading
from typing import Callable

log = logging.getLogger("mockserver")

Job = Callable[[float], None]


class Scheduler:
    POLL = 0.5  # real seconds between looks at the store when nothing woke the worker

    def __init__(self, clock):
        self._clock = clock
        self._jobs: dict[str, Job] = {}
        self._pid: int | None = None
        self._event: threading.Event | None = None
        self._stopped = False
        self._start_lock = threading.Lock()

    def add(self, name: str, job: Job) -> None:
        self._jobs[name] = job

    @property
    def jobs(self) -> list[str]:
        return list(self._jobs)

    def run_due(self) -> None:
        """Every job, once, for the clock's present instant; a job's failure is logged, and so
        is a clock that cannot be read (a shared store out of reach): the next look tries again."""
        try:
            now = self._clock.timestamp()
        except Exception:
            log.exception("the scheduler could not read the sandbox clock")
            return
        for name, job in list(self._jobs.items()):
            try:
                job(now)
            except Exception:  # the worker must outlive a bug in one job
                log.exception("scheduled job %s failed", name)

    def wake(self) -> None:
        """Look for due work now (starting this process's worker on first use)."""
        if not self._jobs or self._stopped:
            return
        self._ensure_started()
        self._event.set()

    def stop(self) -> None:
        self._stopped = True
        if self._event is not None:
            self._event.set()

    def _ensure_started(self) -> None:
        # A forked worker process inherits the object but not the thread: start its own.
        if self._pid == os.getpid():
            return
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._event = threading.Event()
            self._pid = os.getpid()
            threading.Thread(target=self._loop, args=(self._event,), name="sandbox-schedule",
                             daemon=True).start()

    def _loop(self, event: threading.Event) -> None:
        while not self._stopped:
            event.wait(self.POLL)
            event.clear()
            if self._stopped:
                return
            self.run_due()
