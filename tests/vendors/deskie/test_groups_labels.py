"""Groups (§8) and labels (§10): read and edit a group, enable a disabled one, rename and delete a
label (which also leaves every case's labels). Writes need full access."""
import pytest

UNKNOWN = 99999999


def _row(state, collection, key, value):
    return next((r for r in state(collection) if r[key] == value), None)


def test_get_group_and_unknown_id(dk, state):
    status, data, _ = dk("/api/groups/318.json")
    assert status == 200 and data["group"]["group_title"] == "Support"
    status, data, _ = dk(f"/api/groups/{UNKNOWN}.json")
    assert status == 404 and data["error"] == "group_not_found"


def test_edit_group_changes_the_given_fields(dk, state):
    before = _row(state, "groups", "group_id", 746)
    status, data, _ = dk("/api/groups/746.json", method="PUT",
                         json={"group": {"group_title": "Accounts", "group_signature": "Acc."}})
    assert status == 200 and data["group"]["group_title"] == "Accounts"
    stored = _row(state, "groups", "group_id", 746)
    assert (stored["group_title"], stored["group_signature"], stored["group_from_name"]) == \
        ("Accounts", "Acc.", before["group_from_name"])
    assert dk("/api/groups/746.json")[1]["group"]["group_title"] == "Accounts"


def test_edit_group_refusals_change_nothing(dk, state):
    before = state("groups")
    for body in ({"group": {}}, {"group": {"group_title": ""}}):
        status, data, _ = dk("/api/groups/746.json", method="PUT", json=body)
        assert status == 400 and data["error"] == "validation_error", body
    status, data, _ = dk(f"/api/groups/{UNKNOWN}.json", method="PUT",
                         json={"group": {"group_title": "x"}})
    assert status == 404 and data["error"] == "group_not_found"
    assert state("groups") == before


def test_enable_group_after_disabling_it(dk, state):
    gid = dk("/api/groups.json", method="POST",
             json={"group": {"group_title": "Night shift"}})[1]["group"]["group_id"]
    assert dk(f"/api/groups/{gid}/disable.json", method="PUT")[1]["group"]["active"] is False
    assert _row(state, "groups", "group_id", gid)["active"] is False
    status, data, _ = dk(f"/api/groups/{gid}/enable.json", method="PUT")
    assert status == 200 and data["group"]["active"] is True
    assert _row(state, "groups", "group_id", gid)["active"] is True
    status, data, _ = dk(f"/api/groups/{UNKNOWN}/enable.json", method="PUT")
    assert status == 404 and data["error"] == "group_not_found"


def test_edit_label_renames_it(dk, state):
    status, data, _ = dk("/api/labels/7152.json", method="PUT",
                         json={"label": {"label_title": "Very Important"}})
    assert status == 200 and data["label"] == {"label_id": 7152, "label_title": "Very Important"}
    assert _row(state, "labels", "label_id", 7152)["label_title"] == "Very Important"
    assert dk("/api/labels/7152.json")[1]["label"]["label_title"] == "Very Important"


def test_edit_label_refusals_change_nothing(dk, state):
    before = state("labels")
    for body in ({"label": {"label_title": ""}}, {"label": {}}):
        status, data, _ = dk("/api/labels/7152.json", method="PUT", json=body)
        assert status == 400 and data["error"] == "validation_error", body
    status, data, _ = dk(f"/api/labels/{UNKNOWN}.json", method="PUT",
                         json={"label": {"label_title": "x"}})
    assert status == 404 and data["error"] == "label_not_found"
    assert state("labels") == before


def test_delete_label_removes_it_from_every_case(dk, state):
    tagged = [c for c in state("cases") if c["labels"] or c["locked_labels"]]
    label = next(i for c in tagged for i in c["labels"] + c["locked_labels"])
    cases = [c["case_id"] for c in tagged if label in c["labels"] + c["locked_labels"]]
    status, data, _ = dk(f"/api/labels/{label}.json", method="DELETE")
    assert status == 200 and data == []
    assert _row(state, "labels", "label_id", label) is None
    after = {c["case_id"]: c for c in state("cases")}
    assert all(label not in after[i]["labels"] + after[i]["locked_labels"] for i in cases)
    assert label not in dk(f"/api/cases/{cases[0]}.json")[1]["case"]["labels"]
    status, data, _ = dk(f"/api/labels/{label}.json", method="DELETE")
    assert status == 404 and data["error"] == "label_not_found"


@pytest.mark.parametrize("method,path,json", [
    ("PUT", "/api/groups/746.json", {"group": {"group_title": "x"}}),
    ("PUT", "/api/groups/746/enable.json", None),
    ("PUT", "/api/labels/7152.json", {"label": {"label_title": "x"}}),
    ("DELETE", "/api/labels/7152.json", None),
])
def test_group_and_label_writes_are_full_access_only(dk, auth, state, method, path, json):
    before = {"groups": state("groups"), "labels": state("labels")}
    status, data, _ = dk(path, method=method, json=json, headers=auth(access="limited"))
    assert status == 403 and data["error"] == "staff_has_not_access"
    assert {"groups": state("groups"), "labels": state("labels")} == before
