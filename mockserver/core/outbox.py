"""Events after commit -> subscribers: the in-process consumers of domain events (webhooks;
later automation rules).

A unit of work's events (`record.created/changed/deleted` per record it wrote, and the vendor
events raised with `emit`) exist only once it commits (core.unit_of_work). The process that made
the commit hands exactly that commit's events to every subscriber, right after the commit and
before the request is answered. That is how each event is handled exactly once however many
processes share the store: only one process ever commits a given unit of work, and it is the
one that knows its events (no claiming, no polling of the outbox list, no event handled twice by
two processes). The store's outbox list keeps a bounded copy of the events for inspection.

The price, accepted for a sandbox: a process killed between its commit and the hand-over loses
that commit's events. A subscriber must be quick (the request waits for it): it records the work
the events cause (a webhook delivery, a rule to run) in the store, and leaves slow work (an HTTP
call) to the background (core.schedule). A subscriber that fails is logged; the committed change
stands and the request is answered as it would have been.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable

log = logging.getLogger("mockserver")

Subscriber = Callable[[list[dict]], None]


class Outbox:
    def __init__(self) -> None:
        self._subscribers: dict[str, Subscriber] = {}

    def subscribe(self, name: str, subscriber: Subscriber) -> None:
        """`subscriber(events)` is called with the events of every commit that raised any."""
        self._subscribers[name] = subscriber

    @property
    def subscribers(self) -> list[str]:
        return list(self._subscribers)

    def publish(self, events: Iterable[dict]) -> None:
        events = list(events)
        if not events:
            return
        for name, subscriber in list(self._subscribers.items()):
            try:
                subscriber(events)
            except Exception:  # the change committed: a consumer's bug must not undo the answer
                log.exception("outbox subscriber %s failed", name)
