"""Custom roles through HTTP: list, create and update with permission flags (unknown flags
are 400, names unique), delete (its agents keep their base role), admin only; a role's flags
open the spec's permission gates at once."""
from __future__ import annotations

from .conftest import session


def test_list_create_update_delete(dw, ent, state):
    status, listed = dw("/accounts/{acc}/custom-roles", headers=session(ent))
    assert status == 200 and [r["name"] for r in listed] == ["Inbox managers"]
    assert listed[0]["permissions"]["settings.manage_inboxes"] is True
    status, made = dw("/accounts/{acc}/custom-roles", method="POST", headers=session(ent),
                      json={"name": "Team leads", "permissions": {"settings.manage_teams": True}})
    assert status == 201 and made["permissions"] == {"settings.manage_teams": True}
    assert made in dw("/accounts/{acc}/custom-roles", headers=session(ent))[1]
    path = f"/accounts/{{acc}}/custom-roles/{made['id']}"
    status, changed = dw(path, method="PATCH", headers=session(ent),
                         json={"description": "Lead a team", "permissions":
                               {"settings.manage_labels": True}})
    assert status == 200 and changed["permissions"] == {"settings.manage_labels": True}
    assert changed["description"] == "Lead a team"
    assert dw(path, method="DELETE", headers=session(ent)) == (204, None)
    assert dw(path, method="DELETE", headers=session(ent))[0] == 404


def test_refusals(dw, ent, state):
    before = state("custom_roles")
    status, answer = dw("/accounts/{acc}/custom-roles", method="POST", headers=session(ent),
                        json={"name": "Odd", "permissions": {"settings.fly": True}})
    assert status == 400 and "settings.fly" in answer["error"]
    status, answer = dw("/accounts/{acc}/custom-roles", method="POST", headers=session(ent),
                        json={"name": "inbox MANAGERS"})
    assert status == 409 and "name" in answer["error"]
    assert dw("/accounts/{acc}/custom-roles", headers=session(ent, "AGENT", 1))[0] == 403
    assert dw("/accounts/{acc}/custom-roles")[0] == 403  # a token: session only
    assert state("custom_roles") == before


def test_a_granted_flag_opens_its_gate_and_delete_closes_it(dw, ent, state):
    plain = next(u for u in ent["users"] if u["role"] == "AGENT")
    headers = {"Cookie": plain["session_cookie"]}
    body = {"name": "Gated team"}
    assert dw("/accounts/{acc}/teams", method="POST", json=body, headers=headers)[0] == 403
    _, role = dw("/accounts/{acc}/custom-roles", method="POST", headers=session(ent),
                 json={"name": "Team leads", "permissions": {"settings.manage_teams": True}})
    assert dw(f"/accounts/{{acc}}/agents/{plain['id']}", method="PATCH", headers=session(ent),
              json={"customRoleId": role["id"]})[0] == 200
    assert dw("/accounts/{acc}/teams", method="POST", json=body, headers=headers)[0] == 201
    assert dw(f"/accounts/{{acc}}/custom-roles/{role['id']}", method="DELETE",
              headers=session(ent))[0] == 204
    user = next(u for u in state("users") if u["id"] == plain["id"])
    assert user["customRoleId"] is None and user["role"] == "AGENT"
    assert dw("/accounts/{acc}/teams", method="POST", json={"name": "Another"},
              headers=headers)[0] == 403


def test_another_accounts_roles_are_unreachable(dw, ent, creds, state):
    other = creds["BUSINESS"]
    assert dw(f"/accounts/{other['id']}/custom-roles", headers=session(ent))[0] == 404
    role = state("custom_roles")[0]
    status, answer = dw(f"/accounts/{other['id']}/custom-roles/{role['id']}", method="PATCH",
                        headers=session(other), json={"name": "Taken over"})
    assert status == 404
    assert state("custom_roles")[0] == role
