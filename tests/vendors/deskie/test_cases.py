"""Cases, one at a time (§4): read one case, move it to trash or spam and back, and the bulk spam
form; unknown ids are 404 and a limited agent cannot touch a case outside its groups."""
import pytest

UNKNOWN = 99999999


def _visible(state):
    return [c for c in state("cases") if not c["deleted"] and not c["spam"]]


def _case(state, case_id):
    return next(c for c in state("cases") if c["case_id"] == case_id)


def _outside(state, agent):
    """A case the limited agent neither works in (group) nor is assigned to."""
    limited = agent(access="limited")
    groups = set(next(s for s in state("staff") if s["staff_id"] == limited["staff_id"])["groups"])
    return next(c for c in _visible(state) if c["group_id"] not in groups
                and c["staff_id"] != limited["staff_id"])


def test_get_case_answers_the_stored_case_with_first_response_speed(dk, state):
    case = next(c for c in state("cases") if c["case_number"] == "882-935664")
    status, data, _ = dk(f"/api/cases/{case['case_id']}.json")
    assert status == 200
    got = data["case"]
    assert (got["case_id"], got["case_number"], got["subject"], got["status"]) == \
        (case["case_id"], case["case_number"], case["subject"], case["status"])
    assert "first_response_speed" in got


def test_get_case_unknown_id_is_404(dk):
    status, data, _ = dk(f"/api/cases/{UNKNOWN}.json")
    assert status == 404 and data["error"] == "case_not_found"


@pytest.mark.parametrize("action,flags", [("trash", {"deleted": True, "spam": False}),
                                          ("spam", {"deleted": False, "spam": True})])
def test_trash_or_spam_one_case_then_restore_it(dk, state, action, flags):
    case = _visible(state)[0]
    status, data, _ = dk(f"/api/cases/{case['case_id']}/{action}.json", method="PUT")
    assert status == 200 and data["case"]["case_id"] == case["case_id"]
    assert {k: data["case"][k] for k in flags} == flags
    stored = _case(state, case["case_id"])
    assert {k: stored[k] for k in flags} == flags
    assert dk(f"/api/cases/{case['case_id']}.json")[1]["case"]["deleted"] == flags["deleted"]
    again = dk(f"/api/cases/{case['case_id']}/{action}.json", method="PUT")  # idempotent
    assert again[0] == 200 and {k: again[1]["case"][k] for k in flags} == flags
    status, data, _ = dk(f"/api/cases/{case['case_id']}/restore.json", method="PUT")
    assert status == 200 and data["case"]["deleted"] is False and data["case"]["spam"] is False
    stored = _case(state, case["case_id"])
    assert stored["deleted"] is False and stored["spam"] is False


@pytest.mark.parametrize("action", ["trash", "spam", "restore"])
def test_one_case_action_on_an_unknown_id_is_404(dk, action):
    status, data, _ = dk(f"/api/cases/{UNKNOWN}/{action}.json", method="PUT")
    assert status == 404 and data["error"] == "case_not_found"


@pytest.mark.parametrize("action", ["trash", "spam", "restore"])
def test_limited_agent_cannot_flag_a_case_outside_its_groups(dk, auth, agent, state, action):
    case = _outside(state, agent)
    status, data, _ = dk(f"/api/cases/{case['case_id']}/{action}.json", method="PUT",
                         headers=auth(access="limited"))
    assert status == 403 and data["error"] == "staff_has_not_access"
    assert _case(state, case["case_id"]) == case


def test_bulk_spam_marks_the_cases_given_and_skips_unknown_ones(dk, state):
    ids = [c["case_id"] for c in _visible(state)[:3]]
    path = f"/api/cases/{ids[0]},{UNKNOWN},{ids[1]},{ids[2]}/spam.json"
    status, data, _ = dk(path, method="PUT")
    assert status == 200 and data == {"case_success_id": ids}
    assert all(_case(state, i)["spam"] for i in ids)
    status, data, _ = dk(f"/api/cases/{UNKNOWN},{UNKNOWN + 1}/spam.json", method="PUT")
    assert status == 404 and data["error"] == "case_not_found"


def test_bulk_spam_by_a_limited_agent_skips_cases_outside_its_groups(dk, auth, agent, state):
    outside = _outside(state, agent)
    limited = agent(access="limited")
    mine = next(c for c in _visible(state) if c["staff_id"] == limited["staff_id"])
    status, data, _ = dk(f"/api/cases/{outside['case_id']},{mine['case_id']}/spam.json",
                         method="PUT", headers=auth(access="limited"))
    assert status == 200 and data == {"case_success_id": [mine["case_id"]]}
    assert _case(state, outside["case_id"])["spam"] is False
    assert _case(state, mine["case_id"])["spam"] is True
