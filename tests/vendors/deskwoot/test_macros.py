"""Macros through HTTP: the list shows public macros and the caller's own personal ones;
PERSONAL by default; another user's personal macro is a 404; token and session forms."""
from __future__ import annotations

from .conftest import bearer, session


def _names(answer):
    return {m["name"] for m in answer["data"]}


def test_list_shows_public_and_own_personal(dw, ent):
    jan = session(ent, "ADMINISTRATOR", 0)
    mia = session(ent, "ADMINISTRATOR", 1)
    status, got = dw("/accounts/{acc}/macros", headers=jan)
    assert status == 200 and _names(got) == {"Close and resolve", "Escalate to billing"}
    assert _names(dw("/accounts/{acc}/macros", headers=mia)[1]) == {"Close and resolve",
                                                                   "My snooze"}
    assert _names(dw("/accounts/{acc}/macros", headers=session(ent, "AGENT", 0))[1]) \
        == {"Close and resolve"}
    # a token acts for its user (the broad token is Jan's)
    assert _names(dw("/accounts/{acc}/macros")[1]) == _names(got)
    close = next(m for m in got["data"] if m["name"] == "Close and resolve")
    assert close["visibility"] == "PUBLIC"
    assert close["actions"][0] == {"type": "change_status", "value": "RESOLVED"}


def test_create_is_personal_by_default(dw, ent):
    mia = session(ent, "ADMINISTRATOR", 1)
    status, made = dw("/accounts/{acc}/macros", method="POST", headers=mia,
                      json={"name": "Tag VIP", "actions": [{"type": "add_label",
                                                            "value": "VIP"}]})
    assert status == 201 and made["visibility"] == "PERSONAL"
    assert "Tag VIP" in _names(dw("/accounts/{acc}/macros", headers=mia)[1])
    assert "Tag VIP" not in _names(dw("/accounts/{acc}/macros")[1])
    status, made = dw("/accounts/{acc}/macros", method="POST",
                      json={"name": "Everyone", "visibility": "PUBLIC"})
    assert status == 201 and made["actions"] == []
    assert "Everyone" in _names(dw("/accounts/{acc}/macros", headers=mia)[1])


def test_update_and_delete_own_or_public_only(dw, ent, state):
    macros = {m["name"]: m for m in state("macros")}
    mia = session(ent, "ADMINISTRATOR", 1)
    theirs = macros["Escalate to billing"]  # Jan's personal macro
    assert dw(f"/accounts/{{acc}}/macros/{theirs['id']}", method="PATCH", headers=mia,
              json={"name": "Mine now"})[0] == 404
    assert dw(f"/accounts/{{acc}}/macros/{theirs['id']}", method="DELETE",
              headers=mia)[0] == 404
    status, changed = dw(f"/accounts/{{acc}}/macros/{theirs['id']}", method="PATCH",
                         json={"visibility": "PUBLIC",
                               "actions": [{"type": "mute"}]})
    assert status == 200 and changed["visibility"] == "PUBLIC"
    assert changed["actions"] == [{"type": "mute"}]
    assert "Escalate to billing" in _names(dw("/accounts/{acc}/macros", headers=mia)[1])
    status, answer = dw(f"/accounts/{{acc}}/macros/{theirs['id']}", method="PATCH",
                        json={"actions": [{"type": "explode"}]})
    assert status == 400 and "type" in answer["error"]
    assert dw(f"/accounts/{{acc}}/macros/{theirs['id']}", method="DELETE",
              headers=mia) == (204, None)
    assert theirs["id"] not in {m["id"] for m in state("macros")}


def test_scopes_and_other_accounts(dw, ent, creds, state):
    status, answer = dw("/accounts/{acc}/macros", method="POST", json={"name": "x"},
                        headers=bearer(ent, ("read",)))
    assert status == 403 and "write" in answer["error"]
    theirs = state("macros", creds["BUSINESS"])[0]
    assert dw(f"/accounts/{{acc}}/macros/{theirs['id']}", method="DELETE")[0] == 404
