"""core.unserved and the registry: an operation marked `x-sandbox-unserved: true` is bound to a
501 in the vendor's envelope, naming it; a marked operation that has a view stops start-up.
core.routing.ExceptConverter: a string path parameter excluding a static sibling's word."""
from __future__ import annotations

import copy

import pytest

from mockserver.registry import RegistryError
from tests.core import tiny_access

ANSWER = tiny_access.ANSWER


def _spec(**paths):
    spec = copy.deepcopy(tiny_access.SPEC)
    spec["paths"].update(paths)
    return spec


def _op(op_id, **extra):
    return {"operationId": op_id, "security": [{"session": []}],
            "responses": {"200": ANSWER, "501": ANSWER}, **extra}


def test_an_unserved_operation_answers_501_in_the_envelope():
    spec = _spec(**{"/later": {"get": _op("list_later", **{"x-sandbox-unserved": True})}})
    spec["x-sandbox-errors"]["core"]["unserved"] = {"code": "not_yet",
                                                    "message": "{operation} comes later"}
    client = tiny_access.make_app(spec).test_client(use_cookies=False)
    r = client.get("/acl/later", headers={"Cookie": "sid=s-admin"})
    assert r.status_code == 501
    assert r.get_json() == {"error": "list_later comes later", "code": "not_yet"}
    # access is still judged first: no credential is the vendor's 401, not a 501
    assert client.get("/acl/later").status_code == 401


def test_the_default_wording_names_the_operation():
    spec = _spec(**{"/later": {"get": _op("list_later", **{"x-sandbox-unserved": True})}})
    r = tiny_access.make_app(spec).test_client(use_cookies=False).get("/acl/later",
                                                      headers={"Cookie": "sid=s-admin"})
    assert r.status_code == 501
    assert r.get_json()["error"] == "not served by the sandbox yet: list_later"


def test_an_operation_without_a_view_and_without_the_mark_still_stops_start_up():
    spec = _spec(**{"/later": {"get": _op("list_later")}})
    with pytest.raises(RegistryError, match="list_later"):
        tiny_access.make_app(spec)


def test_a_marked_operation_that_has_a_view_stops_start_up():
    spec = copy.deepcopy(tiny_access.SPEC)
    spec["paths"]["/everything"]["get"]["x-sandbox-unserved"] = True
    with pytest.raises(RegistryError, match="remove the mark.*list_everything"):
        tiny_access.make_app(spec)


def test_a_path_parameter_can_leave_a_word_to_its_static_sibling(monkeypatch):
    """`/items/{itemId}` with `not: {enum: [merge]}` does not claim /items/merge: the router
    answers that path with the methods of /items/merge alone."""
    item = {"parameters": [{"name": "itemId", "in": "path", "required": True,
                            "schema": {"type": "string", "not": {"enum": ["merge"]}}}],
            "get": _op("get_item"), "delete": _op("delete_item")}
    spec = _spec(**{"/items/{itemId}": item, "/items/merge": {"post": _op("merge_items")}})
    for name in ("get_item", "delete_item", "merge_items"):
        monkeypatch.setattr(tiny_access.routes, name, tiny_access.view(name), raising=False)
    client = tiny_access.make_app(spec).test_client(use_cookies=False)
    session = {"Cookie": "sid=s-admin"}
    assert client.get("/acl/items/abc", headers=session).get_json()["op"] == "get_item"
    assert client.post("/acl/items/merge", headers=session).get_json()["op"] == "merge_items"
    refused = client.get("/acl/items/merge", headers=session)
    assert refused.status_code == 405
    assert set(refused.headers["Allow"].replace(" ", "").split(",")) == {"POST", "OPTIONS"}
    # only the whole segment is excluded
    assert client.get("/acl/items/merger", headers=session).get_json()["op"] == "get_item"
