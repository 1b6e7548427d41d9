"""The running sandbox's state: settings, clock, store, randomness, limiter, journal, faults and
the loaded vendors. One per app; the control API and the pipeline reach everything through it."""
from __future__ import annotations

import threading
import time

from .config import Settings
from .core.clock import Clock
from .core.faults import FaultInjector
from .core.journal import Journal
from .core.ratelimit import RateLimiter
from .core.rng import Randomness
from .core.seeding import load_seed_document, seed_vendor
from .core.store import open_store
from .registry import (RegistryError, VendorRuntime, VendorSource, available_vendors, data_dir,
                       load_vendor)


class Runtime:
    def __init__(self, settings: Settings, sources: dict[str, VendorSource] | None = None):
        self.settings = settings
        sources = sources or {}
        known = sorted({*available_vendors(), *sources})
        names = list(settings.vendors) or (list(sources) if sources else available_vendors())
        unknown = sorted(set(names) - set(known))
        if unknown:
            raise RegistryError(f"unknown vendor(s) {unknown}; available: {known}")
        self.vendors: dict[str, VendorRuntime] = {n: load_vendor(n, sources.get(n))
                                                  for n in names}
        self.clock = Clock(settings.freeze_time)
        self.store = open_store(settings.store)
        self.limiter = RateLimiter(self.clock, settings.rate_limits)
        self.journal = Journal(settings.journal_size)
        self.faults = FaultInjector()
        self.seed = settings.seed
        self.root_vendor = names[0] if len(settings.vendors) == 1 else None
        self._seed_docs = {n: sources[n].seed if n in sources else
                           load_seed_document(data_dir("seed_data") / f"{n}.yaml") for n in names}
        self._lock = threading.Lock()
        self.caches: dict[str, dict] = {}  # vendor-owned derived caches, dropped on reset
        self._seeded_with: int | None = None
        self._reseed(self.seed)

    # state -------------------------------------------------------------------------------
    def _reseed(self, seed: int) -> None:
        anchor = self.clock.now()
        for name, vr in self.vendors.items():
            seed_vendor(self.store, vr.vendor, self._seed_docs[name], seed, anchor)
        self._seeded_with = seed

    def reset(self, seed: int | None = None) -> float:
        """Back to the freshly seeded state; returns the milliseconds it took."""
        started = time.perf_counter()
        with self._lock:
            self.clock.reset()
            if seed is not None and seed != self._seeded_with:
                self.seed = seed
                self._reseed(seed)
            else:
                self.store.revert()
            self.limiter.reset()
            self.journal.clear()
            self.faults.clear()
            self.caches.clear()
        return (time.perf_counter() - started) * 1000

    def cache(self, vendor: str) -> dict:
        return self.caches.setdefault(vendor, {})

    def randomness(self) -> Randomness:
        return Randomness(self.seed)

    # addressing ---------------------------------------------------------------------------
    def prefix_of(self, vendor: str, path: str) -> str:
        prefix = f"/{vendor}"
        return prefix if path == prefix or path.startswith(prefix + "/") else ""

    def vendor_for_path(self, path: str) -> VendorRuntime | None:
        first = path.strip("/").split("/", 1)[0]
        if first in self.vendors:
            return self.vendors[first]
        if self.root_vendor and not path.startswith("/__sandbox"):
            return self.vendors[self.root_vendor]
        return None
