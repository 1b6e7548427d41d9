"""Conversations through HTTP: retrieve with its joined records, the client's list (filters,
pages) and create, update with null to clear, every bulk action, conversation labels."""
from __future__ import annotations

import pytest

from .conftest import bearer, session


@pytest.fixture
def convs(state):
    return state("conversations")


def _one(convs, **where):
    return next(c for c in convs if all(c[k] == v for k, v in where.items()))


def test_get_joins_contact_inbox_assignee_team_labels_and_messages(dw, convs, state):
    conv = next(c for c in convs if c["assigneeId"] and c["teamId"] and c["labelIds"])
    status, got = dw(f"/conversations/{conv['id']}")
    assert status == 200
    contact = next(c for c in state("contacts") if c["id"] == conv["contactId"])
    assert got["contact"]["id"] == contact["id"] and got["contact"]["name"] == contact["name"]
    assert got["inbox"]["id"] == conv["inboxId"] and got["inbox"]["channelType"]
    assert got["assignee"]["id"] == conv["assigneeId"] and "@" in got["assignee"]["email"]
    assert got["team"]["id"] == conv["teamId"]
    assert [lab["id"] for lab in got["labels"]] == conv["labelIds"]
    own = [m["id"] for m in state("messages") if m["conversationId"] == conv["id"]]
    assert {m["id"] for m in got["messages"]} == set(own) and own
    assert isinstance(got["displayId"], int) and got["accountId"]


def test_unknown_conversation_is_404(dw):
    status, answer = dw("/conversations/cnothere000000000000000000")
    assert status == 404 and "cnothere000000000000000000" in answer["error"]


def test_list_filters_combine_and_pages_follow(dw, convs, state):
    agent = _one(convs, status="OPEN")["assigneeId"] or next(
        c["assigneeId"] for c in convs if c["assigneeId"])
    mine = [c for c in convs if c["assigneeId"] == agent and c["status"] == "OPEN"]
    status, got = dw(f"/accounts/{{acc}}/conversations?status=OPEN&assignee_id={agent}"
                     "&pageSize=100")
    assert status == 200 and {c["id"] for c in got} == {c["id"] for c in mine}
    label = state("labels")[0]["id"]
    _, got = dw(f"/accounts/{{acc}}/conversations?label_id={label}&pageSize=100")
    assert got and all(label in [lab["id"] for lab in c["labels"]] for c in got)
    assert len(got) == sum(1 for c in convs if label in c["labelIds"])
    inbox = convs[0]["inboxId"]
    _, got = dw(f"/accounts/{{acc}}/conversations?inbox_id={inbox}&pageSize=100")
    assert got and all(c["inboxId"] == inbox for c in got)
    team = next(c["teamId"] for c in convs if c["teamId"])
    _, got = dw(f"/accounts/{{acc}}/conversations?team_id={team}&pageSize=100")
    assert got and all(c["teamId"] == team for c in got)
    # pages: newest activity first, no overlap
    _, first = dw("/accounts/{acc}/conversations?page=1&pageSize=10")
    _, second = dw("/accounts/{acc}/conversations?page=2&pageSize=10")
    assert len(first) == 10 == len(second)
    assert not {c["id"] for c in first} & {c["id"] for c in second}
    stamps = [c["lastActivityAt"] for c in first + second]
    assert stamps == sorted(stamps, reverse=True)
    _, default = dw("/accounts/{acc}/conversations")
    assert len(default) == 25
    status, answer = dw("/accounts/{acc}/conversations?status=CLOSED")
    assert status == 400 and "status" in answer["error"]
    assert dw("/accounts/{acc}/conversations?pageSize=101")[0] == 400


