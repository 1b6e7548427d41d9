"""The /__sandbox control API, row by row of the contract."""
import pytest

from mockserver.core.clock import parse_instant
from tests.conftest import sandbox_app

ACME = "/deskchime/api/v1/users?limit=1"


@pytest.fixture
def key(client):
    return {"x-api-key": client.get("/__sandbox/credentials").get_json()[
        "deskchime"]["organizations"][0]["api_key"]}


def test_health(client, store_backend):
    assert client.get("/__sandbox/health").get_json() == {
        "status": "ok", "vendors": sorted(client.application.extensions["sandbox"].vendors),
        "seed": 1, "store": "memory" if store_backend == "memory" else "redis"}


def test_credentials_document_shape(client):
    doc = client.get("/__sandbox/credentials").get_json()
    dc = doc["deskchime"]
    assert dc["base_url"] == "http://localhost/deskchime"
    assert len(dc["organizations"]) >= 2
    assert dc["organizations"][0] == {"id": 1, "name": "Acme Inc.", "slug": "acme",
                                      "api_key": dc["organizations"][0]["api_key"]}


def test_reset_restores_data_counters_clock_journal_and_faults(client, control, key):
    client.delete("/__sandbox/state/deskchime/1/users/u1")
    client.get(ACME, headers=key)
    control.post("/clock", json={"advance": 3600})
    control.post("/faults", json={"vendor": "deskchime", "path": "/api/v1/goals", "status": 503})
    answer = control.post("/reset")
    assert answer["status"] == "reset" and answer["took_ms"] < 100
    assert client.get("/__sandbox/state/deskchime/1/users/u1").status_code == 200
    assert control.get("/clock")["now"] == "2026-06-15T12:00:00Z"
    assert control.get("/requests") == [] and control.get("/faults") == []
    assert client.get(ACME, headers=key).headers["X-RateLimit-Remaining"] == "59"


def test_reset_with_another_seed_changes_data_and_back(client, control, key):
    names = lambda: [u["name"] for u in client.get(  # noqa: E731
        "/deskchime/api/v1/users?limit=50", headers=key).get_json()["data"]]
    first = names()
    assert control.post("/reset", json={"seed": 7})["seed"] == 7
    assert control.get("/health")["seed"] == 7
    assert names() != first
    control.post("/reset", json={"seed": 1})
    assert names() == first
    assert client.post("/__sandbox/reset", json={"seed": "x"}).status_code == 400


def test_clock_set_advance_freeze(control):
    assert control.get("/clock") == {"now": "2026-06-15T12:00:00Z", "frozen": True}
    assert control.post("/clock", json={"advance": 90})["now"] == "2026-06-15T12:01:30Z"
    assert control.post("/clock", json={"now": "2027-01-01T00:00:00Z"})["now"] == \
        "2027-01-01T00:00:00Z"
    state = control.post("/clock", json={"frozen": False})
    assert state["frozen"] is False and state["now"] >= "2027-01-01T00:00:00Z"
    assert control.post("/clock", json={"frozen": True})["frozen"] is True


@pytest.mark.parametrize("payload", [{}, {"advance": -5}, {"advance": "soon"},
                                     {"now": "tomorrow"}, {"frozen": "yes"}, {"speed": 2}])
def test_clock_bad_bodies_are_400(client, payload):
    r = client.post("/__sandbox/clock", json=payload)
    assert r.status_code == 400 and r.get_json()["error"] == "invalid_clock"


def test_specs_as_json_and_yaml(client):
    doc = client.get("/__sandbox/specs/deskchime").get_json()
    assert doc["openapi"].startswith("3.1") and "/api/v1/users" in doc["paths"]
    text = client.get("/__sandbox/specs/deskchime?format=yaml").get_data(as_text=True)
    assert text.startswith("openapi:")
    assert client.get("/__sandbox/specs/nobody").status_code == 404


def test_journal_records_requests_newest_last_and_clears(client, control, key):
    client.get(ACME, headers=key)
    client.get("/deskchime/api/v1/goals/nope", headers=key)
    entries = control.get("/requests")
    assert [e["path"] for e in entries] == ["/deskchime/api/v1/users", "/deskchime/api/v1/goals/nope"]
    first = entries[0]
    assert (first["method"], first["query"], first["vendor"], first["tenant"], first["status"],
            first["operation"]) == ("GET", "limit=1", "deskchime", "1", 200, "list_users")
    assert first["duration_ms"] >= 0 and entries[1]["status"] == 404
    assert client.delete("/__sandbox/requests").status_code == 204
    assert control.get("/requests") == []


def test_journal_is_bounded(key):
    app = sandbox_app(journal_size=5)
    client = app.test_client()
    for _ in range(8):
        client.get("/deskchime/api/workspace-stats", headers=key)
    entries = client.get("/__sandbox/requests").get_json()
    seqs = [e["seq"] for e in entries]
    assert len(entries) == 5 and seqs == list(range(seqs[0], seqs[0] + 5))  # the newest five


