"""Overview "API rate limits": per account per minute, 5/5/10 RPM per enabled agent within the
plan's bounds, writes count 2, headers rate_limit_per_minute / api_calls_left / retry_after."""
import pytest


@pytest.mark.parametrize("domain,limit", [("robotsrule", 30), ("acme", 40), ("initech", 60)])
def test_limit_follows_plan_and_enabled_agents(dk, auth, domain, limit):
    status, _, headers = dk("/api/labels.json", headers=auth(domain))
    assert status == 200
    assert headers["rate_limit_per_minute"] == str(limit)
    assert headers["api_calls_left"] == str(limit - 1)
    assert "retry_after" not in headers and "X-RateLimit-Reset" not in headers


def test_writes_cost_two(dk):
    dk("/api/labels.json")
    _, _, headers = dk("/api/labels.json", method="POST", json={"label": {"label_title": "New"}})
    assert headers["api_calls_left"] == "27"


def test_exhausted_429_with_retry_after_and_window_resets_on_the_clock(dk, control, auth):
    for _ in range(30):
        assert dk("/api/labels.json")[0] == 200
    control.post("/clock", json={"advance": 15})
    status, data, headers = dk("/api/labels.json", headers=auth(access="limited"))
    assert status == 429 and data["error"] == "rate_limit_exceeded"
    assert headers["retry_after"] == "45" and headers["api_calls_left"] == "0"
    assert dk("/api/labels.json", headers=auth("acme"))[0] == 200  # per account
    control.post("/clock", json={"advance": 45})
    assert dk("/api/labels.json")[2]["api_calls_left"] == "29"


def test_disabling_and_enabling_an_agent_moves_the_limit(dk, state, agent):
    victim = next(s for s in state("staff") if s["active"] and s["access"] == "limited")
    me = agent()["staff_id"]
    status, data, _ = dk(f"/api/staff/{victim['staff_id']}/disable.json", method="PUT",
                         json={"staff": {"replace_staff_id": me}})
    assert status == 200 and data["staff"]["active"] is False
    assert dk("/api/labels.json")[2]["rate_limit_per_minute"] == "25"
    dk(f"/api/staff/{victim['staff_id']}/enable.json", method="PUT")
    assert dk("/api/labels.json")[2]["rate_limit_per_minute"] == "30"


def test_basic_plan_floor_of_20(dk, state, agent, control):
    me = agent()["staff_id"]
    control.put("/ratelimits/deskie", json={"mode": "off"})
    others = [s for s in state("staff") if s["active"] and s["staff_id"] != me]
    for s in others:
        assert dk(f"/api/staff/{s['staff_id']}/disable.json", method="PUT",
                  json={"staff": {"replace_staff_id": me}})[0] == 200
    control.put("/ratelimits/deskie", json={"mode": "documented"})
    assert dk("/api/labels.json")[2]["rate_limit_per_minute"] == "20"  # 1 agent x 5 < floor


def test_with_limits_off_the_documented_headers_stay(dk, control):
    """The docs tell scripts to read api_calls_left and rate_limit_per_minute, and a published
    ETL treats them as mandatory: with limits off they are still sent, nothing is refused."""
    control.put("/ratelimits/deskie", json={"mode": "off"})
    limit = dk("/api/labels.json")[2]["rate_limit_per_minute"]
    for _ in range(int(limit) + 5):
        status, _, headers = dk("/api/labels.json")
        assert status == 200
        assert headers["rate_limit_per_minute"] == limit and headers["api_calls_left"] == limit
