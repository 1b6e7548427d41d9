"""Deskwoot identity and access: who is calling (an API token `dw_…` as a bearer, or a signed-in
user's session cookie), the attrs the spec's gates read (scopes, plan, role, a custom role's
permissions, the token id the rate limit counts by), the credentials document, key rotation and
the callers the contract tests try. The gates themselves are spec data judged by the core.

Sources: vendor-docs/deskwoot-api.txt ("Authentication", "Token format", "Scopes", "API Tokens",
"Rate limits"). Choices: docs/fidelity-deskwoot.md.
"""
from __future__ import annotations

from datetime import datetime, timezone

from mockserver.core.clock import iso_z, parse_instant
from mockserver.core.errors import SandboxError
from mockserver.core.rng import HEX, token
from mockserver.core.vendor import PRINCIPAL_KINDS, Principal

from .ids import SESSION_COOKIE, TOKEN, V, digest, session_value, token_value

UNAUTHORIZED = "unauthorized"


PLAN_ORDER = ("ENTERPRISE", "BUSINESS", "STARTUP", "HACKER")


def accounts(store) -> list[dict]:
    """Every account, the highest plan first (whatever order the store keeps tenants in)."""
    found = [a for t in store.tenants(V) for a in store.all(V, t, "account")]
    return sorted(found, key=lambda a: (PLAN_ORDER.index(a["plan"]), a["name"], a["id"]))


def account(store, tenant: str) -> dict:
    return store.peek(V, tenant, "account", tenant)


def _refuse(message: str) -> SandboxError:
    return SandboxError(401, UNAUTHORIZED, message)


def authenticate(credential, runtime) -> Principal:
    """"Missing or invalid API token" is the page's 401. A token must be `dw_` + 64 hex, match
    a stored digest, and not be past its `expiresAt` on the sandbox clock; a session must be a
    signed-in user's cookie."""
    if not credential.present or credential.malformed:
        raise _refuse("Missing or invalid API token" if credential.name != "session"
                      else "Not signed in")
    store = runtime.store
    if credential.name == "session":
        return _session_principal(store, credential.value)
    value = credential.value or ""
    if not TOKEN.fullmatch(value):
        raise _refuse("Invalid API token: expected dw_ followed by 64 hex characters")
    wanted = digest(value)
    for tenant in store.tenants(V):
        found = next((t for t in store.all(V, tenant, "api_tokens")
                      if t["tokenHash"] == wanted), None)
        if found is None:
            continue
        if found["expiresAt"] and parse_instant(found["expiresAt"]) <= runtime.clock.now():
            raise _refuse("API token has expired")
        user = store.peek(V, tenant, "users", found["userId"])
        if user is None:
            raise _refuse("Invalid API token: its user is no longer a member of the account")
        touch_token(runtime, found["id"])
        return _principal(store, tenant, user, scheme="bearer", scopes=list(found["scopes"]),
                          token_id=found["id"])
    raise _refuse("Invalid API token")


def _session_principal(store, value: str | None) -> Principal:
    for tenant in store.tenants(V):
        user = next((u for u in store.all(V, tenant, "users") if u["session"] == value), None)
        if user is not None:
            return _principal(store, tenant, user, scheme="session", scopes=None)
    raise _refuse("Not signed in: the session has ended or never existed")


def _principal(store, tenant: str, user: dict, *, scheme: str, scopes, token_id=None):
    role = store.peek(V, tenant, "custom_roles", user["customRoleId"]) \
        if user.get("customRoleId") else None
    granted = sorted(k for k, v in (role or {}).get("permissions", {}).items() if v)
    attrs = {"scheme": scheme, "scopes": scopes, "plan": account(store, tenant)["plan"],
             "role": user["role"], "permissions": granted, "user_id": user["id"]}
    if token_id is not None:
        attrs["token_id"] = token_id
    return Principal(tenant, user["id"], attrs)


# -- token use: lastUsedAt lives beside the records (a refused request changes no record) ----
def _used_key(token_id: str) -> str:
    return f"{V}:token-last-used:{token_id}"


def touch_token(runtime, token_id: str) -> None:
    runtime.backend.kv_put(_used_key(token_id), iso_z(runtime.clock.now()))


def last_used(runtime, token_id: str) -> str | None:
    return runtime.backend.kv_get(_used_key(token_id))


# -- the credentials document ---------------------------------------------------------------
def live_tokens(runtime, tenant: str) -> list[dict]:
    now = runtime.clock.now()
    return [t for t in runtime.store.all(V, tenant, "api_tokens")
            if not t["expiresAt"] or parse_instant(t["expiresAt"]) > now]


