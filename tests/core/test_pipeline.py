"""The pipeline's order and each step, on the tiny vendor."""
import pytest

from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.core.clock import parse_instant

from .tiny import SOURCE

KEY = {"X-Key": "k1"}


@pytest.fixture
def client():
    app = create_app(Settings(freeze_time=parse_instant("2026-01-01T00:00:00Z")), SOURCE)
    return app.test_client()


def test_pipeline_serves_a_keyed_page(client):
    r = client.get("/tiny/things", headers=KEY)
    assert r.status_code == 200
    body = r.get_json()
    assert body["total_count"] == 5 and list(body) == ["0", "1", "total_count"]
    assert body["0"]["thing"]["id"] == 1


def test_pipeline_envelope_template_fills_status_as_integer(client):
    r = client.get("/tiny/things")
    assert r.status_code == 401
    assert r.get_json() == {"err": {"code": "no_key", "msg": "send X-Key", "status": 401}}


def test_pipeline_fault_comes_before_authentication(client):
    client.post("/__sandbox/faults", json={"vendor": "tiny", "path": "/things", "status": 418})
    assert client.get("/tiny/things").status_code == 418


def test_pipeline_unauthenticated_requests_are_not_rate_limited(client):
    for _ in range(10):
        client.get("/tiny/things", headers={"X-Key": "nope"})
    assert client.get("/tiny/things", headers=KEY).headers["R"] == "4"


def test_pipeline_rate_limit_before_validation_and_write_cost(client):
    r = client.get("/tiny/things?limit=99", headers=KEY)
    assert r.status_code == 400 and r.headers["R"] == "4"  # the refused request counted
    r = client.post("/tiny/things", json={"thing": {"name": "x"}}, headers=KEY)
    assert r.status_code == 201 and r.headers["R"] == "2"  # a write costs 2
    r = client.post("/tiny/things", json={"thing": {"name": "y"}}, headers=KEY)
    assert r.status_code == 201 and r.headers["R"] == "0"
    r = client.get("/tiny/things", headers=KEY)
    assert r.status_code == 429 and r.headers["RA"] == "60" and r.headers["Reset"] == "60"
    assert r.get_json()["err"]["code"] == "rate_limited"


def test_pipeline_validation_names_the_parameter(client):
    client.put("/__sandbox/ratelimits/tiny", json={"mode": "off"})
    r = client.get("/tiny/things?limit=abc", headers=KEY)
    assert r.status_code == 400 and "'limit'" in r.get_json()["err"]["msg"]
    r = client.get("/tiny/things?name=x", headers=KEY)
    assert "'name'" in r.get_json()["err"]["msg"]
    r = client.post("/tiny/things", json={"thing": {}}, headers=KEY)
    assert r.status_code == 400 and "'thing.name'" in r.get_json()["err"]["msg"]
    r = client.post("/tiny/things", data="<xml/>", headers={**KEY, "Content-Type": "text/xml"})
    assert r.status_code == 415


def test_pipeline_php_array_spellings(client):
    client.put("/__sandbox/ratelimits/tiny", json={"mode": "off"})
    # seeded tags by id: 1 b, 2 c, 3 a, 4 b, 5 c
    for query in ("tag[]=a&tag[]=b", "tag[0]=a&tag[1]=b", "tag=a,b", "tag=a&tag=b"):
        body = client.get(f"/tiny/things?{query}&limit=3", headers=KEY).get_json()
        assert body["total_count"] == 3, query
        assert [body[k]["thing"]["id"] for k in ("0", "1", "2")] == [1, 3, 4]
    r = client.get("/tiny/things?tag[]=z", headers=KEY)
    assert r.status_code == 400 and "'tag'" in r.get_json()["err"]["msg"]


def test_pipeline_multipart_bracketed_names_become_the_json_body(client):
    client.put("/__sandbox/ratelimits/tiny", json={"mode": "off"})
    # a form carries strings: "3" is read as the integer the JSON schema says
    r = client.post("/tiny/things", data={"thing[name]": "from a form", "thing[size]": "3"},
                    headers=KEY, content_type="multipart/form-data")
    assert r.status_code == 201 and r.get_json()["thing"]["size"] == 3
    r = client.post("/tiny/things", data={"thing[name]": "from a form", "thing[size]": "x3"},
                    headers=KEY, content_type="multipart/form-data")
    assert r.status_code == 400 and "'thing.size'" in r.get_json()["err"]["msg"]
    r = client.post("/tiny/things", data={"thing[name]": "from a form"}, headers=KEY,
                    content_type="multipart/form-data")
    assert r.status_code == 201 and r.get_json()["thing"]["name"] == "from a form"


def test_pipeline_operation_without_security_skips_auth(client):
    assert client.get("/tiny/public").get_json() == {"now": "2026-01-01T00:00:00+00:00"}


def test_pipeline_a_bug_is_a_500_in_the_envelope_and_changes_nothing(client):
    r = client.post("/tiny/things", json={"thing": {"name": "boom"}}, headers=KEY)
    assert r.status_code == 500 and r.get_json()["err"]["code"] == "internal_error"
    assert client.get("/tiny/things", headers=KEY).get_json()["total_count"] == 5


def test_pipeline_unknown_path_and_method_in_the_envelope(client):
    r = client.get("/tiny/nothing", headers=KEY)
    assert r.status_code == 404 and r.get_json()["err"]["code"] == "not_found"
    r = client.delete("/tiny/things", headers=KEY)
    assert r.status_code == 405 and set(r.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_pipeline_journal_records_each_request(client):
    client.get("/tiny/things?limit=1", headers=KEY)
    client.get("/tiny/nothing")
    entries = client.get("/__sandbox/requests").get_json()
    assert [(e["operation"], e["status"]) for e in entries] == [("list_things", 200), (None, 404)]


def test_registry_refuses_an_unbound_operation():
    import types

    from mockserver.registry import RegistryError, VendorSource, load_vendor
    from .tiny import module, SPEC
    bare = types.ModuleType("bare")
    bare.VENDOR = module.VENDOR.__class__(**{**module.VENDOR.__dict__,
                                             "routes": types.ModuleType("none")})
    with pytest.raises(RegistryError, match="list_things"):
        load_vendor("tiny", VendorSource(bare, SPEC, {}))


def test_registry_refuses_a_spec_without_its_error_table():
    import copy

    from mockserver.registry import RegistryError, VendorSource, load_vendor
    from .tiny import module, SPEC
    spec = copy.deepcopy(SPEC)
    del spec["x-sandbox-errors"]["core"]["rate_limited"]["message"]
    with pytest.raises(RegistryError, match="rate_limited"):
        load_vendor("tiny", VendorSource(module, spec, {}))


def test_pipeline_vendor_codes_and_case_insensitive_query_names():
    import copy

    from .tiny import SPEC, module
    from mockserver.registry import VendorSource
    spec = copy.deepcopy(SPEC)
    spec["x-sandbox-case-insensitive-query"] = True
    spec["paths"]["/things"]["get"]["parameters"][1]["x-sandbox-error-codes"] = {
        "invalid": "BadLimit"}
    app = create_app(Settings(rate_limits="off"), {"tiny": VendorSource(module, spec, {})})
    client = app.test_client()
    body = client.get("/tiny/things?LIMIT=1", headers=KEY).get_json()
    assert list(body) == ["0", "total_count"]
    r = client.get("/tiny/things?Limit=9", headers=KEY)
    assert r.status_code == 400 and r.get_json()["err"]["code"] == "BadLimit"
    r = client.get("/tiny/things?page=0", headers=KEY)
    assert r.get_json()["err"]["code"] == "validation"
