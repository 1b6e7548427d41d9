"""Deskwoot automation rules through HTTP: CRUD (Business and higher, session with
settings.manage_automation), and rules that run after the change that triggers them commits —
conditions evaluated (the page's `label contains VIP`), actions applied in a unit of work of
their own (raising their own webhooks), inactive rules skipped, no chains."""
from __future__ import annotations

import pytest

from tests.conftest import run_due_work
from tests.receiver import Receiver

from .conftest import bearer, session

RULES = "/accounts/{acc}/automation-rules"


@pytest.fixture
def admin(ent):
    return session(ent)


@pytest.fixture
def rule(dw, admin):
    def make(**fields):
        status, made = dw(RULES, method="POST", json=fields, headers=admin)
        assert status == 201, made
        return made
    return make


def test_create_list_update_delete(dw, admin, state, ent):
    team = state("teams")[0]
    status, made = dw(RULES, method="POST", headers=admin, json={
        "name": "Auto-assign VIP to senior team", "eventName": "conversation_created",
        "conditions": [{"attribute": "label", "operator": "contains", "value": "VIP"}],
        "actions": [{"type": "assign_team", "value": team["id"]}]})
    assert status == 201
    assert made["active"] is True and made["accountId"] == ent["id"]
    assert made["conditions"] == [{"attribute": "label", "operator": "contains", "value": "VIP"}]
    # a token with read lists them (the page: Bearer token (read) or session)
    status, listed = dw(RULES, headers=bearer(ent))
    assert status == 200 and listed[-1] == made
    seeded = listed[:-1]
    status, changed = dw(f"{RULES}/{made['id']}", method="PATCH", headers=admin,
                         json={"active": False, "eventName": "conversation_updated"})
    assert status == 200 and changed["active"] is False
    assert changed["eventName"] == "conversation_updated" and changed["actions"] == made["actions"]
    assert dw(f"{RULES}/{made['id']}", method="DELETE", headers=admin)[0] == 204
    assert dw(RULES, headers=admin) == (200, seeded)
    assert dw(f"{RULES}/{made['id']}", method="DELETE", headers=admin)[0] == 404
    assert dw(f"{RULES}/{made['id']}", method="PATCH", headers=admin,
              json={"active": True})[0] == 404


def test_refusals_name_the_field_and_change_nothing(dw, admin):
    before = dw(RULES, headers=admin)
    base = {"name": "r", "eventName": "message_created"}
    cases = [({"eventName": "message_created"}, 400, "name"),
             ({"name": "r", "eventName": "ticket_created"}, 400, "eventName"),
             ({**base, "conditions": [{"attribute": "mood", "operator": "equals",
                                       "value": "x"}]}, 400, "conditions[0].attribute"),
             ({**base, "conditions": [{"attribute": "status", "operator": "near"}]}, 400,
              "operator"),
             ({**base, "actions": [{"type": "assign_team", "value": "cnothere000000000000000000"}]},
              404, "actions[0].value"),
             ({**base, "actions": [{"type": "change_status", "value": "DONE"}]}, 400,
              "actions[0].value"),
             ({**base, "actions": [{"type": "send_message", "value": ""}]}, 400,
              "actions[0].value"),
             ({**base, "actions": [{"type": "explode"}]}, 400, "type")]
    for payload, code, field in cases:
        status, answer = dw(RULES, method="POST", json=payload, headers=admin)
        assert status == code and field in answer["error"], (payload, answer)
    assert dw(RULES, headers=admin) == before


