"""The stored shapes of webhooks and automation rules (one constructor per record kind), and
their renderings in answers."""
from __future__ import annotations

# the vocabulary of a rule (page "Automation Rules" and "Macros"; the spec's enums)
EVENT_NAMES = ("conversation_created", "conversation_updated", "message_created")
OPERATORS = ("equals", "not_equals", "contains", "not_contains")
ACTIONS = ("assign_team", "assign_agent", "add_label", "remove_label", "change_status",
           "change_priority", "send_message", "mute")


def webhook(id: str, account_id: str, *, url: str, subscriptions: list, secret: str,
            created_at: str, active: bool = True) -> dict:
    return {"id": id, "accountId": account_id, "url": url, "subscriptions": list(subscriptions),
            "secret": secret, "active": active, "createdAt": created_at}


def webhook_answer(record: dict, *, with_secret: bool = False) -> dict:
    """The page's answer (`subscriptions`) with the official client's spellings (`events`,
    `active`); the secret only in the create answer."""
    out = {"id": record["id"], "accountId": record["accountId"], "url": record["url"],
           "subscriptions": list(record["subscriptions"]),
           "events": list(record["subscriptions"]), "active": record["active"],
           "createdAt": record["createdAt"]}
    if with_secret:
        out["secret"] = record["secret"]
    return out


def automation_rule(id: str, account_id: str, *, name: str, event_name: str, created_at: str,
                    description: str | None = None, conditions: list | None = None,
                    actions: list | None = None, active: bool = True) -> dict:
    return {"id": id, "accountId": account_id, "name": name, "description": description,
            "eventName": event_name, "conditions": list(conditions or []),
            "actions": list(actions or []), "active": active, "createdAt": created_at}