def credentials_section(runtime, base_url: str) -> dict:
    """CONTRACT.md's `deskwoot` part; `base_url` is the page's base URL on this sandbox,
    `…/deskwoot/api/v1` (the spec's x-sandbox-api-base; the official client's `baseUrl` is
    the part before `/api/v1`)."""
    store, randomness = runtime.store, runtime.randomness()
    out = []
    for acc in accounts(store):
        users = {u["id"]: u for u in store.all(V, acc["id"], "users")}
        out.append({
            "id": acc["id"], "plan": acc["plan"],
            "tokens": [{"token": token_value(randomness, t["id"], t["generation"]),
                        "scopes": list(t["scopes"]),
                        "user_email": users[t["userId"]]["email"] if t["userId"] in users
                        else None} for t in live_tokens(runtime, acc["id"])],
            "users": [{"id": u["id"], "email": u["email"], "role": u["role"],
                       "session_cookie": f"{SESSION_COOKIE}={u['session']}"}
                      for u in users.values()]})
    return {"base_url": base_url, "accounts": out}


def rotate_key(runtime, ident: str) -> dict:
    """A token id: a new token value (the old one stops working at once). A user id: a new
    session cookie (the old session ends)."""
    store, randomness = runtime.store, runtime.randomness()
    for tenant in store.tenants(V):
        record = store.get(V, tenant, "api_tokens", ident)
        if record is not None:
            record["generation"] += 1
            value = token_value(randomness, ident, record["generation"])
            record["tokenHash"] = digest(value)
            store.put(V, tenant, "api_tokens", ident, record)
            return {"id": ident, "token": value}
        record = store.get(V, tenant, "users", ident)
        if record is not None:
            record["sessionGeneration"] += 1
            record["session"] = session_value(randomness, ident, record["sessionGeneration"])
            store.put(V, tenant, "users", ident, record)
            return {"id": ident, "session_cookie": f"{SESSION_COOKIE}={record['session']}"}
    raise SandboxError(404, "not_found", f"no Deskwoot API token or user {ident!r}")


# -- callers for the contract tests -----------------------------------------------------------
def _bearer(runtime, record: dict) -> dict:
    return {"Authorization": "Bearer " + token_value(runtime.randomness(), record["id"],
                                                     record["generation"])}


def _cookie(user: dict) -> dict:
    return {"Cookie": f"{SESSION_COOKIE}={user['session']}"}


def _user(store, tenant: str, role: str, *, plain: bool = True) -> dict | None:
    return next((u for u in store.all(V, tenant, "users") if u["role"] == role
                 and (not plain or not u.get("customRoleId"))), None)


def _token(runtime, tenant: str, scopes: set) -> dict | None:
    return next((t for t in live_tokens(runtime, tenant) if set(t["scopes"]) == scopes), None)


def _by_plan(store, plan: str) -> dict | None:
    return next((a for a in accounts(store) if a["plan"] == plan), None)


def sample_headers(runtime) -> dict:
    """The Enterprise administrator's session: every operation admits a session (the page's
    "or session"), so this caller reaches every view; tokens are the `session` kind's."""
    return principal_headers(runtime, "valid")


def principal_headers(runtime, kind: str) -> dict | None:
    store = runtime.store
    top = _by_plan(store, "ENTERPRISE")
    if kind == "valid":
        return _cookie(_user(store, top["id"], "ADMINISTRATOR"))
    if kind == "bad":  # a session cookie of the right shape that names no session
        rnd = runtime.randomness().stream(V, "principal", kind)
        return {"Cookie": f"{SESSION_COOKIE}=" + token(rnd, 48, HEX)}
    if kind == "session":  # the other scheme: the same administrator's broad token
        broad = _token(runtime, top["id"], {"read", "write"})
        return _bearer(runtime, broad)
    if kind == "deactivated":  # a token past its expiresAt
        now = runtime.clock.now()
        old = next((t for t in store.all(V, top["id"], "api_tokens")
                    if t["expiresAt"] and parse_instant(t["expiresAt"]) <= now), None)
        return None if old is None else _bearer(runtime, old)
    if kind == "other_tenant":
        other = _by_plan(store, "BUSINESS")
        return _cookie(_user(store, other["id"], "ADMINISTRATOR"))
    if kind == "narrow_scope":
        narrow = _token(runtime, top["id"], {"contacts:read"})
        return None if narrow is None else _bearer(runtime, narrow)
    if kind == "agent":
        agent = _user(store, top["id"], "AGENT")
        return None if agent is None else _cookie(agent)
    if kind == "lower_plan":
        low = _by_plan(store, "HACKER")
        return _cookie(_user(store, low["id"], "ADMINISTRATOR"))
    if kind == "lower_plan_scheme":
        mid = _by_plan(store, "BUSINESS")
        found = next(iter(live_tokens(runtime, mid["id"])), None)
        return None if found is None else _bearer(runtime, found)
    if kind in PRINCIPAL_KINDS:  # weak: no access the vendor's own hook judges
        return None
    raise ValueError(f"unknown principal kind {kind!r}")


def now_iso(ctx) -> str:
    return iso_z(ctx.clock.now())


def instant(value) -> datetime:
    """An ISO-8601 string, or the datetime the spec's `format: date-time` validation gave."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return parse_instant(value)