def test_create_with_a_first_message_like_the_client(dw, state, ent, control):
    inbox, contact = state("inboxes")[0], state("contacts")[0]
    agent = next(u for u in state("users") if u["role"] == "AGENT")
    status, made = dw("/accounts/{acc}/conversations", method="POST", json={
        "inboxId": inbox["id"], "contactId": contact["id"], "message": "My parcel is late",
        "status": "PENDING", "assigneeId": agent["id"]})
    assert status == 201
    assert (made["status"], made["assigneeId"], made["teamId"]) == ("PENDING", agent["id"], None)
    assert made["displayId"] == max(c["displayId"] for c in state("conversations"))
    assert [(m["content"], m["messageType"], m["sender"]["type"]) for m in made["messages"]] \
        == [("My parcel is late", "INCOMING", "contact")]
    assert dw(f"/conversations/{made['id']}")[1]["id"] == made["id"]
    # the assignee is notified
    notes = [n for n in state("notifications") if n["userId"] == agent["id"]
             and n["conversationId"] == made["id"]]
    assert [n["type"] for n in notes] == ["conversation_assigned"]


def test_create_refuses_unknown_references_and_changes_nothing(dw, state):
    before = len(state("conversations"))
    inbox = state("inboxes")[0]
    status, answer = dw("/accounts/{acc}/conversations", method="POST",
                        json={"inboxId": inbox["id"], "contactId": "cmissing0000000000000000000"})
    assert status == 404 and answer["error"].startswith("contactId:")
    status, answer = dw("/accounts/{acc}/conversations", method="POST", json={"inboxId": "x"})
    assert status == 400 and "contactId" in answer["error"]
    assert len(state("conversations")) == before


def test_update_sets_and_clears_with_null(dw, convs, state):
    conv = next(c for c in convs if c["assigneeId"] and c["teamId"] and c["priority"])
    status, got = dw(f"/conversations/{conv['id']}", method="PATCH",
                     json={"status": "RESOLVED", "priority": None, "assigneeId": None,
                           "teamId": None, "muted": True})
    assert status == 200
    assert (got["status"], got["priority"], got["assigneeId"], got["teamId"], got["muted"]) == \
        ("RESOLVED", None, None, None, True)
    assert got["assignee"] is None and got["team"] is None
    stored = next(c for c in state("conversations") if c["id"] == conv["id"])
    assert stored["assigneeId"] is None and stored["priority"] is None
    team = state("teams")[0]["id"]
    status, got = dw(f"/conversations/{conv['id']}", method="PATCH",
                     json={"priority": "URGENT", "teamId": team})
    assert (got["priority"], got["teamId"], got["status"]) == ("URGENT", team, "RESOLVED")


def test_update_refuses_bad_values_naming_the_field(dw, convs):
    conv = convs[0]
    status, answer = dw(f"/conversations/{conv['id']}", method="PATCH", json={"status": "DONE"})
    assert status == 400 and "status" in answer["error"]
    status, answer = dw(f"/conversations/{conv['id']}", method="PATCH",
                        json={"assigneeId": "cnobody00000000000000000000"})
    assert status == 404 and answer["error"].startswith("assigneeId:")
    assert dw(f"/conversations/{conv['id']}", method="PATCH", json={})[0] == 400


BULK = [("change_status", lambda s: "RESOLVED", lambda c, v: c["status"] == v),
        ("change_priority", lambda s: "HIGH", lambda c, v: c["priority"] == v),
        ("assign_agent", lambda s: s("users")[0]["id"], lambda c, v: c["assigneeId"] == v),
        ("assign_team", lambda s: s("teams")[0]["id"], lambda c, v: c["teamId"] == v),
        ("add_label", lambda s: s("labels")[0]["id"], lambda c, v: v in c["labelIds"]),
        ("mute", lambda s: None, lambda c, v: c["muted"] is True),
        ("unmute", lambda s: None, lambda c, v: c["muted"] is False),
        ("mark_unread", lambda s: None, lambda c, v: c["unread"] is True),
        ("snooze", lambda s: "2030-01-01T09:00:00Z",
         lambda c, v: c["status"] == "SNOOZED" and c["snoozedUntil"] == v)]


