"""Notes §4–§8: bulk case operations (≤10 ids), replacement agents and groups taking over
cases, uploads with their size limits, and the documented error codes; a refusal changes nothing."""
import io

import pytest


def _visible(state):
    return [c for c in state("cases") if not c["deleted"] and not c["spam"]]


def test_bulk_trash_and_restore(dk, state):
    ids = [c["case_id"] for c in _visible(state)[:3]]
    status, data, _ = dk(f"/api/cases/{','.join(map(str, ids))}/trash.json", method="PUT")
    assert status == 200 and data == {"case_success_id": ids}
    assert all(c["deleted"] for c in state("cases") if c["case_id"] in ids)
    status, data, _ = dk(f"/api/cases/{','.join(map(str, ids))}/restore.json", method="PUT")
    assert data == {"case_success_id": ids}
    assert not any(c["deleted"] for c in state("cases") if c["case_id"] in ids)


def test_bulk_of_eleven_is_400_and_changes_nothing(dk, state):
    ids = [c["case_id"] for c in _visible(state)[:11]]
    before = state("cases")
    for path in (f"/api/cases/{','.join(map(str, ids))}/spam.json",):
        status, data, _ = dk(path, method="PUT")
        assert status == 400 and data["error"] == "too_many_ids"
    status, data, _ = dk(f"/api/cases/{','.join(map(str, ids))}.json", method="DELETE")
    assert status == 400 and data["error"] == "too_many_ids"
    assert state("cases") == before


def test_bulk_delete_of_ten(dk, state):
    ids = [c["case_id"] for c in _visible(state)[:10]]
    status, data, _ = dk(f"/api/cases/{','.join(map(str, ids))}.json", method="DELETE")
    assert status == 200 and data == []
    assert not {c["case_id"] for c in state("cases")} & set(ids)


def test_disable_staff_hands_open_cases_to_the_replacement(dk, state, agent):
    me = agent()["staff_id"]
    victim = max((s for s in state("staff") if s["active"] and s["staff_id"] != me),
                 key=lambda s: sum(1 for c in state("cases") if c["staff_id"] == s["staff_id"]))
    before = [c for c in state("cases") if c["staff_id"] == victim["staff_id"]]
    status, data, _ = dk(f"/api/staff/{victim['staff_id']}/disable.json", method="PUT",
                         json={"staff": {"replace_staff_id": me}})
    assert status == 200
    after = {c["case_id"]: c for c in state("cases")}
    for case in before:
        expected = me if case["status"] in ("open", "waiting") else victim["staff_id"]
        assert after[case["case_id"]]["staff_id"] == expected


def test_disable_staff_requires_a_valid_replacement(dk, state, agent):
    victim = next(s for s in state("staff") if s["active"] and s["access"] == "limited")
    status, data, _ = dk(f"/api/staff/{victim['staff_id']}/disable.json", method="PUT",
                         json={"staff": {"replace_staff_id": victim["staff_id"]}})
    assert status == 400 and data["error"] == "wrong_replace_staff_id"
    inactive = agent(active=False)["staff_id"]
    status, data, _ = dk(f"/api/staff/{victim['staff_id']}/disable.json", method="PUT",
                         json={"staff": {"replace_staff_id": inactive}})
    assert status == 400 and data["error"] == "wrong_replace_staff_id"


def test_delete_group_moves_every_case_to_the_replacement(dk, state):
    cases = [c for c in state("cases") if c["group_id"] == 746]
    status, data, _ = dk("/api/groups/746.json", method="DELETE")
    assert status == 400 and data["error"] == "replace_group_id_required"
    status, data, _ = dk("/api/groups/746.json", method="DELETE",
                         json={"group": {"replace_group_id": 318}})
    assert status == 200 and data == []
    after = {c["case_id"]: c for c in state("cases")}
    assert cases and all(after[c["case_id"]]["group_id"] == 318 for c in cases)


def test_create_case_with_multipart_and_size_limit(client, auth, state):
    form = {"case[user_email]": "new.person@example.com", "case[subject]": "Photo",
            "case[content]": "See attached", "case[attachments][1]": (io.BytesIO(b"x" * 2048), "a.png")}
    r = client.post("/deskie/api/cases.json", data=form, headers=auth(),
                    content_type="multipart/form-data")
    assert r.status_code == 200
    case = r.get_json()["case"]
    message = next(m for m in state("messages") if m["case_id"] == case["case_id"])
    assert message["attachments"][0]["file_size"] == 2048
    big = {**form, "case[attachments][1]": (io.BytesIO(b"x" * (25 * 1024 * 1024 + 1)), "big.bin")}
    before = len(state("cases"))
    r = client.post("/deskie/api/cases.json", data=big, headers=auth(),
                    content_type="multipart/form-data")
    assert r.status_code == 400 and r.get_json()["error"] == "attachment_too_large"
    assert len(state("cases")) == before


@pytest.mark.parametrize("body,code", [
    ({"case": {"user_email": "not-an-email", "subject": "x", "content": "y"}}, "incorrect_user_email"),
    ({"case": {"user_email": "a@b.co", "subject": "x", "content": "y", "group_id": 746,
               "staff_id": 16}}, "staff_has_not_access"),
    ({"case": {"user_email": "a@b.co", "subject": "x", "content": "y", "staff_id": 12}},
     "staff_not_active"),
])
def test_create_case_errors(dk, body, code):
    status, data, _ = dk("/api/cases.json", method="POST", json=body)
    assert status == 400 and data["error"] == code


