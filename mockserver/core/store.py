"""The store: the only stateful thing of the sandbox.

Two interfaces live here:

- `Records`, what vendor code sees: records addressed by (vendor, tenant, collection, id), as
  plain JSON-able dicts. A unit of work (core.unit_of_work) and a backend both offer it; during a
  request `runtime.store` is the request's unit of work, so every read sees the request's own
  writes and nothing is written until it commits.
- `Store`, what a backend adds: commits of a whole unit of work (optimistic: the versions the
  request read must still hold, else `Conflict` and the request runs again), the seeded base and
  reset, and the shared state beside the records: small state documents (clock, rate-limit
  modes, fault rules, seed), counters (request ids, fault hits), rate-limit windows, bounded
  lists (journal, outbox) and key-value entries (caches whose lifetime a vendor documents);
  and named snapshots of all that but the lists.

Code never keeps a record across requests and never mutates one it read with `peek`/`all`: it
takes a private copy with `get`, changes it and `put`s it back. Backends: `memory://` (one
process, the default; core.stores.memory) and `redis://` (several workers and hosts; core.stores.redis).
"""
from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from typing import Any, Callable, ContextManager, Iterable, Mapping
from urllib.parse import urlsplit

Key = tuple[str, str, str]  # vendor, tenant, collection
Writes = Mapping[Key, Mapping[str, "dict | None"]]  # None: the record is deleted


class Conflict(Exception):
    """Another request changed a collection this one read, between its read and its commit."""


class Records(ABC):
    """Records of every vendor. Reads are read-only but for `get`'s private copy."""

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
    def version(self, vendor: str, tenant: str, collection: str) -> int | None:
        """A number that changes whenever the collection does (a write, a delete, a revert or a
        reseed), so an answer computed from it can be kept until then; None while the caller's
        own unit of work has uncommitted changes to it (nothing to key a cache on)."""

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
        """A fresh integer id: one more than the largest integer id seen. Like a database
        sequence it is not given back when a request is refused, so ids may skip."""


