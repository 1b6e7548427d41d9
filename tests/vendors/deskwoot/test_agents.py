"""Agents through HTTP: the list with maxAgents and plan, inviting within the plan's seats
(409 on a duplicate email), role and custom role changes, removal (their conversations become
unassigned), the admin-only and session-only gates, and another account's agents."""
from __future__ import annotations

from .conftest import session


def test_list_has_max_agents_plan_and_custom_roles(dw, ent, state):
    status, got = dw("/accounts/{acc}/agents")
    assert status == 200 and got["maxAgents"] == 10 and got["plan"] == "ENTERPRISE"
    users = state("users")
    assert {a["user"]["id"] for a in got["agents"]} == {u["id"] for u in users}
    role = state("custom_roles")[0]
    holder = next(a for a in got["agents"] if a["customRole"])
    assert holder["customRole"] == {"id": role["id"], "name": role["name"]}
    assert holder["role"] == "AGENT" and holder["email"] == holder["user"]["email"]


def test_invite_reads_back_and_refuses_a_duplicate_email(dw, ent, state):
    status, made = dw("/accounts/{acc}/agents", method="POST", headers=session(ent),
                      json={"name": "Nina Roth", "email": "nina@acme-support.example.com"})
    assert status == 201 and made["role"] == "AGENT" and made["customRole"] is None
    assert made["user"]["name"] == "Nina Roth"
    _, got = dw("/accounts/{acc}/agents")
    assert made["user"]["id"] in {a["user"]["id"] for a in got["agents"]}
    status, answer = dw("/accounts/{acc}/agents", method="POST", headers=session(ent),
                        json={"name": "Nina", "email": "NINA@acme-support.example.com"})
    assert status == 409 and "email" in answer["error"]
    # the official client sends only email and role
    status, made = dw("/accounts/{acc}/agents", method="POST", headers=session(ent),
                      json={"email": "ops@acme-support.example.com", "role": "ADMINISTRATOR"})
    assert status == 201 and made["user"]["name"] == "ops" and made["role"] == "ADMINISTRATOR"
    assert any(a["action"] == "agent.invited" for a in state("audit_logs"))


def test_invite_within_max_agents(dw, creds, state):
    hacker = creds["HACKER"]  # 2 seats, 2 users
    status, answer = dw(f"/accounts/{hacker['id']}/agents", method="POST",
                        headers=session(hacker), json={"name": "X", "email": "x@example.com"})
    assert status == 403 and "maxAgents" in answer["error"]
    assert len(state("users", hacker)) == 2
    startup = creds["STARTUP"]  # 3 seats, 2 users: one more fits
    path = f"/accounts/{startup['id']}/agents"
    assert dw(path, method="POST", headers=session(startup),
              json={"name": "A", "email": "a@example.com"})[0] == 201
    assert dw(path, method="POST", headers=session(startup),
              json={"name": "B", "email": "b@example.com"})[0] == 403


def test_invite_refusals(dw, ent, state):
    before = state("users")
    body = {"name": "Y", "email": "y@example.com"}
    status, answer = dw("/accounts/{acc}/agents", method="POST", headers=session(ent),
                        json={**body, "customRoleId": "cnothere000000000000000000"})
    assert status == 404 and answer["error"].startswith("customRoleId:")
    status, answer = dw("/accounts/{acc}/agents", method="POST", headers=session(ent),
                        json={"name": "Y", "email": "not-an-email"})
    assert status == 400 and "email" in answer["error"]
    assert dw("/accounts/{acc}/agents", method="POST", json=body)[0] == 403  # a token
    assert dw("/accounts/{acc}/agents", method="POST", json=body,
              headers=session(ent, "AGENT", 1))[0] == 403  # not an administrator
    assert state("users") == before


