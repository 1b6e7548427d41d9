"""Customers (§6): edit a profile (e-mail only while unconfirmed, phone only for phone users),
delete one (full access), block / soft-delete / restore, link and unlink profiles, and the
widget identification code."""
import pytest

UNKNOWN = 99999999


def _user(state, user_id):
    return next((u for u in state("users") if u["user_id"] == user_id), None)


def _plain(state, **match):
    """A live, unlinked user (matching `match`)."""
    return next(u for u in state("users") if not u["deleted"] and u["active"]
                and not u.get("linked_users") and all(u.get(k) == v for k, v in match.items()))


def test_edit_user_changes_the_given_fields_and_merges_custom_fields(dk, state):
    user = _plain(state, type="email")
    status, data, _ = dk(f"/api/users/{user['user_id']}.json", method="PUT", json={"user": {
        "user_full_name": "Renamed Person", "user_note": "prefers e-mail", "language_id": 1,
        "custom_fields": {"cf_6998": "extra"}}})
    assert status == 200
    got = data["user"]
    assert (got["user_full_name"], got["user_note"], got["language_id"]) == \
        ("Renamed Person", "prefers e-mail", 1)
    stored = _user(state, user["user_id"])
    assert stored["user_full_name"] == "Renamed Person"
    assert stored["custom_fields"] == {**user["custom_fields"], "cf_6998": "extra"}
    assert stored["user_email"] == user["user_email"]  # not given, kept
    assert dk(f"/api/users/{user['user_id']}.json")[1]["user"]["user_note"] == "prefers e-mail"


def test_edit_user_email_only_while_unconfirmed(dk, state):
    unconfirmed = _plain(state, type="email", confirmed=False)
    status, data, _ = dk(f"/api/users/{unconfirmed['user_id']}.json", method="PUT",
                         json={"user": {"user_email": "fixed.address@example.com"}})
    assert status == 200 and data["user"]["user_email"] == "fixed.address@example.com"
    assert _user(state, unconfirmed["user_id"])["user_email"] == "fixed.address@example.com"
    confirmed = _plain(state, type="email", confirmed=True)
    status, data, _ = dk(f"/api/users/{confirmed['user_id']}.json", method="PUT",
                         json={"user": {"user_email": "other.address@example.com"}})
    assert status == 400 and data["error"] == "validation_error"
    assert _user(state, confirmed["user_id"]) == confirmed


def test_edit_user_refusals_change_nothing(dk, state):
    email_user = _plain(state, type="email", confirmed=False)
    phone_user = _plain(state, type="phone")
    taken = next(u for u in state("users") if u.get("user_email")
                 and u["user_id"] != email_user["user_id"])
    before = state("users")
    for user, body, code in [
            (email_user, {"user_phone": "+15550001111"}, "validation_error"),
            (email_user, {"user_email": "bad@"}, "wrong_email"),
            (email_user, {"user_email": taken["user_email"]}, "email_already_exist")]:
        status, data, _ = dk(f"/api/users/{user['user_id']}.json", method="PUT",
                             json={"user": body})
        assert status == 400 and data["error"] == code, (body, data)
    status, data, _ = dk(f"/api/users/{phone_user['user_id']}.json", method="PUT",
                         json={"user": {}})
    assert status == 400 and data["error"] == "validation_error"
    status, data, _ = dk(f"/api/users/{UNKNOWN}.json", method="PUT",
                         json={"user": {"user_note": "x"}})
    assert status == 404 and data["error"] == "user_not_found"
    assert state("users") == before


def test_edit_phone_of_a_phone_user(dk, state):
    user = _plain(state, type="phone")
    status, data, _ = dk(f"/api/users/{user['user_id']}.json", method="PUT",
                         json={"user": {"user_phone": "+15550002222"}})
    assert status == 200 and data["user"]["user_phone"] == "+15550002222"
    assert _user(state, user["user_id"])["user_phone"] == "+15550002222"


def test_delete_user_answers_it_deleted_then_the_id_is_404_and_its_cases_stay(dk, state):
    case = next(c for c in state("cases") if c["user_id"])
    user = _user(state, case["user_id"])
    status, data, _ = dk(f"/api/users/{user['user_id']}.json", method="DELETE")
    assert status == 200 and data["user"]["user_id"] == user["user_id"]
    assert data["user"]["deleted"] is True
    assert _user(state, user["user_id"]) is None
    status, data, _ = dk(f"/api/users/{user['user_id']}.json")
    assert status == 404 and data["error"] == "user_not_found"
    assert any(c["case_id"] == case["case_id"] for c in state("cases"))
    status, data, _ = dk(f"/api/users/{user['user_id']}.json", method="DELETE")
    assert status == 404 and data["error"] == "user_not_found"


def test_delete_user_drops_it_from_its_linked_profiles(dk, state):
    linked = next(u for u in state("users") if u.get("linked_users"))
    partner = linked["linked_users"][0]
    assert dk(f"/api/users/{linked['user_id']}.json", method="DELETE")[0] == 200
    assert linked["user_id"] not in _user(state, partner)["linked_users"]


@pytest.mark.parametrize("action,field,value", [("block", "active", False),
                                                ("disable", "deleted", True)])