class Store(Records):
    """A backend: records plus commits, seeding and the shared state."""
    name = "abstract"

    # a request's view ------------------------------------------------------------------------
    def begin(self, numbered: bool = True) -> Any:
        """Start a request and answer its number (from the `request` counter; control calls are
        not numbered): an int, or a reply still owed whose `result()` is it (a shared backend
        asks without waiting: RequestContext.seq reads it when first needed). A shared backend
        also brings what every request reads (state documents, collection versions) up to date."""
        return self.incr("request") if numbered else None

    def end(self) -> None:
        """The request is over (its unit of work committed or dropped)."""

    # records ---------------------------------------------------------------------------------
    @abstractmethod
    def records(self, vendor: str, tenant: str, collection: str) -> Mapping[str, dict]:
        """A collection as id -> record in insertion order. Read-only."""

    def changes_since(self, vendor: str, tenant: str, collection: str,
                      version: int) -> set[str] | None:
        """The ids of the records that changed since `version` up to the collection's current
        version (as `records` shows it), or None when this backend cannot say (a reset, or too
        long ago): a derived cache then computes afresh."""
        return None

    @abstractmethod
    def commit(self, reads: Mapping[Key, int], writes: Writes, events: list[dict],
               guard: str | None = None) -> None:
        """Apply a unit of work's writes and append its events to the outbox, all or nothing;
        `Conflict` if a collection in `reads` is no longer at the version read, or if someone
        else holds the lock named `guard` (writers who kept conflicting go first)."""

    def put(self, vendor, tenant, collection, record_id, record):
        self.commit({}, {(vendor, str(tenant), collection): {str(record_id): copy.deepcopy(record)}},
                    [])

    def delete(self, vendor, tenant, collection, record_id):
        if self.peek(vendor, tenant, collection, record_id) is None:
            return False
        self.commit({}, {(vendor, str(tenant), collection): {str(record_id): None}}, [])
        return True

    @abstractmethod
    def load_base(self, vendor: str, records: Iterable[tuple[str, str, object, dict]]) -> None:
        """Replace a vendor's seeded base with (tenant, collection, id, record) rows; the live
        state of that vendor becomes the base."""

    @abstractmethod
    def revert(self) -> None:
        """Back to the seeded base: every change to records and ids since seeding is dropped."""

    # shared state ----------------------------------------------------------------------------
    @abstractmethod
    def state(self, name: str) -> Any:
        """A small JSON document every request may read (clock, modes, fault rules, seed)."""

    @abstractmethod
    def update_state(self, name: str, change: Callable[[Any], Any]) -> Any:
        """Atomically replace a state document by `change(old)` (old is None when absent);
        answers the new one. `change` may run more than once on a shared backend."""

    @abstractmethod
    def incr(self, counter: str, by: int = 1) -> int:
        """Atomically add to a named counter and answer the new value."""

    @abstractmethod
    def counters(self, prefix: str) -> dict[str, int]:
        """Every counter whose name starts with `prefix`."""

    @abstractmethod
    def window_hit(self, group: str, key: str, now: float, window: float, cost: int,
                   limit: int) -> tuple[float, int, bool]:
        """A fixed rate-limit window: count `cost` if it fits under `limit`; answers (window
        start, units used, allowed). A window opens at its first hit and lasts `window`."""

    @abstractmethod
    def clear_windows(self, group: str | None = None) -> None: ...

    @abstractmethod
    def append(self, name: str, item: dict, keep: int) -> None:
        """Append to a bounded list, keeping the newest `keep` items."""

    @abstractmethod
    def items(self, name: str, last: int | None = None) -> list[dict]:
        """A bounded list (or its `last` items), oldest first."""

    @abstractmethod
    def clear_list(self, name: str) -> None: ...

    @abstractmethod
    def kv_get(self, name: str) -> Any: ...

    @abstractmethod
    def kv_put(self, name: str, value: Any) -> None: ...

    @abstractmethod
    def clear_shared(self, keep: Iterable[str] = ()) -> None:
        """Reset: drop every state document (but `keep`), counter, window, list and key-value
        entry. The request counter survives, so request ids never repeat."""

    @abstractmethod
    def lock(self, name: str) -> ContextManager[None]:
        """Hold a named lock (shared by every process of the store) for a short while: writers
        of one tenant that keep conflicting take turns under it."""

    # snapshots -------------------------------------------------------------------------------
    # A snapshot is a named copy of the whole live state: records, id sequences, state
    # documents (clock, rate-limit modes, fault rules, seed), counters but the request counter,
    # rate-limit windows and key-value entries. Bounded lists (journal, outbox) are not part of
    # it. Snapshots survive a reset and a reseed; only `drop_snapshot` removes one. A restore
    # gives every collection a new version (like a revert), so derived caches recompute.
    @abstractmethod
    def save_snapshot(self, name: str, meta: dict) -> dict:
        """Save (or replace) the snapshot `name`; answers `meta` plus `collections` and
        `records` counts."""

    @abstractmethod
    def restore_snapshot(self, name: str) -> bool:
        """Make the snapshot the live state; False when there is none of that name."""

    @abstractmethod
    def snapshots(self) -> list[dict]:
        """Every snapshot's summary (as `save_snapshot` answered it), by name."""

    @abstractmethod
    def drop_snapshot(self, name: str) -> bool:
        """Remove a snapshot; False when there is none of that name."""

    # joining a shared store ------------------------------------------------------------------
    def claim(self, fingerprint: str, seed: Callable[[], None]) -> bool:
        """Seed the store unless it already holds the state `fingerprint` names (then this process
        joins it). Answers True when this process seeded it."""
        seed()
        return True

    OUTBOX = "outbox"
    OUTBOX_SIZE = 10_000


class StoreUnavailable(ValueError):
    """The store a URL names cannot be used: an unknown scheme, or a server that does not answer."""


def open_store(url: str) -> Store:
    """The store a `--store URL` names: `memory://` or `redis://host:port/db[?namespace=NAME]`."""
    scheme = urlsplit(url or "memory://").scheme or url
    if scheme in ("memory", ""):
        from .stores.memory import MemoryStore
        return MemoryStore()
    if scheme in ("redis", "rediss", "unix"):
        from .stores.redis import RedisStore
        return RedisStore(url)
    raise StoreUnavailable(f"unsupported store URL {url!r}: use memory:// or "
                           "redis://host:port/db")
