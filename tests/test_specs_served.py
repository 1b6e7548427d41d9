"""`GET /__sandbox/specs/{vendor}`: the document's `servers` name the sandbox that serves it, as
the request reached it, so a client generated from it (or a docs page) calls this sandbox."""
import pytest

from tests.conftest import sandbox_app, test_stores, test_vendors


def _servers(client, vendor, **kwargs):
    answer = client.get(f"/__sandbox/specs/{vendor}", **kwargs)
    assert answer.status_code == 200
    return [s["url"] for s in answer.get_json()["servers"]]


@pytest.mark.parametrize("vendor", test_vendors())
def test_spec_servers_name_this_sandbox_first(client, vendor):
    if len(client.application.extensions["sandbox"].vendors) == 1:
        pytest.skip("a vendor served alone is at the root: the test below")
    base_url = client.get("/__sandbox/credentials").get_json()[vendor]["base_url"]
    spec_servers = client.application.extensions["sandbox"].vendors[vendor].document["servers"]
    servers = _servers(client, vendor)
    # a spec whose paths start below the documented base URL says so (x-sandbox-api-base)
    api_base = client.application.extensions["sandbox"].vendors[vendor].document.get(
        "x-sandbox-api-base", "")
    assert servers[0] + api_base == base_url
    real = [s["url"] for s in spec_servers if not s["url"].startswith("http://127.0.0.1")]
    assert servers[1:] == real  # the vendor's own servers stay, after the sandbox


def test_spec_servers_follow_the_port_and_host_of_the_request(client):
    servers = _servers(client, "deskchime", headers={"Host": "127.0.0.1:9123"})
    assert servers[0] == "http://127.0.0.1:9123/deskchime"
    assert "http://127.0.0.1:8080/deskchime" not in servers  # the spec's default port is gone
    # through the vendor's own host the vendor's root paths are served: no prefix
    assert _servers(client, "deskchime", headers={"Host": "deskchime.localhost:9123"})[0] == \
        "http://deskchime.localhost:9123"


@pytest.mark.parametrize("store", [s for s in test_stores() if s != "fleet"])
def test_spec_servers_keep_a_proxy_prefix_and_put_a_lone_vendor_at_the_root(store):
    app = sandbox_app(store=store, vendors=("deskie",))  # served alone: at the root too
    servers = _servers(app.test_client(), "deskie",
                       base_url="http://sandbox.example.test:8000/vendors")
    assert servers[:2] == ["http://sandbox.example.test:8000/vendors",
                           "http://sandbox.example.test:8000/vendors/deskie"]
