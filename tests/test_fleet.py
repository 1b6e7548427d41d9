"""Several `mockserver serve` processes, each with two workers, on one Redis: one sandbox.

Two live servers (as two hosts would run them) share a store; every change made through one is
seen through the other, and the limits hold for the fleet, not per process.
"""
from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.live import serve, stop
from tests.redis_server import redis_store_url

pytestmark = [pytest.mark.live, pytest.mark.redis]
FROZEN = "2026-06-15T12:00:00Z"


@pytest.fixture(scope="module")
def fleet():
    store = redis_store_url()
    servers = []
    try:
        for _ in range(2):
            servers.append(serve("--store", store, "--workers", "2", frozen=FROZEN))
        yield [base for _, base in servers]
    finally:
        stop(*(proc for proc, _ in servers))


@pytest.fixture
def a_b(fleet):
    a, b = fleet
    assert requests.post(f"{a}/__sandbox/reset").status_code == 200
    return a, b


def _deskie(base: str, account_index: int = 0) -> tuple[str, dict]:
    creds = requests.get(f"{base}/__sandbox/credentials").json()["deskie"]["accounts"][account_index]
    agent = next(g for g in creds["agents"] if g["active"] and g["access"] == "full")
    token = base64.b64encode(f"{agent['email']}:{creds['api_key']}".encode()).decode()
    return creds["domain"], {"Authorization": f"Basic {token}"}


def _case(subject: str) -> dict:
    return {"case": {"user_email": "fleet@example.com", "subject": subject, "content": "hello"}}


def test_a_write_through_one_is_read_through_the_other(a_b):
    a, b = a_b
    _, auth = _deskie(a)
    made = requests.post(f"{a}/deskie/api/cases.json", json=_case("fleet"), headers=auth)
    assert made.status_code == 200
    case_id = made.json()["case"]["case_id"]
    seen = requests.get(f"{b}/deskie/api/cases/{case_id}.json", headers=auth)
    assert seen.status_code == 200 and seen.json()["case"]["subject"] == "fleet"
    health = requests.get(f"{b}/__sandbox/health").json()
    assert health["store"] == "redis"


def test_clock_rotation_faults_and_reset_are_shared(a_b):
    a, b = a_b
    before = requests.get(f"{b}/__sandbox/clock").json()
    assert before == {"now": FROZEN, "frozen": True}
    requests.post(f"{a}/__sandbox/clock", json={"advance": 3600})
    assert requests.get(f"{b}/__sandbox/clock").json()["now"] == "2026-06-15T13:00:00Z"

    domain, old = _deskie(a)
    rotated = requests.post(f"{a}/__sandbox/credentials/deskie/{domain}/rotate").json()
    assert requests.get(f"{b}/deskie/api/cases.json", headers=old).status_code == 401
    _, new = _deskie(b)
    assert new != old and requests.get(f"{b}/deskie/api/cases.json", headers=new).status_code == 200
    assert rotated["api_key"] in base64.b64decode(new["Authorization"][6:]).decode()

    requests.post(f"{b}/__sandbox/faults", json={"vendor": "deskie", "status": 503, "times": 3})
    statuses = [requests.get(f"{base}/deskie/api/cases.json", headers=new).status_code
                for base in (a, b) * 3]
    assert statuses.count(503) == 3 and statuses.count(200) == 3
    assert requests.get(f"{a}/__sandbox/faults").json() == []

    made = requests.post(f"{a}/deskie/api/cases.json", json=_case("gone after reset"), headers=new)
    case_id = made.json()["case"]["case_id"]
    requests.post(f"{b}/__sandbox/reset")
    _, seeded = _deskie(a)
    assert seeded == old  # the rotation is undone too
    assert requests.get(f"{a}/deskie/api/cases/{case_id}.json", headers=seeded).status_code == 404
    assert requests.get(f"{a}/__sandbox/clock").json()["now"] == FROZEN


def test_a_rate_limit_holds_for_the_fleet_under_16_parallel_clients(a_b):
    a, b = a_b
    key = requests.get(f"{a}/__sandbox/credentials").json()["deskchime"]["organizations"][0]
    headers = {"x-api-key": key["api_key"]}
    urls = [f"{(a, b)[i % 2]}/deskchime/api/v1/users?limit=1&page={i % 7 + 1}"
            for i in range(100)]
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda u: requests.get(u, headers=headers).status_code, urls))
    assert statuses.count(200) == 60 and statuses.count(429) == 40  # 60 per 60 s, documented


def test_40_concurrent_creates_through_both_give_40_cases(a_b):
    a, b = a_b
    _, auth = _deskie(a)
    requests.put(f"{a}/__sandbox/ratelimits/deskie", json={"mode": "off"})
    total = requests.get(f"{a}/deskie/api/cases.json?limit=1", headers=auth).json()["total_count"]

    def create(i):
        base = (a, b)[i % 2]
        r = requests.post(f"{base}/deskie/api/cases.json", json=_case(f"parallel {i}"),
                          headers=auth)
        assert r.status_code == 200, r.text
        return r.json()["case"]["case_id"]
    with ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(create, range(40)))
    assert len(set(ids)) == 40
    after = requests.get(f"{b}/deskie/api/cases.json?limit=100&sort=created_at_desc",
                         headers=auth).json()
    assert after["total_count"] == total + 40  # no write lost
    subjects = {after[k]["case"]["subject"] for k in after if k.isdigit()}
    assert {f"parallel {i}" for i in range(40)} <= subjects
    journal = requests.get(f"{b}/__sandbox/requests?vendor=deskie").json()
    assert sum(e["operation"] == "create_case" for e in journal) == 40  # every process's


def test_a_snapshot_restored_through_one_is_seen_through_the_other(a_b):
    a, b = a_b
    _, auth = _deskie(a)
    listing = lambda base: requests.get(f"{base}/deskie/api/cases.json?limit=100",  # noqa: E731
                                        headers=auth).json()
    before = listing(a)
    assert requests.post(f"{a}/__sandbox/snapshots/fleet").status_code == 201
    made = requests.post(f"{a}/deskie/api/cases.json", json=_case("after the snapshot"),
                         headers=auth).json()["case"]["case_id"]
    requests.post(f"{a}/__sandbox/clock", json={"advance": 3600})
    requests.put(f"{a}/__sandbox/ratelimits/deskie", json={"mode": "off"})
    for base in (a, b) * 2:  # every worker of both servers holds the changed copy
        assert listing(base) != before
    assert [s["name"] for s in requests.get(f"{b}/__sandbox/snapshots").json()] == ["fleet"]
    assert requests.post(f"{b}/__sandbox/snapshots/fleet/restore").status_code == 200
    for base in (a, b) * 3:
        assert listing(base) == before
        assert requests.get(f"{base}/deskie/api/cases/{made}.json",
                            headers=auth).status_code == 404
        assert requests.get(f"{base}/__sandbox/clock").json()["now"] == FROZEN
        assert requests.get(f"{base}/__sandbox/ratelimits/deskie").json() == {
            "mode": "documented"}
    assert requests.delete(f"{a}/__sandbox/snapshots/fleet").status_code == 204
    assert requests.post(f"{b}/__sandbox/snapshots/fleet/restore").status_code == 404
