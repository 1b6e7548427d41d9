"""The running sandbox: settings, the loaded vendors, and the views onto the store (clock,
limiter, journal, faults) that the control API and the pipeline reach everything through.

The store is the only stateful thing: this object holds no state of its own but process-local
caches derived from versioned store data. So several processes on one shared store are one
sandbox, and `runtime.store` is the current request's unit of work while one is open.
"""
from __future__ import annotations

import hashlib
import re
import json
import time
from contextlib import nullcontext
from importlib import metadata
from typing import Callable, TypeVar

from .config import Settings
from .core.clock import Clock
from .core.faults import FaultInjector
from .core.journal import Journal
from .core.outbox import Outbox
from .core.ratelimit import RateLimiter
from .core.rng import Randomness
from .core.schedule import Scheduler
from .core.seeding import load_seed_document, seed_vendor
from .core.store import Conflict, Store, open_store
from .core import unit_of_work
from .core.unit_of_work import UnitOfWork
from .core.webhooks import Webhooks
from .registry import (UnknownVendor, VendorRuntime, VendorSource, available_vendors,
                       data_dir, load_vendor)

T = TypeVar("T")
SEED = "seed"  # the state document naming the seed the store holds


class Runtime:
    OPTIMISTIC_ATTEMPTS = 1
    COMMIT_ATTEMPTS = 20

    def __init__(self, settings: Settings, sources: dict[str, VendorSource] | None = None):
        self.settings = settings
        sources = sources or {}
        known = sorted({*available_vendors(), *sources})
        names = list(settings.vendors) or (list(sources) if sources else available_vendors())
        unknown = sorted(set(names) - set(known))
        if unknown:
            raise UnknownVendor(f"unknown vendor(s) {unknown}; available: {known}")
        self.vendors: dict[str, VendorRuntime] = {n: load_vendor(n, sources.get(n))
                                                  for n in names}
        self.backend: Store = open_store(settings.store)
        if hasattr(self.backend, "ping"):
            self.backend.ping()
        self.clock = Clock(self.backend, settings.freeze_time)
        self.limiter = RateLimiter(self.backend, self.clock, settings.rate_limits)
        self.journal = Journal(self.backend, settings.journal_size)
        self.faults = FaultInjector(self.backend)
        self.outbox = Outbox()
        self.scheduler = Scheduler(self.clock)
        styles = {n: vr.vendor.webhooks for n, vr in self.vendors.items() if vr.vendor.webhooks}
        self.webhooks = Webhooks(self.backend, self.clock, styles, settings.webhook_allow,
                                 wake=self.scheduler.wake)
        if styles:
            self.outbox.subscribe("webhooks", self.webhooks.on_events)
            self.scheduler.add("webhooks", self.webhooks.run_due)
        for vendor_name, vr in self.vendors.items():
            for consumer_name, consumer in vr.vendor.consumers.items():
                self.outbox.subscribe(f"{vendor_name}:{consumer_name}",
                                      self._consumer(vendor_name, consumer))
            for job_name, job in vr.vendor.jobs.items():
                self.scheduler.add(f"{vendor_name}:{job_name}",
                                   lambda now, job=job: job(self, now))
        self.root_vendor = names[0] if len(settings.vendors) == 1 else None
        self._seed_docs = {n: sources[n].seed if n in sources else
                           load_seed_document(data_dir("seed_data") / f"{n}.yaml") for n in names}
        self.caches: dict[str, dict] = {}  # vendor-owned derived caches, dropped on reset
        self.seeded_here = self.backend.claim(self._fingerprint(),
                                              lambda: self._fresh(settings.seed))

    def _consumer(self, vendor: str, consumer: Callable[..., None]):
        """A vendor's event consumer as an outbox subscriber: only that vendor's events."""
        def subscriber(events: list[dict]) -> None:
            own = [e for e in events if e.get("vendor") == vendor]
            if own:
                consumer(self, own)
        return subscriber

    # state -------------------------------------------------------------------------------
    @property
    def store(self):
        """The open unit of work of the current request, else the backend itself."""
        return unit_of_work.current() or self.backend

    @property
    def seed(self) -> int:
        held = self.backend.state(SEED)
        return int(held) if held is not None else self.settings.seed

    def _fingerprint(self) -> str:
        """What a shared store must hold for this process to join it rather than seed it."""
        try:
            version = metadata.version("vendor-api-sandbox")
        except metadata.PackageNotFoundError:
            version = "source"
        described = {"seed": self.settings.seed, "version": version,
                     "vendors": {n: {"seed": self._seed_docs[n],
                                     "spec": vr.document.get("info", {}).get("version")}
                                 for n, vr in sorted(self.vendors.items())}}
        return hashlib.sha256(json.dumps(described, sort_keys=True, default=str)
                              .encode()).hexdigest()

    def _fresh(self, seed: int) -> None:
        """Every piece of shared state as a fresh start leaves it, seeded with `seed`."""
        self.backend.clear_shared()
        self.clock.reset()
        self._reseed(seed)

    def _reseed(self, seed: int) -> None:
        anchor = self.clock.now()
        for name, vr in self.vendors.items():
            seed_vendor(self.backend, vr.vendor, self._seed_docs[name], seed, anchor)
        self.backend.update_state(SEED, lambda _: seed)

    def reset(self, seed: int | None = None) -> float:
        """Back to the freshly seeded state; returns the milliseconds it took."""
        started = time.perf_counter()
        current = self.seed
        self.backend.clear_shared(keep=(SEED,))
        self.clock.reset()
        if seed is not None and seed != current:
            self._reseed(seed)
        else:
            self.backend.revert()
        self.caches.clear()
        return (time.perf_counter() - started) * 1000

    # snapshots ----------------------------------------------------------------------------
    def snapshot(self, name: str) -> dict:
        """Save the whole state but the journal as `name` (replacing one of that name)."""
        summary = {"name": name, "time": self.clock.state()["now"], "seed": self.seed}
        return self.backend.save_snapshot(name, summary)

    def restore(self, name: str) -> dict | None:
        """Bring the snapshot `name` back (None when there is none). A snapshot of another seed
        first reseeds the base, so a later reset goes back to that seed's fresh state."""
        summary = next((s for s in self.backend.snapshots() if s["name"] == name), None)
        if summary is None:
            return None
        if summary.get("seed", self.seed) != self.seed:
            self._reseed(summary["seed"])
        if not self.backend.restore_snapshot(name):
            return None
        self.caches.clear()
        return summary

    def transact(self, work: Callable[[], T], *,
                 request_id: "str | Callable[[], str] | None" = None,
                 scope: str | None = None, writes: bool = False) -> T:
        """`work()` inside one unit of work, committed when it returns; anything it raises drops
        every write. When another request changed what it read, it runs again on fresh data: a
        first time freely, then holding the store's lock for `scope` (the tenant), so writers of
        one hot tenant take turns instead of starving while other tenants never wait."""
        guard = f"commit:{scope or '*'}"
        for attempt in range(self.OPTIMISTIC_ATTEMPTS + self.COMMIT_ATTEMPTS):
            held = (nullcontext() if attempt < self.OPTIMISTIC_ATTEMPTS and not writes
                    else self.backend.lock(guard))
            with held:
                if attempt:
                    self.backend.begin(numbered=False)  # a fresh view, taken under the lock
                with UnitOfWork(self.backend, time=self.clock.timestamp(),
                                request_id=request_id, guard=guard) as uow:
                    result = work()
                    try:
                        uow.commit()
                    except Conflict:
                        continue
            # outside the tenant's lock: the commit's events to their consumers (core.outbox)
            self.outbox.publish(uow.committed)
            return result
        raise Conflict("the request kept meeting concurrent changes")

    def cache(self, vendor: str) -> dict:
        return self.caches.setdefault(vendor, {})

    def randomness(self) -> Randomness:
        return Randomness(self.seed)

    # addressing ---------------------------------------------------------------------------
    def prefix_of(self, vendor: str, path: str) -> str:
        prefix = f"/{vendor}"
        return prefix if path == prefix or path.startswith(prefix + "/") else ""

    def vendor_for_path(self, path: str) -> VendorRuntime | None:
        first = re.split(r"[/\\]", path.strip("/\\"), maxsplit=1)[0]
        if first in self.vendors:
            return self.vendors[first]
        if self.root_vendor and not path.startswith("/__sandbox"):
            return self.vendors[self.root_vendor]
        return None
