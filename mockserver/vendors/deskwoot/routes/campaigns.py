"""Campaigns: list, get, create, update, delete and send (page "Campaigns"; Business plan and
higher, `settings.manage_campaigns` for changes — spec data). Sending is campaigns.py."""
from __future__ import annotations

from mockserver.core.clock import iso_z

from .. import campaigns, records_campaigns
from ..desk import account, find, mint, no_content, oldest_first, remove, save
from ..models import instant, now_iso

__all__ = ["list_campaigns", "get_campaign", "create_campaign", "update_campaign",
           "delete_campaign", "send_campaign"]


def _when(value):
    return iso_z(instant(value)) if value is not None else None


def _inbox(ctx, inbox_id):
    if inbox_id is not None:
        find(ctx, "inboxes", inbox_id, field="inboxId")
    return inbox_id


def list_campaigns(ctx):
    account(ctx)
    found = oldest_first(ctx, "campaigns")
    return [campaigns.answer(ctx, c) for c in found]


def get_campaign(ctx):
    account(ctx)
    return campaigns.answer(ctx, find(ctx, "campaigns", ctx.path_params["campaignId"]))


def create_campaign(ctx):
    account(ctx)
    body = ctx.body
    record = save(ctx, "campaigns", records_campaigns.campaign(
        mint(ctx, "campaigns"), ctx.tenant, title=body["title"], message=body["message"],
        created_at=now_iso(ctx), campaign_type=body.get("campaignType") or "ONGOING",
        inbox_id=_inbox(ctx, body.get("inboxId")), scheduled_at=_when(body.get("scheduledAt")),
        audience=campaigns.check_audience(ctx, body.get("audience"))))
    ctx.runtime.scheduler.wake()  # a scheduled send may be due already
    return campaigns.answer(ctx, record), 201


def update_campaign(ctx):
    account(ctx)
    record = find(ctx, "campaigns", ctx.path_params["campaignId"])
    body = ctx.body
    for field in ("title", "message", "campaignType"):
        if field in body:
            record[field] = body[field]
    if "inboxId" in body:
        record["inboxId"] = _inbox(ctx, body["inboxId"])
    if "scheduledAt" in body:
        record["scheduledAt"] = _when(body["scheduledAt"])
    if "audience" in body:
        record["audience"] = campaigns.check_audience(ctx, body["audience"])
    save(ctx, "campaigns", record)
    ctx.runtime.scheduler.wake()
    return campaigns.answer(ctx, record)


def delete_campaign(ctx):
    account(ctx)
    find(ctx, "campaigns", ctx.path_params["campaignId"])
    remove(ctx, "campaigns", ctx.path_params["campaignId"])
    return no_content()


def send_campaign(ctx):
    account(ctx)
    record = find(ctx, "campaigns", ctx.path_params["campaignId"])
    return campaigns.answer(ctx, campaigns.send(ctx, record))
