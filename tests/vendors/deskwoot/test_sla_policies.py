"""SLA policies through HTTP: the list with conversation counts (computed from the
conversations that still exist), create, update, delete, the Business plan gate, admin only."""
from __future__ import annotations

from .conftest import session


def test_list_counts_conversations(dw, ent, state):
    stored = {p["id"]: p for p in state("sla_policies")}
    status, listed = dw("/accounts/{acc}/sla-policies")
    assert status == 200 and {p["id"] for p in listed} == set(stored)
    for policy in listed:
        assert policy["conversationCount"] == len(stored[policy["id"]]["conversationIds"]) > 0
    vip = next(p for p in listed if p["name"] == "VIP")
    conv = stored[vip["id"]]["conversationIds"][0]
    assert dw("/accounts/{acc}/conversations/bulk", method="POST",
              json={"conversationIds": [conv], "action": "delete"})[0] == 200
    again = next(p for p in dw("/accounts/{acc}/sla-policies")[1] if p["id"] == vip["id"])
    assert again["conversationCount"] == vip["conversationCount"] - 1


def test_create_update_delete(dw, ent, state):
    status, made = dw("/accounts/{acc}/sla-policies", method="POST", headers=session(ent),
                      json={"name": "Gold", "firstResponseTimeThreshold": 900,
                            "resolutionTimeThreshold": 14400})
    assert status == 201 and made["onlyDuringBusinessHours"] is False
    assert made["conversationCount"] == 0 and made["nextResponseTimeThreshold"] is None
    assert made in dw("/accounts/{acc}/sla-policies")[1]
    path = f"/accounts/{{acc}}/sla-policies/{made['id']}"
    status, changed = dw(path, method="PATCH", headers=session(ent),
                         json={"onlyDuringBusinessHours": True,
                               "firstResponseTimeThreshold": None})
    assert status == 200 and changed["onlyDuringBusinessHours"] is True
    assert changed["firstResponseTimeThreshold"] is None
    status, answer = dw(path, method="PATCH", headers=session(ent),
                        json={"resolutionTimeThreshold": -1})
    assert status == 400 and "resolutionTimeThreshold" in answer["error"]
    assert dw(path, method="DELETE", headers=session(ent)) == (204, None)
    assert dw(path, method="PATCH", headers=session(ent), json={"name": "x"})[0] == 404


def test_gates(dw, ent, creds, state):
    assert dw("/accounts/{acc}/sla-policies", method="POST", json={"name": "x"},
              headers=session(ent, "AGENT", 1))[0] == 403
    assert dw("/accounts/{acc}/sla-policies", method="POST", json={"name": "x"})[0] == 403
    hacker = creds["HACKER"]
    status, answer = dw(f"/accounts/{hacker['id']}/sla-policies", headers=session(hacker))
    assert status == 403 and "BUSINESS" in answer["error"]
    business = creds["BUSINESS"]
    theirs = state("sla_policies", business)[0]
    assert dw(f"/accounts/{{acc}}/sla-policies/{theirs['id']}", method="DELETE",
              headers=session(ent))[0] == 404
    assert dw(f"/accounts/{business['id']}/sla-policies", headers=session(business))[0] == 200
