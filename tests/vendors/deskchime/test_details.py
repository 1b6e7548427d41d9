"""Feedback and goal details, and unknown ids."""
import pytest


def test_get_feedback_page_example_summary(dc):
    status, data, _ = dc("/api/v1/feedback/abc")
    assert status == 200
    form = data["data"]
    assert (form["id"], form["title"], form["assigneeCount"], form["responseCount"]) == (
        "abc", "Q1 Review", 5, 3)
    scale, text = form["questions"]
    assert scale["type"] == "scale" and scale["scale"] == {"min": "1", "max": "5"}
    assert scale["responseCount"] == 3 and scale["averageScore"] == round((4 + 5 + 4) / 3, 1)
    assert text["type"] == "textarea" and text["responseCount"] == 2
    assert "averageScore" not in text and "scale" not in text


def test_get_feedback_scores_stay_within_string_scale_bounds(dc):
    forms = dc("/api/v1/feedback?limit=50")[1]["data"]
    checked = 0
    for summary in forms:
        for q in dc(f"/api/v1/feedback/{summary['id']}")[1]["data"]["questions"]:
            if q["type"] == "scale":
                assert isinstance(q["scale"]["min"], str) and isinstance(q["scale"]["max"], str)
                if q["averageScore"] is not None:
                    assert int(q["scale"]["min"]) <= q["averageScore"] <= int(q["scale"]["max"])
                    checked += 1
            else:
                assert "averageScore" not in q
    assert checked > 10


def test_get_feedback_names_no_respondent(dc):
    text = str(dc("/api/v1/feedback/abc")[1])
    assert "u2" not in text and "userId" not in text and "bob" not in text.lower()


def test_get_goal_timeline_and_action_items(dc):
    goal = dc("/api/v1/goals/g1")[1]["data"]
    assert goal["timeline"] == [{"status": "OnTrack", "comment": "Closed 3 new accounts",
                                 "date": "2025-03-10T09:00:00Z"}]
    assert goal["actionItems"] == [{"id": "a1", "title": "Close enterprise deal",
                                    "status": "OnTrack"}]


def test_get_goal_generated_timeline_ends_in_goal_status(dc):
    for summary in dc("/api/v1/goals?limit=10")[1]["data"]:
        goal = dc(f"/api/v1/goals/{summary['id']}")[1]["data"]
        dates = [t["date"] for t in goal["timeline"]]
        assert dates == sorted(dates) and goal["timeline"][-1]["status"] == goal["status"]


@pytest.mark.parametrize("path", ["/api/v1/goals/nope", "/api/v1/feedback/nope"])
def test_get_unknown_id_is_404(dc, path):
    status, data, _ = dc(path)
    assert status == 404 and data["code"] == "NOT_FOUND" and "'nope'" in data["error"]


def test_unknown_route_and_method_get_the_envelope(dc):
    status, data, _ = dc("/api/v1/nothing")
    assert status == 404 and data["success"] is False
    status, data, headers = dc("/api/v1/users", method="DELETE")
    assert status == 405 and data["code"] == "METHOD_NOT_ALLOWED"
    assert "GET" in headers["Allow"]


@pytest.mark.parametrize("payload,needle", [({}, "'email'"), ({"email": 5}, "'email'"),
                                            ({"email": "not-an-email"}, "'email'")])
def test_user_activity_bad_body_is_400_naming_the_field(dc, payload, needle):
    status, data, _ = dc("/api/v1/users/activity", json=payload)
    assert status == 400 and needle in data["error"]


def test_user_activity_body_must_be_json(client, acme):
    r = client.post("/deskchime/api/v1/users/activity", data="email=jane@acme.com",
                    headers={**acme, "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code in (400, 415) and r.get_json()["success"] is False
    r = client.post("/deskchime/api/v1/users/activity", data="{not json",
                    headers={**acme, "Content-Type": "application/json"})
    assert r.status_code == 400 and "JSON" in r.get_json()["error"].upper()
