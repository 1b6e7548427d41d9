"""Injected faults that look real, through HTTP on every store: a 429 as each vendor's own rate
limiter answers it, plausible codes for other statuses, dropped connections, cut bodies, a
repeatable probability, `times` and the journal's mark. Every registered vendor is tried."""
from __future__ import annotations

import json

import pytest

from mockserver.core.errors import SandboxError, render
from mockserver.core.faults import cased, drawn
from tests.conftest import test_vendors

ACME = "/deskchime/api/v1/users?limit=1"


def sample_call(runtime, vendor: str) -> tuple[str, dict]:
    """A GET of the vendor that a valid caller may make with no parameters (a rate-limited one
    when the vendor has a limit), and that caller's headers."""
    vr = runtime.vendors[vendor]
    limited = vr.vendor.rate_limit is not None

    def plain(op):
        required = [p for p in op.spec.get("parameters", []) + op.path_item.get("parameters", [])
                    if p.get("required")]
        return (op.method == "GET" and "{" not in op.path and not required
                and (not limited or op.rate_bucket is not None))
    op = next(op for op in vr.operations if plain(op))
    return f"/{vendor}{op.path}", vr.vendor.sample_headers(runtime)


@pytest.fixture
def key(client):
    return {"x-api-key": client.get("/__sandbox/credentials").get_json()[
        "deskchime"]["organizations"][0]["api_key"]}


def _envelope(runtime, vendor, status, code, message):
    return render(runtime.vendors[vendor].vendor.error_template,
                  SandboxError(status, code, message))


def _rate_headers(policy, headers) -> dict:
    names = [n for n in (policy.headers.limit, policy.headers.remaining, policy.headers.reset,
                         policy.headers.retry_after) if n]
    return {n: headers.get(n) for n in names}


# -- status faults -------------------------------------------------------------------------------
@pytest.mark.parametrize("vendor", test_vendors())
def test_fault_429_answers_as_the_vendors_rate_limiter(client, control, runtime, vendor):
    path, headers = sample_call(runtime, vendor)
    descriptor = runtime.vendors[vendor].vendor
    policy = descriptor.rate_limit
    code, message = descriptor.core_errors["rate_limited"]
    if policy is None:  # no documented limit: the envelope and a standard Retry-After
        control.post("/faults", json={"vendor": vendor, "status": 429, "times": 1})
        faulted = client.get(path, headers=headers)
        assert faulted.status_code == 429
        assert faulted.get_json() == _envelope(runtime, vendor, 429, code, message)
        assert faulted.headers["Retry-After"] == "60"
        assert client.get(path, headers=headers).status_code == 200
        return
    # a window of one request: the fault's answer, then the limiter's own, must be the same
    control.put(f"/ratelimits/{vendor}", json={"limit": 1, "window": 60})
    control.post("/faults", json={"vendor": vendor, "status": 429, "times": 1})
    faulted = client.get(path, headers=headers)
    assert client.get(path, headers=headers).status_code == 200  # the fault spent nothing
    limited = client.get(path, headers=headers)
    assert (faulted.status_code, limited.status_code) == (429, 429)
    assert faulted.get_json() == limited.get_json() == _envelope(runtime, vendor, 429, code,
                                                                 message)
    assert _rate_headers(policy, faulted.headers) == _rate_headers(policy, limited.headers)
    assert faulted.headers[policy.headers.retry_after] == "60"
    varying = {"X-Request-Id", "Date"}  # a live server's Date moves on with real time
    same = {k: v for k, v in faulted.headers.items() if k not in varying}
    assert same == {k: v for k, v in limited.headers.items() if k not in varying}
    assert control.get("/requests")[-3]["fault"]["status"] == 429


@pytest.mark.parametrize("vendor", [v for v in test_vendors()])
def test_fault_429_names_the_callers_documented_limit_and_a_chosen_retry_after(
        client, control, runtime, vendor):
    policy = runtime.vendors[vendor].vendor.rate_limit
    if policy is None or policy.headers.limit is None:
        pytest.skip(f"{vendor} documents no limit header")
    path, headers = sample_call(runtime, vendor)
    normal = client.get(path, headers=headers)
    control.post("/faults", json={"vendor": vendor, "status": 429, "retry_after": 7})
    faulted = client.get(path, headers=headers)
    assert faulted.headers[policy.headers.limit] == normal.headers[policy.headers.limit]
    assert faulted.headers[policy.headers.retry_after] == "7"
    if policy.headers.remaining:
        assert faulted.headers[policy.headers.remaining] == "0"
    assert control.get("/requests")[-1]["tenant"] == control.get("/requests")[-2]["tenant"]


