"""Messages and notes of a case (§5): edit and delete a message, rate an agent's reply, add a
note on the old `notes.json` path, edit and delete a note. A message id must belong to the case
and be of the kind the path names; a limited agent reaches only the cases it may see."""
import pytest

UNKNOWN = 99999999


def _messages(state, case_id=None, *, note=False, agent=None):
    return [m for m in state("messages") if m["note"] == note
            and (case_id is None or m["case_id"] == case_id)
            and (agent is None or bool(m["staff_id"]) == agent)]


def _stored(state, message_id):
    return next((m for m in state("messages") if m["message_id"] == message_id), None)


def _listed(dk, case_id):
    data = dk(f"/api/cases/{case_id}/messages.json?limit=100")[1]
    return {data[k]["message"]["message_id"]: data[k]["message"] for k in data if k.isdigit()}


def test_edit_message_changes_its_content(dk, state):
    msg = _messages(state, agent=False)[0]  # a customer's message may be edited too
    path = f"/api/cases/{msg['case_id']}/messages/{msg['message_id']}.json"
    status, data, _ = dk(path, method="PUT", json={"message": {"content": "Corrected text"}})
    assert status == 200 and data["message"]["content"] == "Corrected text"
    assert _stored(state, msg["message_id"])["content"] == "Corrected text"
    assert _listed(dk, msg["case_id"])[msg["message_id"]]["content"] == "Corrected text"


def test_edit_message_by_case_number(dk, state):
    case = next(c for c in state("cases") if c["case_number"] == "882-935664")
    msg = _messages(state, case["case_id"])[0]
    status, data, _ = dk(f"/api/cases/{case['case_number']}/messages/{msg['message_id']}.json",
                         method="PUT", json={"message": {"content_html": "<p>Hi</p>"}})
    assert status == 200 and data["message"]["content_html"] == "<p>Hi</p>"
    assert _stored(state, msg["message_id"])["content_html"] == "<p>Hi</p>"


@pytest.mark.parametrize("method,json", [("PUT", {"message": {"content": "x"}}), ("DELETE", None)])
def test_message_of_another_kind_or_case_is_404_and_unchanged(dk, state, method, json):
    note = _messages(state, note=True)[0]
    other = next(m for m in _messages(state) if m["case_id"] != note["case_id"])
    before = state("messages")
    for case_id, message_id in ((note["case_id"], note["message_id"]),  # a note, not a message
                                (note["case_id"], other["message_id"]),  # another case's
                                (note["case_id"], UNKNOWN)):
        status, data, _ = dk(f"/api/cases/{case_id}/messages/{message_id}.json", method=method,
                             json=json)
        assert status == 404 and data["error"] == "message_not_found", (case_id, message_id)
    status, data, _ = dk(f"/api/cases/{UNKNOWN}/messages/{other['message_id']}.json",
                         method=method, json=json)
    assert status == 404 and data["error"] == "case_not_found"
    assert state("messages") == before


def test_edit_message_with_an_empty_message_is_400(dk, state):
    msg = _messages(state)[0]
    status, data, _ = dk(f"/api/cases/{msg['case_id']}/messages/{msg['message_id']}.json",
                         method="PUT", json={"message": {}})
    assert status == 400 and data["error"] == "validation_error"
    assert _stored(state, msg["message_id"]) == msg


def test_delete_message_removes_it_from_the_case(dk, state):
    msg = _messages(state)[0]
    status, data, _ = dk(f"/api/cases/{msg['case_id']}/messages/{msg['message_id']}.json",
                         method="DELETE")
    assert status == 200 and data == []
    assert _stored(state, msg["message_id"]) is None
    assert msg["message_id"] not in _listed(dk, msg["case_id"])


def test_rate_an_agent_reply_records_the_rating_for_its_author(dk, state):
    reply = next(m for m in _messages(state, agent=True) if not m.get("rating"))
    path = f"/api/cases/{reply['case_id']}/rate/{reply['message_id']}.json"
    status, data, _ = dk(path, method="PUT",
                         json={"rate": {"rating": "high", "rating_comment": "Quick and kind"}})
    assert status == 200
    got = data["message"]
    assert (got["rating"], got["rating_comment"], got["rated_staff_id"]) == \
        ("high", "Quick and kind", reply["staff_id"])
    assert _stored(state, reply["message_id"])["rating"] == "high"
    rating = next(r for r in state("ratings") if r["message_id"] == reply["message_id"])
    assert rating["rated_staff_id"] == reply["staff_id"] and rating["case_id"] == reply["case_id"]
    status, data, _ = dk(path, method="PUT", json={"rate": {"rating": "low"}})  # re-rating
    assert status == 200 and data["message"]["rating"] == "low"
    assert len([r for r in state("ratings") if r["message_id"] == reply["message_id"]]) == 1


