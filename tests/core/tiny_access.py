"""A tiny vendor of the access tests' own (core.access, and the authorisation contract run
over it): bearer tokens with scopes, session cookies, plans, roles and permissions. Its tokens
and sessions are fixed tables; every answer names the operation that served it and the scheme
the caller authenticated by."""
from __future__ import annotations

import types

from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.core.clock import parse_instant
from mockserver.core.errors import SandboxError
from mockserver.core.ratelimit import HeaderStyle, RateLimitPolicy
from mockserver.core.vendor import Principal, Vendor
from mockserver.registry import VendorSource

CORE_KINDS = ("validation", "unsupported_media_type", "not_found", "method_not_allowed",
              "rate_limited", "fault", "too_large")
EITHER = [{"bearer": ["read"]}, {"session": []}]
SESSION_ONLY = [{"session": []}]


ANSWER = {"description": "an answer", "content": {"application/json": {"schema": {
    "type": "object"}}}}


def op(op_id: str, security: list, **extensions) -> dict:
    return {"operationId": op_id, "security": security, "x-sandbox-rate-bucket": "api",
            "responses": {status: ANSWER for status in ("200", "401", "403", "429")},
            **extensions}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "acl", "version": "1"},
    "servers": [{"url": "http://127.0.0.1:8080/acl"}],
    "x-sandbox-errors": {
        "envelope": {"error": "{message}", "code": "{code}"},
        "core": {**{k: {"code": k, "message": k} for k in CORE_KINDS},
                 "forbidden_scope": {"code": "scope_missing"},
                 "wrong_scheme": {"code": "session_required"},
                 "plan": {"code": "plan_too_low", "message": "upgrade to {plan}"}}},
    "x-sandbox-scopes": {"covers": {"read": ["*:read"], "write": ["*:write"]},
                         "refusal": {"status": 403, "message": "Token lacks scope: {scope}"}},
    "x-sandbox-schemes": {"wrong_scheme": {"status": 403, "message": "sessions only"}},
    "x-sandbox-plans": {"order": ["FREE", "TEAM", "PRO"], "schemes": {"bearer": "PRO"},
                        "refusal": {"status": 403}},
    "x-sandbox-roles": {"all_permissions": ["ADMIN"], "roles": ["AGENT"],
                        "permissions": ["manage_inboxes", "manage_teams"],
                        "refusal": {"status": 403, "code": "no_permission",
                                    "message": "not allowed"}},
    "components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer"},
        "session": {"type": "apiKey", "in": "cookie", "name": "sid"}}},
    "paths": {
        "/contacts": {
            "get": op("list_contacts", [{"bearer": ["contacts:read"]}, {"session": []}]),
            "post": op("create_contact", [{"bearer": ["contacts:write"]}, {"session": []}])},
        "/everything": {"get": op("list_everything", EITHER)},
        "/settings": {"get": op("get_settings", SESSION_ONLY,
                                **{"x-sandbox-access": {"role": "ADMIN"}})},
        "/inboxes": {"put": op("update_inboxes", SESSION_ONLY,
                               **{"x-sandbox-access": {"permission": "manage_inboxes"}})},
        "/teams": {"get": op("list_teams", EITHER, **{"x-sandbox-plan": "TEAM"})},
        "/reports": {"get": op("list_reports", EITHER, **{"x-sandbox-plan": "TEAM",
                                                          "x-sandbox-access": {"role": "ADMIN"}})},
        "/vault": {"get": op("open_vault", SESSION_ONLY, **{"x-sandbox-access": "owner"})},
        "/status": {"get": op("get_status", [{"bearer": []}, {}])},
    },
}

