"""Seed builders for an account's settings records: canned responses, macros, custom
attributes, SLA policies (applied to some of the account's conversations), business hours and
the AI conversation meter (seed_data/deskwoot.yaml, under each account). Called by
factories.build_seed with the rows already built for the account; randomness only from
`rng.stream(...)`, dates relative to the anchor."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from mockserver.core.clock import iso_z

from . import records
from .ids import V, cuid


def _month_start(at: datetime, back: int) -> str:
    index = at.year * 12 + at.month - 1 - back
    return iso_z(datetime(index // 12, index % 12 + 1, 1, tzinfo=timezone.utc))


def build(index: int, acc: dict, rng, now: datetime, made: list):
    ids = rng.stream(V, "settings-ids", index)
    rnd = rng.stream(V, "settings-data", index)
    tenant = made[0][0]
    by_kind: dict[str, list] = {}
    for _, collection, _, record in made:
        by_kind.setdefault(collection, []).append(record)
    users = {u["email"]: u for u in by_kind.get("users", [])}
    admin = next(u for u in users.values() if u["role"] == "ADMINISTRATOR")
    conversations = by_kind.get("conversations", [])

    def at(days: float) -> str:
        return iso_z(now - timedelta(days=days))

    def row(collection: str, record: dict):
        return tenant, collection, record["id"], record

    for i, spec in enumerate(acc.get("canned_responses", [])):
        yield row("canned_responses", records.canned_response(
            cuid(ids), tenant, short_code=spec["shortCode"], content=spec["content"],
            created_at=at(200 - i)))
    for i, spec in enumerate(acc.get("macros", [])):
        owner = users.get(spec.get("user")) or admin
        yield row("macros", records.macro(
            cuid(ids), tenant, name=spec["name"], created_at=at(150 - i),
            created_by_id=owner["id"], visibility=spec.get("visibility", "PERSONAL"),
            actions=spec.get("actions")))
    for i, spec in enumerate(acc.get("custom_attributes", [])):
        yield row("custom_attributes", records.custom_attribute(
            cuid(ids), tenant, display_name=spec["name"], key=spec["key"],
            created_at=at(180 - i), display_type=spec.get("type", "TEXT"),
            model=spec.get("model", "CONVERSATION"), values=spec.get("values")))
    for i, spec in enumerate(acc.get("sla_policies", [])):
        share = spec.get("share", 0)
        applied = [c["id"] for c in conversations if rnd.random() < share]
        yield row("sla_policies", records.sla_policy(
            cuid(ids), tenant, name=spec["name"], created_at=at(170 - i),
            description=spec.get("description"), first_response=spec.get("first_response"),
            next_response=spec.get("next_response"), resolution=spec.get("resolution"),
            only_business_hours=spec.get("business_hours_only", False),
            conversation_ids=applied))
    yield row("business_hours", records.business_hours(
        tenant, timezone=acc.get("timezone", "UTC"), enabled=acc.get("business_hours", True)))
    ai = acc.get("ai", {})
    usage = [{"periodStart": _month_start(now, back), "conversations": n}
             for back, n in enumerate(ai.get("used", []))]
    recharge = ai.get("auto_recharge", {})
    yield row("ai_meter", records.ai_meter(
        tenant, prepaid_balance=ai.get("prepaid_balance", 0.0), usage=usage,
        auto_recharge_enabled=recharge.get("enabled", False),
        auto_recharge_amount=recharge.get("amount", 100),
        auto_recharge_max_per_month=recharge.get("max_per_month", 5),
        recharges=[at(d) for d in recharge.get("recent_days_ago", [])
                   if _month_start(now, 0) <= at(d)]))
