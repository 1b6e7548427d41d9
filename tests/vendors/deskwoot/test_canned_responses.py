"""Canned responses through HTTP: list and search, create and update (`shortCode` unique),
delete, the manage_canned_responses permission and another account's records."""
from __future__ import annotations

from .conftest import session


def test_list_and_search(dw, state):
    status, listed = dw("/accounts/{acc}/canned-responses")
    assert status == 200 and [r["shortCode"] for r in listed] == ["greeting", "refund",
                                                                  "shipped"]
    assert dw("/accounts/{acc}/canned-responses?search=SHIPPED")[1] == \
        [r for r in listed if r["shortCode"] == "shipped"]
    assert [r["shortCode"] for r in dw("/accounts/{acc}/canned-responses?search=refunded")[1]] \
        == ["refund"]


def test_create_update_delete(dw, ent, state):
    status, made = dw("/accounts/{acc}/canned-responses", method="POST", headers=session(ent),
                      json={"shortCode": "bye", "content": "Have a great day, {{contact.name}}!"})
    assert status == 201 and made["shortCode"] == "bye"
    assert made in dw("/accounts/{acc}/canned-responses")[1]
    status, answer = dw("/accounts/{acc}/canned-responses", method="POST", headers=session(ent),
                        json={"shortCode": "GREETING", "content": "x"})
    assert status == 409 and "shortCode" in answer["error"]
    path = f"/accounts/{{acc}}/canned-responses/{made['id']}"
    status, changed = dw(path, method="PATCH", headers=session(ent), json={"content": "Bye!"})
    assert status == 200 and changed["content"] == "Bye!"
    assert dw(path, method="PATCH", headers=session(ent), json={"shortCode": "refund"})[0] == 409
    status, answer = dw(path, method="PATCH", headers=session(ent),
                        json={"shortCode": "two words"})
    assert status == 400 and "shortCode" in answer["error"]
    status, answer = dw("/accounts/{acc}/canned-responses", method="POST",
                        headers=session(ent), json={"shortCode": "x"})
    assert status == 400 and "content" in answer["error"]
    assert dw(path, method="DELETE", headers=session(ent)) == (204, None)
    assert made["id"] not in {r["id"] for r in state("canned_responses")}
    assert dw(path, method="DELETE", headers=session(ent))[0] == 404


def test_gates_and_other_accounts(dw, ent, creds, state):
    body = {"shortCode": "gate", "content": "x"}
    assert dw("/accounts/{acc}/canned-responses", method="POST", json=body)[0] == 403
    assert dw("/accounts/{acc}/canned-responses", method="POST", json=body,
              headers=session(ent, "AGENT", 0))[0] == 403
    other = creds["BUSINESS"]
    theirs = state("canned_responses", other)[0]
    assert dw(f"/accounts/{{acc}}/canned-responses/{theirs['id']}", method="PATCH",
              headers=session(ent), json={"content": "x"})[0] == 404
    assert state("canned_responses", other)[0] == theirs
