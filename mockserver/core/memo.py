"""Answers kept until the data they were computed from changes.

A view that does the same work for the same request over and over (filter and sort hundreds of
records) can keep its result keyed by what it depends on: the request's inputs, the caller, and
the store versions of the collections it read. A write to any of those collections changes its
version, so a kept answer is never stale; a reset empties the vendor's caches. Bounded: the
least recently used answers go first.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, Iterable, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self, size: int = 256):
        self._size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()  # outside the lock; a refusal (SandboxError) is not kept
        with self._lock:
            self._items[key] = value
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


def remembered(ctx, name: str, collections: Iterable[str], key: Hashable,
               compute: Callable[[], T], size: int = 256) -> T:
    """`compute()` once per `key` and versions of the caller's tenant's `collections`; the memo
    lives in the vendor's runtime cache, so a reset empties it."""
    vendor, tenant = ctx.vendor.name, ctx.tenant
    cache = ctx.runtime.cache(vendor)
    memo = cache.get(("memo", name)) or cache.setdefault(("memo", name), Memo(size))
    versions = tuple(ctx.store.version(vendor, tenant, c) for c in collections)
    return memo.get((tenant, versions, key), compute)
