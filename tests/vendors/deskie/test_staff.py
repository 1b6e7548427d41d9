"""Agents (§7): invite one (inactive until enabled), read and edit one, and delete one with
replace_staff_id taking over its cases of any status. Full access required for the writes."""
import pytest

UNKNOWN = 99999999


def _agent(state, staff_id):
    return next((s for s in state("staff") if s["staff_id"] == staff_id), None)


def test_create_staff_invites_an_inactive_limited_agent(dk, state):
    status, data, _ = dk("/api/staff.json", method="POST", json={"staff": {
        "staff_email": "new.agent@robotsrule.test", "staff_full_name": "New Agent",
        "staff_signature": "New Agent, support"}})
    assert status == 200
    made = data["staff"]
    assert made["staff_email"] == "new.agent@robotsrule.test" and made["active"] is False
    stored = _agent(state, made["staff_id"])
    assert stored["staff_full_name"] == "New Agent" and stored["active"] is False
    got = dk(f"/api/staff/{made['staff_id']}.json")
    assert got[0] == 200 and got[1]["staff"]["staff_signature"] == "New Agent, support"


def test_create_staff_refusals_create_nobody(dk, state):
    before = state("staff")
    for body, code in [({"staff_email": "not-an-email"}, "wrong_email"),
                       ({"staff_email": "JOHN.SNOW@robotsrule.test"}, "email_already_exist")]:
        status, data, _ = dk("/api/staff.json", method="POST", json={"staff": body})
        assert status == 400 and data["error"] == code, body
    status, data, _ = dk("/api/staff.json", method="POST", json={"staff": {}})
    assert status == 400 and data["error"] == "validation_error"
    assert state("staff") == before


def test_get_staff_and_unknown_id(dk, state):
    agent = state("staff")[0]
    status, data, _ = dk(f"/api/staff/{agent['staff_id']}.json")
    assert status == 200
    assert (data["staff"]["staff_id"], data["staff"]["staff_email"]) == \
        (agent["staff_id"], agent["staff_email"])
    status, data, _ = dk(f"/api/staff/{UNKNOWN}.json")
    assert status == 404 and data["error"] == "staff_not_found"


def test_edit_staff_changes_the_given_fields(dk, state):
    agent = next(s for s in state("staff") if s["access"] == "limited")
    status, data, _ = dk(f"/api/staff/{agent['staff_id']}.json", method="PUT", json={
        "staff": {"staff_full_name": "Renamed Agent", "staff_email": "renamed@robotsrule.test"}})
    assert status == 200 and data["staff"]["staff_full_name"] == "Renamed Agent"
    stored = _agent(state, agent["staff_id"])
    assert (stored["staff_full_name"], stored["staff_email"], stored["staff_signature"]) == \
        ("Renamed Agent", "renamed@robotsrule.test", agent["staff_signature"])


def test_edit_staff_refusals_change_nothing(dk, state):
    agent = next(s for s in state("staff") if s["access"] == "limited")
    taken = next(s for s in state("staff") if s["staff_id"] != agent["staff_id"])
    before = state("staff")
    for body, code in [({"staff_email": taken["staff_email"]}, "email_already_exist"),
                       ({"staff_email": "nope"}, "wrong_email")]:
        status, data, _ = dk(f"/api/staff/{agent['staff_id']}.json", method="PUT",
                             json={"staff": body})
        assert status == 400 and data["error"] == code, body
    status, data, _ = dk(f"/api/staff/{agent['staff_id']}.json", method="PUT", json={"staff": {}})
    assert status == 400 and data["error"] == "validation_error"
    status, data, _ = dk(f"/api/staff/{UNKNOWN}.json", method="PUT",
                         json={"staff": {"staff_full_name": "x"}})
    assert status == 404 and data["error"] == "staff_not_found"
    assert state("staff") == before


def test_delete_staff_hands_every_case_to_the_replacement(dk, state, agent):
    me = agent()["staff_id"]
    victim = max((s for s in state("staff") if s["active"] and s["staff_id"] != me),
                 key=lambda s: sum(1 for c in state("cases") if c["staff_id"] == s["staff_id"]))
    cases = [c["case_id"] for c in state("cases") if c["staff_id"] == victim["staff_id"]]
    assert {c["status"] for c in state("cases") if c["case_id"] in cases} - {"open", "waiting"}
    status, data, _ = dk(f"/api/staff/{victim['staff_id']}.json", method="DELETE")
    assert status == 400 and data["error"] == "replace_staff_id_required"
    status, data, _ = dk(f"/api/staff/{victim['staff_id']}.json", method="DELETE",
                         json={"staff": {"replace_staff_id": me}})
    assert status == 200 and data == []
    assert _agent(state, victim["staff_id"]) is None
    after = {c["case_id"]: c for c in state("cases")}
    assert all(after[i]["staff_id"] == me for i in cases)  # closed ones too
    assert dk(f"/api/staff/{victim['staff_id']}.json")[1]["error"] == "staff_not_found"


def test_delete_staff_without_cases_needs_no_replacement(dk, state):
    made = dk("/api/staff.json", method="POST",
              json={"staff": {"staff_email": "short.stay@robotsrule.test"}})[1]["staff"]
    status, data, _ = dk(f"/api/staff/{made['staff_id']}.json", method="DELETE")
    assert status == 200 and data == []
    assert _agent(state, made["staff_id"]) is None


def test_delete_staff_refusals_change_nothing(dk, state, agent):
    me = agent()["staff_id"]
    victim = next(s for s in state("staff") if s["active"] and s["staff_id"] != me
                  and any(c["staff_id"] == s["staff_id"] for c in state("cases")))
    before = {"staff": state("staff"), "cases": state("cases")}
    for replace in (victim["staff_id"], agent(active=False)["staff_id"], UNKNOWN):
        status, data, _ = dk(f"/api/staff/{victim['staff_id']}.json", method="DELETE",
                             json={"staff": {"replace_staff_id": replace}})
        assert status == 400 and data["error"] == "wrong_replace_staff_id", replace
    status, data, _ = dk(f"/api/staff/{me}.json", method="DELETE",
                         json={"staff": {"replace_staff_id": victim["staff_id"]}})
    assert status == 400 and data["error"] == "validation_error"  # not itself
    status, data, _ = dk(f"/api/staff/{UNKNOWN}.json", method="DELETE")
    assert status == 404 and data["error"] == "staff_not_found"
    assert {"staff": state("staff"), "cases": state("cases")} == before


@pytest.mark.parametrize("method,path,json", [
    ("POST", "/api/staff.json", {"staff": {"staff_email": "x.y@robotsrule.test"}}),
    ("PUT", "/api/staff/{id}.json", {"staff": {"staff_full_name": "x"}}),
    ("DELETE", "/api/staff/{id}.json", None),
])
def test_staff_writes_are_full_access_only(dk, auth, state, method, path, json):
    target = next(s for s in state("staff") if s["access"] == "limited")
    before = state("staff")
    status, data, _ = dk(path.format(id=target["staff_id"]), method=method, json=json,
                         headers=auth(access="limited"))
    assert status == 403 and data["error"] == "staff_has_not_access"
    assert state("staff") == before
