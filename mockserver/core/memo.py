"""Answers kept until the data they were computed from changes: a process-local cache that is
purely derived, so it may sit beside a shared store.

A view that does the same work for the same request over and over (filter and sort hundreds of
records) can keep its result keyed by what it depends on: the request's inputs, the caller, and
the store versions of the collections it read. A write to any of those collections changes its
version (in whichever process it was made), so a kept answer is never stale; a reset empties
the vendor's caches. Bounded in entries and in bytes: the least recently used answers go first.
"""
from __future__ import annotations

import bisect
import sys
import threading
from collections import OrderedDict
from typing import Callable, Hashable, Iterable, TypeVar

T = TypeVar("T")


def weigh(value: object) -> int:
    """About how many bytes a kept answer holds: exact for encoded bodies, an estimate for a
    list of records (which the store holds anyway; the list costs a pointer each)."""
    if isinstance(value, (bytes, str)):
        return len(value) + 64
    if isinstance(value, (list, tuple)):
        return sys.getsizeof(value) + 8 * len(value)
    if isinstance(value, _Kept):
        return 3 * sys.getsizeof(value.rows) + 120 * len(value.rows)
    return sys.getsizeof(value)


class Memo:
    def __init__(self, size: int = 256, max_bytes: int = 64 * 1024 * 1024):
        self._size = size
        self._max_bytes = max_bytes
        self._bytes = 0
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = compute()  # outside the lock; a refusal (SandboxError) is not kept
        self.put(key, value)
        return value

    def peek(self, key: Hashable):
        with self._lock:
            hit = self._items.get(key)
            return hit[0] if hit is not None else None

    def put(self, key: Hashable, value) -> None:
        """Keep `value` under `key` (the newest), then forget the oldest beyond the bounds; a
        value larger than the byte bound is not kept at all."""
        weight = weigh(value)
        if weight > self._max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, weight)
            self._bytes += weight
            while len(self._items) > self._size or self._bytes > self._max_bytes:
                _, (_, gone) = self._items.popitem(last=False)
                self._bytes -= gone

    def __len__(self) -> int:
        return len(self._items)

    @property
    def bytes(self) -> int:
        return self._bytes


def remembered(ctx, name: str, collections: Iterable[str], key: Hashable,
               compute: Callable[[], T], size: int = 256) -> T:
    """`compute()` once per `key` and versions of the caller's tenant's `collections`; the memo
    lives in the vendor's runtime cache, so a reset empties it. Not kept while the request's own
    unit of work has changed one of those collections."""
    vendor, tenant = ctx.vendor.name, ctx.tenant
    versions = tuple(ctx.store.version(vendor, tenant, c) for c in collections)
    if None in versions:
        return compute()
    cache = ctx.runtime.cache(vendor)
    memo = cache.get(("memo", name)) or cache.setdefault(("memo", name), Memo(size))
    return memo.get((tenant, versions, key), compute)


class _Kept:
    """A filtered list in sort order at one version of its collection: the rows, their sort keys
    (unique, so a row is found by bisection) and each row's key by record id."""
    __slots__ = ("version", "rows", "keys", "by_id")

    def __init__(self, version, rows, keys, by_id):
        self.version, self.rows, self.keys, self.by_id = version, rows, keys, by_id


def maintained(ctx, name: str, collection: str, depends: Iterable[str], key: Hashable,
               matches: Callable[[dict], bool], sort_key: Callable[[dict], tuple],
               size: int = 64) -> list[dict]:
    """The records of the caller's tenant's `collection` that `matches`, in ascending
    `sort_key` order (keys unique), kept across writes: when only `collection` changed since
    the kept list (the other collections it `depends` on did not), only the records that
    changed are checked again and put in place, so a list of thousands of records costs what
    changed, not what is there. Computed afresh when the store cannot say what changed."""
    vendor, tenant = ctx.vendor.name, ctx.tenant
    store = ctx.store
    records = store.records(vendor, tenant, collection)
    version = store.version(vendor, tenant, collection)
    others = tuple(store.version(vendor, tenant, c) for c in depends)
    if version is None or None in others:
        return sorted(filter(matches, records.values()), key=sort_key)
    cache = ctx.runtime.cache(vendor)
    memo = cache.get(("kept", name)) or cache.setdefault(("kept", name), Memo(size))
    memo_key = (tenant, others, key)
    held = memo.peek(memo_key)
    if held is not None and held.version == version:
        return held.rows
    changed = (store.changes_since(vendor, tenant, collection, held.version)
               if held is not None else None)
    if changed is None:
        chosen = sorted(((sort_key(r), rid, r) for rid, r in records.items() if matches(r)),
                        key=lambda t: t[0])
        kept = _Kept(version, [r for _, _, r in chosen], [k for k, _, _ in chosen],
                     {rid: k for k, rid, _ in chosen})
    else:  # the kept list brought along in place: a copy would cost what is there
        with _UPDATING:
            if held.version != version:
                _bring_along(held, changed, records, matches, sort_key)
                held.version = version
        kept = held
    memo.put(memo_key, kept)
    return kept.rows


_UPDATING = threading.Lock()  # one kept list is brought along by one request at a time


def _bring_along(held: "_Kept", changed, records, matches, sort_key) -> None:
    """The changed records checked again and put in place in the kept list."""
    rows, keys, by_id = held.rows, held.keys, held.by_id
    for rid in changed:
        old = by_id.pop(rid, None)
        if old is not None:
            at = bisect.bisect_left(keys, old)
            del keys[at], rows[at]
        record = records.get(rid)
        if record is not None and matches(record):
            new = sort_key(record)
            at = bisect.bisect_left(keys, new)
            keys.insert(at, new)
            rows.insert(at, record)
            by_id[rid] = new
