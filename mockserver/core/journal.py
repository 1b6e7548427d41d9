"""The request journal: the last N vendor requests, newest last, for tests to inspect.

Recording is on every request's path, so it keeps the raw values; `time` (Unix seconds on the
sandbox clock) is written as ISO-8601 only when the journal is read.
"""
from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timezone

from .clock import iso_z


class Journal:
    def __init__(self, size: int = 1000):
        self._entries: deque[dict] = deque(maxlen=max(1, int(size)))
        self._lock = threading.Lock()
        self._counter = 0

    def record(self, entry: dict) -> None:
        with self._lock:
            self._counter += 1
            self._entries.append({"seq": self._counter, **entry})

    def entries(self, vendor: str | None = None, limit: int | None = None) -> list[dict]:
        items = [e for e in list(self._entries) if vendor is None or e.get("vendor") == vendor]
        items = items[-limit:] if limit else items
        return [{**e, "time": iso_z(datetime.fromtimestamp(e["time"], timezone.utc))}
                for e in items]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
