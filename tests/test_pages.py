"""The pages over HTTP (the browser's view is tests/test_pages_browser.py): the index, the docs
page and its sample credential, the inspector's shell, the packaged assets, the control token."""
from __future__ import annotations

import base64
import copy
import dataclasses
import re
import types

import pytest

from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.registry import VendorSource
from tests.conftest import sandbox_app, test_vendors
from tests.core import tiny

PAGES = ["/", "/__sandbox/ui"] + [f"/__sandbox/docs/{v}" for v in test_vendors()]


def _links(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def _secrets(node, key=""):
    """Every key, token and cookie value in the credentials document."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _secrets(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from _secrets(value, key)
    elif isinstance(node, str) and re.search(r"key|token|cookie", key, re.I):
        yield node


def test_index_lists_every_vendor_with_its_base_url_spec_and_docs(client, runtime):
    html = client.get("/").get_data(as_text=True)
    credentials = client.get("/__sandbox/credentials").get_json()
    for name in runtime.vendors:
        row = re.search(rf'<tr data-vendor="{name}">(.*?)</tr>', html, re.S).group(1)
        assert f'<code class="base-url">{credentials[name]["base_url"]}</code>' in row
        assert f'href="/__sandbox/docs/{name}"' in row
        assert f'href="/__sandbox/specs/{name}"' in row
        assert f'href="/__sandbox/specs/{name}?format=yaml"' in row
    assert 'href="/__sandbox/ui"' in html
    for route in ("/__sandbox/reset", "/__sandbox/clock", "/__sandbox/requests",
                  "/__sandbox/state/{vendor}/{tenant}/{collection}"):
        assert f"<code>{route}</code>" in html


def test_every_link_of_every_page_is_served_here(client):
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200 and response.mimetype == "text/html", page
        for link in _links(response.get_data(as_text=True)):
            if link.startswith("data:"):
                continue
            assert link.startswith("/"), (page, link)  # nothing from another host
            assert client.get(link).status_code == 200, (page, link)


def test_docs_page_of_an_unknown_vendor_is_a_404(client):
    for path in ("/__sandbox/docs/nobody", "/__sandbox/docs/nobody/credential"):
        r = client.get(path)
        assert r.status_code == 404 and r.get_json()["error"] == "unknown_vendor", path


def test_docs_page_names_this_sandbox_as_the_server(client):
    credentials = client.get("/__sandbox/credentials", base_url="http://sandbox.test:9000")
    for name, section in credentials.get_json().items():
        html = client.get(f"/__sandbox/docs/{name}", base_url="http://sandbox.test:9000")
        # the docs page serves the spec's paths; a spec written below the documented base URL
        # says how far (x-sandbox-api-base)
        api_base = client.application.extensions["sandbox"].vendors[name].document.get(
            "x-sandbox-api-base", "")
        server = section["base_url"][:len(section["base_url"]) - len(api_base)]
        assert section["base_url"] == server + api_base
        assert f'data-base-url="{server}"' in html.get_data(as_text=True)
        assert section["base_url"].startswith("http://sandbox.test:9000/")


@pytest.mark.parametrize("vendor", test_vendors())
def test_docs_credential_is_the_sample_caller_read_onto_the_spec_schemes(client, runtime, vendor):
    answer = client.get(f"/__sandbox/docs/{vendor}/credential").get_json()
    headers = runtime.vendors[vendor].vendor.sample_headers(runtime)
    assert answer["headers"] == headers and answer["schemes"]
    for name, given in answer["schemes"].items():
        scheme = runtime.vendors[vendor].schemes[name]
        if given["type"] == "basic":
            raw = f'{given["username"]}:{given["password"]}'.encode()
            assert headers["Authorization"] == "Basic " + base64.b64encode(raw).decode()
        elif given["type"] == "bearer":
            assert headers["Authorization"] == f'Bearer {given["value"]}'
        elif scheme.get("in") == "cookie":
            assert f'{scheme["name"]}={given["value"]}' in headers["Cookie"]
        else:
            assert headers[scheme["name"]] == given["value"]


def test_docs_credential_follows_a_rotated_key(client):
    if "deskchime" not in test_vendors():
        pytest.skip("needs deskchime")
    new = client.post("/__sandbox/credentials/deskchime/1/rotate").get_json()
    answer = client.get("/__sandbox/docs/deskchime/credential").get_json()
    assert answer["schemes"]["apiKey"]["value"] in new.values()


def test_pages_are_served_without_the_token_and_hold_no_secret():
    app = sandbox_app(control_token="s3cret")
    client = app.test_client()
    token = {"Authorization": "Bearer s3cret"}
    credentials = client.get("/__sandbox/credentials", headers=token).get_json()
    secrets = set(_secrets(credentials))
    assert secrets
    for page in PAGES:
        html = client.get(page).get_data(as_text=True)
        assert not [s for s in secrets if s in html], page
        for link in _links(html):
            if link.startswith(("/__sandbox/assets/", "/__sandbox/swagger-ui/")):
                assert client.get(link).status_code == 200, (page, link)
    vendor = test_vendors()[0]
    assert client.get(f"/__sandbox/docs/{vendor}/credential").status_code == 401
    assert client.get(f"/__sandbox/docs/{vendor}/credential", headers=token).status_code == 200


def test_index_with_one_vendor_leaves_the_vendor_routes_alone():
    vendor = test_vendors()[0]
    app = sandbox_app(vendors=(vendor,))
    client = app.test_client()
    assert f'<tr data-vendor="{vendor}">' in client.get("/").get_data(as_text=True)
    headers = app.extensions["sandbox"].vendors[vendor].vendor.sample_headers(
        app.extensions["sandbox"])
    op = next(op for op in app.extensions["sandbox"].vendors[vendor].operations
              if op.method == "GET" and "{" not in op.path)
    prefix = client.get(f"/{vendor}{op.path}", headers=headers)
    root = client.get(op.path, headers=headers)
    assert root.status_code == prefix.status_code and root.status_code != 404
    missing = client.get("/no-such-page", headers=headers)
    assert missing.status_code == 404 and missing.mimetype == "application/json"


def test_a_root_vendor_operation_at_slash_wins_over_the_index():
    spec = copy.deepcopy(tiny.SPEC)
    spec["paths"]["/"] = {"get": {"operationId": "root_info", "security": [],
                                  "responses": {"200": {"description": "ok"}}}}
    routes = types.ModuleType("tiny_root_routes")
    routes.list_things, routes.create_thing = tiny.list_things, tiny.create_thing
    routes.public_info, routes.root_info = tiny.public_info, lambda ctx: {"root": True}
    module = types.ModuleType("tiny_root")
    module.VENDOR = dataclasses.replace(tiny.module.VENDOR, routes=routes)
    app = create_app(Settings(vendors=("tiny",)), {"tiny": VendorSource(module, spec, {})})
    assert app.test_client().get("/").get_json() == {"root": True}
    assert app.test_client().get("/tiny/").get_json() == {"root": True}
    plain = create_app(Settings(vendors=("tiny",)), tiny.SOURCE)
    assert plain.test_client().get("/").mimetype == "text/html"
