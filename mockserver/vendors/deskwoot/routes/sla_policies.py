"""SLA policies: list with conversation counts, create, update, delete — page "SLA Policies"
(Business plan or higher, a spec gate; admin only to change). A policy keeps the ids of the
conversations it applies to; the count is of those that still exist, computed on each read."""
from __future__ import annotations

from .. import records, schemas
from ..desk import (account, audit, changed, find, mint, no_content, oldest_first, peek, remove,
                    save)
from ..models import now_iso

__all__ = ["list_sla_policies", "create_sla_policy", "update_sla_policy", "delete_sla_policy"]

FIELDS = ("name", "description", "firstResponseTimeThreshold", "nextResponseTimeThreshold",
          "resolutionTimeThreshold", "onlyDuringBusinessHours")


def _render(ctx, record: dict) -> dict:
    count = sum(1 for i in record["conversationIds"] if peek(ctx, "conversations", i))
    return schemas.sla_policy(record, count)


def list_sla_policies(ctx):
    account(ctx)
    found = oldest_first(ctx, "sla_policies")
    return [_render(ctx, r) for r in found]


def create_sla_policy(ctx):
    account(ctx)
    body = ctx.body
    record = save(ctx, "sla_policies", records.sla_policy(
        mint(ctx, "sla_policies"), ctx.tenant, name=body["name"], created_at=now_iso(ctx),
        description=body.get("description"),
        first_response=body.get("firstResponseTimeThreshold"),
        next_response=body.get("nextResponseTimeThreshold"),
        resolution=body.get("resolutionTimeThreshold"),
        only_business_hours=body.get("onlyDuringBusinessHours", False)))
    audit(ctx, "sla_policy.created", policyId=record["id"], name=record["name"])
    return _render(ctx, record), 201


def update_sla_policy(ctx):
    account(ctx)
    record = find(ctx, "sla_policies", ctx.path_params["policyId"])
    save(ctx, "sla_policies", changed(record, ctx.body, FIELDS))
    audit(ctx, "sla_policy.updated", policyId=record["id"], name=record["name"])
    return _render(ctx, record)


def delete_sla_policy(ctx):
    account(ctx)
    record = find(ctx, "sla_policies", ctx.path_params["policyId"])
    remove(ctx, "sla_policies", record["id"])
    audit(ctx, "sla_policy.deleted", policyId=record["id"], name=record["name"])
    return no_content()