@pytest.mark.parametrize("vendor", test_vendors())
@pytest.mark.parametrize("status", [500, 503, 401])
def test_fault_status_answers_a_plausible_code_in_the_vendors_envelope(
        client, control, runtime, vendor, status):
    path, headers = sample_call(runtime, vendor)
    control.post("/faults", json={"vendor": vendor, "status": status, "times": 1})
    r = client.get(path, headers=headers)
    errors = runtime.vendors[vendor].vendor.core_errors
    phrase = {500: "Internal Server Error", 503: "Service Unavailable", 401: "Unauthorized"}
    code = cased(phrase[status], errors["not_found"][0])
    assert r.status_code == status
    assert r.get_json() == _envelope(runtime, vendor, status, code, phrase[status])
    assert code != errors["fault"][0]
    assert client.get(path, headers=headers).status_code == 200


def test_codes_follow_the_vendors_case_style():
    assert cased("Service Unavailable", "NOT_FOUND") == "SERVICE_UNAVAILABLE"
    assert cased("Service Unavailable", "not_found") == "service_unavailable"
    assert cased("Service Unavailable", "UnknownReport") == "ServiceUnavailable"
    assert cased("Service Unavailable", "unknownReport") == "serviceUnavailable"


def test_fault_status_of_a_core_refusal_reuses_its_code(client, control, runtime, key):
    control.post("/faults", json={"path": "/api/workspace-stats", "status": 404, "times": 1})
    r = client.get("/deskchime/api/workspace-stats", headers=key)
    assert r.status_code == 404 and r.get_json()["code"] == "NOT_FOUND"


# -- reset, malformed, latency ---------------------------------------------------------------------
def test_fault_reset_drops_the_connection_without_an_answer(client, control, key):
    rule = control.post("/faults", json={"kind": "reset", "path": "/api/v1/users", "times": 1})
    assert rule["kind"] == "reset" and rule["status"] is None
    # the in-process client raises the reset; over HTTP a client sees a connection error
    with pytest.raises(OSError):
        client.get(ACME, headers=key)
    assert client.get(ACME, headers=key).status_code == 200
    entry = control.get("/requests")[-2]
    assert entry["fault"] == {"id": rule["id"], "kind": "reset"} and entry["status"] == 0


def test_fault_malformed_cuts_the_body_short_with_an_honest_length(client, control, key):
    whole = client.get(ACME, headers=key).get_data()
    rule = control.post("/faults", json={"kind": "malformed", "vendor": "deskchime",
                                         "times": 1})
    r = client.get(ACME, headers=key)
    cut = r.get_data()
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert int(r.headers["Content-Length"]) == len(cut) == len(whole) // 2
    assert whole.startswith(cut)
    with pytest.raises(ValueError):
        json.loads(cut)
    assert control.get("/requests")[-1]["fault"] == {"id": rule["id"], "kind": "malformed"}
    assert client.get(ACME, headers=key).get_data() == whole


@pytest.mark.skipif("deskie" not in test_vendors(), reason="needs a vendor with writes")
def test_fault_malformed_of_a_write_still_writes(client, control, runtime):
    """The server did the work; only its answer is broken (as a proxy cutting it would)."""
    headers = runtime.vendors["deskie"].vendor.sample_headers(runtime)
    before = client.get("/deskie/api/cases.json", headers=headers).get_json()["total_count"]
    control.post("/faults", json={"kind": "malformed", "method": "POST", "times": 1})
    r = client.post("/deskie/api/cases.json", headers=headers, json={"case": {
        "user_email": "cut@example.com", "subject": "cut short", "content": "hello"}})
    assert r.status_code == 200
    with pytest.raises(ValueError):
        json.loads(r.get_data())
    after = client.get("/deskie/api/cases.json", headers=headers).get_json()["total_count"]
    assert after == before + 1


