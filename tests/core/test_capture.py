"""core.capture on the tiny vendor: the secret names come from its spec's securitySchemes (a
header and a query parameter no built-in list knows), bodies are bounded and masked."""
import copy

import pytest

from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.core.capture import BODY_BOUND, Masking
from mockserver.core.clock import parse_instant
from mockserver.registry import VendorSource

from .tiny import SOURCE, SPEC

SIGNED = copy.deepcopy(SPEC)
SIGNED["components"]["securitySchemes"]["sig"] = {"type": "apiKey", "in": "query",
                                                  "name": "sig"}


@pytest.fixture
def client():
    source = {"tiny": VendorSource(SOURCE["tiny"].module, SIGNED, {})}
    app = create_app(Settings(freeze_time=parse_instant("2026-01-01T00:00:00Z"),
                              rate_limits="off"), source)
    return app.test_client()


def last(client):
    return client.get("/__sandbox/requests?limit=1").get_json()[0]


def test_masking_reads_the_spec_security_schemes():
    masking = Masking.from_spec(SIGNED)
    assert "x-key" in masking.headers and "authorization" in masking.headers
    assert masking.query("sig=abcdefghijklmnop&page=2", []) == "sig=abcd***&page=2"
    assert Masking.from_spec({}).query("sig=abcdefghijklmnop", []) == "sig=abcdefghijklmnop"


def test_the_specs_key_header_and_query_parameter_are_masked(client):
    r = client.get("/tiny/things?sig=abcdefghijklmnop&page=1",
                   headers={"X-Key": "k1", "X-Trace": "visible"})
    assert r.status_code == 200
    entry = last(client)
    assert entry["request"]["headers"]["X-Key"] == "***"
    assert entry["request"]["headers"]["X-Trace"] == "visible"
    assert entry["query"] == "sig=abcd***&page=1"
    assert entry["principal"] == "caller" and entry["tenant"] == "t1"


def test_a_secret_echoed_by_an_answer_is_scrubbed(client):
    r = client.post("/tiny/things", headers={"X-Key": "k1"},
                    json={"thing": {"name": "s3cr3t-value-1"}, "api_key": "s3cr3t-value-1"})
    assert r.status_code == 201 and r.get_json()["thing"]["name"] == "s3cr3t-value-1"
    entry = last(client)
    assert entry["request"]["body"]["json"] == {"thing": {"name": "s3cr***"},
                                                "api_key": "s3cr***"}
    assert entry["response"]["body"]["json"]["thing"]["name"] == "s3cr***"
    assert "s3cr3t-value-1" not in str(entry)


def test_a_large_json_body_is_cut_and_kept_as_text(client):
    client.post("/tiny/things", headers={"X-Key": "k1"},
                json={"thing": {"name": "n" * (2 * BODY_BOUND)}})
    kept = last(client)["request"]["body"]
    assert kept["truncated"] is True and len(kept["text"]) == BODY_BOUND
    assert kept["size"] > 2 * BODY_BOUND and "json" not in kept


def test_the_near_miss_joins_the_envelopes_message(client):
    r = client.get("/tiny/thingz", headers={"X-Key": "k1"})
    assert r.status_code == 404
    hint = {"method": "GET", "path": "/things", "operation": "list_things"}
    assert r.get_json() == {"err": {"code": "not_found", "status": 404, "msg": (
        "not found [closest operation: GET /things (list_things)]")}}
    assert last(client)["near_miss"] == hint
    assert client.put("/tiny/public").status_code == 405
    assert last(client)["near_miss"]["operation"] == "public_info"


def test_a_multipart_field_without_a_name_is_kept_as_a_part(client):
    boundary = "b0undary"
    raw = (f"--{boundary}\r\nContent-Disposition: form-data\r\n\r\nnull\r\n"
           f'--{boundary}\r\nContent-Disposition: form-data; name="thing[name]"\r\n\r\nx\r\n'
           f"--{boundary}--\r\n")
    r = client.post("/tiny/things", headers={"X-Key": "k1"}, data=raw,
                    content_type=f"multipart/form-data; boundary={boundary}")
    assert r.status_code < 500
    parts = last(client)["request"]["body"]["parts"]
    assert {"name": "thing[name]", "size": 1, "value": "x"} in parts
