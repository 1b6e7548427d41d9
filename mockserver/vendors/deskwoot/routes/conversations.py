"""Conversations: retrieve (with contact, inbox, assignee, team, labels, messages), update with
null to clear, bulk actions, conversation labels (page "Conversations", "Messages"), and the
official client's list and create."""
from __future__ import annotations

from .. import records, schemas
from .. import conversation_rules as rules
from ..desk import account, bad, emit, find, mint, notify, page_of, rows, save
from ..models import now_iso

__all__ = ["list_conversations", "create_conversation", "get_conversation",
           "update_conversation", "bulk_update_conversations", "add_conversation_label",
           "remove_conversation_label"]

FILTERS = {"status": "status", "assignee_id": "assigneeId", "team_id": "teamId",
           "inbox_id": "inboxId"}


def list_conversations(ctx):
    account(ctx)
    q = ctx.query
    found = [c for c in rows(ctx, "conversations")
             if all(q.get(name) is None or c[field] == q[name] for name, field in FILTERS.items())
             and (q.get("label_id") is None or q["label_id"] in c["labelIds"])]
    found.sort(key=lambda c: (c["lastActivityAt"], c["id"]), reverse=True)
    page = page_of(ctx, found)
    return [schemas.conversation(ctx.store, ctx.tenant, c) for c in page.items]


def create_conversation(ctx):
    account(ctx)
    body = ctx.body
    inbox = find(ctx, "inboxes", body["inboxId"], field="inboxId")
    contact = find(ctx, "contacts", body["contactId"], field="contactId")
    rules.check_agent(ctx, body.get("assigneeId"))
    rules.check_team(ctx, body.get("teamId"))
    now = now_iso(ctx)
    display = max((c["displayId"] for c in rows(ctx, "conversations")), default=0) + 1
    conv = save(ctx, "conversations", records.conversation(
        mint(ctx, "conversations"), ctx.tenant, display_id=display, inbox_id=inbox["id"],
        contact_id=contact["id"], created_at=now, status=body.get("status") or "OPEN",
        priority=body.get("priority"), assignee_id=body.get("assigneeId"),
        team_id=body.get("teamId"), subject=body.get("subject")))
    if body.get("message"):
        save(ctx, "messages", records.message(
            mint(ctx, "messages"), conv["id"], content=body["message"],
            message_type="INCOMING", created_at=now, sender_type="contact",
            sender_id=contact["id"]))
    contact["lastActivityAt"] = now
    save(ctx, "contacts", contact)
    rendered = schemas.conversation(ctx.store, ctx.tenant, conv, detail=True)
    emit(ctx, "conversation.created", conversation=rendered)
    notify(ctx, conv["assigneeId"], "conversation_assigned", conv)
    return rendered, 201


def get_conversation(ctx):
    conv = find(ctx, "conversations", ctx.path_params["conversationId"])
    return schemas.conversation(ctx.store, ctx.tenant, conv, detail=True)


def update_conversation(ctx):
    conv = find(ctx, "conversations", ctx.path_params["conversationId"])
    rules.apply(ctx, conv, rules.changes_from(ctx, ctx.body))
    return schemas.conversation(ctx.store, ctx.tenant, conv, detail=True)


def bulk_update_conversations(ctx):
    account(ctx)
    body = ctx.body
    done = rules.bulk(ctx, body["action"], body["conversationIds"], body.get("value"))
    return {"action": body["action"], "updated": len(done), "conversationIds": done}


def add_conversation_label(ctx):
    conv = find(ctx, "conversations", ctx.path_params["conversationId"])
    label = find(ctx, "labels", ctx.body["labelId"], field="labelId")
    if label["id"] not in conv["labelIds"]:
        conv["labelIds"].append(label["id"])
        conv["updatedAt"] = now_iso(ctx)
        save(ctx, "conversations", conv)
    return rules.label_ids(ctx, conv)


def remove_conversation_label(ctx):
    """The page passes ?labelId=; the official client sends {"labelId"} as a DELETE body."""
    conv = find(ctx, "conversations", ctx.path_params["conversationId"])
    label_id = ctx.query.get("labelId") or (ctx.body or {}).get("labelId")
    if not label_id:
        raise bad("labelId is required (as ?labelId= or in the JSON body)")
    label = find(ctx, "labels", label_id, field="labelId")
    if label["id"] in conv["labelIds"]:
        conv["labelIds"].remove(label["id"])
        conv["updatedAt"] = now_iso(ctx)
        save(ctx, "conversations", conv)
    return rules.label_ids(ctx, conv)