def test_fault_latency_with_any_kind_is_marked(client, control, key):
    rule = control.post("/faults", json={"kind": "malformed", "latency_ms": 80, "times": 1,
                                         "path": "/api/v1/users"})
    client.get(ACME, headers=key)
    entry = control.get("/requests")[-1]
    assert entry["fault"] == {"id": rule["id"], "kind": "malformed", "latency_ms": 80}
    assert entry["duration_ms"] >= 80
    control.post("/faults", json={"latency_ms": 80, "times": 1})
    assert client.get(ACME, headers=key).status_code == 200  # latency alone: a normal answer
    assert control.get("/requests")[-1]["fault"]["kind"] == "latency"


# -- probability and times -------------------------------------------------------------------------
def _pattern(client, control, key, rule: dict, n: int = 24) -> list[int]:
    control.post("/faults", json=rule)
    return [client.get(ACME, headers=key).status_code for _ in range(n)]


def test_fault_probability_is_repeatable_and_follows_the_documented_hash(client, control,
                                                                         runtime, key):
    rule = {"vendor": "deskchime", "status": 503, "probability": 0.5}
    first = _pattern(client, control, key, rule)
    control.post("/reset")
    again = _pattern(client, control, key, rule)
    assert first == again and 0 < first.count(503) < len(first)
    expected = [503 if drawn(runtime.seed, 1, n) < 0.5 else 200 for n in range(1, 25)]
    assert first == expected
    assert control.get("/faults")[0]["hits"] == first.count(503)


def test_fault_probability_zero_and_one(client, control, key):
    assert set(_pattern(client, control, key, {"status": 502, "probability": 0}, 6)) == {200}
    control.delete("/faults")
    assert set(_pattern(client, control, key, {"status": 502, "probability": 1}, 6)) == {502}


def test_fault_times_counts_faulted_requests_under_a_probability(client, control, runtime,
                                                                 key):
    statuses = _pattern(client, control, key, {"status": 503, "probability": 0.5, "times": 3})
    assert statuses.count(503) == 3
    last = max(i for i, s in enumerate(statuses) if s == 503)
    fired = [i for i in range(24) if drawn(runtime.seed, 1, i + 1) < 0.5]
    assert [i for i, s in enumerate(statuses) if s == 503] == fired[:3] and last == fired[2]
    assert control.get("/faults") == []


# -- refusals --------------------------------------------------------------------------------------
@pytest.mark.parametrize("payload, field", [
    ({"path": "*"}, "kind"),
    ({"kind": "explode"}, "kind"),
    ({"kind": "reset", "status": 503}, "status"),
    ({"kind": "malformed", "status": 500}, "status"),
    ({"kind": "status"}, "status"),
    ({"kind": "latency"}, "latency_ms"),
    ({"status": 99}, "status"),
    ({"status": 302}, "status"),
    ({"status": 600}, "status"),
    ({"status": True}, "status"),
    ({"status": "503"}, "status"),
    ({"latency_ms": -1}, "latency_ms"),
    ({"latency_ms": 60001}, "latency_ms"),
    ({"status": 500, "probability": 1.5}, "probability"),
    ({"status": 500, "probability": -0.1}, "probability"),
    ({"status": 500, "probability": "half"}, "probability"),
    ({"status": 500, "retry_after": 5}, "retry_after"),
    ({"status": 429, "retry_after": -5}, "retry_after"),
    ({"status": 500, "times": 0}, "times"),
    ({"status": 500, "times": 1.5}, "times"),
    ({"status": 500, "method": "GET POST"}, "method"),
    ({"status": 500, "path": 7}, "path"),
    ({"status": 500, "colour": 1}, "colour"),
    ({"vendor": "nobody", "status": 500}, "vendor"),
])
def test_fault_bad_fields_are_400_naming_the_field(client, payload, field):
    r = client.post("/__sandbox/faults", json=payload)
    answer = r.get_json()
    assert r.status_code == 400 and answer["error"] == "invalid_fault", answer
    assert answer["field"] == field and field in answer["message"]
    assert client.get("/__sandbox/faults").get_json() == []  # nothing half-added
