"""Custom attribute definitions: list (`?model=` filter), create and update (a snake_case key,
unique per account and model), delete — page "Custom Attributes" (Business plan or higher, a
spec gate; admin only to change)."""
from __future__ import annotations

from .. import records
from ..desk import (account, audit, bad, changed, conflict, find, mint, no_content, remove, rows,
                    save, taken)
from ..models import now_iso

__all__ = ["list_custom_attributes", "create_custom_attribute", "update_custom_attribute",
           "delete_custom_attribute"]

FIELDS = ("attributeDisplayName", "attributeKey", "attributeDisplayType", "attributeModel",
          "attributeValues")


def _check(ctx, record: dict) -> None:
    """The spec holds the key's snake_case pattern; here: unique per model, and a LIST needs
    its values."""
    if taken(ctx, "custom_attributes", "attributeKey", record["attributeKey"], record["id"],
             where=lambda r: r["attributeModel"] == record["attributeModel"]):
        raise conflict(f"attributeKey: {record['attributeKey']} already exists for "
                       f"{record['attributeModel']}")
    if record["attributeDisplayType"] == "LIST" and not record["attributeValues"]:
        raise bad("attributeValues: a LIST attribute needs at least one value")


def list_custom_attributes(ctx):
    account(ctx)
    model = ctx.query.get("model")
    found = [r for r in rows(ctx, "custom_attributes")
             if model is None or r["attributeModel"] == model]
    return sorted(found, key=lambda r: (r["createdAt"], r["id"]))


def create_custom_attribute(ctx):
    account(ctx)
    body = ctx.body
    record = records.custom_attribute(
        mint(ctx, "custom_attributes"), ctx.tenant, display_name=body["attributeDisplayName"],
        key=body["attributeKey"], created_at=now_iso(ctx),
        display_type=body.get("attributeDisplayType") or "TEXT",
        model=body.get("attributeModel") or "CONVERSATION",
        values=body.get("attributeValues"))
    _check(ctx, record)
    save(ctx, "custom_attributes", record)
    audit(ctx, "custom_attribute.created", attributeId=record["id"],
          attributeKey=record["attributeKey"])
    return record, 201


def update_custom_attribute(ctx):
    account(ctx)
    record = find(ctx, "custom_attributes", ctx.path_params["attributeId"])
    changed(record, ctx.body, FIELDS)
    _check(ctx, record)
    save(ctx, "custom_attributes", record)
    return record


def delete_custom_attribute(ctx):
    account(ctx)
    record = find(ctx, "custom_attributes", ctx.path_params["attributeId"])
    remove(ctx, "custom_attributes", record["id"])
    audit(ctx, "custom_attribute.deleted", attributeId=record["id"],
          attributeKey=record["attributeKey"])
    return no_content()
