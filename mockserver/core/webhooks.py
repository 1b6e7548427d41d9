"""Webhooks: committed events -> signed deliveries -> attempts (retried on the sandbox clock)
-> the delivery log.

A vendor declares its webhook style by data (`WebhookStyle` on its Vendor descriptor): the
signature header, which of its domain events are webhook events and their data (a vendor
function), the payload envelope (a vendor function), and where its subscriptions live (a
collection of the tenant, with the fields naming the target URL, the secret, the subscribed
event names and the active switch). The core does the rest, the same for every vendor:

- After a commit (core.outbox), each webhook event goes to every active subscription of the
  tenant that lists it (all events when the subscription lists none). Each becomes a delivery:
  a record in the store (so every process sees it) holding the exact raw body, its signature
  (hex HMAC-SHA256 of the raw body, keyed by the subscription's secret) and the headers sent.
- The first attempt is due at once; the scheduler's worker (core.schedule) makes it within
  moments. A failed attempt (a non-2xx status, a timeout, a refused connection, a blocked
  target) is retried after `RETRY_AFTER` seconds of *sandbox* time: 1 min, 5 min, 30 min, 2 h
  and 6 h after the failures before, so `ATTEMPTS` (6) attempts in all, then the delivery is
  `failed`. Moving the clock makes due retries run.
- Several processes share the store: a process claims a due delivery with an optimistic commit
  (the version of the deliveries it read must still hold) that sets a lease (real time: the
  attempt's timeout and a margin); another process skips it while the lease runs, so each
  attempt is made once. A process that dies mid-attempt leaves a lease that runs out, and the
  attempt is made again.
- The log (the control API) lists, shows, redelivers (one more attempt, now) and clears.
"""
from __future__ import annotations

import copy
import hashlib
import hmac
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from . import webhook_http
from .store import Conflict

log = logging.getLogger("mockserver")

RETRY_AFTER = (60, 300, 1800, 7200, 21600)  # sandbox seconds after the 1st, 2nd, ... failure
ATTEMPTS = len(RETRY_AFTER) + 1             # then the delivery is given up ("failed")
KEEP = 2000                                 # deliveries kept; the oldest finished ones go first
LEASE = webhook_http.TIMEOUT * 2 + 10       # real seconds a claimed attempt is held
KEY = ("__sandbox", "webhooks", "deliveries")  # where deliveries live in the store
STATES = ("pending", "delivered", "failed")
FILTERS = ("vendor", "tenant", "event", "state", "webhook")


def default_envelope(event: str, data: Any, *, webhook: dict, delivery_id: str,
                     time: str) -> dict:
    return {"event": event, "delivery_id": delivery_id, "created_at": time, "data": data}


@dataclass(frozen=True)
class WebhookStyle:
    """How a vendor's webhooks look; every field is data or a pure function of the vendor's."""
    signature_header: str
    # a committed domain event -> the webhook events it is, as (event name, data) pairs
    events: Callable[[dict], Iterable[tuple[str, Any]]]
    # (event name, data, webhook=subscription record, delivery_id=, time=ISO) -> the payload
    envelope: Callable[..., Any] = default_envelope
    collection: str = "webhooks"           # the tenant's subscriptions
    id_field: str = "id"
    url_field: str = "url"
    secret_field: str = "secret"
    # the first of these fields present and not null lists the subscribed event names; when
    # none is, the subscription receives every event
    events_fields: tuple[str, ...] = ("events",)
    active_field: str | None = "active"    # a false value switches a subscription off
    event_header: str | None = None        # a header naming the event, when the vendor sends one
    delivery_header: str | None = None     # a header naming the delivery id
    user_agent: str = "mockserver-webhooks/1"


