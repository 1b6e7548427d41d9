"""A tiny vendor of the core tests' own: one spec, one module, no real vendor involved."""
from __future__ import annotations

import types

from mockserver.core.errors import SandboxError
from mockserver.core.pagination import envelope, paginate
from mockserver.core.ratelimit import HeaderStyle, RateLimitPolicy
from mockserver.core.vendor import Principal, Vendor
from mockserver.registry import VendorSource

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "tiny", "version": "1"},
    "servers": [{"url": "http://127.0.0.1:8080/tiny"}],
    "security": [{"key": []}],
    "x-sandbox-errors": {
        "envelope": {"err": {"code": "{code}", "msg": "{message}", "status": "{status}"}},
        "core": {k: {"code": k, "message": k.replace("_", " ")} for k in (
            "validation", "unsupported_media_type", "not_found", "method_not_allowed",
            "rate_limited", "fault", "too_large")}},
    "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
    "paths": {
        "/things": {
            "get": {"operationId": "list_things", "x-sandbox-rate-bucket": "api",
                    "x-sandbox-pagination": "keyed_total",
                    "parameters": [
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 3, "default": 2}},
                        {"name": "tag", "in": "query", "style": "form", "explode": True,
                         "schema": {"type": "array", "items": {"type": "string", "enum": ["a", "b", "c"]}}},
                        {"name": "name", "in": "query", "schema": {"type": "string", "minLength": 2}}],
                    "responses": {"200": {"description": "ok"}}},
            "post": {"operationId": "create_thing", "x-sandbox-rate-bucket": "api",
                     "requestBody": {"required": True, "content": {
                         "application/json": {"schema": {"$ref": "#/components/schemas/ThingBody"}},
                         "multipart/form-data": {"schema": {"$ref": "#/components/schemas/ThingBody"}}}},
                     "responses": {"201": {"description": "created"}}},
        },
        "/public": {"get": {"operationId": "public_info", "security": [],
                            "responses": {"200": {"description": "ok"}}}},
    },
}
SPEC["components"]["schemas"] = {"ThingBody": {
    "type": "object", "required": ["thing"],
    "properties": {"thing": {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "minLength": 1}, "size": {"type": "integer"}}}}}}


def list_things(ctx):
    things = ctx.store.all("tiny", ctx.tenant, "things")
    if ctx.query.get("tag"):
        things = [t for t in things if t["tag"] in ctx.query["tag"]]
    page = paginate(things, ctx.query["page"], ctx.query["limit"])
    return envelope(ctx.operation.pagination, page, list(page.items), "thing")


def create_thing(ctx):
    """Writes first and checks after, on purpose: the unit of work must drop the write when the
    view then refuses ("refuse") or fails ("boom"). Reads see the request's own write."""
    thing = {"id": ctx.store.next_id("tiny", ctx.tenant, "things"), **ctx.body["thing"],
             "tag": "a"}
    ctx.store.put("tiny", ctx.tenant, "things", thing["id"], thing)
    ctx.store.put("tiny", ctx.tenant, "log", thing["id"], {"id": thing["id"]})
    ctx.runtime.store.emit("thing.made", "tiny", ctx.tenant, id=thing["id"])
    assert ctx.store.peek("tiny", ctx.tenant, "things", thing["id"])["name"] == thing["name"]
    if thing["name"] == "boom":
        raise ValueError("a bug in a view")
    if thing["name"] == "refuse":
        raise SandboxError(409, "refused", "refused after writing")
    return {"thing": thing}, 201


def public_info(ctx):
    return {"now": ctx.clock.now().isoformat()}


def authenticate(credential, runtime):
    if not credential.present:
        raise SandboxError(401, "no_key", "send X-Key")
    if credential.value != "k1":
        raise SandboxError(401, "bad_key", "unknown key")
    return Principal("t1", "caller")


def build_seed(doc, rng, anchor):
    rnd = rng.stream("tiny")
    for i in range(1, 6):
        yield "t1", "things", i, {"id": i, "name": f"thing {rnd.randint(0, 999)}",
                                  "tag": "abc"[i % 3]}


routes = types.ModuleType("tiny_routes")
routes.list_things, routes.create_thing, routes.public_info = list_things, create_thing, public_info
module = types.ModuleType("tiny")
module.VENDOR = Vendor(
    name="tiny", title="Tiny", authenticate=authenticate, routes=routes, build_seed=build_seed,
    credentials=lambda runtime, base: {"base_url": base, "key": "k1"},
    rotate_credential=lambda runtime, ident: {"id": ident},
    rate_limit=RateLimitPolicy(limit=5, window=60, costs={"POST": 2}, headers=HeaderStyle(
        limit="L", remaining="R", reset="Reset", reset_format="seconds", retry_after="RA")),
    query_dialect="php", sample_headers=lambda runtime: {"X-Key": "k1"})
SOURCE = {"tiny": VendorSource(module, SPEC, {})}