def test_block_or_disable_then_restore_a_user(dk, state, action, field, value):
    user = _plain(state)
    status, data, _ = dk(f"/api/users/{user['user_id']}/{action}.json", method="PUT")
    assert status == 200 and data["user"][field] is value
    assert _user(state, user["user_id"])[field] is value
    status, data, _ = dk(f"/api/users/{user['user_id']}/restore.json", method="PUT")
    assert status == 200 and data["user"]["active"] is True and data["user"]["deleted"] is False
    stored = _user(state, user["user_id"])
    assert stored["active"] is True and stored["deleted"] is False


@pytest.mark.parametrize("action", ["block", "disable", "restore"])
def test_user_flag_on_an_unknown_id_is_404(dk, action):
    status, data, _ = dk(f"/api/users/{UNKNOWN}/{action}.json", method="PUT")
    assert status == 404 and data["error"] == "user_not_found"


@pytest.mark.parametrize("by", ["user_id", "user_email", "user_phone"])
def test_link_is_symmetric_and_unlink_undoes_it(dk, state, by):
    user = _plain(state, type="email")
    other = _plain(state, type="phone") if by == "user_phone" else next(
        u for u in state("users") if not u.get("linked_users") and u.get("user_email")
        and u["user_id"] != user["user_id"])
    status, data, _ = dk(f"/api/users/{user['user_id']}/link.json", method="PUT",
                         json={by: other[by]})
    assert status == 200 and other["user_id"] in data["user"]["linked_users"]
    assert other["user_id"] in _user(state, user["user_id"])["linked_users"]
    assert user["user_id"] in _user(state, other["user_id"])["linked_users"]
    status, data, _ = dk(f"/api/users/{user['user_id']}/unlink.json", method="PUT",
                         json={"user_id": other["user_id"]})
    assert status == 200 and other["user_id"] not in data["user"]["linked_users"]
    assert _user(state, user["user_id"])["linked_users"] == []
    assert user["user_id"] not in _user(state, other["user_id"])["linked_users"]


def test_link_refusals_change_nothing(dk, state):
    user = _plain(state, type="email")
    before = state("users")
    for body in ({"user_id": UNKNOWN}, {"user_id": user["user_id"]},
                 {"user_email": "nobody.at.all@example.com"}):
        status, data, _ = dk(f"/api/users/{user['user_id']}/link.json", method="PUT", json=body)
        assert status == 400 and data["error"] == "user_not_found", body
    status, data, _ = dk(f"/api/users/{user['user_id']}/link.json", method="PUT", json={})
    assert status == 400 and data["error"] == "validation_error"
    status, data, _ = dk(f"/api/users/{UNKNOWN}/link.json", method="PUT",
                         json={"user_id": user["user_id"]})
    assert status == 404 and data["error"] == "user_not_found"
    assert state("users") == before


def test_unlink_refusals(dk, state):
    user = _plain(state, type="email")
    other = next(u for u in state("users") if u["user_id"] != user["user_id"])
    status, data, _ = dk(f"/api/users/{user['user_id']}/unlink.json", method="PUT",
                         json={"user_id": other["user_id"]})
    assert status == 400 and data["error"] == "validation_error"
    status, data, _ = dk(f"/api/users/{user['user_id']}/unlink.json", method="PUT", json={})
    assert status == 400 and data["error"] == "validation_error"
    status, data, _ = dk(f"/api/users/{UNKNOWN}/unlink.json", method="PUT",
                         json={"user_id": other["user_id"]})
    assert status == 404 and data["error"] == "user_not_found"


def test_identify_user_gives_a_stable_code_and_creates_nobody(dk, state):
    before = state("users")
    body = {"user": {"user_email": "widget.visitor@example.com", "user_full_name": "Visitor"}}
    status, first, _ = dk("/api/users/identification.json", method="POST", json=body)
    assert status == 200
    assert first["code"].startswith("o_") and len(first["code"].split("_")) == 3
    assert dk("/api/users/identification.json", method="POST", json=body)[1] == first
    other = dk("/api/users/identification.json", method="POST",
               json={"user": {"user_email": "someone.else@example.com"}})[1]
    assert other["code"] != first["code"]
    assert state("users") == before


def test_identify_user_refusals(dk):
    status, data, _ = dk("/api/users/identification.json", method="POST",
                         json={"user": {"user_email": "not-an-email"}})
    assert status == 400 and data["error"] == "wrong_email"
    status, data, _ = dk("/api/users/identification.json", method="POST",
                         json={"user": {"user_full_name": "No contact"}})
    assert status == 400 and data["error"] == "validation_error"


def test_delete_user_is_full_access_only(dk, auth, state):
    user = _plain(state)
    status, data, _ = dk(f"/api/users/{user['user_id']}.json", method="DELETE",
                         headers=auth(access="limited"))
    assert status == 403 and data["error"] == "staff_has_not_access"
    assert _user(state, user["user_id"]) == user


def test_a_blocked_users_new_case_goes_to_spam_until_restored(dk, state):
    user = _plain(state, type="email")
    new_case = {"case": {"user_email": user["user_email"], "subject": "Again", "content": "Hi"}}
    assert dk(f"/api/users/{user['user_id']}/block.json", method="PUT")[0] == 200
    status, data, _ = dk("/api/cases.json", method="POST", json=new_case)
    assert status == 200 and data["case"]["spam"] is True
    assert next(c for c in state("cases") if c["case_id"] == data["case"]["case_id"])["spam"]
    assert dk(f"/api/users/{user['user_id']}/restore.json", method="PUT")[0] == 200
    status, data, _ = dk("/api/cases.json", method="POST", json=new_case)
    assert status == 200 and data["case"]["spam"] is False
