"""The request journal as a debugging tool, through HTTP on every store: what an entry keeps
(headers, bodies, error code, operation, principal, latency), masking and bounds, the request
id on every answer, the filters and the count, the near miss, and the access log."""
from __future__ import annotations

import io
import json

import pytest

from mockserver.config import Settings
from mockserver.control_client import ControlClient
from mockserver.core.capture import BODY_BOUND
from tests.live import serve, stop
from tests.support import basic, body

USERS = "/deskchime/api/v1/users"


@pytest.fixture
def creds(client):
    return body(client.get("/__sandbox/credentials"))


@pytest.fixture
def key(creds):
    return creds["deskchime"]["organizations"][0]["api_key"]


@pytest.fixture
def dc(key):
    return {"x-api-key": key}


@pytest.fixture
def deskie_agent(creds):
    account = next(a for a in creds["deskie"]["accounts"] if a["domain"] == "robotsrule")
    agent = next(a for a in account["agents"] if a["access"] == "full" and a["active"])
    return agent, account["api_key"]


def journal(client, **filters):
    r = client.get("/__sandbox/requests", query_string=filters)
    assert r.status_code == 200, r.get_data(as_text=True)
    return body(r)


def count(client, **filters):
    r = client.get("/__sandbox/requests/count", query_string=filters)
    assert r.status_code == 200, r.get_data(as_text=True)
    return body(r)["count"]


def only_entry(client):
    entries = journal(client)
    assert len(entries) == 1, entries
    return entries[0]


# -- what an entry keeps ----------------------------------------------------------------------------
def test_entry_keeps_the_exchange(client, dc, key):
    r = client.get(USERS + "?limit=2", headers=dc)
    assert r.status_code == 200
    entry = only_entry(client)
    assert entry["id"] == r.headers["X-Request-Id"]
    assert (entry["method"], entry["path"], entry["query"], entry["vendor"], entry["operation"],
            entry["tenant"], entry["principal"], entry["status"], entry["error"],
            entry["fault"]) == ("GET", USERS, "limit=2", "deskchime", "list_users", "1", "acme",
                                200, None, None)
    assert entry["time"] == "2026-06-15T12:00:00Z" and entry["duration_ms"] >= 0
    sent = {k.lower(): v for k, v in entry["request"]["headers"].items()}
    assert sent["x-api-key"] == key[:4] + "***" and key not in json.dumps(entry)
    assert entry["request"]["body"] is None
    answered = {k.lower(): v for k, v in entry["response"]["headers"].items()}
    assert answered["x-request-id"] == entry["id"]
    assert answered["x-ratelimit-remaining"] == r.headers["X-RateLimit-Remaining"]
    assert entry["response"]["body"] == {"media_type": "application/json",
                                         "size": len(r.get_data()), "json": body(r)}


def test_entry_of_a_refusal_has_the_vendors_error_code(client, dc):
    r = client.get(USERS, headers={"x-api-key": "dc_live_" + "x" * 32})
    assert r.status_code == 401
    entry = only_entry(client)
    assert entry["error"] == body(r)["code"] and entry["error"]
    assert (entry["operation"], entry["tenant"], entry["principal"]) == ("list_users", None, None)
    bad = client.get(USERS + "?limit=500", headers=dc)
    assert bad.status_code == 400
    assert journal(client)[-1]["error"] == body(bad)["code"] == "INVALID_REQUEST"


def test_entry_of_an_injected_fault_names_the_rule(client, control, dc):
    rule = control.post("/faults", json={"vendor": "deskchime", "path": "/api/v1/users",
                                         "status": 503, "times": 1})
    assert client.get(USERS, headers=dc).status_code == 503
    entry = only_entry(client)
    assert entry["fault"] == {"id": rule["id"], "kind": "status", "status": 503}
    assert entry["error"] == "SERVICE_UNAVAILABLE"


def test_request_body_is_kept_as_json_with_password_fields_masked(client, dc):
    sent = {"email": "jane@acme.com", "password": "correct horse battery", "pin": "1234"}
    client.post("/deskchime/api/v1/users/activity", headers=dc, json=sent)
    kept = only_entry(client)["request"]["body"]
    assert kept["media_type"] == "application/json"
    assert kept["size"] == len(json.dumps(sent).encode())
    assert kept["json"] == {**sent, "password": "corr***"}


