"""The sandbox clock: the only source of time. Real time plus an offset; settable and freezable.

Rate-limit windows, caches, expiries, seeded dates and "last N days" filters all read this clock,
so a test moves time instead of sleeping.
"""
from __future__ import annotations

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
    """The clock's state (an offset from real time, or the instant it is frozen at) is a state
    document of the store, so every process of a shared sandbox reads the same time, and a
    move made through one is seen through all."""

    STATE = "clock"

    def __init__(self, store, frozen_at: datetime | None = None, wall=time.time):
        self._store = store
        self._wall = wall
        self._initial = {"offset": 0.0,
                         "frozen_at": frozen_at.timestamp() if frozen_at else None}

    def _doc(self) -> dict:
        return self._store.state(self.STATE) or self._initial

    def reset(self) -> None:
        """Back to the start-up state: real time, or frozen at the configured instant."""
        self._store.update_state(self.STATE, lambda _: dict(self._initial))

    def timestamp(self) -> float:
        doc = self._doc()
        frozen = doc.get("frozen_at")
        return frozen if frozen is not None else self._wall() + doc.get("offset", 0.0)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), tz=timezone.utc)

    @property
    def frozen(self) -> bool:
        return self._doc().get("frozen_at") is not None

    def _change(self, change) -> None:
        self._store.update_state(self.STATE, lambda doc: change(dict(doc or self._initial)))

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward; use 'now' to set it")

        def move(doc):
            if doc.get("frozen_at") is not None:
                doc["frozen_at"] += seconds
            else:
                doc["offset"] = doc.get("offset", 0.0) + seconds
            return doc
        self._change(move)

    def set(self, moment: datetime) -> None:
        def place(doc):
            if doc.get("frozen_at") is not None:
                doc["frozen_at"] = moment.timestamp()
            else:
                doc["offset"] = moment.timestamp() - self._wall()
            return doc
        self._change(place)

    def freeze(self, frozen: bool) -> None:
        def toggle(doc):
            if frozen and doc.get("frozen_at") is None:
                doc["frozen_at"] = self._wall() + doc.get("offset", 0.0)
            elif not frozen and doc.get("frozen_at") is not None:
                doc["offset"] = doc["frozen_at"] - self._wall()
                doc["frozen_at"] = None
            return doc
        self._change(toggle)

    def state(self) -> dict:
        return {"now": iso_z(self.now()), "frozen": self.frozen}