@pytest.mark.parametrize("action,value,holds", BULK, ids=[b[0] for b in BULK])
def test_bulk_applies_every_action(dw, convs, state, action, value, holds):
    ids = [c["id"] for c in convs[:3]]
    wanted = value(state)
    status, got = dw("/accounts/{acc}/conversations/bulk", method="POST",
                     json={"conversationIds": ids, "action": action, "value": wanted})
    assert status == 200 and got == {"action": action, "updated": 3, "conversationIds": ids}
    after = {c["id"]: c for c in state("conversations")}
    assert all(holds(after[i], wanted) for i in ids)


def test_bulk_clears_with_null_and_deletes(dw, convs, state):
    ids = [c["id"] for c in convs if c["assigneeId"]][:2]
    dw("/accounts/{acc}/conversations/bulk", method="POST",
       json={"conversationIds": ids, "action": "assign_agent", "value": None})
    assert all(c["assigneeId"] is None for c in state("conversations") if c["id"] in ids)
    status, _ = dw("/accounts/{acc}/conversations/bulk", method="POST",
                   json={"conversationIds": ids, "action": "delete"})
    assert status == 200
    assert not {c["id"] for c in state("conversations")} & set(ids)
    assert not [m for m in state("messages") if m["conversationId"] in ids]


def test_bulk_checks_everything_first(dw, convs, state):
    before = state("conversations")
    ids = [convs[0]["id"], "cmissing0000000000000000000"]
    status, answer = dw("/accounts/{acc}/conversations/bulk", method="POST",
                        json={"conversationIds": ids, "action": "change_status",
                              "value": "RESOLVED"})
    assert status == 404 and "cmissing" in answer["error"]
    status, answer = dw("/accounts/{acc}/conversations/bulk", method="POST",
                        json={"conversationIds": [convs[0]["id"]], "action": "change_status",
                              "value": "DONE"})
    assert status == 400 and answer["error"].startswith("value:")
    status, answer = dw("/accounts/{acc}/conversations/bulk", method="POST",
                        json={"conversationIds": [convs[0]["id"]], "action": "explode"})
    assert status == 400 and "action" in answer["error"]
    assert state("conversations") == before


def test_labels_add_and_remove_by_query_or_body(dw, convs, state, client, ent):
    conv = next(c for c in convs if not c["labelIds"])
    label = state("labels")[1]["id"]
    status, got = dw(f"/conversations/{conv['id']}/labels", method="POST",
                     json={"labelId": label})
    assert status == 200 and [lab["id"] for lab in got["labels"]] == [label]
    # adding twice changes nothing
    assert len(dw(f"/conversations/{conv['id']}/labels", method="POST",
                  json={"labelId": label})[1]["labels"]) == 1
    status, got = dw(f"/conversations/{conv['id']}/labels?labelId={label}", method="DELETE")
    assert status == 200 and got["labels"] == []
    dw(f"/conversations/{conv['id']}/labels", method="POST", json={"labelId": label})
    status, got = dw(f"/conversations/{conv['id']}/labels", method="DELETE",
                     json={"labelId": label})
    assert status == 200 and got["labels"] == []
    status, answer = dw(f"/conversations/{conv['id']}/labels", method="DELETE")
    assert status == 400 and "labelId" in answer["error"]
    status, answer = dw(f"/conversations/{conv['id']}/labels", method="POST",
                        json={"labelId": "cnolabel0000000000000000000"})
    assert status == 404 and answer["error"].startswith("labelId:")


def test_a_session_changes_conversations_too(dw, convs, ent):
    conv = convs[0]
    status, got = dw(f"/conversations/{conv['id']}", method="PATCH", json={"muted": True},
                     headers=session(ent, "AGENT"))
    assert status == 200 and got["muted"] is True
    # a read-only conversations token may not write
    assert dw(f"/conversations/{conv['id']}", method="PATCH", json={"muted": False},
              headers=bearer(ent, ["read"]))[0] == 403
