"""Automation rules: list, create, update, delete (page "Automation Rules"; Business plan and
higher, `settings.manage_automation` for changes — spec data). Running them is automation.py."""
from __future__ import annotations

from .. import automation, records_hooks
from ..desk import account, find, mint, no_content, oldest_first, remove, save
from ..models import now_iso

__all__ = ["list_automation_rules", "create_automation_rule", "update_automation_rule",
           "delete_automation_rule"]


def list_automation_rules(ctx):
    account(ctx)
    return oldest_first(ctx, "automation_rules")


def create_automation_rule(ctx):
    account(ctx)
    body = ctx.body
    return save(ctx, "automation_rules", records_hooks.automation_rule(
        mint(ctx, "automation_rules"), ctx.tenant, name=body["name"],
        description=body.get("description"), event_name=body["eventName"],
        conditions=automation.check_conditions(body.get("conditions") or []),
        actions=automation.check_actions(ctx, body.get("actions") or []),
        active=body.get("active", True), created_at=now_iso(ctx))), 201


def update_automation_rule(ctx):
    account(ctx)
    rule = find(ctx, "automation_rules", ctx.path_params["ruleId"])
    body = ctx.body
    for field in ("name", "description", "eventName", "active"):
        if field in body:
            rule[field] = body[field]
    if "conditions" in body:
        rule["conditions"] = automation.check_conditions(body["conditions"] or [])
    if "actions" in body:
        rule["actions"] = automation.check_actions(ctx, body["actions"] or [])
    return save(ctx, "automation_rules", rule)


def delete_automation_rule(ctx):
    account(ctx)
    find(ctx, "automation_rules", ctx.path_params["ruleId"])
    remove(ctx, "automation_rules", ctx.path_params["ruleId"])
    return no_content()
