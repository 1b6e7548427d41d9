"""`--cors`: browser pages of any origin may call the vendors and the control API; preflights
are answered before any vendor sees them; without the flag no CORS header is sent."""
import pytest
from flask.testing import FlaskClient

from tests.conftest import sandbox_app, test_stores

ORIGIN = "http://localhost:5173"
USERS = "/deskchime/api/v1/users?limit=2"


@pytest.fixture(params=[s for s in test_stores() if s != "fleet"])
def cors_client(request):
    """The spec-checked client of an app served with --cors (in process: the fleet's servers
    are started without it)."""
    return sandbox_app(store=request.param, cors=True, vendors=("deskchime", "deskie")) \
        .test_client()


def _key(client):
    doc = client.get("/__sandbox/credentials").get_json()
    return {"x-api-key": doc["deskchime"]["organizations"][0]["api_key"]}


def test_preflight_is_answered_for_any_origin_without_reaching_the_vendor(cors_client):
    plain = FlaskClient(cors_client.application)  # a preflight is no operation of the spec
    answer = plain.options(USERS, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "x-api-key, content-type"})
    assert answer.status_code == 204 and answer.get_data() == b""
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"
    assert "GET" in answer.headers["Access-Control-Allow-Methods"]
    assert answer.headers["Access-Control-Allow-Headers"] == "x-api-key, content-type"
    assert cors_client.get("/__sandbox/requests").get_json() == []  # not a vendor call


def test_vendor_answers_carry_cors_headers_and_expose_the_vendor_headers(cors_client):
    answer = cors_client.get(USERS, headers={"Origin": ORIGIN, **_key(cors_client)})
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    exposed = {h.strip().lower() for h in answer.headers["Access-Control-Expose-Headers"]
               .split(",")}
    assert {"x-ratelimit-limit", "x-ratelimit-remaining"} <= exposed
    assert "Origin" in answer.headers.get_all("Vary")
    refused = cors_client.get(USERS, headers={"Origin": ORIGIN})  # errors are readable too
    assert refused.status_code == 401
    assert refused.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_control_answers_carry_cors_headers(cors_client):
    answer = cors_client.post("/__sandbox/clock", json={"advance": 60},
                              headers={"Origin": ORIGIN})
    assert answer.status_code == 200 and answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    without_origin = cors_client.get("/__sandbox/health")
    assert without_origin.headers["Access-Control-Allow-Origin"] == "*"


def test_without_cors_no_cors_header_is_sent(client):
    answer = client.get(USERS, headers={"Origin": ORIGIN, **_key(client)})
    assert answer.status_code == 200
    assert not [h for h in answer.headers.keys() if h.lower().startswith("access-control-")]
    preflight = FlaskClient(client.application).options(USERS, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in preflight.headers
