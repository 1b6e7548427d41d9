"""Answers kept until the data they were computed from changes: a process-local cache that is
purely derived, so it may sit beside a shared store.

A view that does the same work for the same request over and over (filter and sort hundreds of
records) can keep its result keyed by what it depends on: the request's inputs, the caller, and
the store versions of the collections it read. A write to any of those collections changes its
version (in whichever process it was made), so a kept answer is never stale; a reset empties
the vendor's caches. Bounded in entries and in bytes: the least recently used answers go first.
"""
from __future__ import annotations

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
        weight = weigh(value)
        if weight > self._max_bytes:
            return value
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, weight)
            self._bytes += weight
            while len(self._items) > self._size or self._bytes > self._max_bytes:
                _, (_, gone) = self._items.popitem(last=False)
                self._bytes -= gone
        return value

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