def test_access_session_permission_and_plan(dw, ent, creds, state, control):
    body = {"name": "r", "eventName": "message_created"}
    status, answer = dw(RULES, method="POST", json=body, headers=bearer(ent))
    assert status == 403 and "session" in answer["error"]
    users = state("users")
    roles = {r["id"]: r for r in state("custom_roles")}
    plain = next(u for u in users if u["role"] == "AGENT" and not u["customRoleId"])
    status, answer = dw(RULES, method="POST", json=body,
                        headers={"Cookie": f"deskwoot_session={plain['session']}"})
    assert status == 403 and "permission" in answer["error"]
    # an agent whose custom role is given settings.manage_automation passes
    agent = next(u for u in users if u["customRoleId"])
    role = roles[agent["customRoleId"]]
    as_agent = {"Cookie": f"deskwoot_session={agent['session']}"}
    assert dw(RULES, method="POST", json=body, headers=as_agent)[0] == 403
    role["permissions"]["settings.manage_automation"] = True
    control.put(f"/state/deskwoot/{ent['id']}/custom_roles/{role['id']}", json=role)
    assert dw(RULES, method="POST", json=body, headers=as_agent)[0] == 201
    for plan, allowed in (("STARTUP", False), ("HACKER", False), ("BUSINESS", True)):
        account = creds[plan]
        status, answer = dw(f"/accounts/{account['id']}/automation-rules", method="POST",
                            json=body, headers=session(account))
        assert (status == 201) is allowed, (plan, answer)
        if not allowed:
            assert answer["error"] == "Feature not available on your plan (requires BUSINESS)"


def _vip_conversation(dw, state):
    """A label for the page's example, and an open conversation without it."""
    label = state("labels")[0]
    conv = next(c for c in state("conversations")
                if label["id"] not in c["labelIds"] and c["status"] == "OPEN")
    return label, conv


def test_a_rule_changes_the_next_matching_conversation(dw, rule, state):
    """The page's example: label contains <title> -> assign_team, plus priority and a
    message; a conversation not matching is left alone."""
    label, conv = _vip_conversation(dw, state)
    team = next(t for t in state("teams") if t["id"] != conv["teamId"])
    rule(name="VIP to the senior team", eventName="conversation_updated",
         conditions=[{"attribute": "label", "operator": "contains", "value": label["title"]}],
         actions=[{"type": "assign_team", "value": team["id"]},
                  {"type": "change_priority", "value": "URGENT"},
                  {"type": "send_message", "value": "A senior agent will take over."}])
    other = next(c for c in state("conversations")
                 if label["id"] not in c["labelIds"] and c["id"] != conv["id"])
    assert dw(f"/conversations/{other['id']}", method="PATCH", json={"status": "PENDING"})[0] \
        == 200
    status, _ = dw(f"/conversations/{conv['id']}/labels", method="POST",
                   json={"labelId": label["id"]})
    assert status in (200, 201)
    status, got = dw(f"/conversations/{conv['id']}")
    assert got["team"]["id"] == team["id"] and got["priority"] == "URGENT"
    sent = [m for m in got["messages"] if m["content"] == "A senior agent will take over."]
    assert len(sent) == 1 and sent[0]["messageType"] == "OUTGOING" and sent[0]["sender"] is None
    untouched = dw(f"/conversations/{other['id']}")[1]
    assert untouched["teamId"] == other["teamId"] and untouched["priority"] == other["priority"]


def test_conversation_created_and_message_created_rules(dw, rule, state, ent):
    conv = state("conversations")[0]
    agent = next(u for u in state("users") if u["role"] == "AGENT")
    rule(name="web inbox to agent", eventName="conversation_created",
         conditions=[{"attribute": "inbox_id", "operator": "equals", "value": conv["inboxId"]}],
         actions=[{"type": "assign_agent", "value": agent["id"]}])
    rule(name="refunds are pending", eventName="message_created",
         conditions=[{"attribute": "content", "operator": "contains", "value": "refund"},
                     {"attribute": "message_type", "operator": "equals", "value": "INCOMING"}],
         actions=[{"type": "change_status", "value": "PENDING"}])
    status, made = dw("/accounts/{acc}/conversations", method="POST",
                      json={"inboxId": conv["inboxId"], "contactId": conv["contactId"]})
    assert status == 201
    got = dw(f"/conversations/{made['id']}")[1]
    assert got["assigneeId"] == agent["id"] and got["status"] == "OPEN"
    # an outgoing message does not match; an incoming one asking for a refund does
    assert dw(f"/conversations/{made['id']}/messages", method="POST",
              json={"content": "about your refund", "messageType": "OUTGOING"})[0] == 201
    assert dw(f"/conversations/{made['id']}")[1]["status"] == "OPEN"
    assert dw(f"/conversations/{made['id']}/messages", method="POST",
              json={"content": "I want a REFUND", "messageType": "INCOMING"})[0] == 201
    assert dw(f"/conversations/{made['id']}")[1]["status"] == "PENDING"


