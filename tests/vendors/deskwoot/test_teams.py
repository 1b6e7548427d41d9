"""Teams and members through HTTP: list with member counts, get with members, create, update,
delete (conversations lose the team), members by the page's userId and the client's agentId
(DELETE with a JSON body), the Business plan gate and the manage_teams permission."""
from __future__ import annotations

from .conftest import session


def test_list_and_get_with_members(dw, state):
    stored = {t["id"]: t for t in state("teams")}
    status, listed = dw("/accounts/{acc}/teams")
    assert status == 200 and {t["id"] for t in listed} == set(stored)
    for team in listed:
        assert team["memberCount"] == len(stored[team["id"]]["memberIds"])
    status, got = dw(f"/accounts/{{acc}}/teams/{listed[0]['id']}")
    assert status == 200
    assert [m["id"] for m in got["members"]] == stored[listed[0]["id"]]["memberIds"]
    assert dw("/accounts/{acc}/teams/cnothere000000000000000000")[0] == 404


def test_create_update_delete(dw, ent, state):
    status, made = dw("/accounts/{acc}/teams", method="POST", headers=session(ent),
                      json={"name": "Night shift", "description": "After hours"})
    assert status == 201 and made["allowAutoAssign"] is True and made["memberCount"] == 0
    path = f"/accounts/{{acc}}/teams/{made['id']}"
    status, changed = dw(path, method="PATCH", headers=session(ent),
                         json={"allowAutoAssign": False, "description": None})
    assert status == 200 and changed["allowAutoAssign"] is False
    assert changed["description"] is None
    assert dw(path)[1]["allowAutoAssign"] is False
    status, answer = dw("/accounts/{acc}/teams", method="POST", headers=session(ent),
                        json={"name": "night SHIFT"})
    assert status == 409 and "name" in answer["error"]
    assert dw(path, method="DELETE", headers=session(ent)) == (204, None)
    assert dw(path)[0] == 404
    assert any(a["action"] == "team.created" for a in state("audit_logs"))


def test_delete_clears_the_team_of_its_conversations(dw, ent, state):
    convs = state("conversations")
    team = next(c["teamId"] for c in convs if c["teamId"])
    theirs = {c["id"]: c["assigneeId"] for c in convs if c["teamId"] == team}
    assert dw(f"/accounts/{{acc}}/teams/{team}", method="DELETE",
              headers=session(ent))[0] == 204
    after = {c["id"]: c for c in state("conversations")}
    assert all(after[i]["teamId"] is None and after[i]["assigneeId"] == a
               for i, a in theirs.items())


def test_members_by_user_id_and_agent_id(dw, ent, state):
    team = state("teams")[0]
    outsider = next(u for u in state("users") if u["id"] not in team["memberIds"])
    path = f"/accounts/{{acc}}/teams/{team['id']}/members"
    status, got = dw(path, method="POST", headers=session(ent), json={"userId": outsider["id"]})
    assert status == 200 and outsider["id"] in [m["id"] for m in got["members"]]
    assert dw(f"/accounts/{{acc}}/teams/{team['id']}")[1]["memberCount"] \
        == len(team["memberIds"]) + 1
    # adding again changes nothing
    again = dw(path, method="POST", headers=session(ent), json={"agentId": outsider["id"]})
    assert again == (200, got)
    # the official client: DELETE with {agentId}
    status, got = dw(path, method="DELETE", headers=session(ent),
                     json={"agentId": outsider["id"]})
    assert status == 200 and outsider["id"] not in [m["id"] for m in got["members"]]
    status, got = dw(path, method="DELETE", headers=session(ent),
                     json={"userId": team["memberIds"][0]})
    assert status == 200 and len(got["members"]) == len(team["memberIds"]) - 1
    stored = next(t for t in state("teams") if t["id"] == team["id"])
    assert stored["memberIds"] == team["memberIds"][1:]


def test_member_refusals(dw, ent, state, creds):
    team = state("teams")[0]
    path = f"/accounts/{{acc}}/teams/{team['id']}/members"
    outsider = next(u for u in state("users") if u["id"] not in team["memberIds"])
    status, answer = dw(path, method="DELETE", headers=session(ent),
                        json={"userId": outsider["id"]})
    assert status == 404 and answer["error"].startswith("userId:")
    status, answer = dw(path, method="POST", headers=session(ent),
                        json={"agentId": "cnothere000000000000000000"})
    assert status == 404 and answer["error"].startswith("agentId:")
    assert dw(path, method="POST", headers=session(ent), json={})[0] == 400
    other = next(u for u in state("users", creds["BUSINESS"]))
    assert dw(path, method="POST", headers=session(ent), json={"userId": other["id"]})[0] == 404
    assert dw("/accounts/{acc}/teams/cnothere000000000000000000/members", method="POST",
              headers=session(ent), json={"userId": outsider["id"]})[0] == 404
    assert state("teams")[0] == team


def test_gates(dw, ent, creds):
    body = {"name": "Gate"}
    assert dw("/accounts/{acc}/teams", method="POST", json=body)[0] == 403  # a token
    plain = session(ent, "AGENT", 0)  # no settings.manage_teams
    status, answer = dw("/accounts/{acc}/teams", method="POST", json=body, headers=plain)
    assert status == 403 and answer["error"] == "You do not have permission to perform this action"
    assert dw("/accounts/{acc}/teams", headers=plain)[0] == 200  # reading needs no permission
    startup = creds["STARTUP"]
    status, answer = dw(f"/accounts/{startup['id']}/teams", method="POST", json=body,
                        headers=session(startup))
    assert status == 403 and "BUSINESS" in answer["error"]
    business = creds["BUSINESS"]
    assert dw(f"/accounts/{business['id']}/teams", method="POST", json=body,
              headers=session(business))[0] == 201
