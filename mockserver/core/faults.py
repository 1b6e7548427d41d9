"""Injected faults: rules that make requests matching a vendor, a method and a path glob fail the
way real services fail, for the next N faulted requests or until cleared.

Kinds: `status` (an error answer in the vendor's envelope; a 429 is the vendor's own rate-limit
refusal), `latency` (a slow but normal answer), `reset` (the connection is dropped without an
answer), `malformed` (the normal answer with its body cut short). `latency_ms` delays any kind.

The rules are a state document of the store and each rule's use is a store counter, so a rule
with `times: 3` answers exactly three requests however many processes share the store.

`probability` p (0..1) is decided per request without shared randomness: the n-th request a rule
matches (n from the rule's store counter) is faulted when the first 8 bytes of
sha256("SEED:RULE_ID:n"), read as a fraction of 2**64, are below p. The same seed, rules and
request order give the same faulted requests on every run and every store.
"""
from __future__ import annotations

import fnmatch
import hashlib
import re
import time
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from typing import Callable

KINDS = ("status", "latency", "reset", "malformed")
FIELDS = ("vendor", "method", "path", "kind", "status", "latency_ms", "probability",
          "retry_after", "times")
_METHOD = re.compile(r"^[A-Za-z]{1,16}$|^\*$")


class FaultProblem(ValueError):
    """A fault rule the injector refuses; `field` names the culprit."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass
class FaultRule:
    id: int
    vendor: str | None = None
    method: str | None = None
    path: str = "*"
    status: int | None = None
    latency_ms: int | None = None
    times: int | None = None  # None: until cleared
    hits: int = field(default=0)  # requests faulted so far
    kind: str = "status"
    probability: float | None = None  # None: every matching request
    retry_after: int | None = None  # a 429's Retry-After (default: the vendor's window)

    def matches(self, vendor: str, method: str, paths: tuple[str, ...]) -> bool:
        return ((self.vendor is None or self.vendor == vendor)
                and (self.method is None or self.method in ("*", method.upper()))
                and any(fnmatch.fnmatchcase(p, self.path) for p in paths))

    def journal_mark(self) -> dict:
        """What the journal entry of a faulted request says about the fault."""
        mark = {"id": self.id, "kind": self.kind}
        if self.status is not None:
            mark["status"] = self.status
        if self.latency_ms:
            mark["latency_ms"] = self.latency_ms
        return mark


def _integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def checked_rule(rule_id: int, body: dict) -> FaultRule:
    """A rule from a control call's body; FaultProblem names the first bad field."""
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise FaultProblem(unknown[0], f"unknown field(s) {unknown}; a fault takes "
                                       f"{list(FIELDS)}")
    vendor, method, path = body.get("vendor"), body.get("method"), body.get("path", "*")
    status, latency = body.get("status"), body.get("latency_ms")
    times, probability = body.get("times"), body.get("probability")
    retry_after = body.get("retry_after")
    if vendor is not None and not isinstance(vendor, str):
        raise FaultProblem("vendor", "'vendor' must be a vendor name")
    if method is not None and not (isinstance(method, str) and _METHOD.match(method)):
        raise FaultProblem("method", "'method' must be an HTTP method such as GET, or '*'")
    if path is not None and not isinstance(path, str):
        raise FaultProblem("path", "'path' must be a glob such as /api/v1/*")
    kind = body.get("kind", "status" if status is not None else
                    "latency" if latency is not None else None)
    if kind is None:
        raise FaultProblem("kind", "a fault needs 'status', 'latency_ms' or a 'kind' "
                                   f"(one of {list(KINDS)})")
    if kind not in KINDS:
        raise FaultProblem("kind", f"'kind' must be one of {list(KINDS)}, not {kind!r}")
    if status is not None and not (_integer(status) and 400 <= status <= 599):
        raise FaultProblem("status", "'status' must be an HTTP error status (400-599)")
    if kind == "status" and status is None:
        raise FaultProblem("status", "a fault of kind 'status' needs 'status'")
    if kind != "status" and status is not None:
        raise FaultProblem("status", f"'status' is for kind 'status' only; a {kind!r} fault "
                                     "answers no status of its own")
    if latency is not None and not (_integer(latency) and 0 <= latency <= 60000):
        raise FaultProblem("latency_ms", "'latency_ms' must be an integer from 0 to 60000")
    if kind == "latency" and latency is None:
        raise FaultProblem("latency_ms", "a fault of kind 'latency' needs 'latency_ms'")
    if probability is not None and not (
            isinstance(probability, (int, float)) and not isinstance(probability, bool)
            and 0 <= probability <= 1):
        raise FaultProblem("probability", "'probability' must be a number from 0 to 1")
    if retry_after is not None:
        if status != 429:
            raise FaultProblem("retry_after", "'retry_after' is for a status 429 fault only")
        if not (_integer(retry_after) and 0 <= retry_after <= 86400):
            raise FaultProblem("retry_after", "'retry_after' must be seconds from 0 to 86400")
    if times is not None and not (_integer(times) and times >= 1):
        raise FaultProblem("times", "'times' must be a positive integer (omit it for "
                                    "'until cleared')")
    return FaultRule(rule_id, vendor, method.upper() if method else None, path or "*", status,
                     latency, times, 0, kind,
                     float(probability) if probability is not None else None, retry_after)


