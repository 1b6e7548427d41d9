"""The store: every record of every vendor, addressed by (vendor, tenant, collection, id).

Records are plain JSON-able dicts. Code never keeps a record across requests and never mutates
one it read: it builds a new dict and writes it back with `put`. That rule is what lets the
in-memory backend share the seeded base between its live state and a reset (copy-on-write per
collection), so a reset costs microseconds however large the seed is. A shared backend (Redis)
can implement the same interface later with no vendor code changing.
"""
from __future__ import annotations

import copy
import itertools
import re
import threading
from abc import ABC, abstractmethod
from contextlib import contextmanager
from typing import Iterable, Iterator

Key = tuple[str, str, str]  # vendor, tenant, collection
_TRAILING_DIGITS = re.compile(r"(\d+)$")


class Store(ABC):
    name = "abstract"

    @abstractmethod
    def get(self, vendor: str, tenant: str, collection: str, record_id) -> dict | None:
        """A private copy of one record (safe to change and `put` back), or None."""

    @abstractmethod
    def peek(self, vendor: str, tenant: str, collection: str, record_id) -> dict | None:
        """One record, read-only (never mutate it), or None: `get` without the copy."""

    @abstractmethod
    def all(self, vendor: str, tenant: str, collection: str) -> list[dict]:
        """Every record of a collection in insertion order. Read-only: never mutate them."""

    @abstractmethod
    def version(self, vendor: str, tenant: str, collection: str) -> int:
        """A number that changes whenever the collection does (a write, a delete, a revert or
        a reseed), so an answer computed from it can be kept until then."""

    @abstractmethod
    def put(self, vendor: str, tenant: str, collection: str, record_id, record: dict) -> None: ...

    @abstractmethod
    def delete(self, vendor: str, tenant: str, collection: str, record_id) -> bool: ...

    @abstractmethod
    def tenants(self, vendor: str) -> list[str]: ...

    @abstractmethod
    def collections(self, vendor: str, tenant: str) -> list[str]: ...

    @abstractmethod
    def next_id(self, vendor: str, tenant: str, collection: str) -> int:
        """A fresh integer id for the collection: one more than the largest integer id seen."""

    @abstractmethod
    def load_base(self, vendor: str, records: Iterable[tuple[str, str, object, dict]]) -> None:
        """Replace a vendor's seeded base with (tenant, collection, id, record) rows."""

    @abstractmethod
    def revert(self) -> None:
        """Back to the seeded base: every change since seeding is dropped."""

    @abstractmethod
    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Hold writers off while a request reads, checks and writes several records."""


class MemoryStore(Store):
    name = "memory"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._base: dict[Key, dict[str, dict]] = {}
        self._live: dict[Key, dict[str, dict]] = {}
        self._owned: set[Key] = set()  # collections whose live dict is no longer the base's
        self._base_ids: dict[Key, int] = {}
        self._ids: dict[Key, int] = {}
        self._versions: dict[Key, int] = {}
        self._changes = itertools.count(1)

    # reads -----------------------------------------------------------------------------
    def get(self, vendor, tenant, collection, record_id):
        record = self.peek(vendor, tenant, collection, record_id)
        return copy.deepcopy(record) if record is not None else None

    def peek(self, vendor, tenant, collection, record_id):
        return self._live.get((vendor, str(tenant), collection), {}).get(str(record_id))

    def all(self, vendor, tenant, collection):
        return list(self._live.get((vendor, str(tenant), collection), {}).values())

    def version(self, vendor, tenant, collection):
        return self._versions.get((vendor, str(tenant), collection), 0)

    def tenants(self, vendor):
        seen: dict[str, None] = {}
        for v, tenant, _ in list(self._live):
            if v == vendor:
                seen.setdefault(tenant)
        return list(seen)

    def collections(self, vendor, tenant):
        return [c for v, t, c in list(self._live) if v == vendor and t == str(tenant)]

    # writes ----------------------------------------------------------------------------
    def _writable(self, key: Key) -> dict[str, dict]:
        self._versions[key] = next(self._changes)
        if key not in self._owned:
            self._live[key] = dict(self._live.get(key, {}))
            self._owned.add(key)
        return self._live[key]

    def put(self, vendor, tenant, collection, record_id, record):
        key = (vendor, str(tenant), collection)
        with self._lock:
            self._writable(key)[str(record_id)] = copy.deepcopy(record)
            self._note_id(self._ids, key, record_id)

    def delete(self, vendor, tenant, collection, record_id):
        key = (vendor, str(tenant), collection)
        with self._lock:
            if str(record_id) not in self._live.get(key, {}):
                return False
            del self._writable(key)[str(record_id)]
            return True

    def next_id(self, vendor, tenant, collection):
        key = (vendor, str(tenant), collection)
        with self._lock:
            self._ids[key] = self._ids.get(key, 0) + 1
            return self._ids[key]

    @staticmethod
    def _note_id(ids: dict[Key, int], key: Key, record_id) -> None:
        # "u12" and 12 both advance the counter, so minted ids never collide with seeded ones.
        digits = _TRAILING_DIGITS.search(str(record_id))
        if digits:
            ids[key] = max(ids.get(key, 0), int(digits.group(1)))

    # seeding and reset -----------------------------------------------------------------
    def load_base(self, vendor, records):
        with self._lock:
            for key in [k for k in self._base if k[0] == vendor]:
                del self._base[key]
                self._base_ids.pop(key, None)
                self._versions[key] = next(self._changes)
            for tenant, collection, record_id, record in records:
                key = (vendor, str(tenant), collection)
                self._base.setdefault(key, {})[str(record_id)] = record
                self._note_id(self._base_ids, key, record_id)
                self._versions[key] = next(self._changes)
            self._revert_locked()

    def revert(self):
        with self._lock:
            self._revert_locked()

    def _revert_locked(self) -> None:
        # The live state shares the base's dicts until a collection is first written.
        for key in self._owned:
            self._versions[key] = next(self._changes)
        self._live = dict(self._base)
        self._owned = set()
        self._ids = dict(self._base_ids)

    @contextmanager
    def atomic(self):
        with self._lock:
            yield


def open_store(url: str) -> Store:
    """The store a `--store URL` names. Only `memory://` exists today."""
    if url in ("memory://", "memory", ""):
        return MemoryStore()
    raise ValueError(f"unsupported store URL {url!r}: only memory:// is available")