def test_basic_bearer_and_cookie_credentials_are_masked(client, creds, deskie_agent):
    agent, api_key = deskie_agent
    assert client.get("/deskie/api/staff.json", headers=basic(agent["email"], api_key)
                      ).status_code == 200
    guid = creds["chime"]["users"][0]["api_key"]
    client.get("/chime/Chime/Report/GetAvailableGlobalReports",
               headers={"Authorization": f"Bearer {guid}", "Cookie": "session=abcdefghijklmnop"})
    first, second = journal(client)
    assert first["request"]["headers"]["Authorization"] == f"Basic {agent['email']}:***"
    assert first["principal"] == str(agent["staff_id"])
    assert second["request"]["headers"]["Authorization"] == f"Bearer {guid[:4]}***"
    assert second["request"]["headers"]["Cookie"] == "session=abcd***"
    text = json.dumps([first, second])
    assert api_key not in text and guid not in text and "abcdefghijklmnop" not in text


def test_secret_query_parameters_and_form_fields_are_masked(client, deskie_agent):
    agent, api_key = deskie_agent
    client.post("/deskie/api/cases.json?api_token=abcdefghijklmnopqrstu&page=2",
                headers=basic(agent["email"], api_key),
                data="case[subject]=Hi&case[password]=abcdefghijklmnopqrstu",
                content_type="application/x-www-form-urlencoded")
    entry = only_entry(client)
    assert entry["query"] == "api_token=abcd***&page=2"
    assert entry["request"]["body"]["text"] == "case[subject]=Hi&case[password]=abcd***"
    assert "abcdefghijklmnopqrstu" not in json.dumps(entry)


def test_bodies_beyond_the_bound_are_cut_with_their_size(client, dc, deskie_agent):
    agent, api_key = deskie_agent
    big = client.get("/deskie/api/cases.json?limit=100", headers=basic(agent["email"], api_key))
    assert big.status_code == 200 and len(big.get_data()) > BODY_BOUND
    sent = json.dumps({"email": "x" * (3 * BODY_BOUND)})
    client.post("/deskchime/api/v1/users/activity", headers=dc, data=sent,
                content_type="application/json")
    answer, request = journal(client)
    kept = answer["response"]["body"]
    assert kept["size"] == len(big.get_data()) and kept["truncated"] is True
    assert kept["text"] == big.get_data()[:BODY_BOUND].decode("utf-8", "replace")
    kept = request["request"]["body"]
    assert kept["size"] == len(sent) and kept["truncated"] is True
    assert len(kept["text"]) == BODY_BOUND


def test_uploads_are_summarised_never_their_bytes(client, deskie_agent):
    agent, api_key = deskie_agent
    r = client.post("/deskie/api/cases.json", headers=basic(agent["email"], api_key),
                    content_type="multipart/form-data",
                    data={"case[user_email]": "up@example.com", "case[subject]": "Upload",
                          "case[content]": "see file", "case[group_id]": "318",
                          "case[attachments][1]": (io.BytesIO(b"FILE-BYTES" * 100), "a.bin")})
    assert r.status_code == 200, r.get_data(as_text=True)
    entry = only_entry(client)
    kept = entry["request"]["body"]
    assert kept["media_type"] == "multipart/form-data"
    assert kept["size"] == int(entry["request"]["headers"]["Content-Length"])
    files = [p for p in kept["parts"] if "filename" in p]
    assert files == [{"name": "case[attachments][1]", "filename": "a.bin",
                      "content_type": "application/octet-stream", "size": 1000}]
    assert {"name": "case[subject]", "size": 6, "value": "Upload"} in kept["parts"]
    assert "FILE-BYTES" not in json.dumps(entry)


def test_binary_bodies_keep_only_their_size(client, dc):
    client.post("/deskchime/api/v1/users/activity", headers=dc, data=b"\x00\x01" * 50,
                content_type="application/octet-stream")
    assert only_entry(client)["request"]["body"] == {
        "media_type": "application/octet-stream", "size": 100, "omitted": "binary"}


