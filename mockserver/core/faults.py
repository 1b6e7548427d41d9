"""Injected faults: a status or a latency for requests matching a vendor, a method and a path glob,
for the next N matching requests or until cleared.

The rules are a state document of the store and each rule's use is a store counter, so a rule
with `times: 3` answers exactly three requests however many processes share the store.
"""
from __future__ import annotations

import fnmatch
import time
from dataclasses import asdict, dataclass, field


@dataclass
class FaultRule:
    id: int
    vendor: str | None = None
    method: str | None = None
    path: str = "*"
    status: int | None = None
    latency_ms: int | None = None
    times: int | None = None  # None: until cleared
    hits: int = field(default=0)

    def matches(self, vendor: str, method: str, paths: tuple[str, ...]) -> bool:
        return ((self.vendor is None or self.vendor == vendor)
                and (self.method is None or self.method in ("*", method.upper()))
                and any(fnmatch.fnmatchcase(p, self.path) for p in paths))


class FaultInjector:
    STATE = "faults"

    def __init__(self, store, sleep=None):
        self._store = store
        self._sleep = sleep  # None: time.sleep as it is at call time (gevent patches it)

    def add(self, *, vendor=None, method=None, path="*", status=None, latency_ms=None,
            times=None) -> FaultRule:
        if status is None and latency_ms is None:
            raise ValueError("a fault needs 'status' or 'latency_ms'")
        if status is not None and not (isinstance(status, int) and 100 <= status <= 599):
            raise ValueError("'status' must be an HTTP status code (100-599)")
        if latency_ms is not None and not (isinstance(latency_ms, int) and 0 <= latency_ms <= 60000):
            raise ValueError("'latency_ms' must be an integer from 0 to 60000")
        if times is not None and not (isinstance(times, int) and times >= 1):
            raise ValueError("'times' must be a positive integer (omit it for 'until cleared')")
        rule = FaultRule(self._store.incr("fault_ids"), vendor, method.upper() if method else None,
                         path or "*", status, latency_ms, times)
        rule_doc = asdict(rule)
        self._store.update_state(self.STATE, lambda rules: [*(rules or []), rule_doc])
        return rule

    def _rules(self) -> list[FaultRule]:
        return [FaultRule(**r) for r in self._store.state(self.STATE) or ()]

    def take(self, vendor: str, method: str, *paths: str) -> FaultRule | None:
        """The first live rule matching the request, counted as used once."""
        for rule in self._rules():
            if not rule.matches(vendor, method, paths):
                continue
            rule.hits = self._store.incr(f"fault:{rule.id}")
            if rule.times is None or rule.hits <= rule.times:
                return rule
        return None

    def delay(self, rule: FaultRule) -> None:
        if rule.latency_ms:
            (self._sleep or time.sleep)(rule.latency_ms / 1000.0)

    def rules(self) -> list[dict]:
        """The live rules (a rule used up is gone), each with its use count."""
        hits = self._store.counters("fault:")
        out = []
        for rule in self._rules():
            rule.hits = hits.get(f"fault:{rule.id}", 0)
            if rule.times is None or rule.hits < rule.times:
                out.append(asdict(rule))
        return out

    def clear(self) -> None:
        self._store.update_state(self.STATE, lambda _: [])
