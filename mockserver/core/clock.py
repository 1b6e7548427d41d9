"""The sandbox clock: the only source of time. Real time plus an offset; settable and freezable.

Rate-limit windows, caches, expiries, seeded dates and "last N days" filters all read this clock,
so a test moves time instead of sleeping.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant; a value without an offset is taken as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def iso_z(moment: datetime) -> str:
    """UTC ISO-8601 with a `Z` and whole seconds, the way most vendors print instants."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Clock:
    def __init__(self, frozen_at: datetime | None = None, wall=time.time):
        self._wall = wall
        self._lock = threading.Lock()
        self._initial = frozen_at
        self._offset = 0.0
        self._frozen_at: float | None = None
        self.reset()

    def reset(self) -> None:
        """Back to the start-up state: real time, or frozen at the configured instant."""
        with self._lock:
            self._offset = 0.0
            self._frozen_at = self._initial.timestamp() if self._initial else None

    def timestamp(self) -> float:
        frozen = self._frozen_at
        return frozen if frozen is not None else self._wall() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), tz=timezone.utc)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward; use 'now' to set it")
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds

    def set(self, moment: datetime) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = moment.timestamp()
            else:
                self._offset = moment.timestamp() - self._wall()

    def freeze(self, frozen: bool) -> None:
        with self._lock:
            if frozen and self._frozen_at is None:
                self._frozen_at = self._wall() + self._offset
            elif not frozen and self._frozen_at is not None:
                self._offset = self._frozen_at - self._wall()
                self._frozen_at = None

    def state(self) -> dict:
        return {"now": iso_z(self.now()), "frozen": self.frozen}