def sign(secret: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of the raw body, keyed by the secret."""
    return hmac.new((secret or "").encode(), body, hashlib.sha256).hexdigest()


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="milliseconds") \
        .replace("+00:00", "Z")


class UnknownDelivery(KeyError):
    pass


class Busy(RuntimeError):
    """The delivery is being attempted right now."""


class Webhooks:
    def __init__(self, backend, clock, styles: dict[str, WebhookStyle],
                 allow: tuple[str, ...] = (), wake: Callable[[], None] = lambda: None,
                 wall: Callable[[], float] = time.time):
        self.backend = backend
        self.clock = clock
        self.styles = styles          # vendor -> style, for the vendors that declare one
        self.allow = tuple(allow)
        self._wake = wake
        self._wall = wall

    # after a commit: events -> deliveries ----------------------------------------------------
    def on_events(self, events: list[dict]) -> None:
        made: dict[str, dict] = {}
        for event in events:
            style = self.styles.get(event.get("vendor"))
            if style is None:
                continue
            produced = list(style.events(event))
            if not produced:
                continue
            hooks = [h for h in self.backend.all(event["vendor"], event["tenant"],
                                                 style.collection) if self._active(style, h)]
            for name, data in produced:
                for hook in hooks:
                    if self._subscribed(style, hook, name):
                        delivery = self._delivery(style, event, hook, name, data)
                        made[delivery["id"]] = delivery
        if made:
            self.backend.commit({}, {KEY: {**self._pruned(len(made)), **made}}, [])
            self._wake()

    @staticmethod
    def _active(style: WebhookStyle, hook: dict) -> bool:
        return not style.active_field or hook.get(style.active_field, True) is not False

    @staticmethod
    def _subscribed(style: WebhookStyle, hook: dict, name: str) -> bool:
        for field in style.events_fields:
            listed = hook.get(field)
            if listed is not None:
                return name in listed
        return True

    def _delivery(self, style: WebhookStyle, event: dict, hook: dict, name: str,
                  data: Any) -> dict:
        ident = f"whd_{self.backend.incr('webhook_delivery')}"
        now = self.clock.timestamp()
        payload = style.envelope(name, data, webhook=hook, delivery_id=ident, time=_iso(now))
        raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        signature = sign(hook.get(style.secret_field) or "", raw.encode())
        headers = {"Content-Type": "application/json", "User-Agent": style.user_agent,
                   style.signature_header: signature}
        if style.event_header:
            headers[style.event_header] = name
        if style.delivery_header:
            headers[style.delivery_header] = ident
        return {"id": ident, "vendor": event["vendor"], "tenant": event["tenant"],
                "webhook": hook.get(style.id_field), "event": name,
                "target": hook.get(style.url_field) or "", "payload": raw,
                "signature": signature, "headers": headers, "state": "pending",
                "attempts": [], "created_at": now, "due": now, "lease": None,
                "request_id": event.get("request_id"),
                # tells this delivery from a later one given the same id after a reset (ids
                # restart); internal, never part of an answer
                "token": uuid.uuid4().hex}

    def _pruned(self, adding: int) -> dict[str, None]:
        """Deletions of the oldest finished deliveries beyond `KEEP`."""
        records = self.backend.records(*KEY)
        over = len(records) + adding - KEEP
        if over <= 0:
            return {}
        finished = [i for i, r in list(records.items()) if r["state"] != "pending"]
        return {i: None for i in finished[:over]}

    # attempts ----------------------------------------------------------------------------------
    def run_due(self, now: float) -> None:
        """The scheduler's job: claim what is due and attempt each in a worker of its own."""
        for delivery in self._claim_due(now):
            threading.Thread(target=self._attempt_logged, args=(delivery,), daemon=True,
                             name=f"webhook-{delivery['id']}").start()

    def deliver_due(self) -> int:
        """Attempt every due delivery now, in the caller's thread; answers how many."""
        claimed = self._claim_due(self.clock.timestamp())
        for delivery in claimed:
            self._attempt(delivery)
        return len(claimed)

    def _claim_due(self, now: float) -> list[dict]:
        self.backend.begin(numbered=False)
        try:
            wall = self._wall()
            due = sorted((r for r in list(self.backend.records(*KEY).values())
                          if r["state"] == "pending" and r["due"] is not None and r["due"] <= now
                          and not self._leased(r, wall)), key=lambda r: r["due"])
            claimed = []
            for record in due:
                taken = self._claim(record["id"], record["token"], now, manual=False)
                if taken is not None:
                    claimed.append(taken)
            return claimed
        finally:
            self.backend.end()

    def _leased(self, record: dict, wall: float) -> bool:
        return record.get("lease") is not None and record["lease"] > wall

    def _claim(self, ident: str, token: str, now: float, manual: bool) -> dict | None:
        wall = self._wall()

        def take(record):
            if record["token"] != token or self._leased(record, wall):
                return None
            if not manual and (record["state"] != "pending" or record["due"] is None
                               or record["due"] > now):
                return None
            record["lease"] = wall + LEASE
            return record
        return self._update(ident, take)

    def _update(self, ident: str, change: Callable[[dict], dict | None]) -> dict | None:
        """`change` applied to the stored delivery, committed only if nobody changed the
        deliveries meanwhile (else read again and retry); None when `change` declines or the
        delivery is gone."""
        for _ in range(50):
            self.backend.begin(numbered=False)  # a fresh view on every try
            version = self.backend.version(*KEY)  # before the read: a later change conflicts
            record = self.backend.peek(*KEY, ident)
            if record is None:
                return None
            changed = change(copy.deepcopy(record))
            if changed is None:
                return None
            try:
                self.backend.commit({KEY: version}, {KEY: {ident: changed}}, [])
                return changed
            except Conflict:
                continue
        return None

    def _attempt_logged(self, delivery: dict) -> None:
        try:
            self._attempt(delivery)
        except Exception:
            log.exception("webhook delivery %s failed in the sandbox", delivery["id"])
        finally:
            self.backend.end()

    def _attempt(self, delivery: dict, manual: bool = False) -> dict | None:
        started = self.clock.timestamp()
        outcome = webhook_http.post(delivery["target"], delivery["payload"].encode(),
                                    delivery["headers"], self.allow)
        attempt = {"time": started, "status": outcome.status, "error": outcome.error,
                   "duration_ms": outcome.duration_ms, "response": outcome.response,
                   "manual": manual}
        if outcome.error is None and not outcome.delivered:
            attempt["error"] = f"the receiver answered {outcome.status} (not 2xx)"

        def record_it(record):
            if record["token"] != delivery["token"]:
                return None  # cleared or reset meanwhile: this attempt belongs to nobody now
            record["attempts"].append(attempt)
            record["lease"] = None
            automatic = sum(1 for a in record["attempts"] if not a.get("manual"))
            if outcome.delivered:
                record["state"], record["due"] = "delivered", None
            elif manual:
                if record["state"] != "pending":
                    record["state"] = "failed"
            elif automatic >= ATTEMPTS:
                record["state"], record["due"] = "failed", None
            else:
                record["due"] = started + RETRY_AFTER[automatic - 1]
            return record
        return self._update(delivery["id"], record_it)

    # the log -----------------------------------------------------------------------------------
    def deliveries(self, filters: dict[str, str]) -> list[dict]:
        unknown = sorted(set(filters) - set(FILTERS))
        if unknown:
            raise ValueError(f"unknown filter(s) {unknown}; filters: {list(FILTERS)}")
        if "state" in filters and filters["state"] not in STATES:
            raise ValueError(f"'state' must be one of {list(STATES)}")
        out = []
        for record in list(self.backend.records(*KEY).values()):
            if all(str(record.get(k)) == v for k, v in filters.items()):
                out.append(self.render(record))
        return out

    def delivery(self, ident: str) -> dict:
        record = self.backend.peek(*KEY, ident)
        if record is None:
            raise UnknownDelivery(ident)
        return self.render(record)

    def redeliver(self, ident: str) -> dict:
        """One more attempt, now, in the caller's thread; answers the delivery after it."""
        record = self.backend.peek(*KEY, ident)
        if record is None:
            raise UnknownDelivery(ident)
        taken = self._claim(ident, record["token"], self.clock.timestamp(), manual=True)
        if taken is None:
            if self.backend.peek(*KEY, ident) is None:
                raise UnknownDelivery(ident)
            raise Busy(ident)
        return self.render(self._attempt(taken, manual=True) or taken)

    def clear(self) -> int:
        records = self.backend.records(*KEY)
        if records:
            self.backend.commit({}, {KEY: {i: None for i in list(records)}}, [])
        return len(records)

    @staticmethod
    def render(record: dict) -> dict:
        return {"id": record["id"], "vendor": record["vendor"], "tenant": record["tenant"],
                "webhook": record["webhook"], "event": record["event"],
                "target": record["target"], "state": record["state"],
                "created_at": _iso(record["created_at"]),
                "next_attempt_at": _iso(record["due"]) if record["state"] == "pending" else None,
                "attempts": [{**a, "time": _iso(a["time"])} for a in record["attempts"]],
                "payload": record["payload"], "signature": record["signature"],
                "headers": record["headers"], "request_id": record.get("request_id")}