def test_fault_status_for_n_times_then_normal(client, control, key):
    rule = control.post("/faults", json={"vendor": "deskchime", "method": "GET",
                                         "path": "/api/v1/*", "status": 503, "times": 2})
    assert rule["times"] == 2
    statuses = [client.get(ACME, headers=key).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert control.get("/faults") == []  # used up


def test_fault_envelope_is_the_vendors(client, control, key):
    control.post("/faults", json={"path": "/api/workspace-stats", "status": 500})
    r = client.get("/deskchime/api/workspace-stats", headers=key)
    assert r.status_code == 500
    assert r.get_json() == {"success": False, "error": "Internal Server Error",
                            "code": "INTERNAL_SERVER_ERROR"}
    assert len(control.get("/faults")) == 1  # until cleared
    assert client.delete("/__sandbox/faults").status_code == 204
    assert client.get("/deskchime/api/workspace-stats", headers=key).status_code == 200


def test_fault_latency_delays_the_answer(client, control, key):
    control.post("/faults", json={"vendor": "deskchime", "path": "/api/workspace-stats",
                                  "latency_ms": 120, "times": 1})
    assert client.get("/deskchime/api/workspace-stats", headers=key).status_code == 200
    assert control.get("/requests")[-1]["duration_ms"] >= 120


def test_fault_method_filter(client, control, key):
    control.post("/faults", json={"method": "POST", "path": "*", "status": 502})
    assert client.get("/deskchime/api/workspace-stats", headers=key).status_code == 200
    assert client.post("/deskchime/api/v1/users/activity", headers=key,
                       json={"email": "jane@acme.com"}).status_code == 502


@pytest.mark.parametrize("payload", [{"path": "*"}, {"status": 99}, {"latency_ms": -1},
                                     {"status": 500, "times": 0}, {"status": 500, "colour": 1},
                                     {"vendor": "nobody", "status": 500}])
def test_fault_bad_bodies_are_4xx(client, payload):
    assert client.post("/__sandbox/faults", json=payload).status_code in (400, 404)


def test_state_crud_and_validation(client):
    base = "/__sandbox/state/deskchime/1/users"
    assert len(client.get(base).get_json()) == 120
    user = {"name": "Ada Lovelace", "email": "ada@acme.com", "role": "Manager",
            "joinedAt": "2026-01-02T03:04:05+00:00"}
    created = client.post(base, json=user)
    assert created.status_code == 201
    record = created.get_json()
    assert record["id"] == "u199" or record["id"].startswith("u")
    assert record["joinedAt"] == "2026-01-02T03:04:05Z" and record["status"] == 1
    assert client.post(base, json={**user, "id": record["id"]}).status_code == 409
    replaced = client.put(f"{base}/{record['id']}", json={**user, "role": "Admin"})
    assert replaced.get_json()["role"] == "Admin"
    assert client.delete(f"{base}/{record['id']}").status_code == 204
    assert client.get(f"{base}/{record['id']}").status_code == 404
    assert client.delete(f"{base}/{record['id']}").status_code == 404


@pytest.mark.parametrize("patch,field", [({"email": "nope"}, "email"), ({"role": "Boss"}, "role"),
                                         ({"joinedAt": "when"}, "joinedAt"),
                                         ({"status": 3}, "status"), ({"extra": 1}, "extra")])
def test_state_bad_record_is_400_naming_the_field(client, patch, field):
    user = {"name": "Ada", "email": "ada@acme.com", "role": "Member",
            "joinedAt": "2026-01-02T03:04:05Z", **patch}
    r = client.post("/__sandbox/state/deskchime/1/users", json=user)
    assert r.status_code == 400
    assert r.get_json()["error"] == "invalid_record" and f"'{field}'" in r.get_json()["message"]
    assert len(client.get("/__sandbox/state/deskchime/1/users").get_json()) == 120


def test_state_unknown_vendor_tenant_collection_are_404(client):
    assert client.get("/__sandbox/state/nobody/1/users").status_code == 404
    assert client.get("/__sandbox/state/deskchime/77/users").status_code == 404
    assert client.get("/__sandbox/state/deskchime/1/widgets").status_code == 404


def test_control_token_guards_every_call():
    app = sandbox_app(control_token="s3cret")
    client = app.test_client()
    r = client.get("/__sandbox/health")
    assert r.status_code == 401 and r.get_json()["error"] == "unauthorized"
    assert client.get("/__sandbox/health", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/__sandbox/health",
                      headers={"Authorization": "Bearer s3cret"}).status_code == 200
    for spelling in ("bearer s3cret", "BEARER  s3cret"):  # the scheme is case-insensitive
        assert client.get("/__sandbox/health",
                          headers={"Authorization": spelling}).status_code == 200
    assert client.get("/__sandbox/health",
                      headers={"Authorization": "Basic s3cret"}).status_code == 401


def test_single_vendor_is_served_at_the_root_too(key):
    app = sandbox_app(vendors=("deskchime",))
    client = app.test_client()
    assert client.get("/api/v1/users?limit=2", headers=key).get_json()["meta"]["limit"] == 2
    assert client.get("/deskchime/api/v1/users?limit=2", headers=key).status_code == 200
    r = client.get("/api/v1/unknown", headers=key)
    assert r.status_code == 404 and r.get_json()["success"] is False
    assert client.get("/__sandbox/health").status_code == 200


def test_frozen_clock_setting_is_the_seed_anchor():
    assert parse_instant("2026-06-15T12:00:00Z").year == 2026
