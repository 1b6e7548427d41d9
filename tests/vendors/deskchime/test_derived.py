"""Every derived figure is computed from records, and follows them when they change."""
import pytest


def _total(dc, path):
    return dc(f"{path}?limit=1")[1]["meta"]["total"]


def test_workspace_totals_equal_list_totals(dc, client):
    stats = dc("/api/workspace-stats")[1]["stats"]
    assert stats["totalUsers"] == _total(dc, "/api/v1/users")
    assert stats["totalGoals"] == _total(dc, "/api/v1/goals")
    assert stats["totalReviews"] == _total(dc, "/api/v1/feedback")
    assert stats["totalMeetings"] == _total(dc, "/api/v1/meetings")
    assert stats["totalOneOnOnes"] == _total(dc, "/api/v1/one-on-ones")
    assert stats["totalTeams"] == len(client.get("/__sandbox/state/deskchime/1/teams").get_json())


def _expected_activity(client, uid):
    state = lambda c: client.get(f"/__sandbox/state/deskchime/1/{c}").get_json()  # noqa: E731
    forms, goals, meetings = state("feedback"), state("goals"), state("meetings")
    received = [f for f in forms if uid in f["assignees"]]
    group = [m for m in meetings if m["type"] != "ONE_ON_ONE"]
    ones = [m for m in meetings if m["type"] == "ONE_ON_ONE" and uid in m["attendees"]]
    mine = [g for g in goals if uid in g["assignees"]]
    return {
        "feedback": {"given": sum(f["createdBy"] == uid for f in forms),
                     "received": len(received),
                     "answered": sum(any(r["userId"] == uid for r in f["responses"])
                                     for f in received)},
        "goals": {"total": len(mine), "completed": sum(g["status"] == "Completed" for g in mine)},
        "meetings": {"created": sum(m["createdBy"] == uid for m in group),
                     "assigned": sum(uid in m["attendees"] for m in group),
                     "attended": sum(uid in m["attended"] for m in group)},
        "oneOnOnes": {"total": len(ones), "completed": sum(m["isCompleted"] for m in ones)},
    }


def _rate(part, whole):
    return int(part * 100 / whole + 0.5) if whole else 0


@pytest.mark.parametrize("email", ["jane@acme.com", "bob@acme.com"])
def test_user_stats_and_activity_agree_with_records(dc, client, email):
    activity = dc("/api/v1/users/activity", json={"email": email})[1]
    stats = dc("/api/workspace-stats/user", json={"email": email})[1]
    uid = activity["user"]["id"]
    expected = _expected_activity(client, uid)
    assert activity["stats"] == expected
    assert stats["user"] == {"id": uid, "email": email, "name": activity["user"]["name"]}
    assert stats["stats"] == {
        "feedbacksGiven": expected["feedback"]["given"],
        "feedbacksReceived": expected["feedback"]["received"],
        "totalGoals": expected["goals"]["total"],
        "completedGoals": expected["goals"]["completed"],
        "oneOnOnes": expected["oneOnOnes"]}
    s = expected
    assert activity["responsiveness"] == {
        "feedbackResponseRate": _rate(s["feedback"]["answered"], s["feedback"]["received"]),
        "goalCompletionRate": _rate(s["goals"]["completed"], s["goals"]["total"]),
        "meetingAttendanceRate": _rate(s["meetings"]["attended"], s["meetings"]["assigned"]),
        "oneOnOneCompletionRate": _rate(s["oneOnOnes"]["completed"], s["oneOnOnes"]["total"])}


def test_user_activity_rates_round_half_up(dc, client):
    """The page's example: 11 of 12 meetings is 92, 7 of 8 one-on-ones is 88."""
    for c in ("goals", "feedback", "meetings"):
        for record in client.get(f"/__sandbox/state/deskchime/1/{c}").get_json():
            client.delete(f"/__sandbox/state/deskchime/1/{c}/{record['id']}")
    for i in range(12):
        client.post("/__sandbox/state/deskchime/1/meetings", json={
            "title": "Standup", "type": "Casual", "scheduledAt": f"2026-05-{i + 1:02d}T09:00:00Z",
            "isCompleted": True, "createdBy": "u2", "attendees": ["u1", "u2"],
            "attended": ["u1", "u2"] if i < 11 else ["u2"]})
    for i in range(8):
        client.post("/__sandbox/state/deskchime/1/meetings", json={
            "title": "1:1", "type": "ONE_ON_ONE", "scheduledAt": f"2026-05-{i + 1:02d}T15:00:00Z",
            "isCompleted": i < 7, "createdBy": "u1", "attendees": ["u1", "u2"]})
    rates = dc("/api/v1/users/activity", json={"email": "jane@acme.com"})[1]["responsiveness"]
    assert rates["meetingAttendanceRate"] == 92 and rates["oneOnOneCompletionRate"] == 88
    assert rates["goalCompletionRate"] == 0 and rates["feedbackResponseRate"] == 0


def test_arranged_goal_changes_every_dependent_figure(dc, client):
    before_ws = dc("/api/workspace-stats")[1]["stats"]
    before = dc("/api/v1/users/activity", json={"email": "jane@acme.com"})[1]["stats"]["goals"]
    listed = dc("/api/v1/goals?status=Completed&limit=50")[1]["meta"]["total"]  # now remembered
    r = client.post("/__sandbox/state/deskchime/1/goals", json={
        "title": "Ship the sandbox", "type": "Team", "status": "Completed", "progress": 100,
        "createdAt": "2026-06-01T00:00:00Z", "assignees": ["u1"]})
    assert r.status_code == 201
    new_id = r.get_json()["id"]
    assert dc("/api/workspace-stats")[1]["stats"]["totalGoals"] == before_ws["totalGoals"] + 1
    after = dc("/api/v1/users/activity", json={"email": "jane@acme.com"})[1]["stats"]["goals"]
    assert after == {"total": before["total"] + 1, "completed": before["completed"] + 1}
    assert dc(f"/api/v1/goals/{new_id}")[1]["data"]["title"] == "Ship the sandbox"
    after_list = dc("/api/v1/goals?status=Completed&limit=50")[1]
    assert after_list["meta"]["total"] == listed + 1
    assert any(g["id"] == new_id for g in after_list["data"])


def test_arranged_feedback_response_changes_summary_and_rate(dc, client):
    form = client.get("/__sandbox/state/deskchime/1/feedback/abc").get_json()
    form["responses"].append({"userId": "u1", "submittedAt": "2026-06-01T00:00:00Z",
                              "answers": {"1": 1}})
    assert client.put("/__sandbox/state/deskchime/1/feedback/abc", json=form).status_code == 200
    q = dc("/api/v1/feedback/abc")[1]["data"]["questions"][0]
    assert q["responseCount"] == 4 and q["averageScore"] == round((4 + 5 + 4 + 1) / 4, 1)
    stats = dc("/api/v1/users/activity", json={"email": "jane@acme.com"})[1]["stats"]["feedback"]
    assert stats == _expected_activity(client, "u1")["feedback"]


def test_removed_user_leaves_lists_and_totals(dc, client):
    before = dc("/api/workspace-stats")[1]["stats"]["totalUsers"]
    assert client.delete("/__sandbox/state/deskchime/1/users/u2").status_code == 204
    assert dc("/api/workspace-stats")[1]["stats"]["totalUsers"] == before - 1
    assert dc("/api/v1/users/activity", json={"email": "bob@acme.com"})[0] == 404
    ones = dc("/api/v1/one-on-ones?limit=50")[1]["data"]  # still renders without the user
    assert all(o["participant"]["email"] != "bob@acme.com" for o in ones)