# -- the request id ---------------------------------------------------------------------------------
def test_every_vendor_answer_carries_its_journal_id(client, dc):
    answers = [client.get(USERS, headers=dc),                       # 200
               client.get(USERS),                                   # 401
               client.get(USERS + "?limit=0", headers=dc),          # 400
               client.get("/deskchime/api/v1/nothing", headers=dc),  # 404, no route
               client.delete(USERS, headers=dc),                    # 405
               client.get("/chime/Chime/Report/GetAvailableGlobalReports")]
    ids = [a.headers["X-Request-Id"] for a in answers]
    assert len(set(ids)) == len(ids)
    assert [e["id"] for e in journal(client)] == ids
    assert [e["status"] for e in journal(client)] == [a.status_code for a in answers]


# -- filters and the count --------------------------------------------------------------------------
@pytest.fixture
def traffic(client, control, dc, creds, deskie_agent):
    """Six requests of three vendors, the last two a minute later on the sandbox clock."""
    agent, api_key = deskie_agent
    other = {"x-api-key": creds["deskchime"]["organizations"][1]["api_key"]}
    out = [client.get(USERS, headers=dc),
           client.get("/deskchime/api/v1/goals", headers=dc),
           client.get(USERS, headers=other),
           client.get("/deskie/api/staff.json", headers=basic(agent["email"], api_key))]
    control.post("/clock", json={"advance": 60})
    out += [client.post("/deskchime/api/v1/users/activity", headers=dc, json={}),
            client.get("/chime/Chime/Report/GetAvailableGlobalReports")]
    return [a.headers["X-Request-Id"] for a in out]


@pytest.mark.parametrize("filters, picked", [
    ({}, [0, 1, 2, 3, 4, 5]),
    ({"vendor": "deskchime"}, [0, 1, 2, 4]),
    ({"operation": "list_users"}, [0, 2]),
    ({"tenant": "1"}, [0, 1, 4]),
    ({"status": "200"}, [0, 1, 2, 3]),
    ({"status": "4xx"}, [4, 5]),
    ({"method": "post"}, [4]),
    ({"path": "/deskchime/api/v1/users*"}, [0, 2, 4]),
    ({"path": "/api/v1/*", "vendor": "deskchime"}, [0, 1, 2, 4]),
    ({"path": "/api/v1/users/*"}, [4]),
    ({"path": "*.json"}, [3]),
    ({"since": "2026-06-15T12:00:30Z"}, [4, 5]),
    ({"vendor": "deskchime", "tenant": "1", "method": "GET"}, [0, 1]),
])
def test_filters_pick_entries_and_count_them(client, traffic, filters, picked):
    assert [e["id"] for e in journal(client, **filters)] == [traffic[i] for i in picked]
    assert count(client, **filters) == len(picked)


def test_since_a_journal_id_and_limit(client, traffic):
    assert [e["id"] for e in journal(client, since=traffic[3])] == traffic[4:]
    assert [e["id"] for e in journal(client, vendor="deskchime", limit=2)] == \
        [traffic[2], traffic[4]]
    assert count(client, since=traffic[5]) == 0


def test_a_filter_given_twice_matches_either(client, traffic):
    r = client.get("/__sandbox/requests?vendor=deskie&vendor=chime")
    assert [e["id"] for e in body(r)] == [traffic[3], traffic[5]]


@pytest.mark.parametrize("query, named", [
    ("verb=GET", "verb"), ("status=teapot", "status"), ("status=6xx", "status"),
    ("since=yesterday", "since"), ("method=G3T", "method"), ("vendor=nobody", "vendor"),
    ("operation=list_userz", "operation"), ("limit=0", "limit"), ("limit=many", "limit"),
])
def test_an_unknown_filter_or_bad_value_is_a_400_naming_it(client, query, named):
    for path in ("/__sandbox/requests", "/__sandbox/requests/count"):
        if named == "limit" and path.endswith("count"):
            continue
        r = client.get(f"{path}?{query}")
        assert r.status_code == 400, (path, query)
        assert body(r)["error"] == "invalid_filter" and f"'{named}'" in body(r)["message"]


