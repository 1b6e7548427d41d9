"""Fixed-window rate limiting keyed by (vendor, subject, bucket), on the sandbox clock, and the
header styles vendors choose by data. The subject is the tenant, or the principal as one of its
attrs names it (`per="principal:token_id"`: a window per API token; a principal without that
attr, a browser session say, is not limited).

A window opens at a subject's first counted request and lasts `window` seconds, so a client may
spend its whole allowance in a burst. Requests may cost more than one unit (some vendors count
writes double); a request that does not fit in what is left is refused whole.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Mapping

from .clock import Clock, iso_z


@dataclass(frozen=True)
class HeaderStyle:
    limit: str | None = None
    remaining: str | None = None
    reset: str | None = None
    reset_format: str = "iso"  # iso | epoch | seconds (until reset)
    retry_after: str = "Retry-After"


@dataclass(frozen=True)
class RateLimitPolicy:
    """A vendor's documented limits. `limit` may depend on the tenant's records. `per` says
    whose window a request counts in: "tenant" (the default), or "principal:ATTR", the
    principal's `attrs[ATTR]` within its tenant."""
    limit: int | Callable[[object, str], int]
    window: int = 60
    costs: Mapping[str, int] = field(default_factory=dict)  # method -> units (default 1)
    headers: HeaderStyle = HeaderStyle()
    per: str = "tenant"

    def __post_init__(self) -> None:
        kind, _, attr = self.per.partition(":")
        if not (self.per == "tenant" or (kind == "principal" and attr)):
            raise ValueError(f"RateLimitPolicy.per is 'tenant' or 'principal:ATTR', "
                             f"not {self.per!r}")

    def cost(self, method: str) -> int:
        return self.costs.get(method.upper(), 1)

    def subject(self, principal) -> str | None:
        """The window key of the principal's requests; None when it is not limited."""
        if self.per == "tenant":
            return principal.tenant
        attr = self.per.partition(":")[2]
        value = principal.attrs.get(attr)
        return None if value is None else f"{principal.tenant}/{attr}={value}"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float
    retry_after: int
    style: HeaderStyle

    def headers(self, now: float) -> dict[str, str]:
        out: dict[str, str] = {}
        s = self.style
        if s.limit:
            out[s.limit] = str(self.limit)
        if s.remaining:
            out[s.remaining] = str(self.remaining)
        if s.reset:
            out[s.reset] = {
                "iso": lambda: iso_z(datetime.fromtimestamp(self.reset_at, tz=timezone.utc)),
                "epoch": lambda: str(math.ceil(self.reset_at)),
                "seconds": lambda: str(max(0, math.ceil(self.reset_at - now))),
            }[s.reset_format]()
        if not self.allowed:
            out[s.retry_after] = str(self.retry_after)
        return out


class RateLimiter:
    """Counters for every (vendor, subject, bucket) and each vendor's mode, all kept in the store,
    so a limit holds for every process of a shared sandbox together."""

    MODES = "ratelimit_modes"

    def __init__(self, store, clock: Clock, default_mode: str = "documented"):
        self._store = store
        self._clock = clock
        self._default_mode = default_mode

    # modes -------------------------------------------------------------------------------
    def set_mode(self, vendor: str, mode: dict) -> None:
        self._store.update_state(self.MODES, lambda modes: {**(modes or {}), vendor: dict(mode)})
        self._store.clear_windows(f"rate:{vendor}")

    def mode(self, vendor: str) -> dict:
        return (self._store.state(self.MODES) or {}).get(vendor, {"mode": self._default_mode})

    def reset(self) -> None:
        self._store.update_state(self.MODES, lambda _: {})
        self._store.clear_windows()

    # counting ----------------------------------------------------------------------------
    def hit(self, vendor: str, subject: str, bucket: str, policy: RateLimitPolicy,
            method: str, resolve_limit: Callable[[], int]) -> Decision | None:
        """Count one request. With limits off nothing is counted or refused, but the answer
        still carries the vendor's headers (clients are told to read them): the documented
        limit, all of it remaining, and a window from now."""
        mode = self.mode(vendor)
        now = self._clock.timestamp()
        if mode.get("mode") == "off":
            limit = resolve_limit()
            return Decision(True, limit, limit, now + policy.window, policy.window,
                            policy.headers)
        limit = int(mode["limit"]) if "limit" in mode else resolve_limit()
        window = int(mode.get("window", policy.window))
        started, used, allowed = self._store.window_hit(
            f"rate:{vendor}", f"{subject}/{bucket}", now, window, policy.cost(method), limit)
        reset_at = started + window
        return Decision(allowed, limit, max(0, limit - used), reset_at,
                        max(1, math.ceil(reset_at - now)), policy.headers)

    def refusal(self, vendor: str, policy: RateLimitPolicy | None,
                resolve_limit: Callable[[], int], retry_after: int | None = None) -> Decision:
        """The refusal the limiter gives a subject that has just spent its window, as an
        injected 429 answers it: nothing left, the window (as the vendor's mode sets it)
        resetting `retry_after` seconds from now (default: a whole window). A vendor without a
        documented limit still says when to retry, in the standard `Retry-After`."""
        now = self._clock.timestamp()
        if policy is None:
            wait = 60 if retry_after is None else retry_after
            return Decision(False, 0, 0, now + wait, wait, HeaderStyle())
        mode = self.mode(vendor)
        limit = int(mode["limit"]) if "limit" in mode else resolve_limit()
        wait = int(mode.get("window", policy.window)) if retry_after is None else retry_after
        return Decision(False, limit, 0, now + wait, wait, policy.headers)
