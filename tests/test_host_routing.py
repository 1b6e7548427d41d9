"""Host-based routing for every vendor, the tenant a Deskie host names, and X-Request-Id."""
from __future__ import annotations

import pytest

from mockserver.registry import load_vendor
from tests.conftest import test_vendors


def _plain_get(vendor: str):
    """A GET operation of the vendor without path parameters or required query parameters."""
    for op in load_vendor(vendor).operations:
        params = [*op.path_item.get("parameters", []), *op.spec.get("parameters", [])]
        if op.method == "GET" and "{" not in op.path and not any(
                p.get("required") for p in params if "$ref" not in p):
            return op
    return None


@pytest.mark.parametrize("vendor", test_vendors())
def test_a_vendor_host_serves_the_real_root_paths(client, runtime, vendor):
    op = _plain_get(vendor)
    if op is None:
        pytest.skip(f"{vendor} has no plain GET operation")
    headers = runtime.vendors[vendor].vendor.sample_headers(runtime)
    prefixed = client.get(f"/{vendor}{op.path}", headers=headers)
    for host in (f"{vendor}.localhost", f"{vendor}.localhost:8080", f"{vendor.upper()}.LOCALHOST"):
        by_host = client.get(op.path, headers={**headers, "Host": host})
        assert by_host.status_code == prefixed.status_code == 200, (host, by_host.get_data())
        assert by_host.get_json() == prefixed.get_json()
    unknown = client.get(op.path, headers={**headers, "Host": "nobody.localhost"})
    assert unknown.status_code == 404  # no vendor there: the generic 404


def test_a_deskie_host_names_the_account(client, runtime):
    accounts = client.get("/__sandbox/credentials").get_json()["deskie"]["accounts"]
    first, other = accounts[0], accounts[1]

    def auth(account):
        import base64
        agent = next(a for a in account["agents"] if a["active"] and a["access"] == "full")
        raw = f"{agent['email']}:{account['api_key']}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}
    host = {"Host": f"{first['domain']}.deskie.localhost:8080"}
    assert client.get("/api/labels.json", headers={**auth(first), **host}).status_code == 200
    refused = client.get("/api/labels.json", headers={**auth(other), **host})
    assert refused.status_code == 401 and refused.get_json()["error"] == "wrong_api_key"
    assert client.get("/deskie/api/labels.json", headers=auth(other)).status_code == 200


def test_every_answer_carries_its_journal_id(client, runtime):
    headers = runtime.vendors["deskchime"].vendor.sample_headers(runtime) \
        if "deskchime" in runtime.vendors else {}
    for path in ("/deskchime/api/v1/users?limit=1", "/deskchime/api/nothing-here"):
        r = client.get(path, headers=headers)
        entry = client.get("/__sandbox/requests?limit=1").get_json()[-1]
        assert r.headers["X-Request-Id"] == entry["id"] and entry["path"] == path.split("?")[0]
