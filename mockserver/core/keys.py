"""Key rotation: one record's secret replaced by a fresh one, minted from the seeded randomness.
Called inside a unit of work (the control API opens one), so the read and the write commit
together or not at all.

The new secret depends on the seed, the record and how many times it was rotated, so a run that
rotates the same keys in the same order gets the same secrets. The old secret stops working at
once, because authentication always reads the stored record.
"""
from __future__ import annotations

import random
from typing import Callable

from .errors import SandboxError


def rotate(runtime, vendor: str, tenant: str, collection: str, record_id, *, field: str,
           mint: Callable[[random.Random], str], missing: SandboxError,
           generation: str = "key_generation") -> dict:
    """Store and answer the record with `field` re-minted and its `generation` counter bumped;
    raise `missing` when there is no such record (or `record_id` is None)."""
    store = runtime.store
    record = None if record_id is None else store.get(vendor, tenant, collection, record_id)
    if record is None:
        raise missing
    count = record.get(generation, 0) + 1
    rnd = runtime.randomness().stream(vendor, "rotate", record_id, count)
    record = {**record, field: mint(rnd), generation: count}
    store.put(vendor, tenant, collection, record_id, record)
    return record
