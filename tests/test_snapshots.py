"""Snapshots through the control API on every store: save, change, restore, equal (data, ids,
clock, limits, faults); list, delete, the 404s and 400s; reset keeps them; the journal is not
part of them."""
from __future__ import annotations

import pytest

USERS = "/__sandbox/state/deskchime/1/users"
ACME = "/deskchime/api/v1/users?limit=1"


@pytest.fixture(autouse=True)
def no_snapshots(client):
    """A reset keeps snapshots (by design), so each test starts without the last one's."""
    for saved in client.get("/__sandbox/snapshots").get_json():
        client.delete(f"/__sandbox/snapshots/{saved['name']}")


@pytest.fixture
def key(client):
    return {"x-api-key": client.get("/__sandbox/credentials").get_json()[
        "deskchime"]["organizations"][0]["api_key"]}


def _user(n: int) -> dict:
    return {"name": f"Snap {n}", "email": f"snap{n}@acme.com", "role": "Manager",
            "joinedAt": "2026-01-02T03:04:05+00:00"}


def _world(control, client, key) -> dict:
    """Everything a snapshot promises to bring back, as the control API and a client see it."""
    remaining = client.get(ACME, headers=key).headers["X-RateLimit-Remaining"]
    return {"users": control.get(USERS.removeprefix("/__sandbox")),
            "clock": control.get("/clock"), "limits": control.get("/ratelimits/deskchime"),
            "faults": control.get("/faults"), "remaining_after_one_more": remaining}


def test_snapshot_save_change_restore_is_equal(client, control, key):
    control.post("/state/deskchime/1/users", json=_user(1))
    control.post("/clock", json={"advance": 600})
    control.put("/ratelimits/deskchime", json={"limit": 30, "window": 60})
    control.post("/faults", json={"path": "/api/v1/goals", "status": 503})
    for _ in range(3):
        client.get(ACME, headers=key)  # spends part of the window
    saved = control.post("/snapshots/demo")
    assert saved["name"] == "demo" and saved["time"] == "2026-06-15T12:10:00Z"
    assert saved["records"] > 100 and saved["collections"] >= 5 and saved["seed"] == 1
    before = _world(control, client, key)
    next_id = control.post("/state/deskchime/1/users", json=_user(2))["id"]

    control.delete(f"/state/deskchime/1/users/{next_id}")
    control.delete("/state/deskchime/1/users/u1")
    control.post("/state/deskchime/1/users", json=_user(3))
    control.post("/clock", json={"advance": 7200, "frozen": False})
    control.put("/ratelimits/deskchime", json={"mode": "off"})
    control.delete("/faults")
    control.post("/faults", json={"status": 500})

    restored = control.post("/snapshots/demo/restore")
    assert restored["status"] == "restored" and restored["name"] == "demo"
    assert _world(control, client, key) == before  # the window as it was: the same one more
    assert client.get("/deskchime/api/v1/goals", headers=key).status_code == 503
    # id sequences came back too: the next record gets the id the first one after saving got
    assert control.post("/state/deskchime/1/users", json=_user(4))["id"] == next_id


def test_snapshot_reads_through_the_vendor_api_follow_the_restore(client, control, key):
    listed = client.get("/deskchime/api/v1/users?limit=50", headers=key).get_json()
    control.post("/snapshots/before-delete")
    control.delete("/state/deskchime/1/users/u1")
    assert client.get("/deskchime/api/v1/users?limit=50", headers=key).get_json() != listed
    control.post("/snapshots/before-delete/restore")
    assert client.get("/deskchime/api/v1/users?limit=50", headers=key).get_json() == listed


def test_snapshots_list_replace_delete(client, control):
    assert control.get("/snapshots") == []
    control.post("/snapshots/b")
    control.post("/snapshots/a.1_x-y")
    control.post("/clock", json={"advance": 60})
    control.post("/snapshots/b")  # the same name again replaces it
    listed = control.get("/snapshots")
    assert [s["name"] for s in listed] == ["a.1_x-y", "b"]
    assert listed[1]["time"] == "2026-06-15T12:01:00Z"
    assert client.delete("/__sandbox/snapshots/b").status_code == 204
    assert [s["name"] for s in control.get("/snapshots")] == ["a.1_x-y"]


@pytest.mark.parametrize("call", [("POST", "/snapshots/nope/restore"),
                                  ("DELETE", "/snapshots/nope")])
def test_snapshot_unknown_name_is_404(client, call):
    method, path = call
    r = client.open(f"/__sandbox{path}", method=method)
    assert r.status_code == 404 and r.get_json()["error"] == "unknown_snapshot"


@pytest.mark.parametrize("name", ["a%20b", "x" * 65, "caf%C3%A9", "a:b", "a*"])
@pytest.mark.parametrize("suffix, method", [("", "POST"), ("/restore", "POST"), ("", "DELETE")])
def test_snapshot_bad_name_is_400(client, name, suffix, method):
    r = client.open(f"/__sandbox/snapshots/{name}{suffix}", method=method)
    assert r.status_code == 400 and r.get_json()["error"] == "invalid_snapshot_name"
    assert client.get("/__sandbox/snapshots").get_json() == []


def test_reset_keeps_snapshots_and_restore_survives_it(client, control):
    control.delete("/state/deskchime/1/users/u1")
    control.post("/snapshots/without-u1")
    control.post("/reset")
    assert [s["name"] for s in control.get("/snapshots")] == ["without-u1"]
    assert client.get(f"{USERS}/u1").status_code == 200
    control.post("/snapshots/without-u1/restore")
    assert client.get(f"{USERS}/u1").status_code == 404
    control.post("/reset")  # a reset after a restore is back to the seed, as ever
    assert client.get(f"{USERS}/u1").status_code == 200


def test_the_journal_is_not_part_of_a_snapshot(client, control, key):
    control.post("/snapshots/j")
    client.get(ACME, headers=key)
    control.post("/snapshots/j/restore")
    assert [e["path"] for e in control.get("/requests")] == ["/deskchime/api/v1/users"]


def test_a_snapshot_of_another_seed_restores_that_seed(client, control, key):
    names = lambda: [u["name"] for u in client.get(  # noqa: E731
        "/deskchime/api/v1/users?limit=20", headers=key).get_json()["data"]]
    control.post("/reset", json={"seed": 7})
    try:
        seven = names()
        control.post("/snapshots/seven")
        control.post("/reset", json={"seed": 1})
        assert names() != seven
        assert control.post("/snapshots/seven/restore")["seed"] == 7
        assert control.get("/health")["seed"] == 7 and names() == seven
        control.post("/reset")  # the fresh state of the restored seed
        assert control.get("/health")["seed"] == 7 and names() == seven
    finally:
        control.post("/reset", json={"seed": 1})