# token -> (tenant, plan, scopes, role); the token id is the token's own name
TOKENS = {"t-read": ("a1", "PRO", ["read"], "ADMIN"),
          "t-read-2": ("a1", "PRO", ["read"], "ADMIN"),
          "t-write": ("a1", "PRO", ["write"], "ADMIN"),
          "t-contacts": ("a1", "PRO", ["contacts:read"], "ADMIN"),
          "t-conversations": ("a1", "PRO", ["conversations:read"], "ADMIN"),
          "t-read-agent": ("a1", "PRO", ["read"], "AGENT"),
          "t-contacts-agent": ("a1", "PRO", ["contacts:read"], "AGENT"),
          "t-team": ("a2", "TEAM", ["contacts:read"], "ADMIN")}
# session -> (tenant, plan, role, permissions)
SESSIONS = {"s-admin": ("a1", "PRO", "ADMIN", []),
            "s-agent": ("a1", "PRO", "AGENT", []),
            "s-inboxes": ("a1", "PRO", "AGENT", ["manage_inboxes"]),
            "s-team-admin": ("a2", "TEAM", "ADMIN", []),
            "s-free-admin": ("a3", "FREE", "ADMIN", []),
            "s-free-agent": ("a3", "FREE", "AGENT", [])}


def authenticate(credential, runtime) -> Principal:
    if not credential.present or credential.malformed:
        raise SandboxError(401, "unauthenticated", "sign in or send a token")
    if credential.name == "bearer":
        if credential.value not in TOKENS:
            raise SandboxError(401, "bad_token", "unknown token")
        tenant, plan, scopes, role = TOKENS[credential.value]
        return Principal(tenant, credential.value, {
            "scheme": "bearer", "scopes": scopes, "plan": plan, "role": role,
            "permissions": [], "token_id": credential.value})
    if credential.value not in SESSIONS:
        raise SandboxError(401, "bad_session", "the session has ended")
    tenant, plan, role, permissions = SESSIONS[credential.value]
    return Principal(tenant, credential.value, {
        "scheme": "session", "scopes": None, "plan": plan, "role": role,
        "permissions": permissions})


def authorize(ctx, requirement: str) -> None:
    """The string form stays the vendor's: `owner` is the sandbox's PRO administrators."""
    assert requirement == "owner"
    if ctx.principal.attrs["plan"] != "PRO" or ctx.principal.attrs["role"] != "ADMIN":
        raise SandboxError(403, "not_owner", "owners only")


def token(name: str) -> dict:
    return {"Authorization": f"Bearer {name}"}


def view(op_id: str):
    def serve(ctx):
        return {"op": op_id, "scheme": ctx.scheme,
                "who": ctx.principal.identity if ctx.principal else None}
    return serve


OP_IDS = [o["operationId"] for item in SPEC["paths"].values() for o in item.values()]
routes = types.ModuleType("acl_routes")
for _op_id in OP_IDS:
    setattr(routes, _op_id, view(_op_id))
CALLERS = {"valid": token("t-read"), "bad": token("t-nobody"), "session": {"Cookie": "sid=s-admin"},
           "narrow_scope": token("t-contacts"), "agent": {"Cookie": "sid=s-agent"},
           "lower_plan": {"Cookie": "sid=s-free-admin"}, "lower_plan_scheme": token("t-team")}


def principal_headers(runtime, kind: str) -> dict | None:
    return CALLERS.get(kind)


module = types.ModuleType("acl")
module.VENDOR = Vendor(
    name="acl", title="Access", authenticate=authenticate, routes=routes,
    build_seed=lambda doc, rng, anchor: iter(()),
    credentials=lambda runtime, base: {"base_url": base},
    rotate_credential=lambda runtime, ident: {"id": ident}, authorize=authorize,
    sample_headers=lambda runtime: CALLERS["valid"], principal_headers=principal_headers,
    rate_limit=RateLimitPolicy(limit=3, window=60, per="principal:token_id",
                               headers=HeaderStyle(remaining="R", retry_after="RA")))


def make_app(spec: dict = SPEC, store: str = "memory://"):
    return create_app(Settings(freeze_time=parse_instant("2026-01-01T00:00:00Z"), store=store),
                      {"acl": VendorSource(module, spec, {})})
