"""Injected faults: a status or a latency for requests matching a vendor, a method and a path glob,
for the next N matching requests or until cleared."""
from __future__ import annotations

import fnmatch
import threading
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
    def __init__(self, sleep=time.sleep):
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()
        self._next = 1
        self._sleep = sleep

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
        with self._lock:
            rule = FaultRule(self._next, vendor, method.upper() if method else None, path or "*",
                             status, latency_ms, times)
            self._next += 1
            self._rules.append(rule)
            return rule

    def take(self, vendor: str, method: str, *paths: str) -> FaultRule | None:
        """The first live rule matching the request, counted as used once."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(vendor, method, paths):
                    rule.hits += 1
                    if rule.times is not None and rule.hits >= rule.times:
                        self._rules.remove(rule)
                    return rule
        return None

    def delay(self, rule: FaultRule) -> None:
        if rule.latency_ms:
            self._sleep(rule.latency_ms / 1000.0)

    def rules(self) -> list[dict]:
        with self._lock:
            return [asdict(r) for r in self._rules]

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
