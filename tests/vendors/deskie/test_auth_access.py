"""Overview "authentication" and "Access to data": staff_email:api_key of an active agent; the
agent's access level decides what it sees and changes; actions are recorded as that agent."""
import pytest

from tests.support import basic

from .conftest import rows


def test_full_agent_authenticates_and_the_tenant_is_the_key_owner(dk, auth):
    status, data, headers = dk("/api/staff.json", headers=auth("acme"))
    assert status == 200
    assert {r["staff"]["staff_email"].split("@")[1] for r in rows(data)} == {"acme.test"}


@pytest.mark.parametrize("case,code", [("no_header", "invalid_credentials"),
                                       ("wrong_key", "wrong_api_key"),
                                       ("unknown_email", "staff_not_found"),
                                       ("deactivated", "staff_not_active"),
                                       ("other_accounts_agent", "staff_not_found")])
def test_each_refusal_is_401_with_its_own_code(dk, accounts, agent, case, code):
    key = accounts["robotsrule"]["api_key"]
    headers = {
        "no_header": {},
        "wrong_key": basic(agent()["email"], "0" * 40),
        "unknown_email": basic("nobody@robotsrule.test", key),
        "deactivated": basic(agent(active=False)["email"], key),
        "other_accounts_agent": basic(agent("acme")["email"], key),
    }[case]
    status, data, resp_headers = dk("/api/cases.json", headers=headers)
    assert status == 401 and data["error"] == code and data["description"]
    assert "rate_limit_per_minute" not in resp_headers


def test_rotation_invalidates_the_old_key_at_once(client, dk, auth, agent):
    old = auth()
    rotated = client.post("/__sandbox/credentials/deskie/robotsrule/rotate").get_json()
    assert rotated["id"] == "robotsrule"
    assert dk("/api/cases.json?limit=1", headers=old)[1]["error"] == "wrong_api_key"
    assert dk("/api/cases.json?limit=1", headers=basic(agent()["email"], rotated["api_key"]))[0] == 200
    assert client.post("/__sandbox/credentials/deskie/nope/rotate").status_code == 404


def test_credentials_list_each_plan_with_full_limited_and_deactivated_agents(accounts):
    assert {a["plan"] for a in accounts.values()} == {"Basic", "Standard", "Pro"}
    for account in accounts.values():
        kinds = {(a["access"], a["active"]) for a in account["agents"]}
        assert {("full", True), ("limited", True)} <= kinds
        assert any(not a["active"] for a in account["agents"])


def test_limited_agent_lists_only_cases_of_its_groups_or_assigned_to_it(dk, auth, agent, state):
    limited = agent(access="limited")
    staff = {s["staff_id"]: s for s in state("staff")}
    groups = set(staff[limited["staff_id"]]["groups"])
    status, data, _ = dk("/api/cases.json", headers=auth(access="limited"))
    assert status == 200 and data["total_count"] > 0
    for row in rows(data):
        assert row["case"]["group_id"] in groups or row["case"]["staff_id"] == limited["staff_id"]
    everything = dk("/api/cases.json")[1]["total_count"]
    assert everything > data["total_count"]


def test_limited_agent_gets_403_on_a_case_outside_its_groups(dk, auth, agent, state):
    limited = agent(access="limited")
    groups = set(next(s for s in state("staff") if s["staff_id"] == limited["staff_id"])["groups"])
    outside = next(c for c in state("cases") if c["group_id"] not in groups
                   and c["staff_id"] != limited["staff_id"])
    status, data, _ = dk(f"/api/cases/{outside['case_id']}.json", headers=auth(access="limited"))
    assert status == 403 and data["error"] == "staff_has_not_access"
    status, data, _ = dk(f"/api/cases/{outside['case_id']}.json", method="PUT",
                         json={"case": {"priority": "high"}}, headers=auth(access="limited"))
    assert status == 403
    assert next(c for c in state("cases") if c["case_id"] == outside["case_id"]) == outside


@pytest.mark.parametrize("method,path,json", [
    ("DELETE", "/api/users/{user}.json", None),
    ("POST", "/api/groups.json", {"group": {"group_title": "X"}}),
    ("POST", "/api/staff.json", {"staff": {"staff_email": "new@robotsrule.test"}}),
    ("POST", "/api/labels.json", {"label": {"label_title": "X"}}),
    ("DELETE", "/api/cases/{case}.json", None),
])
def test_full_access_only_actions_are_403_for_a_limited_agent(dk, auth, state, method, path, json):
    user = state("users")[0]["user_id"]
    case = state("cases")[0]["case_id"]
    status, data, _ = dk(path.format(user=user, case=case), method=method, json=json,
                         headers=auth(access="limited"))
    assert status == 403 and data["error"] == "staff_has_not_access"


def test_actions_are_recorded_as_the_authenticating_agent(dk, auth, agent, state):
    case = next(c for c in state("cases") if c["status"] == "open" and not c["deleted"]
                and not c["spam"] and not c["parent_case_id"])
    me = agent()["staff_id"]
    status, data, _ = dk(f"/api/cases/{case['case_id']}/messages.json", method="POST",
                         json={"message": {"content": "On it."}})
    assert status == 200 and data["message"]["staff_id"] == me and data["message"]["user_id"] == 0
    dk(f"/api/cases/{case['case_id']}.json", method="PUT", json={"case": {"priority": "critical"}})
    log = dk(f"/api/cases/{case['case_id']}/changelog.json")[1]["changelog"]
    assert {"event": "priority", "done_by": f"staff_{me}", "value": "critical"}.items() <= log[-1].items()
    assert any(e["event"] == "status" and e["value"] == "waiting" and e["done_by"] == f"staff_{me}"
               for e in log)
