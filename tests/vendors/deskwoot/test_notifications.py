"""Notifications through HTTP: the signed-in user's own, with unreadCount and pages; mark one
or all read; session only; an assignment notifies the new assignee."""
from __future__ import annotations

from .conftest import session


def _mine(state, ent, index=0):
    user = [u for u in ent["users"] if u["role"] == "ADMINISTRATOR"][index]
    return [n for n in state("notifications") if n["userId"] == user["id"]]


def test_list_is_the_callers_own_with_unread_count(dw, ent, state):
    mine = _mine(state, ent)
    status, got = dw("/accounts/{acc}/notifications", headers=session(ent))
    assert status == 200
    assert got["meta"] == {"page": 1, "pageSize": 20, "total": len(mine),
                           "unreadCount": sum(1 for n in mine if not n["read"])}
    assert len(got["data"]) == 20 and {n["id"] for n in got["data"]} <= {n["id"] for n in mine}
    stamps = [n["createdAt"] for n in got["data"]]
    assert stamps == sorted(stamps, reverse=True)
    _, last = dw(f"/accounts/{{acc}}/notifications?page=2&pageSize=20", headers=session(ent))
    assert len(last["data"]) == len(mine) - 20
    assert dw("/accounts/{acc}/notifications")[0] == 403  # a token: session only


def test_mark_one_then_all_read(dw, ent, state):
    unread = [n for n in _mine(state, ent) if not n["read"]]
    assert len(unread) > 1
    path = "/accounts/{acc}/notifications"
    status, got = dw(path, method="PATCH", headers=session(ent),
                     json={"notificationId": unread[0]["id"]})
    assert (status, got) == (200, {"updated": 1, "unreadCount": len(unread) - 1})
    assert dw(path, headers=session(ent))[1]["meta"]["unreadCount"] == len(unread) - 1
    status, got = dw(path, method="PATCH", headers=session(ent), json={"markAllRead": True})
    assert (status, got) == (200, {"updated": len(unread) - 1, "unreadCount": 0})
    assert all(n["read"] for n in _mine(state, ent))


def test_mark_refusals(dw, ent, state):
    path = "/accounts/{acc}/notifications"
    theirs = _mine(state, ent, 1)[0]
    status, answer = dw(path, method="PATCH", headers=session(ent),
                        json={"notificationId": theirs["id"]})
    assert status == 404 and answer["error"].startswith("notificationId:")
    status, answer = dw(path, method="PATCH", headers=session(ent), json={"markAllRead": False})
    assert status == 400 and "markAllRead" in answer["error"]
    assert dw(path, method="PATCH", headers=session(ent),
              json={"notificationId": "cnothere000000000000000000"})[0] == 404
    assert dw(path, method="PATCH", json={"markAllRead": True})[0] == 403
    assert _mine(state, ent, 1)[0] == theirs


def test_an_assignment_notifies_the_assignee(dw, ent, state):
    agent = next(u for u in ent["users"] if u["role"] == "AGENT")
    conv = next(c for c in state("conversations") if c["assigneeId"] != agent["id"])
    before = dw("/accounts/{acc}/notifications", headers={"Cookie": agent["session_cookie"]})[1]
    assert dw(f"/conversations/{conv['id']}", method="PATCH", headers=session(ent),
              json={"assigneeId": agent["id"]})[0] == 200
    _, after = dw("/accounts/{acc}/notifications", headers={"Cookie": agent["session_cookie"]})
    assert after["meta"]["total"] == before["meta"]["total"] + 1
    assert after["meta"]["unreadCount"] == before["meta"]["unreadCount"] + 1
    newest = after["data"][0]
    assert newest["type"] == "conversation_assigned" and newest["conversation"]["id"] == conv["id"]
