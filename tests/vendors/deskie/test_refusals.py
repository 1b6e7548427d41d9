"""A refused write changes nothing: every view checks what can refuse the request (unknown ids,
unreadable dates, missing identities) before its first write, and a refusal does not use up the
ids the next accepted request would get."""
import pytest

UNKNOWN_USER = 99999999
IMPOSSIBLE_DATE = "2021-02-31 10:00:00"


def _snapshot(state, *collections):
    return {name: state(name) for name in collections}


def _free_user(state):
    """A live customer of no company, so attaching it would show in the users collection."""
    return next(u for u in state("users") if not u["deleted"] and not u.get("company_id"))


def _open_case(state):
    return next(c for c in state("cases") if not c["deleted"] and not c["spam"])


def test_create_company_with_an_unknown_user_creates_nothing(dk, state):
    user = _free_user(state)
    before = _snapshot(state, "companies", "users")
    status, data, _ = dk("/api/companies.json", method="POST", json={"company": {
        "company_name": "Half Made Ltd", "company_users": f"{user['user_id']},{UNKNOWN_USER}"}})
    assert status == 400 and data["error"] == "user_not_found"
    assert _snapshot(state, "companies", "users") == before


@pytest.mark.parametrize("field", ["add_company_users", "remove_company_users"])
def test_edit_company_with_an_unknown_user_keeps_the_company(dk, state, field):
    company = next(c for c in state("companies") if not c["deleted"])
    user = _free_user(state)
    before = _snapshot(state, "companies", "users")
    status, data, _ = dk(f"/api/companies/{company['company_id']}.json", method="PUT", json={
        "company": {"company_name": "Renamed Ltd", "add_company_domains": "renamed.example.com",
                    field: f"{user['user_id']},{UNKNOWN_USER}"}})
    assert status == 400 and data["error"] == "user_not_found"
    assert _snapshot(state, "companies", "users") == before
    assert dk(f"/api/companies/{company['company_id']}.json")[1]["company"]["company_name"] \
        == company["company_name"]


def test_create_case_with_a_new_customer_and_an_impossible_date_creates_nobody(dk, state):
    before = _snapshot(state, "users", "cases", "messages")
    status, data, _ = dk("/api/cases.json", method="POST", json={"case": {
        "user_email": "first.contact@example.com", "subject": "Hello", "content": "Hi",
        "created_at": IMPOSSIBLE_DATE}})
    assert status == 400 and data["error"] == "wrong_date"
    assert _snapshot(state, "users", "cases", "messages") == before
    assert not any(u.get("user_email") == "first.contact@example.com" for u in state("users"))


def _note_file_id(dk, case_id) -> int:
    status, data, _ = dk(f"/api/cases/{case_id}/note.json", method="POST", json={
        "note": {"content": "see file", "attachment_urls": ["https://files.example.com/a.txt"]}})
    assert status == 200
    return data["message"]["attachments"][0]["file_id"]


def _new_user_id(dk, email) -> int:
    status, data, _ = dk("/api/users.json", method="POST", json={"user": {"user_email": email}})
    assert status == 200
    return data["user"]["user_id"]


def test_case_refused_for_its_date_uses_no_customer_or_file_id(dk, state):
    case = _open_case(state)
    first_user, first_file = _new_user_id(dk, "one@example.com"), _note_file_id(dk, case["case_id"])
    status, data, _ = dk("/api/cases.json", method="POST", json={"case": {
        "user_email": "first.contact@example.com", "subject": "Hello", "content": "Hi",
        "attachment_urls": ["https://files.example.com/b.txt"], "created_at": IMPOSSIBLE_DATE}})
    assert status == 400 and data["error"] == "wrong_date"
    assert _new_user_id(dk, "two@example.com") == first_user + 1
    assert _note_file_id(dk, case["case_id"]) == first_file + 1


def test_case_refused_for_its_customer_uses_no_file_id(dk, state):
    case = _open_case(state)
    first = _note_file_id(dk, case["case_id"])
    status, data, _ = dk("/api/cases.json", method="POST", json={"case": {
        "user_email": "not-an-email", "subject": "Hello", "content": "Hi",
        "attachment_urls": ["https://files.example.com/b.txt"]}})
    assert status == 400 and data["error"] == "incorrect_user_email"
    assert _note_file_id(dk, case["case_id"]) == first + 1


@pytest.mark.parametrize("field", ["created_at", "send_at"])
def test_message_refused_for_its_date_changes_nothing_and_uses_no_file_id(dk, state, field):
    case = _open_case(state)
    first = _note_file_id(dk, case["case_id"])
    before = _snapshot(state, "messages", "cases", "users")
    status, data, _ = dk(f"/api/cases/{case['case_id']}/messages.json", method="POST", json={
        "message": {"content": "late", "attachment_urls": ["https://files.example.com/c.txt"],
                    field: IMPOSSIBLE_DATE}})
    assert status == 400 and data["error"] == "wrong_date"
    assert _snapshot(state, "messages", "cases", "users") == before
    assert _note_file_id(dk, case["case_id"]) == first + 1


def test_user_refused_for_want_of_an_identity_uses_no_id(dk, state):
    first = _new_user_id(dk, "one@example.com")
    before = state("users")
    status, data, _ = dk("/api/users.json", method="POST",
                         json={"user": {"user_full_name": "Nobody", "user_phone": ""}})
    assert status == 400 and data["error"] == "identity_required"
    assert state("users") == before
    assert _new_user_id(dk, "two@example.com") == first + 1