def test_inactive_rules_and_not_equals(dw, rule, state):
    conv = next(c for c in state("conversations") if c["status"] == "OPEN"
                and c["priority"] != "LOW")
    rule(name="off", eventName="conversation_updated", active=False,
         actions=[{"type": "change_priority", "value": "LOW"}])
    rule(name="not resolved -> muted", eventName="conversation_updated",
         conditions=[{"attribute": "status", "operator": "not_equals", "value": "resolved"}],
         actions=[{"type": "mute"}])
    assert dw(f"/conversations/{conv['id']}", method="PATCH", json={"status": "PENDING"})[0] \
        == 200
    got = dw(f"/conversations/{conv['id']}")[1]
    assert got["priority"] == conv["priority"] and got["muted"] is True


def test_no_rule_re_triggers_itself(dw, rule, state):
    """A rule whose action is itself a conversation update runs once per change made through
    the API, never on its own change (which would loop for ever)."""
    conv = next(c for c in state("conversations") if c["status"] == "OPEN")
    rule(name="echo", eventName="conversation_updated",
         actions=[{"type": "send_message", "value": "noted"},
                  {"type": "change_priority", "value": "HIGH"}])
    assert dw(f"/conversations/{conv['id']}", method="PATCH", json={"status": "PENDING"})[0] \
        == 200
    got = dw(f"/conversations/{conv['id']}")[1]
    assert [m["content"] for m in got["messages"]].count("noted") == 1
    assert got["priority"] == "HIGH"


def test_automations_changes_raise_their_own_webhooks(dw, rule, state, ent, runtime):
    server = Receiver()
    try:
        status, hook = dw("/accounts/{acc}/webhooks", method="POST", headers=session(ent),
                          json={"url": server.url(), "subscriptions": ["conversation.updated"]})
        assert status == 201
        conv = next(c for c in state("conversations") if c["status"] == "OPEN"
                    and c["priority"] != "URGENT")
        rule(name="urgent", eventName="conversation_updated",
             conditions=[{"attribute": "status", "operator": "equals", "value": "PENDING"}],
             actions=[{"type": "change_priority", "value": "URGENT"}])
        assert dw(f"/conversations/{conv['id']}", method="PATCH",
                  json={"status": "PENDING"})[0] == 200
        run_due_work(runtime)
        got = list(server.received)
        assert len(got) == 2
        data = sorted((g.json()["data"] for g in got), key=lambda d: d["priority"] == "URGENT")
        assert data[0]["status"] == "PENDING" and data[0]["priority"] == conv["priority"]
        assert data[1]["priority"] == "URGENT"
        assert all(g.signed_by(hook["secret"], "X-Deskwoot-Signature") for g in got)
    finally:
        server.close()


def test_the_seeded_rule_is_off_until_switched_on(dw, state, admin):
    """The seed's rule (the page's `label contains VIP`, on message_created -> URGENT) changes
    nothing while inactive, and runs once switched on through the API."""
    [seeded] = dw(RULES, headers=admin)[1]
    assert seeded["active"] is False
    vip = next(lab for lab in state("labels") if lab["title"] == "VIP")
    conv = next(c for c in state("conversations") if vip["id"] in c["labelIds"]
                and c["priority"] != "URGENT")
    assert dw(f"/conversations/{conv['id']}/messages", method="POST",
              json={"content": "still waiting"})[0] == 201
    assert dw(f"/conversations/{conv['id']}")[1]["priority"] == conv["priority"]
    assert dw(f"{RULES}/{seeded['id']}", method="PATCH", headers=admin,
              json={"active": True})[0] == 200
    assert dw(f"/conversations/{conv['id']}/messages", method="POST",
              json={"content": "hello?"})[0] == 201
    assert dw(f"/conversations/{conv['id']}")[1]["priority"] == "URGENT"
