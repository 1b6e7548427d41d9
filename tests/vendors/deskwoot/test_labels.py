"""Labels through HTTP: list, create and update (409 on a duplicate title), delete (removed from
every conversation), the manage_labels permission and another account's labels."""
from __future__ import annotations

from .conftest import session


def test_list(dw, state):
    status, listed = dw("/accounts/{acc}/labels")
    assert status == 200 and {lab["id"] for lab in listed} == {lab["id"] for lab in state("labels")}
    vip = next(lab for lab in listed if lab["title"] == "VIP")
    assert vip["color"] == "#6366F1" and vip["showOnSidebar"] is True


def test_create_update_and_duplicates(dw, ent, state):
    status, made = dw("/accounts/{acc}/labels", method="POST", headers=session(ent),
                      json={"title": "churn-risk"})
    assert status == 201 and made["color"] == "#6366F1" and made["showOnSidebar"] is True
    assert made in dw("/accounts/{acc}/labels")[1]
    status, answer = dw("/accounts/{acc}/labels", method="POST", headers=session(ent),
                        json={"title": "vip"})
    assert (status, answer) == (409, {"error": "Label with this title already exists"})
    path = f"/accounts/{{acc}}/labels/{made['id']}"
    status, changed = dw(path, method="PATCH", headers=session(ent),
                         json={"color": "#112233", "showOnSidebar": False})
    assert status == 200 and changed["color"] == "#112233" and not changed["showOnSidebar"]
    assert dw(path, method="PATCH", headers=session(ent), json={"title": "billing"})[0] == 409
    assert dw(path, method="PATCH", headers=session(ent), json={"title": "CHURN-risk"})[0] == 200
    status, answer = dw(path, method="PATCH", headers=session(ent), json={"color": "red"})
    assert status == 400 and "color" in answer["error"]
    assert dw("/accounts/{acc}/labels/cnothere000000000000000000", method="PATCH",
              headers=session(ent), json={"color": "#112233"})[0] == 404
    assert any(a["action"] == "label.created" for a in state("audit_logs"))


def test_delete_removes_it_from_every_conversation(dw, ent, state):
    convs = state("conversations")
    label = next(lab for lab in state("labels") if lab["title"] == "VIP")
    tagged = [c["id"] for c in convs if label["id"] in c["labelIds"]]
    assert tagged
    assert dw(f"/accounts/{{acc}}/labels/{label['id']}", method="DELETE",
              headers=session(ent)) == (204, None)
    assert not [c for c in state("conversations") if label["id"] in c["labelIds"]]
    _, conv = dw(f"/conversations/{tagged[0]}")
    assert label["id"] not in {lab["id"] for lab in conv["labels"]}
    assert dw(f"/accounts/{{acc}}/labels/{label['id']}", method="DELETE",
              headers=session(ent))[0] == 404


def test_gates_and_other_accounts(dw, ent, creds, state):
    body = {"title": "gate"}
    assert dw("/accounts/{acc}/labels", method="POST", json=body)[0] == 403  # a token
    assert dw("/accounts/{acc}/labels", method="POST", json=body,
              headers=session(ent, "AGENT", 0))[0] == 403
    assert dw("/accounts/{acc}/labels", method="POST", json=body,
              headers=session(ent, "AGENT", 1))[0] == 201  # custom role: manage_labels
    other = creds["BUSINESS"]
    theirs = state("labels", other)[0]
    assert dw(f"/accounts/{{acc}}/labels/{theirs['id']}", method="DELETE",
              headers=session(ent))[0] == 404
    # titles are unique per account, not across accounts
    assert dw(f"/accounts/{other['id']}/labels", method="POST", headers=session(other),
              json={"title": "gate"})[0] == 201