def drawn(seed: int, rule_id: int, n: int) -> float:
    """The n-th matching request's draw for a rule, in [0, 1): a hash, not shared randomness."""
    digest = hashlib.sha256(f"{seed}:{rule_id}:{n}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def status_error(errors, status: int) -> tuple[str, str]:
    """A plausible (code, message) of the vendor for an injected status: the core refusal the
    vendor already has for it (400, 404, 405, 413, 415, 429), or the HTTP reason phrase written
    the way the vendor writes its codes (SERVICE_UNAVAILABLE, service_unavailable,
    ServiceUnavailable), else the vendor's generic fault code."""
    kind = {400: "validation", 404: "not_found", 405: "method_not_allowed", 413: "too_large",
            415: "unsupported_media_type", 429: "rate_limited"}.get(status)
    if kind is not None:
        return errors[kind]
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return errors["fault"]
    return cased(phrase, errors["not_found"][0]), phrase


def cased(phrase: str, like: str) -> str:
    """`phrase` as a code in the case style of the code `like`."""
    words = re.findall(r"[A-Za-z0-9]+", phrase)
    if "_" in like or like.isupper() or like.islower():
        joined = "_".join(words)
        return joined.upper() if like.isupper() else joined.lower()
    pascal = "".join(w[:1].upper() + w[1:].lower() for w in words)
    return pascal if like[:1].isupper() else pascal[:1].lower() + pascal[1:]


class FaultInjector:
    STATE = "faults"

    def __init__(self, store, sleep=None):
        self._store = store
        self._sleep = sleep  # None: time.sleep as it is at call time (gevent patches it)

    def add(self, **body) -> FaultRule:
        checked_rule(0, body)  # refused before an id is spent
        rule = checked_rule(self._store.incr("fault_ids"), body)
        rule_doc = asdict(rule)
        self._store.update_state(self.STATE, lambda rules: [*(rules or []), rule_doc])
        return rule

    def _rules(self) -> list[FaultRule]:
        return [FaultRule(**r) for r in self._store.state(self.STATE) or ()]

    def take(self, vendor: str, method: str, *paths: str,
             seed: Callable[[], int] = lambda: 0) -> FaultRule | None:
        """The first live rule matching the request whose draw says so, counted as used once.
        `seed` is asked only when a rule with a probability matches."""
        for rule in self._rules():
            if not rule.matches(vendor, method, paths):
                continue
            if rule.probability is not None and rule.probability < 1:
                n = self._store.incr(f"fault_seen:{rule.id}")
                if drawn(seed(), rule.id, n) >= rule.probability:
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
