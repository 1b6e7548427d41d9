"""Canned responses: list (optionally searched), create and update (`shortCode` unique per
account), delete — page "Canned Responses"."""
from __future__ import annotations

from .. import records
from ..desk import account, audit, changed, find, mint, no_content, remove, rows, save, unique
from ..models import now_iso

__all__ = ["list_canned_responses", "create_canned_response", "update_canned_response",
           "delete_canned_response"]


def _unique(ctx, code: str, own_id=None) -> None:
    unique(ctx, "canned_responses", "shortCode", code, own_id,
           f"shortCode: a canned response with the short code {code} already exists")


def list_canned_responses(ctx):
    """`search` matches the short code or the content, case-insensitively."""
    account(ctx)
    term = (ctx.query.get("search") or "").casefold()
    found = [r for r in rows(ctx, "canned_responses")
             if term in r["shortCode"].casefold() or term in r["content"].casefold()]
    return sorted(found, key=lambda r: (r["shortCode"], r["id"]))


def create_canned_response(ctx):
    account(ctx)
    body = ctx.body
    _unique(ctx, body["shortCode"])
    record = save(ctx, "canned_responses", records.canned_response(
        mint(ctx, "canned_responses"), ctx.tenant, short_code=body["shortCode"],
        content=body["content"], created_at=now_iso(ctx)))
    audit(ctx, "canned_response.created", cannedResponseId=record["id"],
          shortCode=record["shortCode"])
    return record, 201


def update_canned_response(ctx):
    account(ctx)
    record = find(ctx, "canned_responses", ctx.path_params["cannedResponseId"])
    if "shortCode" in ctx.body:
        _unique(ctx, ctx.body["shortCode"], record["id"])
    save(ctx, "canned_responses", changed(record, ctx.body, ("shortCode", "content")))
    return record


def delete_canned_response(ctx):
    account(ctx)
    record = find(ctx, "canned_responses", ctx.path_params["cannedResponseId"])
    remove(ctx, "canned_responses", record["id"])
    audit(ctx, "canned_response.deleted", cannedResponseId=record["id"],
          shortCode=record["shortCode"])
    return no_content()
