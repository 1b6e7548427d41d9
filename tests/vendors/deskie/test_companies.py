"""Companies (§9): create one with its members, edit it (domains and members through add_ /
remove_ lists), delete it (to the deleted list), block, soft-delete and restore it. Full access
required; unknown ids and users are refused without a change."""
import pytest

UNKNOWN = 99999999


def _company(state, company_id):
    return next((c for c in state("companies") if c["company_id"] == company_id), None)


def _user(state, user_id):
    return next(u for u in state("users") if u["user_id"] == user_id)


def _free_users(state, n):
    return [u for u in state("users") if not u["deleted"] and not u.get("company_id")][:n]


def _live(state):
    return next(c for c in state("companies") if not c["deleted"] and c["active"])


def _listed_ids(dk):
    data = dk("/api/companies.json?limit=100")[1]
    return {data[k]["company"]["company_id"] for k in data if k.isdigit()}


def test_create_company_attaches_its_users(dk, state):
    members = [u["user_id"] for u in _free_users(state, 2)]
    status, data, _ = dk("/api/companies.json", method="POST", json={"company": {
        "company_name": "Gears Ltd", "company_domains": "gears.example.com",
        "company_default_group": 318, "company_address": "2 Cog Lane", "company_note": "new",
        "company_users": ",".join(map(str, members))}})
    assert status == 200
    made = data["company"]
    assert (made["company_name"], made["company_default_group"], made["active"],
            made["deleted"]) == ("Gears Ltd", 318, True, False)
    stored = _company(state, made["company_id"])
    assert stored["company_domains"] == "gears.example.com"
    for user_id in members:
        user = _user(state, user_id)
        assert (user["company_id"], user["company_name"]) == (made["company_id"], "Gears Ltd")
    assert dk(f"/api/companies/{made['company_id']}.json")[1]["company"]["company_address"] \
        == "2 Cog Lane"
    assert made["company_id"] in _listed_ids(dk)


def test_create_company_refusals_create_nothing(dk, state):
    before = {"companies": state("companies"), "users": state("users")}
    status, data, _ = dk("/api/companies.json", method="POST", json={"company": {
        "company_name": "Nowhere", "company_default_group": UNKNOWN}})
    assert status == 400 and data["error"] == "group_not_found"
    for body in ({"company": {"company_name": ""}}, {"company": {}},
                 {"company": {"company_name": "X", "company_users": "one,two"}}):
        status, data, _ = dk("/api/companies.json", method="POST", json=body)
        assert status == 400 and data["error"] == "validation_error", body
    assert {"companies": state("companies"), "users": state("users")} == before


def test_edit_company_fields_domains_and_members(dk, state):
    company = next(c for c in state("companies") if not c["deleted"]
                   and "," in c["company_domains"])
    old = company["company_domains"].split(",")
    members = [u["user_id"] for u in state("users") if u.get("company_id") == company["company_id"]]
    joiner = _free_users(state, 1)[0]["user_id"]
    status, data, _ = dk(f"/api/companies/{company['company_id']}.json", method="PUT", json={
        "company": {"company_name": "Renamed Co", "company_note": "edited",
                    "add_company_domains": "added.example.com",
                    "remove_company_domains": old[0],
                    "add_company_users": str(joiner),
                    "remove_company_users": ",".join(map(str, members[:1]))}})
    assert status == 200 and data["company"]["company_name"] == "Renamed Co"
    stored = _company(state, company["company_id"])
    assert stored["company_domains"].split(",") == [*old[1:], "added.example.com"]
    assert (stored["company_note"], stored["company_address"]) == \
        ("edited", company["company_address"])
    assert _user(state, joiner)["company_id"] == company["company_id"]
    if members:
        assert _user(state, members[0])["company_id"] == 0


