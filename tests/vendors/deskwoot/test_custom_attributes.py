"""Custom attributes through HTTP: the ?model= filter, create and update (snake_case key,
unique per model), delete, the Business plan gate and admin-only changes."""
from __future__ import annotations

from .conftest import session


def test_list_and_model_filter(dw, state):
    stored = state("custom_attributes")
    status, listed = dw("/accounts/{acc}/custom-attributes")
    assert status == 200 and {a["id"] for a in listed} == {a["id"] for a in stored}
    contact = dw("/accounts/{acc}/custom-attributes?model=CONTACT")[1]
    assert contact and {a["attributeModel"] for a in contact} == {"CONTACT"}
    conversation = dw("/accounts/{acc}/custom-attributes?model=CONVERSATION")[1]
    assert len(contact) + len(conversation) == len(stored)
    status, answer = dw("/accounts/{acc}/custom-attributes?model=TICKET")
    assert status == 400 and "model" in answer["error"]


def test_create_update_delete(dw, ent, state):
    status, made = dw("/accounts/{acc}/custom-attributes", method="POST", headers=session(ent),
                      json={"attributeDisplayName": "Cart value", "attributeKey": "cart_value",
                            "attributeDisplayType": "NUMBER"})
    assert status == 201 and made["attributeModel"] == "CONVERSATION"
    assert made in dw("/accounts/{acc}/custom-attributes?model=CONVERSATION")[1]
    # the same key on the other model is a different attribute
    assert dw("/accounts/{acc}/custom-attributes", method="POST", headers=session(ent),
              json={"attributeDisplayName": "Cart", "attributeKey": "cart_value",
                    "attributeModel": "CONTACT"})[0] == 201
    status, answer = dw("/accounts/{acc}/custom-attributes", method="POST",
                        headers=session(ent),
                        json={"attributeDisplayName": "Again", "attributeKey": "cart_value"})
    assert status == 409 and "attributeKey" in answer["error"]
    path = f"/accounts/{{acc}}/custom-attributes/{made['id']}"
    status, changed = dw(path, method="PATCH", headers=session(ent),
                         json={"attributeDisplayName": "Basket value"})
    assert status == 200 and changed["attributeDisplayName"] == "Basket value"
    assert dw(path, method="PATCH", headers=session(ent),
              json={"attributeKey": "order_number"})[0] == 409
    assert dw(path, method="DELETE", headers=session(ent)) == (204, None)
    assert made["id"] not in {a["id"] for a in state("custom_attributes")}
    assert dw(path, method="DELETE", headers=session(ent))[0] == 404


def test_key_and_list_rules(dw, ent, state):
    before = state("custom_attributes")
    for key in ("CartValue", "cart-value", "1st", "cart value"):
        status, answer = dw("/accounts/{acc}/custom-attributes", method="POST",
                            headers=session(ent),
                            json={"attributeDisplayName": "x", "attributeKey": key})
        assert status == 400 and "attributeKey" in answer["error"], key
    status, answer = dw("/accounts/{acc}/custom-attributes", method="POST", headers=session(ent),
                        json={"attributeDisplayName": "Tier", "attributeKey": "tier",
                              "attributeDisplayType": "LIST"})
    assert status == 400 and "attributeValues" in answer["error"]
    assert state("custom_attributes") == before


def test_gates(dw, ent, creds, state):
    body = {"attributeDisplayName": "x", "attributeKey": "x"}
    assert dw("/accounts/{acc}/custom-attributes", method="POST", json=body,
              headers=session(ent, "AGENT", 1))[0] == 403  # admin only
    assert dw("/accounts/{acc}/custom-attributes", headers=session(ent, "AGENT", 0))[0] == 200
    startup = creds["STARTUP"]
    status, answer = dw(f"/accounts/{startup['id']}/custom-attributes", headers=session(startup))
    assert status == 403 and "BUSINESS" in answer["error"]
    theirs = state("custom_attributes", creds["BUSINESS"])[0]
    assert dw(f"/accounts/{{acc}}/custom-attributes/{theirs['id']}", method="DELETE",
              headers=session(ent))[0] == 404
