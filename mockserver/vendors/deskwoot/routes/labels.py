"""Labels: list, create and update (titles unique per account), delete (removed from every
conversation) — page "Labels"."""
from __future__ import annotations

from .. import records, schemas
from ..desk import account, audit, changed, find, mint, no_content, remove, rows, save, unique
from ..models import now_iso

__all__ = ["list_labels", "create_label", "update_label", "delete_label"]

FIELDS = ("title", "color", "description", "showOnSidebar")


def _unique(ctx, title: str, own_id=None) -> None:
    """The page's own error example: 409 "Label with this title already exists" (titles are
    compared case-insensitively)."""
    unique(ctx, "labels", "title", title, own_id, "Label with this title already exists")


def list_labels(ctx):
    account(ctx)
    return [schemas.label(r) for r in sorted(rows(ctx, "labels"),
                                             key=lambda r: (r["createdAt"], r["id"]))]


def create_label(ctx):
    account(ctx)
    body = ctx.body
    _unique(ctx, body["title"])
    record = save(ctx, "labels", records.label(
        mint(ctx, "labels"), ctx.tenant, title=body["title"], created_at=now_iso(ctx),
        color=body.get("color") or "#6366F1", description=body.get("description"),
        show_on_sidebar=body.get("showOnSidebar", True)))
    audit(ctx, "label.created", labelId=record["id"], title=record["title"])
    return schemas.label(record), 201


def update_label(ctx):
    account(ctx)
    record = find(ctx, "labels", ctx.path_params["labelId"])
    if "title" in ctx.body:
        _unique(ctx, ctx.body["title"], record["id"])
    save(ctx, "labels", changed(record, ctx.body, FIELDS))
    audit(ctx, "label.updated", labelId=record["id"], title=record["title"])
    return schemas.label(record)


def delete_label(ctx):
    """Page: "It will be removed from all conversations"."""
    account(ctx)
    record = find(ctx, "labels", ctx.path_params["labelId"])
    for conv in rows(ctx, "conversations"):
        if record["id"] in conv["labelIds"]:
            conv = find(ctx, "conversations", conv["id"])
            conv["labelIds"].remove(record["id"])
            conv["updatedAt"] = now_iso(ctx)
            save(ctx, "conversations", conv)
    remove(ctx, "labels", record["id"])
    audit(ctx, "label.deleted", labelId=record["id"], title=record["title"])
    return no_content()
