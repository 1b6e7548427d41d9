"""Automation rules that run, and the action runner macros share.

A rule (`eventName`, `conditions`, `actions`, `active`) runs on its event after the change that
raised it commits: the vendor's outbox consumer (`consume`, declared on the Vendor) reads the
committed record events — a conversation created (`conversation_created`), a conversation
changed in status, priority, assignee, team, labels, muted or snooze (`conversation_updated`), a
message created (`message_created`) — and, for every active rule of that event whose conditions
all hold, applies its actions in a unit of work of its own: they commit together (or not at
all) and raise their own events, so webhooks see what automation changed.

No chains: the changes a rule makes do not trigger automation again (its unit of work raises
`automation.applied`, and a commit carrying that event is not looked at), so no rule can
re-trigger itself or another endlessly.

Sources: vendor-docs/deskwoot-api.txt "Automation Rules" (the example `label contains VIP`,
`assign_team`), "Macros" (`change_status`, `send_message`). Choices: docs/fidelity-deskwoot.md.
"""
from __future__ import annotations

import logging

from . import records, schemas
from . import conversation_rules as rules
from .background import Background
from .desk import bad, emit, find, missing, mint, peek, rows, save
from .ids import V
from .models import now_iso

log = logging.getLogger("mockserver")

# condition attributes -> (conversation field, or a reader of (ctx, conv, message))
ATTRIBUTES = ("status", "priority", "assignee_id", "team_id", "inbox_id", "contact_id",
              "label", "muted", "subject", "content", "message_type", "contact_email",
              "contact_name")
_ALIASES = {"assigneeId": "assignee_id", "teamId": "team_id", "inboxId": "inbox_id",
            "contactId": "contact_id", "labels": "label", "messageType": "message_type"}
# conversation fields whose change is "conversation_updated" (not lastActivityAt/updatedAt)
UPDATE_FIELDS = ("status", "priority", "assigneeId", "teamId", "labelIds", "muted",
                 "snoozedUntil")
APPLIED = "automation.applied"


# -- checking a rule as it is saved -----------------------------------------------------------
def attribute(name: str) -> str | None:
    name = _ALIASES.get(name, name)
    return name if name in ATTRIBUTES else None


def check_conditions(conditions: list) -> list:
    out = []
    for i, c in enumerate(conditions):
        name = attribute(c["attribute"])
        if name is None:
            raise bad(f"conditions[{i}].attribute: must be one of {', '.join(ATTRIBUTES)}")
        out.append({"attribute": c["attribute"], "operator": c["operator"],
                    "value": c.get("value")})
    return out


def check_actions(ctx, actions: list) -> list:
    """Each action's value checked against the account (an unknown id is the page's 404)."""
    out = []
    for i, a in enumerate(actions):
        kind, value, where = a["type"], a.get("value"), f"actions[{i}].value"
        if kind == "assign_team" and value is not None:
            find(ctx, "teams", value, field=where)
        elif kind == "assign_agent" and value is not None:
            find(ctx, "users", value, field=where)
        elif kind in ("add_label", "remove_label"):
            if label_of(ctx, value) is None:
                raise missing("labels", value, where)
        elif kind == "change_status" and value not in schemas.STATUSES:
            raise bad(f"{where}: change_status needs one of {', '.join(schemas.STATUSES)}")
        elif kind == "change_priority" and value is not None \
                and value not in schemas.PRIORITIES:
            raise bad(f"{where}: change_priority needs one of "
                      f"{', '.join(schemas.PRIORITIES)} or null")
        elif kind == "send_message" and (not isinstance(value, str) or not value.strip()):
            raise bad(f"{where}: send_message needs the message text")
        out.append({"type": kind, "value": value})
    return out


def label_of(ctx, value) -> dict | None:
    """A label named by id or by title (case-insensitive)."""
    if not isinstance(value, str) or not value:
        return None
    found = peek(ctx, "labels", value)
    if found is not None:
        return found
    return next((lab for lab in rows(ctx, "labels")
                 if lab["title"].lower() == value.lower()), None)


# -- conditions --------------------------------------------------------------------------------
def _read(ctx, name: str, conv: dict, message: dict | None):
    if name == "label":
        return [lab["title"] for lab in (peek(ctx, "labels", i) for i in conv["labelIds"])
                if lab] + list(conv["labelIds"])
    if name in ("content", "message_type"):
        if message is None:
            return None
        return message["content"] if name == "content" else message["messageType"]
    if name in ("contact_email", "contact_name"):
        contact = peek(ctx, "contacts", conv["contactId"]) or {}
        return contact.get(name.split("_", 1)[1])
    field = {"assignee_id": "assigneeId", "team_id": "teamId", "inbox_id": "inboxId",
             "contact_id": "contactId"}.get(name, name)
    return conv.get(field)


