"""Campaigns that send: the audience of a campaign, sending a one-off campaign (one outgoing
conversation with the campaign's message per contact of the audience, from the campaign's
inbox), and the scheduled sends on the sandbox clock (a vendor job, core.schedule).

Sources: vendor-docs/deskwoot-api.txt "Campaigns" (ONGOING / ONE_OFF, `scheduledAt` for one-off
campaigns, "Send a one-off campaign immediately"). Choices: docs/fidelity-deskwoot.md.
"""
from __future__ import annotations

import logging

from . import records, schemas
from .background import Background
from .desk import bad, conflict, emit, find, mint, peek, rows, save
from .ids import V
from .models import instant, now_iso

log = logging.getLogger("mockserver")

SEGMENTS = ("active-7d", "active-30d", "no-email", "has-email", "has-phone", "new")
AUDIENCE_KEYS = ("contactIds", "segment", "labels")


def status_of(campaign: dict, now) -> str:
    """ONGOING: ACTIVE; ONE_OFF: COMPLETED once sent, SCHEDULED while `scheduledAt` is ahead
    of the clock, else ACTIVE (waiting for `send`)."""
    if campaign["sentAt"]:
        return "COMPLETED"
    if campaign["campaignType"] == "ONE_OFF" and campaign["scheduledAt"] \
            and instant(campaign["scheduledAt"]) > now:
        return "SCHEDULED"
    return "ACTIVE"


def answer(ctx, campaign: dict) -> dict:
    out = {k: v for k, v in campaign.items() if k != "sentConversationIds"}
    out["status"] = status_of(campaign, ctx.clock.now())
    return out


def check_audience(ctx, audience) -> dict | None:
    """`{contactIds: [...], segment: <contact segment>, labels: [label id or title]}`, every
    key optional and AND-ed; null or {} is every contact."""
    if audience is None:
        return None
    unknown = sorted(set(audience) - set(AUDIENCE_KEYS))
    if unknown:
        raise bad(f"audience: unknown key(s) {', '.join(unknown)}; "
                  f"known: {', '.join(AUDIENCE_KEYS)}")
    ids = audience.get("contactIds")
    if ids is not None:
        if not isinstance(ids, list):
            raise bad("audience.contactIds: must be a list of contact ids")
        for i in ids:
            find(ctx, "contacts", i, field="audience.contactIds")
    segment = audience.get("segment")
    if segment is not None and segment not in SEGMENTS:
        raise bad(f"audience.segment: must be one of {', '.join(SEGMENTS)}")
    labels = audience.get("labels")
    if labels is not None:
        if not isinstance(labels, list):
            raise bad("audience.labels: must be a list of label ids or titles")
        for value in labels:
            if _label(ctx, value) is None:
                raise bad(f"audience.labels: no label {value!r}")
    return dict(audience)


def _label(ctx, value):
    if not isinstance(value, str):
        return None
    return peek(ctx, "labels", value) or next(
        (lab for lab in rows(ctx, "labels") if lab["title"].lower() == value.lower()), None)


def audience_of(ctx, audience: dict | None) -> list[dict]:
    contacts = sorted(rows(ctx, "contacts"), key=lambda c: (c["createdAt"], c["id"]))
    if not audience:
        return contacts
    if audience.get("contactIds") is not None:
        wanted = set(audience["contactIds"])
        contacts = [c for c in contacts if c["id"] in wanted]
    if audience.get("segment"):
        from .routes.contacts import _segment  # the page's contact segments, on the clock
        member = _segment(ctx, audience["segment"])
        contacts = [c for c in contacts if member(c)]
    if audience.get("labels"):
        label_ids = {lab["id"] for lab in (_label(ctx, v) for v in audience["labels"]) if lab}
        labelled = {c["contactId"] for c in rows(ctx, "conversations")
                    if label_ids & set(c["labelIds"])}
        contacts = [c for c in contacts if c["id"] in labelled]
    return contacts


def send(ctx, campaign: dict) -> dict:
    """A one-off campaign, now: an outgoing conversation per audience contact with the
    message, then COMPLETED. An ongoing or already sent campaign is 409; one without an inbox
    (of its own or, failing that, the account's first) is 409 too."""
    if campaign["campaignType"] != "ONE_OFF":
        raise conflict("Only one-off campaigns can be sent; ongoing campaigns run continuously")
    if campaign["sentAt"]:
        raise conflict(f"Campaign {campaign['id']} was already sent at {campaign['sentAt']}")
    inbox = peek(ctx, "inboxes", campaign["inboxId"]) if campaign["inboxId"] else next(
        iter(sorted(rows(ctx, "inboxes"), key=lambda i: (i["createdAt"], i["id"]))), None)
    if inbox is None:
        raise conflict("The campaign has no inbox to send from (set inboxId)")
    now = now_iso(ctx)
    display = max((c["displayId"] for c in rows(ctx, "conversations")), default=0)
    made = []
    for contact in audience_of(ctx, campaign["audience"]):
        display += 1
        conv = save(ctx, "conversations", records.conversation(
            mint(ctx, "conversations"), ctx.tenant, display_id=display, inbox_id=inbox["id"],
            contact_id=contact["id"], created_at=now, status="OPEN", priority=None,
            assignee_id=None, team_id=None, subject=campaign["title"]))
        message = save(ctx, "messages", records.message(
            mint(ctx, "messages"), conv["id"], content=campaign["message"],
            message_type="OUTGOING", created_at=now, sender_type="system", sender_id=None))
        emit(ctx, "conversation.created", conversation=schemas.conversation(
            ctx.store, ctx.tenant, conv))
        emit(ctx, "message.created", message=schemas.message(ctx.store, ctx.tenant, message),
             conversationId=conv["id"])
        made.append(conv["id"])
    campaign["sentAt"] = now
    campaign["sentConversationIds"] = made
    return save(ctx, "campaigns", campaign)


def run_due(runtime, now: float) -> None:
    """The scheduled sends: every one-off campaign whose `scheduledAt` has come, sent in a
    unit of work of its own (a campaign sent meanwhile by another process conflicts, is read
    again and found sent, so each is sent once)."""
    backend = runtime.backend
    backend.begin(numbered=False)
    try:
        due = [(t, c["id"]) for t in backend.tenants(V) for c in backend.all(V, t, "campaigns")
               if c["campaignType"] == "ONE_OFF" and not c["sentAt"] and c["scheduledAt"]
               and instant(c["scheduledAt"]).timestamp() <= now]
    finally:
        backend.end()
    for tenant, ident in due:
        try:
            backend.begin(numbered=False)
            runtime.transact(lambda: _send_due(runtime, tenant, ident), scope=tenant,
                             writes=True)
        except Exception:
            log.exception("scheduled campaign %s failed", ident)
        finally:
            backend.end()


def _send_due(runtime, tenant: str, ident: str) -> None:
    ctx = Background.of(runtime, tenant, "campaigns")
    campaign = ctx.store.get(V, tenant, "campaigns", ident)
    if campaign is None or campaign["sentAt"] or not campaign["scheduledAt"]:
        return
    if instant(campaign["scheduledAt"]) > ctx.clock.now():
        return
    try:
        send(ctx, campaign)
    except Exception:
        log.exception("campaign %s could not be sent", ident)