def test_edit_company_refusals_change_nothing(dk, state):
    company = _live(state)
    before = {"companies": state("companies"), "users": state("users")}
    for body, code in [({"company_default_group": UNKNOWN}, "group_not_found"),
                       ({"add_company_users": str(UNKNOWN)}, "user_not_found")]:
        status, data, _ = dk(f"/api/companies/{company['company_id']}.json", method="PUT",
                             json={"company": {"company_name": "Changed", **body}})
        assert status == 400 and data["error"] == code, body
    status, data, _ = dk(f"/api/companies/{company['company_id']}.json", method="PUT",
                         json={"company": {}})
    assert status == 400 and data["error"] == "validation_error"
    status, data, _ = dk(f"/api/companies/{UNKNOWN}.json", method="PUT",
                         json={"company": {"company_name": "x"}})
    assert status == 404 and data["error"] == "company_not_found"
    assert {"companies": state("companies"), "users": state("users")} == before


def test_delete_company_moves_it_to_the_deleted_list_and_restore_brings_it_back(dk, state):
    company = _live(state)
    cid = company["company_id"]
    status, data, _ = dk(f"/api/companies/{cid}.json", method="DELETE")
    assert status == 200 and data == []
    assert _company(state, cid)["deleted"] is True
    assert cid not in _listed_ids(dk)
    assert dk(f"/api/companies/{cid}.json")[1]["company"]["deleted"] is True
    status, data, _ = dk(f"/api/companies/{cid}/restore.json", method="PUT")
    assert status == 200 and data["company"]["deleted"] is False
    assert cid in _listed_ids(dk)


@pytest.mark.parametrize("action,field,value", [("block", "active", False),
                                                ("disable", "deleted", True)])
def test_block_or_disable_then_restore_a_company(dk, state, action, field, value):
    company = _live(state)
    cid = company["company_id"]
    status, data, _ = dk(f"/api/companies/{cid}/{action}.json", method="PUT")
    assert status == 200 and data["company"][field] is value
    assert _company(state, cid)[field] is value
    status, data, _ = dk(f"/api/companies/{cid}/restore.json", method="PUT")
    assert status == 200
    assert (data["company"]["active"], data["company"]["deleted"]) == (True, False)
    stored = _company(state, cid)
    assert (stored["active"], stored["deleted"]) == (True, False)


@pytest.mark.parametrize("method,path", [("DELETE", ".json"), ("PUT", "/block.json"),
                                         ("PUT", "/disable.json"), ("PUT", "/restore.json")])
def test_company_action_on_an_unknown_id_is_404(dk, method, path):
    status, data, _ = dk(f"/api/companies/{UNKNOWN}{path}", method=method)
    assert status == 404 and data["error"] == "company_not_found"


@pytest.mark.parametrize("method,path,json", [
    ("POST", "/api/companies.json", {"company": {"company_name": "x"}}),
    ("PUT", "/api/companies/{id}.json", {"company": {"company_name": "x"}}),
    ("DELETE", "/api/companies/{id}.json", None),
    ("PUT", "/api/companies/{id}/block.json", None),
    ("PUT", "/api/companies/{id}/disable.json", None),
    ("PUT", "/api/companies/{id}/restore.json", None),
])
def test_company_writes_are_full_access_only(dk, auth, state, method, path, json):
    company = _live(state)
    before = state("companies")
    status, data, _ = dk(path.format(id=company["company_id"]), method=method, json=json,
                         headers=auth(access="limited"))
    assert status == 403 and data["error"] == "staff_has_not_access"
    assert state("companies") == before


def test_new_cases_of_a_blocked_companys_users_go_to_spam(dk, state):
    company = _live(state)
    member = next(u for u in state("users") if u.get("company_id") == company["company_id"]
                  and u["active"] and not u["deleted"] and u.get("user_email"))
    new_case = {"case": {"user_email": member["user_email"], "subject": "Hello", "content": "Hi"}}
    assert dk(f"/api/companies/{company['company_id']}/block.json", method="PUT")[0] == 200
    status, data, _ = dk("/api/cases.json", method="POST", json=new_case)
    assert status == 200 and data["case"]["spam"] is True
    assert dk(f"/api/companies/{company['company_id']}/restore.json", method="PUT")[0] == 200
    status, data, _ = dk("/api/cases.json", method="POST", json=new_case)
    assert status == 200 and data["case"]["spam"] is False
