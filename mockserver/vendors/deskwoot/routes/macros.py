"""Macros: the list shows every public macro and the caller's own personal ones; create
(PERSONAL by default), update and delete — page "Macros". A token acts for the user who made
it, so its personal macros are that user's; another user's personal macro is a 404."""
from __future__ import annotations

from .. import records
from ..desk import account, audit, changed, find, me, mint, missing, no_content, remove, rows, save
from ..models import now_iso

__all__ = ["list_macros", "create_macro", "update_macro", "delete_macro"]


def _visible(ctx, record: dict) -> bool:
    return record["visibility"] == "PUBLIC" or record["createdById"] == me(ctx)["id"]


def _find(ctx) -> dict:
    record = find(ctx, "macros", ctx.path_params["macroId"])
    if not _visible(ctx, record):
        raise missing("macros", record["id"])
    return record


def list_macros(ctx):
    account(ctx)
    found = [r for r in rows(ctx, "macros") if _visible(ctx, r)]
    return {"data": sorted(found, key=lambda r: (r["createdAt"], r["id"]))}


def create_macro(ctx):
    account(ctx)
    body = ctx.body
    record = save(ctx, "macros", records.macro(
        mint(ctx, "macros"), ctx.tenant, name=body["name"], created_at=now_iso(ctx),
        created_by_id=me(ctx)["id"], visibility=body.get("visibility") or "PERSONAL",
        actions=body.get("actions")))
    audit(ctx, "macro.created", macroId=record["id"], name=record["name"],
          visibility=record["visibility"])
    return record, 201


def update_macro(ctx):
    account(ctx)
    record = _find(ctx)
    changed(record, ctx.body, ("name", "visibility"))
    if "actions" in ctx.body:
        record["actions"] = [dict(a) for a in ctx.body["actions"]]
    save(ctx, "macros", record)
    return record


def delete_macro(ctx):
    account(ctx)
    record = _find(ctx)
    remove(ctx, "macros", record["id"])
    audit(ctx, "macro.deleted", macroId=record["id"], name=record["name"])
    return no_content()
