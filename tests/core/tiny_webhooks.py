"""A tiny vendor with webhooks, of the core tests' own: subscriptions in a `hooks` collection,
notes whose creation and change are webhook events, signed in an `X-Tiny-Signature` header."""
from __future__ import annotations

import types

from mockserver.core.errors import SandboxError
from mockserver.core.vendor import Principal, Vendor
from mockserver.core.webhooks import WebhookStyle
from mockserver.registry import VendorSource

NAME = "hooky"
_ERRORS = ("validation", "unsupported_media_type", "not_found", "method_not_allowed",
           "rate_limited", "fault", "too_large")


def _obj(required, **props):
    return {"type": "object", "required": list(required), "properties": props}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "hooky", "version": "1"},
    "servers": [{"url": f"http://127.0.0.1:8080/{NAME}"}],
    "security": [{"key": []}],
    "x-sandbox-errors": {"envelope": {"error": "{code}", "message": "{message}"},
                         "core": {k: {"code": k, "message": k} for k in _ERRORS}},
    "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header",
                                               "name": "X-Key"}}},
    "paths": {
        "/hooks": {"post": {
            "operationId": "create_hook",
            "requestBody": {"required": True, "content": {"application/json": {"schema": _obj(
                ["url"], url={"type": "string"}, secret={"type": "string"},
                events={"type": ["array", "null"], "items": {"type": "string"}},
                active={"type": "boolean"})}}},
            "responses": {"201": {"description": "created"}, "default": {"description": "refused"}}}},
        "/notes": {"post": {
            "operationId": "create_note",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": _obj(["title"], title={"type": "string"})}}},
            "responses": {"201": {"description": "created"}, "default": {"description": "refused"}}}},
        "/notes/{id}": {"patch": {
            "operationId": "update_note",
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": _obj(["title"], title={"type": "string"})}}},
            "responses": {"200": {"description": "changed"}, "default": {"description": "refused"}}}},
    },
}


def create_hook(ctx):
    hook = {"id": ctx.store.next_id(NAME, ctx.tenant, "hooks"), "secret": "whsec_tiny",
            "active": True, **ctx.body}
    ctx.store.put(NAME, ctx.tenant, "hooks", hook["id"], hook)
    return hook, 201


def create_note(ctx):
    """Writes, then refuses a note titled "refuse": nothing of it may be delivered."""
    note = {"id": ctx.store.next_id(NAME, ctx.tenant, "notes"), "title": ctx.body["title"]}
    ctx.store.put(NAME, ctx.tenant, "notes", note["id"], note)
    if note["title"] == "refuse":
        raise SandboxError(409, "refused", "refused after writing")
    return note, 201


def update_note(ctx):
    note = ctx.store.get(NAME, ctx.tenant, "notes", ctx.path_params["id"])
    if note is None:
        raise SandboxError(404, "not_found", "no such note")
    note["title"] = ctx.body["title"]
    ctx.store.put(NAME, ctx.tenant, "notes", note["id"], note)
    return note


def webhook_events(event):
    """record.created/changed of a note -> note.created / note.updated (a change that changes
    nothing raises no record event at all)."""
    if event.get("collection") != "notes":
        return []
    if event["type"] == "record.created":
        return [("note.created", event["record"])]
    if event["type"] == "record.changed":
        return [("note.updated", {"note": event["record"],
                                  "previous_title": event["before"]["title"]})]
    return []


def envelope(event, data, *, webhook, delivery_id, time):
    return {"event": event, "hook_id": webhook["id"], "id": delivery_id, "at": time,
            "payload": data}


def authenticate(credential, runtime):
    if not credential.present or credential.value != "k1":
        raise SandboxError(401, "bad_key", "send X-Key: k1")
    return Principal("t1", "caller")


routes = types.ModuleType(f"{NAME}_routes")
routes.create_hook, routes.create_note, routes.update_note = create_hook, create_note, update_note
module = types.ModuleType(NAME)
module.VENDOR = Vendor(
    name=NAME, title="Hooky", authenticate=authenticate, routes=routes,
    build_seed=lambda doc, rng, anchor: [("t1", "notes", 1, {"id": 1, "title": "seeded"})],
    credentials=lambda runtime, base: {"base_url": base, "key": "k1"},
    rotate_credential=lambda runtime, ident: {"id": ident},
    sample_headers=lambda runtime: {"X-Key": "k1"},
    webhooks=WebhookStyle(signature_header="X-Tiny-Signature", events=webhook_events,
                          envelope=envelope, collection="hooks", events_fields=("events",),
                          event_header="X-Tiny-Event"))
SOURCE = {NAME: VendorSource(module, SPEC, {})}
