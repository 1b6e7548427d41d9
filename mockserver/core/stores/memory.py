"""The in-memory backend: the embedded default, for one process with threads.

Records are never mutated once stored (a commit stores new dicts), so the live state can share
the seeded base's collections until one is first written (copy-on-write per collection), and a
reset costs microseconds however large the seed is. Every version comes from one counter, so a
version never repeats, not even across a revert.
"""
from __future__ import annotations

import copy
import itertools
import re
import threading
from collections import deque
from typing import Any

from ..store import Conflict, Key, Store

_TRAILING_DIGITS = re.compile(r"(\d+)$")


def trailing_number(record_id) -> int | None:
    """"u12" and 12 both name 12, so minted ids never collide with seeded ones."""
    digits = _TRAILING_DIGITS.search(str(record_id))
    return int(digits.group(1)) if digits else None


FEED = 512  # commits per collection a derived cache can catch up over


def changes_in(feed, version, current) -> set[str] | None:
    """The ids changed from `version` to `current` along a feed of (before, after, ids)
    entries, or None when the feed does not reach back to `version` unbroken."""
    if version == current:
        return set()
    ids: set[str] = set()
    at = version
    for before, after, changed in list(feed):
        if before == at:
            ids.update(changed)
            at = after
    return ids if at == current else None


