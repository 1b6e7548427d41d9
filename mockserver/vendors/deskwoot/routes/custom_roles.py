"""Custom roles: list, create and update with permission flags, delete (its agents keep their
base role) — page "Custom Roles" (admin only). The flags an agent's role grants are what the
spec's `settings.manage_*` and `bots.manage` gates read (models.py)."""
from __future__ import annotations

from .. import records, schemas
from ..desk import (account, audit, bad, changed, find, mint, no_content, oldest_first, remove,
                    rows, save, unique)
from ..models import now_iso

__all__ = ["list_custom_roles", "create_custom_role", "update_custom_role",
           "delete_custom_role"]

# the permission names the page and the spec's gates use (x-sandbox-note of create_custom_role)
PERMISSIONS = ("conversations.manage", "contacts.manage", "reports.view",
               "settings.manage_inboxes", "settings.manage_teams", "settings.manage_labels",
               "settings.manage_canned_responses", "settings.manage_automation",
               "settings.manage_campaigns", "settings.manage_account",
               "settings.manage_billing", "bots.manage")


def _permissions(body: dict) -> dict:
    given = body.get("permissions") or {}
    unknown = sorted(set(given) - set(PERMISSIONS))
    if unknown:
        raise bad(f"permissions: unknown permission {unknown[0]} (known: "
                  f"{', '.join(PERMISSIONS)})")
    return dict(given)


def _unique(ctx, name: str, own_id=None) -> None:
    unique(ctx, "custom_roles", "name", name, own_id,
           f"name: a custom role named {name} already exists")


def list_custom_roles(ctx):
    account(ctx)
    found = oldest_first(ctx, "custom_roles")
    return [schemas.custom_role(r) for r in found]


def create_custom_role(ctx):
    account(ctx)
    body = ctx.body
    _unique(ctx, body["name"])
    record = save(ctx, "custom_roles", records.custom_role(
        mint(ctx, "custom_roles"), ctx.tenant, name=body["name"], created_at=now_iso(ctx),
        description=body.get("description"), permissions=_permissions(body)))
    audit(ctx, "custom_role.created", roleId=record["id"], name=record["name"])
    return schemas.custom_role(record), 201


def update_custom_role(ctx):
    """`permissions` replaces the role's flags as a whole."""
    account(ctx)
    record = find(ctx, "custom_roles", ctx.path_params["roleId"])
    if "name" in ctx.body:
        _unique(ctx, ctx.body["name"], record["id"])
    changed(record, ctx.body, ("name", "description"))
    if "permissions" in ctx.body:
        record["permissions"] = _permissions(ctx.body)
    save(ctx, "custom_roles", record)
    audit(ctx, "custom_role.updated", roleId=record["id"], name=record["name"])
    return schemas.custom_role(record)


def delete_custom_role(ctx):
    account(ctx)
    record = find(ctx, "custom_roles", ctx.path_params["roleId"])
    for user in rows(ctx, "users"):
        if user.get("customRoleId") == record["id"]:
            user = find(ctx, "users", user["id"])
            user["customRoleId"] = None
            save(ctx, "users", user)
    remove(ctx, "custom_roles", record["id"])
    audit(ctx, "custom_role.deleted", roleId=record["id"], name=record["name"])
    return no_content()