def test_rate_refusals(dk, state):
    customer = _messages(state, agent=False)[0]
    before = state("ratings")
    status, data, _ = dk(f"/api/cases/{customer['case_id']}/rate/{customer['message_id']}.json",
                         method="PUT", json={"rate": {"rating": "high"}})
    assert status == 400 and data["error"] == "validation_error"
    reply = _messages(state, agent=True)[0]
    status, data, _ = dk(f"/api/cases/{reply['case_id']}/rate/{reply['message_id']}.json",
                         method="PUT", json={"rate": {"rating": "superb"}})
    assert status == 400 and data["error"] == "validation_error"
    status, data, _ = dk(f"/api/cases/{reply['case_id']}/rate/{UNKNOWN}.json",
                         method="PUT", json={"rate": {"rating": "high"}})
    assert status == 404 and data["error"] == "message_not_found"
    assert state("ratings") == before


def test_note_on_the_old_path_is_a_private_note_that_keeps_the_status(dk, state, agent):
    case = next(c for c in state("cases") if c["status"] == "open" and not c["deleted"])
    status, data, _ = dk(f"/api/cases/{case['case_id']}/notes.json", method="POST",
                         json={"note": {"content": "Internal: call back"}})
    assert status == 200
    note = data["message"]
    assert note["note"] is True and note["staff_id"] == agent()["staff_id"]
    assert _stored(state, note["message_id"])["content"] == "Internal: call back"
    assert next(c for c in state("cases") if c["case_id"] == case["case_id"])["status"] == "open"
    status, data, _ = dk(f"/api/cases/{UNKNOWN}/notes.json", method="POST",
                         json={"note": {"content": "x"}})
    assert status == 404 and data["error"] == "case_not_found"
    status, data, _ = dk(f"/api/cases/{case['case_id']}/notes.json", method="POST",
                         json={"note": {}})
    assert status == 400 and data["error"] == "validation_error"


def test_edit_note_and_delete_it(dk, state):
    note = _messages(state, note=True)[0]
    path = f"/api/cases/{note['case_id']}/note/{note['message_id']}.json"
    status, data, _ = dk(path, method="PUT", json={"note": {"content": "Updated note"}})
    assert status == 200 and data["message"]["content"] == "Updated note"
    assert data["message"]["note"] is True
    assert _stored(state, note["message_id"])["content"] == "Updated note"
    status, data, _ = dk(path, method="DELETE")
    assert status == 200 and data == []
    assert _stored(state, note["message_id"]) is None
    status, data, _ = dk(path, method="DELETE")
    assert status == 404 and data["error"] == "message_not_found"


@pytest.mark.parametrize("method,json", [("PUT", {"note": {"content": "x"}}), ("DELETE", None)])
def test_note_path_with_a_message_id_is_404(dk, state, method, json):
    msg = _messages(state)[0]
    status, data, _ = dk(f"/api/cases/{msg['case_id']}/note/{msg['message_id']}.json",
                         method=method, json=json)
    assert status == 404 and data["error"] == "message_not_found"
    assert _stored(state, msg["message_id"]) == msg


@pytest.mark.parametrize("method,path,json", [
    ("PUT", "messages/{m}.json", {"message": {"content": "x"}}),
    ("DELETE", "messages/{m}.json", None),
    ("PUT", "rate/{m}.json", {"rate": {"rating": "low"}}),
    ("POST", "notes.json", {"note": {"content": "x"}}),
    ("PUT", "note/{n}.json", {"note": {"content": "x"}}),
    ("DELETE", "note/{n}.json", None),
])
def test_limited_agent_cannot_touch_messages_of_a_case_it_cannot_see(dk, auth, agent, state,
                                                                     method, path, json):
    limited = agent(access="limited")
    groups = set(next(s for s in state("staff") if s["staff_id"] == limited["staff_id"])["groups"])
    outside = {c["case_id"] for c in state("cases") if c["group_id"] not in groups
               and c["staff_id"] != limited["staff_id"]}
    msg = next(m for m in _messages(state, agent=True) if m["case_id"] in outside)
    note = next(m for m in _messages(state, note=True) if m["case_id"] == msg["case_id"]) \
        if any(m["case_id"] == msg["case_id"] for m in _messages(state, note=True)) else \
        next(m for m in _messages(state, note=True) if m["case_id"] in outside)
    case_id = note["case_id"] if "{n}" in path else msg["case_id"]
    before = state("messages")
    status, data, _ = dk(f"/api/cases/{case_id}/" + path.format(m=msg["message_id"],
                                                                  n=note["message_id"]),
                         method=method, json=json, headers=auth(access="limited"))
    assert status == 403 and data["error"] == "staff_has_not_access"
    assert state("messages") == before