def test_role_and_custom_role_changes(dw, ent, state):
    agent = next(u for u in state("users") if u["role"] == "AGENT" and not u["customRoleId"])
    role = state("custom_roles")[0]
    path = f"/accounts/{{acc}}/agents/{agent['id']}"
    status, got = dw(path, method="PATCH", headers=session(ent),
                     json={"customRoleId": role["id"]})
    assert status == 200 and got["customRole"]["id"] == role["id"]
    status, got = dw(path, method="PATCH", headers=session(ent),
                     json={"role": "ADMINISTRATOR", "customRoleId": None})
    assert status == 200 and got["role"] == "ADMINISTRATOR" and got["customRole"] is None
    stored = next(u for u in state("users") if u["id"] == agent["id"])
    assert stored["role"] == "ADMINISTRATOR" and stored["customRoleId"] is None
    status, answer = dw(path, method="PATCH", headers=session(ent),
                        json={"customRoleId": "cnothere000000000000000000"})
    assert status == 404 and answer["error"].startswith("customRoleId:")
    status, answer = dw(path, method="PATCH", headers=session(ent), json={"role": "OWNER"})
    assert status == 400 and "role" in answer["error"]
    assert dw("/accounts/{acc}/agents/cnothere000000000000000000", method="PATCH",
              headers=session(ent), json={"role": "AGENT"})[0] == 404


def test_the_last_administrator_stays(dw, creds, state):
    business = creds["BUSINESS"]
    admin = next(u for u in state("users", business) if u["role"] == "ADMINISTRATOR")
    status, answer = dw(f"/accounts/{business['id']}/agents/{admin['id']}", method="PATCH",
                        headers=session(business), json={"role": "AGENT"})
    assert status == 400 and "ADMINISTRATOR" in answer["error"]


def test_removal_unassigns_their_conversations(dw, ent, state, client):
    agent = next(u for u in ent["users"] if u["role"] == "AGENT")
    mine = {c["id"] for c in state("conversations") if c["assigneeId"] == agent["id"]}
    teams = [t["id"] for t in state("teams") if agent["id"] in t["memberIds"]]
    assert mine and teams
    assert dw(f"/accounts/{{acc}}/agents/{agent['id']}", method="DELETE",
              headers=session(ent)) == (204, None)
    after = {c["id"]: c for c in state("conversations")}
    assert all(after[i]["assigneeId"] is None for i in mine)
    assert not [t for t in state("teams") if agent["id"] in t["memberIds"]]
    _, got = dw("/accounts/{acc}/agents")
    assert agent["id"] not in {a["user"]["id"] for a in got["agents"]}
    # their session ends with them
    assert dw("/me", headers={"Cookie": agent["session_cookie"]})[0] == 401
    assert dw(f"/accounts/{{acc}}/agents/{agent['id']}", method="DELETE",
              headers=session(ent))[0] == 404


def test_another_accounts_agents_are_unreachable(dw, ent, creds, state):
    other = creds["BUSINESS"]
    theirs = next(u for u in state("users", other) if u["role"] == "AGENT")
    assert dw(f"/accounts/{{acc}}/agents/{theirs['id']}", method="DELETE",
              headers=session(ent))[0] == 404
    assert dw(f"/accounts/{other['id']}/agents")[0] == 404
    assert len(state("users", other)) == 3


def test_the_last_administrator_and_oneself_are_not_removed(dw, creds, ent, state):
    business = creds["BUSINESS"]
    admin = next(u for u in state("users", business) if u["role"] == "ADMINISTRATOR")
    status, answer = dw(f"/accounts/{business['id']}/agents/{admin['id']}", method="DELETE",
                        headers=session(business))
    assert status == 400 and "ADMINISTRATOR" in answer["error"]
    me = next(u for u in ent["users"] if u["role"] == "ADMINISTRATOR")
    status, answer = dw(f"/accounts/{{acc}}/agents/{me['id']}", method="DELETE",
                        headers=session(ent))
    assert status == 400 and "yourself" in answer["error"]
    assert len(state("users", business)) == 3 and len(state("users")) == 5
