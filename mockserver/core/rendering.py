"""Rendering stored records with a marshmallow schema, remembering each record's rendering.

The store never mutates a record: a write stores a new dict. So the rendering of one record
object never changes, and can be kept by the object's identity (checked with `is`, so a reused
id() never returns a stale answer). A list of 50 records then costs 50 look-ups instead of 50
schema dumps. Only for schemas whose output depends on the record alone.
"""
from __future__ import annotations

import threading
from typing import Iterable


class RecordRenderer:
    def __init__(self, schema_cls, size: int = 50_000):
        self._schema = schema_cls()
        self._size = size
        self._memo: dict[int, tuple[dict, dict]] = {}
        self._lock = threading.Lock()

    def one(self, record: dict) -> dict:
        hit = self._memo.get(id(record))
        if hit is not None and hit[0] is record:
            return hit[1]
        rendered = self._schema.dump(record)
        with self._lock:
            if len(self._memo) >= self._size:
                self._memo.clear()
            self._memo[id(record)] = (record, rendered)
        return rendered

    def many(self, records: Iterable[dict]) -> list[dict]:
        return [self.one(r) for r in records]
