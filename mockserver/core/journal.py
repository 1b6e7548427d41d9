"""The request journal: the last N vendor requests, newest last, for tests to inspect.

A bounded list in the store, so the journal of a shared sandbox shows every process's requests.
Recording is on every request's path, so it keeps the raw values; `time` (Unix seconds on the
sandbox clock) is written as ISO-8601 only when the journal is read.
"""
from __future__ import annotations

from datetime import datetime, timezone

from .clock import iso_z


class Journal:
    LIST = "journal"

    def __init__(self, store, size: int = 1000):
        self._store = store
        self._size = max(1, int(size))

    def record(self, entry: dict) -> None:
        self._store.append(self.LIST, entry, self._size)

    def entries(self, vendor: str | None = None, limit: int | None = None) -> list[dict]:
        last = limit if limit and vendor is None else None
        items = [e for e in self._store.items(self.LIST, last)
                 if vendor is None or e.get("vendor") == vendor]
        items = items[-limit:] if limit else items
        return [{**e, "time": iso_z(datetime.fromtimestamp(e["time"], timezone.utc))}
                for e in items]

    def clear(self) -> None:
        self._store.clear_list(self.LIST)
