"""Where Deskwoot is reached: /deskwoot/api/v1 (the credentials document's base URL), the root
when it is served alone, and deskwoot.localhost; the official client's baseUrl is the part
before /api/v1."""
from __future__ import annotations

import pytest

from tests.conftest import sandbox_app, test_stores
from tests.support import body

from .conftest import bearer


def test_the_base_url_is_the_pages_below_the_prefix(client, creds):
    doc = body(client.get("/__sandbox/credentials"))["deskwoot"]
    assert doc["base_url"].endswith("/deskwoot/api/v1")
    r = client.get(doc["base_url"].split("localhost", 1)[1] + "/me",
                   headers=bearer(creds["ENTERPRISE"]))
    assert r.status_code == 200


def test_through_its_own_host(client, creds):
    r = client.get("/api/v1/me", headers={**bearer(creds["ENTERPRISE"]),
                                          "Host": "deskwoot.localhost:8080"})
    assert r.status_code == 200 and r.get_json()["authMethod"] == "api_token"


@pytest.mark.parametrize("store", [s for s in test_stores() if s != "fleet"])
def test_served_alone_it_is_also_at_the_root(store):
    app = sandbox_app(store=store, vendors=("deskwoot",))
    client = app.test_client()
    doc = body(client.get("/__sandbox/credentials"))["deskwoot"]
    headers = bearer({"tokens": doc["accounts"][0]["tokens"]})
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/deskwoot/api/v1/me", headers=headers).status_code == 200
