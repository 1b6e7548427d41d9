"""Conversation rules the views share: checking and applying a change (status, priority,
assignee, team, muted, snooze, labels), the bulk actions of the page and the official client,
the events and notifications a change raises, and deleting a conversation with its messages.

Sources: vendor-docs/deskwoot-api.txt "Conversations" (update, bulk); the official client's
bulkConversationAction (unmute, mark_unread, snooze, delete).
"""
from __future__ import annotations

from mockserver.core.clock import iso_z

from . import schemas
from .desk import bad, emit, find, notify, peek, remove, rows, save
from .models import instant, now_iso

WATCHED = ("status", "assigneeId", "teamId", "priority")  # page: conversation.updated
BULK_ACTIONS = ("change_status", "assign_agent", "assign_team", "change_priority", "add_label",
                "mute", "unmute", "mark_unread", "snooze", "delete")


def check_agent(ctx, user_id, field: str = "assigneeId"):
    if user_id is not None:
        find(ctx, "users", user_id, field=field)


def check_team(ctx, team_id, field: str = "teamId"):
    if team_id is not None:
        find(ctx, "teams", team_id, field=field)


def changes_from(ctx, body: dict) -> dict:
    """The fields an update sets, checked: every referenced record must be the account's."""
    out = {}
    if "status" in body:
        out["status"] = body["status"]
        if body["status"] != "SNOOZED":
            out["snoozedUntil"] = None
    if "priority" in body:
        out["priority"] = body["priority"]
    if "assigneeId" in body:
        check_agent(ctx, body["assigneeId"])
        out["assigneeId"] = body["assigneeId"]
    if "teamId" in body:
        check_team(ctx, body["teamId"])
        out["teamId"] = body["teamId"]
    if "muted" in body:
        out["muted"] = body["muted"]
    if body.get("snoozedUntil") is not None:
        out["snoozedUntil"] = iso_z(instant(body["snoozedUntil"]))
        out.setdefault("status", "SNOOZED")
    return out


def apply(ctx, conv: dict, changes: dict) -> dict:
    """Store `changes` on `conv`; raise conversation.updated when a watched field moved, and
    notify a new assignee."""
    moved = [k for k in WATCHED if k in changes and changes[k] != conv[k]]
    before_assignee = conv["assigneeId"]
    conv.update(changes)
    conv["updatedAt"] = now_iso(ctx)
    save(ctx, "conversations", conv)
    if moved:
        emit(ctx, "conversation.updated", conversation=schemas.conversation(
            ctx.store, ctx.tenant, conv), changed=moved)
    if conv["assigneeId"] and conv["assigneeId"] != before_assignee:
        notify(ctx, conv["assigneeId"], "conversation_assigned", conv)
    return conv


def bulk(ctx, action: str, ids: list, value) -> list:
    """One action on many conversations: every id and the value are checked first, so a
    refusal changes none of them."""
    convs = [find(ctx, "conversations", i, field="conversationIds") for i in dict.fromkeys(ids)]
    change = _bulk_change(ctx, action, value)
    for conv in convs:
        if action == "delete":
            delete_conversation(ctx, conv)
        elif action == "add_label":
            if value not in conv["labelIds"]:
                conv["labelIds"].append(value)
                conv["updatedAt"] = now_iso(ctx)
                save(ctx, "conversations", conv)
        else:
            apply(ctx, conv, change)
    return [c["id"] for c in convs]


def _bulk_change(ctx, action: str, value) -> dict:
    if action == "change_status":
        if value not in schemas.STATUSES:
            raise bad(f"value: change_status needs one of {', '.join(schemas.STATUSES)}")
        return {"status": value, **({"snoozedUntil": None} if value != "SNOOZED" else {})}
    if action == "change_priority":
        if value is not None and value not in schemas.PRIORITIES:
            raise bad(f"value: change_priority needs one of {', '.join(schemas.PRIORITIES)} "
                      "or null")
        return {"priority": value}
    if action == "assign_agent":
        check_agent(ctx, value, "value")
        return {"assigneeId": value}
    if action == "assign_team":
        check_team(ctx, value, "value")
        return {"teamId": value}
    if action == "add_label":
        if value is None:
            raise bad("value: add_label needs a label id")
        find(ctx, "labels", value, field="value")
        return {}
    if action in ("mute", "unmute"):
        return {"muted": action == "mute"}
    if action == "mark_unread":
        return {"unread": True}
    if action == "snooze":
        until = None
        if value is not None:
            try:
                until = iso_z(instant(value))
            except ValueError:
                raise bad("value: snooze takes an ISO-8601 date-time or null") from None
        return {"status": "SNOOZED", "snoozedUntil": until}
    if action == "delete":
        return {}
    raise bad(f"action must be one of {', '.join(BULK_ACTIONS)}")


def delete_conversation(ctx, conv: dict) -> None:
    for m in rows(ctx, "messages"):
        if m["conversationId"] == conv["id"]:
            remove(ctx, "messages", m["id"])
    remove(ctx, "conversations", conv["id"])


def label_ids(ctx, conv: dict) -> dict:
    return {"conversationId": conv["id"],
            "labels": [schemas.label_brief(lab) for lab in
                       (peek(ctx, "labels", i) for i in conv["labelIds"]) if lab]}


def touch(ctx, conv: dict, at: str) -> None:
    conv["lastActivityAt"] = conv["updatedAt"] = at
    save(ctx, "conversations", conv)