def test_count_takes_no_limit(client):
    r = client.get("/__sandbox/requests/count?limit=3")
    assert r.status_code == 400 and "'limit'" in body(r)["message"]


# -- the near miss ----------------------------------------------------------------------------------
def test_a_typo_in_a_path_names_the_closest_operation(client, dc):
    r = client.get("/deskchime/api/v1/gaols/g1", headers=dc)
    assert r.status_code == 404
    hint = {"method": "GET", "path": "/api/v1/goals/{id}", "operation": "get_goal"}
    assert body(r) == {"success": False, "code": "NOT_FOUND", "error": "no such endpoint "
                       "[closest operation: GET /api/v1/goals/{id} (get_goal)]"}
    entry = only_entry(client)
    assert entry["near_miss"] == hint and entry["operation"] is None
    assert entry["error"] == "NOT_FOUND"


def test_a_wrong_method_names_the_operations_method(client, dc):
    r = client.delete("/deskchime/api/v1/users/activity", headers=dc)
    assert r.status_code == 405
    assert only_entry(client)["near_miss"] == {
        "method": "POST", "path": "/api/v1/users/activity", "operation": "get_user_activity"}


def test_near_miss_on_another_vendors_envelope(client):
    r = client.get("/chime/Chime/Report/GetAvailableGlobalReport")
    assert r.status_code == 404 and sorted(body(r)) == ["Error", "Message", "Status"]
    hint = only_entry(client)["near_miss"]
    assert hint["path"] == "/Chime/Report/GetAvailableGlobalReports"
    assert body(r)["Message"].endswith(f"[closest operation: GET {hint['path']} "
                                       f"({hint['operation']})]")


def test_nothing_close_is_no_hint(client, dc):
    r = client.get("/deskchime/nothing/like/any/route/at/all", headers=dc)
    assert r.status_code == 404 and body(r)["error"] == "no such endpoint"
    assert only_entry(client)["near_miss"] is None


def test_a_path_below_a_list_names_the_list(client, dc):
    assert client.get("/deskchime/api/v1/usres/u1", headers=dc).status_code == 404
    assert only_entry(client)["near_miss"]["operation"] == "list_users"


def test_matched_requests_have_no_near_miss(client, dc):
    client.get(USERS, headers=dc)
    assert only_entry(client)["near_miss"] is None


# -- the access log -------------------------------------------------------------------------------
def test_access_log_setting_from_flag_or_variable():
    assert Settings.load({}, environ={}).access_log is False
    assert Settings.load({"access_log": True}, environ={}).access_log is True
    assert Settings.load({}, environ={"MOCKSERVER_ACCESS_LOG": "yes"}).access_log is True
    with pytest.raises(ValueError, match="MOCKSERVER_ACCESS_LOG"):
        Settings.load({}, environ={"MOCKSERVER_ACCESS_LOG": "loud"})


def test_access_log_prints_one_line_per_request_and_the_client_filters():
    proc, base = serve("--access-log", "--vendor", "deskchime", "--vendor", "chime")
    try:
        control = ControlClient(base)
        control.reset()
        import requests
        key = control.credentials()["deskchime"]["organizations"][0]["api_key"]
        ok = requests.get(f"{base}{USERS}?limit=1", headers={"x-api-key": key}, timeout=10)
        missing = requests.get(f"{base}/deskchime/api/v1/nothing", timeout=10)
        assert control.requests_count(vendor="deskchime") == 2
        assert control.requests_count(status="4xx") == 1
        assert [e["id"] for e in control.requests(operation="list_users")] == \
            [ok.headers["X-Request-Id"]]
        assert control.requests_count(method="GET", path="/api/v1/*") == 2
    finally:
        stop(proc)
    lines = [line for line in proc.stderr.read().splitlines() if " req_" in line]
    assert len(lines) == 2, lines
    first, second = (line.split() for line in lines)
    assert first[1:] == [ok.headers["X-Request-Id"], "GET", USERS, "200", first[5], "list_users"]
    assert first[0].endswith("Z") and first[5].endswith("ms") and float(first[5][:-2]) >= 0
    assert second[1:5] == [missing.headers["X-Request-Id"], "GET", "/deskchime/api/v1/nothing",
                           "404"] and second[6] == "-"
