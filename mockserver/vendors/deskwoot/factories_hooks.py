"""Seed builders for webhooks and automation rules: on each account of the Business plan or
higher, one webhook and one automation rule, both switched off (`active: false`), so the seed
shows the shapes and the other accounts' ids exist, while no seeded webhook receives deliveries
and no seeded rule changes a conversation until a test switches it on."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterator

from mockserver.core.clock import iso_z

from . import records_hooks
from .ids import V, cuid
from .webhook_style import EVENTS, secret

PLANS = ("BUSINESS", "ENTERPRISE")


def build(index: int, acc: dict, rng, now: datetime) -> Iterator[tuple[str, str, object, dict]]:
    if acc.get("plan") not in PLANS:
        return
    tenant = cuid(rng.stream(V, "ids", index))  # the account's id (factories._account's first)
    ids = rng.stream(V, "hook_ids", index)
    created = iso_z(now - timedelta(days=30))
    hook_id = cuid(ids)
    yield tenant, "webhooks", hook_id, records_hooks.webhook(
        hook_id, tenant, url="https://example.com/webhooks/deskwoot",
        subscriptions=list(EVENTS), secret=secret(rng, tenant, hook_id), created_at=created,
        active=False)
    rule_id = cuid(ids)
    yield tenant, "automation_rules", rule_id, records_hooks.automation_rule(
        rule_id, tenant, name="Urgent when a VIP writes", event_name="message_created",
        description="Seeded switched off", created_at=created, active=False,
        conditions=[{"attribute": "label", "operator": "contains", "value": "VIP"}],
        actions=[{"type": "change_priority", "value": "URGENT"}])
