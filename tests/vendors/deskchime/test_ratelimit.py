"""60 requests per 60 s per organization on /api/v1/* only, burst-friendly, on the clock."""
from datetime import datetime


def _spend(dc, n, headers):
    return [dc("/api/v1/users?limit=1", headers=headers) for _ in range(n)]


def test_ratelimit_headers_on_every_limited_answer(dc, control, acme):
    answers = _spend(dc, 3, acme)
    remaining = [int(h["X-RateLimit-Remaining"]) for _, _, h in answers]
    assert remaining == [59, 58, 57]
    for _, _, headers in answers:
        assert headers["X-RateLimit-Limit"] == "60" and "Retry-After" not in headers
        reset = datetime.fromisoformat(headers["X-RateLimit-Reset"].replace("Z", "+00:00"))
        now = datetime.fromisoformat(control.get("/clock")["now"].replace("Z", "+00:00"))
        assert (reset - now).total_seconds() == 60
    status, _, headers = dc("/api/v1/users?limit=999", headers=acme)  # a 400 is counted too
    assert status == 400 and headers["X-RateLimit-Remaining"] == "56"


def test_ratelimit_burst_of_60_then_429_with_retry_after(dc, control, acme):
    answers = _spend(dc, 60, acme)
    assert all(status == 200 for status, _, _ in answers)
    control.post("/clock", json={"advance": 20})
    status, data, headers = dc("/api/v1/goals", headers=acme)
    assert status == 429 and data["code"] == "RATE_LIMITED" and data["success"] is False
    assert headers["Retry-After"] == "40" and headers["X-RateLimit-Remaining"] == "0"
    control.post("/clock", json={"advance": 40})
    status, _, headers = dc("/api/v1/goals", headers=acme)
    assert status == 200 and headers["X-RateLimit-Remaining"] == "59"


def test_ratelimit_is_per_organization(dc, acme, globex):
    _spend(dc, 60, acme)
    assert dc("/api/v1/users", headers=acme)[0] == 429
    assert dc("/api/v1/users", headers=globex)[0] == 200


def test_ratelimit_not_on_workspace_stats(dc, acme):
    _spend(dc, 60, acme)
    for _ in range(5):
        status, _, headers = dc("/api/workspace-stats", headers=acme)
        assert status == 200 and "X-RateLimit-Limit" not in headers
    status, _, _ = dc("/api/workspace-stats/user", json={"email": "jane@acme.com"}, headers=acme)
    assert status == 200


def test_ratelimit_unauthenticated_requests_are_not_counted(dc, acme):
    for _ in range(70):
        dc("/api/v1/users", headers={"x-api-key": "dc_live_" + "Q" * 32})
    assert dc("/api/v1/users", headers=acme)[2]["X-RateLimit-Remaining"] == "59"


def test_ratelimit_modes_through_control_api(client, dc, acme):
    assert client.put("/__sandbox/ratelimits/deskchime", json={"mode": "off"}).status_code == 200
    answers = _spend(dc, 70, acme)
    # off: nothing counted or refused, but the documented headers stay (clients read them)
    assert all(s == 200 and h["X-RateLimit-Limit"] == "60" and h["X-RateLimit-Remaining"] == "60"
               and "Retry-After" not in h for s, _, h in answers)
    r = client.put("/__sandbox/ratelimits/deskchime", json={"limit": 2, "window": 10})
    assert r.get_json() == {"mode": "custom", "limit": 2, "window": 10}
    assert [s for s, _, _ in _spend(dc, 3, acme)] == [200, 200, 429]
    client.put("/__sandbox/ratelimits/deskchime", json={"mode": "documented"})
    assert dc("/api/v1/users", headers=acme)[2]["X-RateLimit-Limit"] == "60"
    assert client.put("/__sandbox/ratelimits/deskchime",
                      json={"mode": "sometimes"}).status_code == 400
