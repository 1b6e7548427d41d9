import pytest

from tests.support import body


@pytest.fixture
def orgs(client):
    return body(client.get("/__sandbox/credentials"))["deskchime"]["organizations"]


@pytest.fixture
def acme(orgs):
    return {"x-api-key": orgs[0]["api_key"]}


@pytest.fixture
def globex(orgs):
    return {"x-api-key": orgs[1]["api_key"]}


@pytest.fixture
def dc(client, acme):
    """GET or POST a DeskChime path as Acme; returns (status, json, headers)."""
    def call(path, json=None, headers=acme, method=None):
        method = method or ("POST" if json is not None else "GET")
        r = client.open(f"/deskchime{path}", method=method, json=json, headers=headers)
        return r.status_code, r.get_json(silent=True), r.headers
    return call
