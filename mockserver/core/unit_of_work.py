"""One unit of work per request: buffered writes, committed together or dropped together.

The pipeline opens one around every view (and the control API around every call); while it is
open `runtime.store` is this object, so vendor code reads and writes as it always did. Reads see
the request's own writes; nothing reaches the backend until `commit`, so a refusal anywhere
(a SandboxError, or a bug) leaves the store exactly as it was, by construction rather than by
care in each view. The commit also checks that nothing the request read was changed by another
request meanwhile (`Conflict`: the pipeline runs the request again on fresh data).

Models raise domain events into it (`emit`); a commit adds `record.created`, `record.changed`
and `record.deleted` for every record it changes, and hands them all to the store's outbox in
the same atomic step, so an event exists only for a change that happened (`record.changed` and
`record.deleted` carry the record as it was `before`). The events of the commit are then
`committed`; the runtime hands them to the outbox's subscribers (core.outbox).
"""
from __future__ import annotations

from typing import Callable

import copy
from contextvars import ContextVar
from typing import Any

from .store import Key, Records, Store

_current: ContextVar["UnitOfWork | None"] = ContextVar("unit_of_work", default=None)


def current() -> "UnitOfWork | None":
    return _current.get()


class UnitOfWork(Records):
    def __init__(self, store: Store, *, time: float = 0.0,
                 request_id: "str | Callable[[], str] | None" = None, guard: str | None = None):
        self.store = store
        self._guard = guard
        self.reads: dict[Key, int] = {}
        self.writes: dict[Key, dict[str, dict | None]] = {}
        self.events: list[dict] = []
        self.committed: list[dict] = []  # the events of the commit, once it is made
        self._time = time
        self._request_id = request_id
        self._token = None

    # opening and closing ---------------------------------------------------------------------
    def __enter__(self) -> "UnitOfWork":
        self._token = _current.set(self)
        return self

    def __exit__(self, *exc) -> None:
        _current.reset(self._token)

    # reads -----------------------------------------------------------------------------------
    def _note(self, key: Key) -> None:
        if key not in self.reads:
            version = self.store.version(*key)
            if version is not None:
                self.reads[key] = version

    def _overlay(self, vendor, tenant, collection) -> tuple[Key, dict | None]:
        key = (vendor, str(tenant), collection)
        return key, self.writes.get(key)

    def peek(self, vendor, tenant, collection, record_id):
        key, overlay = self._overlay(vendor, tenant, collection)
        if overlay is not None and str(record_id) in overlay:
            return overlay[str(record_id)]
        record = self.store.peek(*key, record_id)
        self._note(key)
        return record

    def get(self, vendor, tenant, collection, record_id):
        record = self.peek(vendor, tenant, collection, record_id)
        return copy.deepcopy(record) if record is not None else None

    def all(self, vendor, tenant, collection):
        return list(self.records(vendor, tenant, collection).values())

    def records(self, vendor, tenant, collection):
        """id -> record, with this unit of work's own changes."""
        key, overlay = self._overlay(vendor, tenant, collection)
        records = self.store.records(*key)
        self._note(key)
        if not overlay:
            return records
        merged = dict(records)
        for record_id, record in overlay.items():
            if record is None:
                merged.pop(record_id, None)
            else:
                merged[record_id] = record
        return merged

    def changes_since(self, vendor, tenant, collection, version):
        key = (vendor, str(tenant), collection)
        return None if key in self.writes else self.store.changes_since(*key, version)

    def version(self, vendor, tenant, collection):
        key = (vendor, str(tenant), collection)
        if key in self.writes:
            return None
        version = self.store.version(*key)
        self.reads.setdefault(key, version)
        return version

    def tenants(self, vendor):
        return self.store.tenants(vendor)

    def collections(self, vendor, tenant):
        known = self.store.collections(vendor, tenant)
        return known + [c for v, t, c in self.writes if v == vendor and t == str(tenant)
                        and c not in known]

    def next_id(self, vendor, tenant, collection):
        return self.store.next_id(vendor, tenant, collection)

    # writes ----------------------------------------------------------------------------------
    def put(self, vendor, tenant, collection, record_id, record):
        self.writes.setdefault((vendor, str(tenant), collection), {})[str(record_id)] = \
            copy.deepcopy(record)

    def delete(self, vendor, tenant, collection, record_id):
        if self.peek(vendor, tenant, collection, record_id) is None:
            return False
        self.writes.setdefault((vendor, str(tenant), collection), {})[str(record_id)] = None
        return True

    def emit(self, event_type: str, vendor: str, tenant: str, **data: Any) -> None:
        """A domain event, handed on only if this unit of work commits."""
        self.events.append({"type": event_type, "vendor": vendor, "tenant": str(tenant), **data})

    # the end ---------------------------------------------------------------------------------
    def commit(self) -> None:
        if not self.writes and not self.events:
            return
        events = [*self._record_events(), *self.events]
        request_id = self._request_id() if callable(self._request_id) else self._request_id
        stamp = {"time": self._time, "request_id": request_id}
        stamped = [{**stamp, **e} for e in events]
        self.store.commit(self.reads, self.writes, stamped, guard=self._guard)
        self.committed = stamped

    def _record_events(self) -> list[dict]:
        out = []
        for (vendor, tenant, collection), changes in self.writes.items():
            for record_id, record in changes.items():
                before = self.store.peek(vendor, tenant, collection, record_id)
                if record is None and before is None:
                    continue
                kind = ("record.deleted" if record is None else
                        "record.created" if before is None else "record.changed")
                if kind == "record.changed" and record == before:
                    continue
                event = {"type": kind, "vendor": vendor, "tenant": tenant,
                         "collection": collection, "id": record_id, "record": record}
                if before is not None:  # what changed, for consumers that care (webhooks)
                    event["before"] = before
                out.append(event)
        return out
