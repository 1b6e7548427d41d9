"""Contacts through HTTP: search by name, email or phone; every segment on the clock; pages;
the client's get/create/update/delete; merge."""
from __future__ import annotations

from datetime import timedelta

import pytest

from mockserver.core.clock import parse_instant


def _all(dw, query=""):
    status, got = dw(f"/accounts/{{acc}}/contacts?pageSize=100{query}")
    assert status == 200
    out, page = list(got["contacts"]), 1
    while len(out) < got["total"]:
        page += 1
        out += dw(f"/accounts/{{acc}}/contacts?pageSize=100&page={page}{query}")[1]["contacts"]
    return got["total"], out


def test_pages_and_default_size(dw, state):
    total = len(state("contacts"))
    status, got = dw("/accounts/{acc}/contacts")
    assert status == 200 and (got["total"], got["page"], got["pageSize"]) == (total, 1, 25)
    assert len(got["contacts"]) == 25 and total > 200
    _, last = dw(f"/accounts/{{acc}}/contacts?page={total // 25 + 1}")
    assert len(last["contacts"]) == total % 25
    _, beyond = dw("/accounts/{acc}/contacts?page=999")
    assert beyond["contacts"] == [] and beyond["total"] == total


def test_search_by_name_email_or_phone(dw, state):
    contacts = state("contacts")
    someone = next(c for c in contacts if c["email"] and c["phone"])
    last_name = someone["name"].split()[1]
    total, found = _all(dw, f"&search={last_name.upper()}")
    assert someone["id"] in {c["id"] for c in found}
    assert total == sum(1 for c in contacts if any(last_name.lower() in (c[k] or "").lower()
                                                   for k in ("name", "email", "phone")))
    _, found = _all(dw, f"&search={someone['email']}")
    assert [c["id"] for c in found] == [someone["id"]]
    digits = someone["phone"].replace(" ", "").replace("+", "")[-7:]
    _, found = _all(dw, f"&search={digits}")
    assert someone["id"] in {c["id"] for c in found}


@pytest.mark.parametrize("segment", ["active-7d", "active-30d", "no-email", "has-email",
                                     "has-phone", "new"])
def test_every_segment_matches_its_rule(dw, state, control, segment):
    now = parse_instant(control.get("/clock")["now"])
    rules = {
        "active-7d": lambda c: c["lastActivityAt"] and parse_instant(c["lastActivityAt"])
        >= now - timedelta(days=7),
        "active-30d": lambda c: c["lastActivityAt"] and parse_instant(c["lastActivityAt"])
        >= now - timedelta(days=30),
        "no-email": lambda c: not c["email"], "has-email": lambda c: bool(c["email"]),
        "has-phone": lambda c: bool(c["phone"]),
        "new": lambda c: parse_instant(c["createdAt"]) >= now - timedelta(days=7)}
    wanted = {c["id"] for c in state("contacts") if rules[segment](c)}
    total, found = _all(dw, f"&segment={segment}")
    assert wanted and {c["id"] for c in found} == wanted and total == len(wanted)


def test_segments_follow_the_clock(dw, control):
    before, _ = _all(dw, "&segment=new")
    control.post("/clock", json={"advance": 8 * 86400})
    after, _ = _all(dw, "&segment=new")
    assert before > 0 and after < before


def test_an_unknown_segment_is_400(dw):
    status, answer = dw("/accounts/{acc}/contacts?segment=vip")
    assert status == 400 and "segment" in answer["error"]


def test_create_get_update_delete(dw, state):
    status, made = dw("/accounts/{acc}/contacts", method="POST",
                      json={"name": "Lisa Schmidt", "email": "lisa.new@example.com",
                            "phone": "+49 170 1234567", "company": "Acme GmbH",
                            "customAttributes": {"tier": "gold"}})
    assert status == 201 and made["customAttributes"] == {"tier": "gold"}
    assert dw(f"/accounts/{{acc}}/contacts/{made['id']}") == (200, made)
    status, changed = dw(f"/accounts/{{acc}}/contacts/{made['id']}", method="PATCH",
                         json={"company": None, "customAttributes": {"plan": "pro"}})
    assert status == 200 and changed["company"] is None
    assert changed["customAttributes"] == {"tier": "gold", "plan": "pro"}
    status, _ = dw("/accounts/{acc}/contacts", method="POST",
                   json={"email": "LISA.NEW@example.com"})
    assert status == 409
    status, answer = dw("/accounts/{acc}/contacts", method="POST", json={"company": "x"})
    assert status == 400 and "name, email or phone" in answer["error"]
    assert dw(f"/accounts/{{acc}}/contacts/{made['id']}", method="DELETE")[0] == 204
    assert dw(f"/accounts/{{acc}}/contacts/{made['id']}")[0] == 404


def test_delete_takes_the_conversations_along(dw, state):
    conv = state("conversations")[0]
    assert dw(f"/accounts/{{acc}}/contacts/{conv['contactId']}", method="DELETE")[0] == 204
    assert not [c for c in state("conversations") if c["contactId"] == conv["contactId"]]
    assert dw(f"/conversations/{conv['id']}")[0] == 404


def test_merge_moves_conversations_and_deletes_the_secondary(dw, state):
    convs = state("conversations")
    counts = {}
    for c in convs:
        counts[c["contactId"]] = counts.get(c["contactId"], 0) + 1
    primary, secondary = [cid for cid, n in counts.items() if n >= 1][:2]
    moved = {c["id"] for c in convs if c["contactId"] == secondary}
    contacts = {c["id"]: c for c in state("contacts")}
    status, merged = dw("/accounts/{acc}/contacts/merge", method="POST",
                        json={"primaryContactId": primary, "secondaryContactId": secondary})
    assert status == 200 and merged["id"] == primary
    assert merged["name"] == contacts[primary]["name"]
    if not contacts[primary]["email"]:
        assert merged["email"] == contacts[secondary]["email"]
    after = {c["id"]: c for c in state("conversations")}
    assert all(after[i]["contactId"] == primary for i in moved)
    assert dw(f"/accounts/{{acc}}/contacts/{secondary}")[0] == 404
    assert any(a["action"] == "contact.merged" for a in state("audit_logs"))


def test_merge_refusals_change_nothing(dw, state):
    contacts = state("contacts")
    status, answer = dw("/accounts/{acc}/contacts/merge", method="POST",
                        json={"primaryContactId": contacts[0]["id"],
                              "secondaryContactId": contacts[0]["id"]})
    assert status == 400 and "secondaryContactId" in answer["error"]
    status, answer = dw("/accounts/{acc}/contacts/merge", method="POST",
                        json={"primaryContactId": contacts[0]["id"],
                              "secondaryContactId": "cnothere000000000000000000"})
    assert status == 404 and answer["error"].startswith("secondaryContactId:")
    assert state("contacts") == contacts