def test_user_errors(dk, state):
    taken = next(u for u in state("users") if u.get("user_email"))
    phone = next(u for u in state("users") if u.get("user_phone"))
    for body, code in [({"user": {"user_email": taken["user_email"]}}, "email_already_exist"),
                       ({"user": {"user_phone": phone["user_phone"]}}, "phone_already_exist"),
                       ({"user": {"user_email": "bad@"}}, "wrong_email")]:
        status, data, _ = dk("/api/users.json", method="POST", json=body)
        assert status == 400 and data["error"] == code
    status, data, _ = dk("/api/staff.json", method="POST",
                         json={"staff": {"staff_email": "john.snow@robotsrule.test"}})
    assert status == 400 and data["error"] == "email_already_exist"


def test_message_as_deactivated_agent_is_staff_not_active(dk, state, agent):
    case = _visible(state)[0]
    status, data, _ = dk(f"/api/cases/{case['case_id']}/messages.json", method="POST",
                         json={"message": {"content": "x", "staff_id": agent(active=False)["staff_id"]}})
    assert status == 400 and data["error"] == "staff_not_active"
    status, data, _ = dk("/api/cases/99999999/messages.json", method="POST",
                         json={"message": {"content": "x"}})
    assert status == 404 and data["error"] == "case_not_found"


def test_messages_by_case_number_and_last_100_default(dk, state):
    case = next(c for c in state("cases") if c["case_number"] == "882-935664")
    data = dk(f"/api/cases/{case['case_number']}/messages.json")[1]
    assert data["total_count"] == 2 and data["0"]["message"]["message_id"] == 8800101


def test_state_view_arranges_records_by_their_own_id_field(dk, control):
    """Deskie records are keyed by `label_id`, `case_id`, …, not `id`: the state view mints,
    keeps and replaces that field, and the API sees the arranged record at once."""
    base = "/state/deskie/robotsrule/labels"
    created = control.post(base, json={"label_title": "Arranged"})
    label_id = created["label_id"]
    assert isinstance(label_id, int) and "id" not in created
    assert dk(f"/api/labels/{label_id}.json")[1]["label"]["label_title"] == "Arranged"
    replaced = control.put(f"{base}/{label_id}", json={"label_id": 1, "label_title": "Renamed"})
    assert replaced == {"label_id": label_id, "label_title": "Renamed"}
    assert dk(f"/api/labels/{label_id}.json")[1]["label"]["label_title"] == "Renamed"


@pytest.mark.parametrize("cc, bcc", [("recipient_cc", "recipient_bcc"), ("cc_emails", "bcc_emails")])
def test_cc_and_bcc_under_both_names(dk, cc, bcc):
    """Deskie calls them recipient_cc/bcc, Omnidesk cc_emails/bcc_emails (notes §12): ETLs read
    either on every case, and writes may send either."""
    status, made, _ = dk("/api/cases.json", method="POST", json={"case": {
        "user_email": "cc.test@example.com", "subject": "copies", "content": "hi",
        cc: "a@example.com,b@example.com", bcc: "c@example.com"}})
    assert status == 200
    case = made["case"]
    assert case["recipient_cc"] == case["cc_emails"] == "a@example.com,b@example.com"
    assert case["recipient_bcc"] == case["bcc_emails"] == "c@example.com"
    status, edited, _ = dk(f"/api/cases/{case['case_id']}.json", method="PUT",
                           json={"case": {cc: "d@example.com"}})
    assert status == 200 and edited["case"]["cc_emails"] == edited["case"]["recipient_cc"] \
        == "d@example.com" and edited["case"]["bcc_emails"] == "c@example.com"
    listed = dk("/api/cases.json?limit=1")[1]["0"]["case"]
    assert listed["cc_emails"] == listed["recipient_cc"]


def _open_cases_of(state, staff_id):
    return [c for c in state("cases") if c["staff_id"] == staff_id
            and c["status"] in ("open", "waiting")]


def test_replace_staff_id_is_required_only_when_cases_must_move(dk, state, agent):
    me = agent()["staff_id"]
    active = [s for s in state("staff") if s["active"] and s["staff_id"] != me]
    busy = next(s for s in active if _open_cases_of(state, s["staff_id"]))
    status, data, _ = dk(f"/api/staff/{busy['staff_id']}/disable.json", method="PUT")
    assert status == 400 and data["error"] == "replace_staff_id_required"
    idle = next((s for s in active if not _open_cases_of(state, s["staff_id"])), None)
    if idle is None:  # free one: hand its cases over first
        idle = busy
        dk(f"/api/staff/{idle['staff_id']}/disable.json", method="PUT",
           json={"staff": {"replace_staff_id": me}})
        dk(f"/api/staff/{idle['staff_id']}/enable.json", method="PUT")
    for body in (None, {}, {"staff": {}}):  # absent, {} and an empty object mean the same
        status, data, _ = dk(f"/api/staff/{idle['staff_id']}/disable.json", method="PUT",
                             json=body)
        assert status == 200 and data["staff"]["active"] is False, (body, data)
        dk(f"/api/staff/{idle['staff_id']}/enable.json", method="PUT")


@pytest.mark.parametrize("body", [None, {}, {"group": {}}], ids=["absent", "empty", "empty-group"])
def test_an_optional_body_absent_or_empty_means_the_same(dk, state, body):
    """PUT /api/groups/{id}/disable.json took no body but refused {}: now all are the same."""
    status, made, _ = dk("/api/groups.json", method="POST", json={"group": {"group_title": "Q"}})
    assert status == 200
    gid = made["group"]["group_id"]  # a group nothing refers to: nothing must move
    status, data, _ = dk(f"/api/groups/{gid}/disable.json", method="PUT", json=body)
    assert status == 200 and data["group"]["active"] is False