def _same(a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    return a == b


def holds(ctx, condition: dict, conv: dict, message: dict | None = None) -> bool:
    """`equals`/`not_equals`: the value is (not) the attribute's, case-insensitively for text;
    `contains`/`not_contains`: a list attribute (label) has (not) the value as one of its
    items, a text attribute has (not) it as a substring, case-insensitively."""
    actual = _read(ctx, attribute(condition["attribute"]), conv, message)
    value, op = condition.get("value"), condition["operator"]
    if isinstance(actual, list):
        found = any(_same(item, value) for item in actual)
    elif op in ("contains", "not_contains"):
        found = (isinstance(actual, str) and value is not None
                 and str(value).lower() in actual.lower())
    else:
        found = _same(actual, value)
    return found if op in ("equals", "contains") else not found


# -- actions ------------------------------------------------------------------------------------
def run_actions(ctx, conv: dict, actions: list, *, sender_id: str | None = None) -> dict:
    """Apply `actions` ({type, value}) to `conv` in the open unit of work (rules and macros):
    each raises the events a view's change would. An action whose target is gone since the
    rule was saved (a deleted team, agent or label) is skipped. `sender_id`: the user a
    send_message speaks as (None: the system)."""
    for action in actions:
        kind, value = action["type"], action.get("value")
        if kind == "assign_team":
            if value is None or peek(ctx, "teams", value):
                rules.apply(ctx, conv, {"teamId": value})
        elif kind == "assign_agent":
            if value is None or peek(ctx, "users", value):
                rules.apply(ctx, conv, {"assigneeId": value})
        elif kind == "change_status" and value in schemas.STATUSES:
            rules.apply(ctx, conv, {"status": value,
                                    **({"snoozedUntil": None} if value != "SNOOZED" else {})})
        elif kind == "change_priority":
            rules.apply(ctx, conv, {"priority": value})
        elif kind == "mute":
            rules.apply(ctx, conv, {"muted": True})
        elif kind in ("add_label", "remove_label"):
            _label(ctx, conv, label_of(ctx, value), add=kind == "add_label")
        elif kind == "send_message" and isinstance(value, str) and value:
            _message(ctx, conv, value, sender_id)
    return conv


def _label(ctx, conv: dict, label: dict | None, *, add: bool) -> None:
    if label is None or (label["id"] in conv["labelIds"]) == add:
        return
    if add:
        conv["labelIds"].append(label["id"])
    else:
        conv["labelIds"].remove(label["id"])
    conv["updatedAt"] = now_iso(ctx)
    save(ctx, "conversations", conv)


def _message(ctx, conv: dict, content: str, sender_id: str | None) -> None:
    now = now_iso(ctx)
    record = save(ctx, "messages", records.message(
        mint(ctx, "messages"), conv["id"], content=content, message_type="OUTGOING",
        created_at=now, sender_type="user" if sender_id else "system", sender_id=sender_id))
    rules.touch(ctx, conv, now)
    emit(ctx, "message.created", message=schemas.message(ctx.store, ctx.tenant, record),
         conversationId=conv["id"])


# -- running on committed events ----------------------------------------------------------------
def triggers(events: list[dict]) -> list[tuple[str, str, str, str | None]]:
    """(tenant, eventName, conversation id, message id) for each committed change a rule can
    run on, in commit order."""
    out = []
    for e in events:
        kind, coll = e.get("type"), e.get("collection")
        if coll == "conversations" and kind == "record.created":
            out.append((e["tenant"], "conversation_created", e["id"], None))
        elif coll == "conversations" and kind == "record.changed":
            before, after = e.get("before") or {}, e.get("record") or {}
            if any(before.get(f) != after.get(f) for f in UPDATE_FIELDS):
                out.append((e["tenant"], "conversation_updated", e["id"], None))
        elif coll == "messages" and kind == "record.created":
            out.append((e["tenant"], "message_created", e["record"]["conversationId"], e["id"]))
    return out


def consume(runtime, events: list[dict]) -> None:
    """The outbox consumer: run the matching rules of each trigger, one unit of work per
    trigger. A commit made by automation itself is skipped (no chains)."""
    if any(e.get("type") == APPLIED for e in events):
        return
    for tenant, event_name, conv_id, message_id in triggers(events):
        if not any(r["active"] and r["eventName"] == event_name
                   for r in runtime.store.all(V, tenant, "automation_rules")):
            continue  # no rule of this event: no unit of work at all
        try:
            runtime.transact(lambda: _run_rules(runtime, tenant, event_name, conv_id,
                                                message_id), scope=tenant, writes=True)
        except Exception:  # a committed change stands; a failing rule is logged
            log.exception("deskwoot automation for %s on %s failed", event_name, conv_id)


def _run_rules(runtime, tenant: str, event_name: str, conv_id: str,
               message_id: str | None) -> None:
    ctx = Background.of(runtime, tenant, "automation")
    conv = ctx.store.get(V, tenant, "conversations", conv_id)
    if conv is None:
        return
    message = ctx.store.peek(V, tenant, "messages", message_id) if message_id else None
    ran = []
    for rule in sorted(ctx.store.all(V, tenant, "automation_rules"),
                       key=lambda r: (r["createdAt"], r["id"])):
        if not rule["active"] or rule["eventName"] != event_name:
            continue
        if all(holds(ctx, c, conv, message) for c in rule["conditions"]):
            run_actions(ctx, conv, rule["actions"])
            ran.append(rule["id"])
    if ran:
        emit(ctx, APPLIED, rules=ran, conversationId=conv_id, eventName=event_name)
