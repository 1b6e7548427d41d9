"""Inboxes: list, get, create (every channel type), update (CSAT rules) and delete with its
conversations (page "Inboxes")."""
from __future__ import annotations

from .. import records, schemas
from .. import conversation_rules as rules
from ..desk import (account, audit, bad, changed, find, mint, no_content, oldest_first, remove,
                    rows, save)
from ..models import now_iso

__all__ = ["list_inboxes", "get_inbox", "create_inbox", "update_inbox", "delete_inbox"]

SETTINGS = ("name", "channelType", "emailAddress", "greeting", "greetingEnabled",
            "enableAutoAssign", "autoAssignMode", "botEnabled", "agentBotId", "csatEnabled",
            "csatRatingStyle", "csatPromptText", "widgetColor", "businessHoursEnabled",
            "enabled")


def _settings(ctx, body: dict) -> dict:
    """The body's settings, checked and normalised: WEBCHAT (the client's name) is WEB; the
    client's greetingMessage is the page's greeting; an empty csatPromptText is null (page:
    "empty string is normalized to null"); the spec caps it at 240 and holds the four CSAT
    styles; a bot must be one of the account's."""
    out = {k: body[k] for k in SETTINGS if k in body}
    if "greetingMessage" in body and "greeting" not in body:
        out["greeting"] = body["greetingMessage"]
    if out.get("channelType") == "WEBCHAT":
        out["channelType"] = "WEB"
    if "csatPromptText" in out and not (out["csatPromptText"] or "").strip():
        out["csatPromptText"] = None
    if out.get("agentBotId") is not None:
        find(ctx, "bots", out["agentBotId"], field="agentBotId")
    return out


def _check(record: dict) -> None:
    if record["channelType"] == "EMAIL" and not record["emailAddress"]:
        raise bad("emailAddress is required for an EMAIL inbox")
    if record["botEnabled"] and not record["agentBotId"]:
        raise bad("agentBotId is required when botEnabled is true")


def list_inboxes(ctx):
    account(ctx)
    found = oldest_first(ctx, "inboxes")
    return [schemas.inbox(r) for r in found]


def get_inbox(ctx):
    account(ctx)
    return schemas.inbox(find(ctx, "inboxes", ctx.path_params["inboxId"]))


def create_inbox(ctx):
    account(ctx)
    values = _settings(ctx, ctx.body)
    name, channel = values.pop("name"), values.pop("channelType")
    record = records.inbox(mint(ctx, "inboxes"), ctx.tenant, name=name, channel_type=channel,
                           created_at=now_iso(ctx), **values)
    _check(record)
    save(ctx, "inboxes", record)
    audit(ctx, "inbox.created", inboxId=record["id"], inboxName=record["name"],
          channelType=record["channelType"])
    return schemas.inbox(record), 201


def update_inbox(ctx):
    account(ctx)
    record = find(ctx, "inboxes", ctx.path_params["inboxId"])
    values = _settings(ctx, ctx.body)
    changed(record, values, SETTINGS)
    _check(record)
    save(ctx, "inboxes", record)
    audit(ctx, "inbox.updated", inboxId=record["id"], inboxName=record["name"],
          fields=sorted(values))
    return schemas.inbox(record)


def delete_inbox(ctx):
    """Page: "Delete an inbox and all associated data": its conversations and their messages
    go with it."""
    account(ctx)
    record = find(ctx, "inboxes", ctx.path_params["inboxId"])
    gone = 0
    for conv in rows(ctx, "conversations"):
        if conv["inboxId"] == record["id"]:
            rules.delete_conversation(ctx, conv)
            gone += 1
    remove(ctx, "inboxes", record["id"])
    audit(ctx, "inbox.deleted", inboxId=record["id"], inboxName=record["name"],
          conversationsDeleted=gone)
    return no_content()