class MemoryStore(Store):
    name = "memory"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._base: dict[Key, dict[str, dict]] = {}
        self._live: dict[Key, dict[str, dict]] = {}
        self._owned: set[Key] = set()  # collections whose live dict only the live state holds
        self._base_ids: dict[Key, int] = {}
        self._ids: dict[Key, int] = {}
        self._versions: dict[Key, int] = {}
        self._changes = itertools.count(1)
        self._state: dict[str, Any] = {}
        self._counters: dict[str, int] = {}
        self._windows: dict[str, dict[str, tuple[float, int]]] = {}
        self._lists: dict[str, deque] = {}
        self._kv: dict[str, Any] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._feeds: dict[Key, deque] = {}  # (version before, version after, ids) per commit
        self._snapshots: dict[str, tuple[dict, dict]] = {}  # name -> (summary, state)

    # reads -----------------------------------------------------------------------------------
    def get(self, vendor, tenant, collection, record_id):
        record = self.peek(vendor, tenant, collection, record_id)
        return copy.deepcopy(record) if record is not None else None

    def peek(self, vendor, tenant, collection, record_id):
        return self._live.get((vendor, str(tenant), collection), {}).get(str(record_id))

    def records(self, vendor, tenant, collection):
        return self._live.get((vendor, str(tenant), collection), {})

    def all(self, vendor, tenant, collection):
        return list(self._live.get((vendor, str(tenant), collection), {}).values())

    def version(self, vendor, tenant, collection):
        return self._versions.get((vendor, str(tenant), collection), 0)

    def tenants(self, vendor):
        return list(dict.fromkeys(t for v, t, _ in list(self._live) if v == vendor))

    def collections(self, vendor, tenant):
        return [c for v, t, c in list(self._live) if v == vendor and t == str(tenant)]

    def next_id(self, vendor, tenant, collection):
        key = (vendor, str(tenant), collection)
        with self._lock:
            self._ids[key] = self._ids.get(key, 0) + 1
            return self._ids[key]

    # commits ---------------------------------------------------------------------------------
    def commit(self, reads, writes, events, guard=None):
        # One process: a writer under the lock conflicts only with commits it read across.
        with self._lock:
            for key, version in reads.items():
                if self._versions.get(key, 0) != version:
                    raise Conflict(key)
            for key, changes in writes.items():
                before = self._versions.get(key, 0)
                live = self._writable(key)
                self._feeds.setdefault(key, deque(maxlen=FEED)).append(
                    (before, self._versions[key], tuple(changes)))
                for record_id, record in changes.items():
                    if record is None:
                        live.pop(record_id, None)
                    else:
                        live[record_id] = record
                        self._note_id(self._ids, key, record_id)
            for event in events:
                self.append(self.OUTBOX, event, self.OUTBOX_SIZE)

    def _writable(self, key: Key) -> dict[str, dict]:
        self._versions[key] = next(self._changes)
        if key not in self._owned:
            self._live[key] = dict(self._live.get(key, {}))
            self._owned.add(key)
        return self._live[key]

    @staticmethod
    def _note_id(ids: dict[Key, int], key: Key, record_id) -> None:
        number = trailing_number(record_id)
        if number is not None and number > ids.get(key, 0):
            ids[key] = number

    # seeding and reset -----------------------------------------------------------------------
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
            for key in [k for k in self._live if k[0] == vendor]:
                del self._live[key]
                self._owned.discard(key)
            self._revert_locked()

    def revert(self):
        with self._lock:
            self._revert_locked()

    def changes_since(self, vendor, tenant, collection, version):
        key = (vendor, str(tenant), collection)
        return changes_in(self._feeds.get(key, ()), version, self.version(*key))

    def _revert_locked(self) -> None:
        self._feeds.clear()
        for key in {*self._live, *self._base}:  # every collection that is not the base's
            if self._live.get(key) is not self._base.get(key):
                self._versions[key] = next(self._changes)
        self._live = dict(self._base)
        self._owned = set()
        self._ids = dict(self._base_ids)

    # snapshots: the live collections are shared with the snapshot, as the base's are with the
    # live state, and copied by whichever side writes first (copy-on-write per collection)
    def save_snapshot(self, name, meta):
        with self._lock:
            self._owned = set()  # the next write to any collection copies it first
            saved = {"live": dict(self._live), "ids": dict(self._ids),
                     "state": copy.deepcopy(self._state),
                     "counters": {k: v for k, v in self._counters.items() if k != "request"},
                     "windows": {g: dict(w) for g, w in self._windows.items()},
                     "kv": copy.deepcopy(self._kv)}
            summary = {**meta, "collections": len(saved["live"]),
                       "records": sum(len(c) for c in saved["live"].values())}
            self._snapshots[name] = (summary, saved)
            return summary

    def restore_snapshot(self, name):
        with self._lock:
            if name not in self._snapshots:
                return False
            saved = self._snapshots[name][1]
            self._feeds.clear()
            for key in {*self._live, *saved["live"]}:
                self._versions[key] = next(self._changes)
            self._live = dict(saved["live"])
            self._owned = set()
            self._ids = dict(saved["ids"])
            self._state = copy.deepcopy(saved["state"])
            self._counters = {**{k: v for k, v in self._counters.items() if k == "request"},
                              **saved["counters"]}
            self._windows = {g: dict(w) for g, w in saved["windows"].items()}
            self._kv = copy.deepcopy(saved["kv"])
            return True

    def snapshots(self):
        return [self._snapshots[n][0] for n in sorted(self._snapshots)]

    def drop_snapshot(self, name):
        with self._lock:
            return self._snapshots.pop(name, None) is not None

    def lock(self, name):
        with self._lock:
            held = self._locks.setdefault(name, threading.Lock())
        return held

    # shared state ----------------------------------------------------------------------------
    def state(self, name):
        return self._state.get(name)

    def update_state(self, name, change):
        with self._lock:
            self._state[name] = change(copy.deepcopy(self._state.get(name)))
            return self._state[name]

    def incr(self, counter, by=1):
        with self._lock:
            self._counters[counter] = self._counters.get(counter, 0) + by
            return self._counters[counter]

    def counters(self, prefix):
        return {k: v for k, v in list(self._counters.items()) if k.startswith(prefix)}

    def window_hit(self, group, key, now, window, cost, limit):
        with self._lock:
            windows = self._windows.setdefault(group, {})
            started, used = windows.get(key, (now, 0))
            if now >= started + window:
                started, used = now, 0
            allowed = used + cost <= limit
            if allowed:
                used += cost
            windows[key] = (started, used)
            return started, used, allowed

    def clear_windows(self, group=None):
        with self._lock:
            if group is None:
                self._windows.clear()
            else:
                self._windows.pop(group, None)

    def append(self, name, item, keep):
        with self._lock:
            items = self._lists.get(name)
            if items is None or items.maxlen != keep:
                items = self._lists[name] = deque(items or (), maxlen=max(1, keep))
            items.append(item)

    def items(self, name, last=None):
        items = list(self._lists.get(name, ()))
        return items[-last:] if last else items

    def clear_list(self, name):
        with self._lock:
            self._lists.pop(name, None)

    def kv_get(self, name):
        return self._kv.get(name)

    def kv_put(self, name, value):
        with self._lock:
            self._kv[name] = value

    def clear_shared(self, keep=()):
        with self._lock:
            self._state = {k: v for k, v in self._state.items() if k in keep}
            self._counters = {k: v for k, v in self._counters.items() if k == "request"}
            self._windows.clear()
            self._lists.clear()
            self._kv.clear()
