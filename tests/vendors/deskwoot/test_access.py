"""Who may call what: bearer tokens (Enterprise only, scopes, expiry, revocation, lastUsedAt),
sessions (session-only operations), roles and a custom role's permissions, plan gates and the
per-token rate limit — each rule with a test that fails without it."""
from __future__ import annotations

import re

from tests.support import body

from .conftest import API, bearer, session


def test_me_with_a_token_names_the_account_and_scopes(dw, ent):
    status, me = dw("/me")
    assert status == 200
    assert me["accountId"] == ent["id"] and me["accountIds"] == [ent["id"]]
    assert me["authMethod"] == "api_token" and me["scopes"] == ["read", "write"]
    assert me["user"]["email"] == next(t["user_email"] for t in ent["tokens"]
                                       if t["scopes"] == ["read", "write"])


def test_me_with_a_session_is_the_session_form(dw, ent):
    status, me = dw("/me", headers=session(ent))
    assert status == 200
    assert me["authMethod"] == "session" and me["scopes"] == []
    assert me["user"]["email"] == next(u["email"] for u in ent["users"]
                                       if u["role"] == "ADMINISTRATOR")


def test_ids_and_tokens_have_the_documented_shapes(creds):
    for account in creds.values():
        assert re.fullmatch(r"c[a-z0-9]{24}", account["id"])
        for t in account["tokens"]:
            assert re.fullmatch(r"dw_[0-9a-f]{64}", t["token"])
        for u in account["users"]:
            assert re.fullmatch(r"c[a-z0-9]{24}", u["id"])
            assert u["session_cookie"].startswith("deskwoot_session=")
    assert {"ADMINISTRATOR", "AGENT"} <= {u["role"] for a in creds.values() for u in a["users"]}


def test_no_credential_and_a_bad_token_are_401(dw):
    assert dw("/me", headers={}) == (401, {"error": "Missing or invalid API token"})
    status, answer = dw("/me", headers={"Authorization": "Bearer dw_" + "0" * 64})
    assert status == 401 and answer["error"] == "Invalid API token"
    status, answer = dw("/me", headers={"Authorization": "Bearer not-a-token"})
    assert status == 401 and "dw_" in answer["error"]
    status, _ = dw("/me", headers={"Cookie": "deskwoot_session=nobody"})
    assert status == 401


def test_tokens_work_only_on_enterprise(dw, creds):
    """Page: "API access requires the Enterprise plan" -> 403 on every other plan."""
    for plan in ("HACKER", "STARTUP", "BUSINESS"):
        status, answer = dw("/me", headers=bearer(creds[plan], creds[plan]["tokens"][0]["scopes"]))
        assert status == 403, plan
        assert answer["error"].startswith("Feature not available on your plan")
        # the same account's users still work through their session
        assert dw("/me", headers=session(creds[plan]))[0] == 200


def test_a_narrow_scope_covers_only_its_resource(dw, ent):
    contacts_only = bearer(ent, ["contacts:read"])
    assert dw("/accounts/{acc}/contacts", headers=contacts_only)[0] == 200
    status, answer = dw("/accounts/{acc}/conversations", headers=contacts_only)
    assert status == 403 and answer["error"] == "Token lacks required scope: conversations:read"
    status, answer = dw("/accounts/{acc}/contacts", method="POST", json={"name": "X"},
                        headers=contacts_only)
    assert status == 403 and "contacts:write" in answer["error"]
    desk = bearer(ent, ["conversations:read", "conversations:write"])
    assert dw("/accounts/{acc}/conversations", headers=desk)[0] == 200
    assert dw("/accounts/{acc}/contacts", headers=desk)[0] == 403
    # `read` covers every resource's read scope, but not writes
    reader = bearer(ent, ["read"])
    assert dw("/accounts/{acc}/contacts", headers=reader)[0] == 200
    assert dw("/accounts/{acc}/conversations", headers=reader)[0] == 200
    assert dw("/accounts/{acc}/contacts", method="POST", json={"name": "X"},
              headers=reader)[0] == 403


def test_a_token_on_a_session_only_operation_is_403(dw, ent):
    status, answer = dw("/accounts/{acc}/api-tokens")
    assert status == 403
    assert answer["error"] == ("This endpoint requires a signed-in session; API tokens are "
                               "not accepted")
    assert dw("/accounts/{acc}/api-tokens", headers=session(ent))[0] == 200


def test_admin_only_refuses_an_agent(dw, ent):
    status, answer = dw("/accounts/{acc}/api-tokens", headers=session(ent, "AGENT"))
    assert status == 403
    assert answer["error"] == "You do not have permission to perform this action"


def test_a_custom_roles_permissions_grant_the_gate(dw, ent, state):
    """POST /inboxes needs settings.manage_inboxes: a plain agent is refused, the agent whose
    custom role grants it passes the gate (whatever the operation then answers), and so does
    an administrator."""
    users = {u["id"]: u for u in state("users")}
    roles = {r["id"]: r for r in state("custom_roles")}
    granted = next(u for u in users.values() if u["customRoleId"]
                   and roles[u["customRoleId"]]["permissions"].get("settings.manage_inboxes"))
    plain = next(u for u in users.values() if u["role"] == "AGENT" and not u["customRoleId"])
    new_inbox = {"name": "Gate", "channelType": "WEB"}

    def as_user(user):
        return {"Cookie": f"deskwoot_session={user['session']}"}
    assert dw("/accounts/{acc}/inboxes", method="POST", json=new_inbox,
              headers=as_user(plain))[0] == 403
    assert dw("/accounts/{acc}/inboxes", method="POST", json=new_inbox,
              headers=as_user(granted))[0] != 403
    assert dw("/accounts/{acc}/inboxes", method="POST", json=new_inbox,
              headers=session(ent))[0] != 403


def test_business_features_refuse_lower_plans(dw, creds):
    """Teams need Business or higher; API tokens management needs Enterprise."""
    for plan, allowed in (("HACKER", False), ("STARTUP", False), ("BUSINESS", True),
                          ("ENTERPRISE", True)):
        account = creds[plan]
        status, answer = dw(f"/accounts/{account['id']}/teams", headers=session(account))
        assert (status != 403) is allowed, plan
        if not allowed:
            assert answer["error"] == "Feature not available on your plan (requires BUSINESS)"
    business = creds["BUSINESS"]
    status, answer = dw(f"/accounts/{business['id']}/api-tokens", headers=session(business))
    assert status == 403 and "ENTERPRISE" in answer["error"]


def test_another_accounts_ids_are_not_reachable(dw, creds, ent):
    other = creds["BUSINESS"]
    status, answer = dw(f"/accounts/{other['id']}/contacts")
    assert status == 404 and other["id"] in answer["error"]
    _, convs = dw("/accounts/{acc}/conversations?pageSize=1")
    status, _ = dw(f"/conversations/{convs[0]['id']}", headers=session(other))
    assert status == 404


def test_sixty_requests_a_minute_per_token_on_the_clock(dw, ent, control):
    control.post("/clock", json={"frozen": True})
    reader = bearer(ent, ["read"])
    for _ in range(60):
        assert dw("/me", headers=reader)[0] == 200
    status, answer = dw("/me", headers=reader)
    assert status == 429 and "60 per minute" in answer["error"]
    # another token of the same account has its own window; sessions are not limited
    assert dw("/me")[0] == 200
    assert dw("/me", headers=session(ent))[0] == 200
    control.post("/clock", json={"advance": 60})
    assert dw("/me", headers=reader)[0] == 200


def test_the_rate_headers_count_down(client, ent):
    r = client.get(API + "/me", headers=bearer(ent, ["read"]))
    assert r.headers["X-RateLimit-Limit"] == "60"
    assert int(r.headers["X-RateLimit-Remaining"]) == 59


def test_an_expired_token_is_refused_and_left_out_of_the_credentials(dw, ent, state, control):
    expired = {t["id"] for t in state("api_tokens") if t["expiresAt"]}
    assert expired and len(ent["tokens"]) == len(state("api_tokens")) - len(expired)
    # a token that expires in a minute works, then stops when the clock passes it
    now = control.get("/clock")["now"]
    status, made = dw("/accounts/{acc}/api-tokens", method="POST", headers=session(ent),
                      json={"name": "short", "scopes": ["read"],
                            "expiresAt": _plus(now, 60)})
    assert status == 201
    short = {"Authorization": f"Bearer {made['token']}"}
    assert dw("/me", headers=short)[0] == 200
    control.post("/clock", json={"advance": 61})
    status, answer = dw("/me", headers=short)
    assert status == 401 and answer["error"] == "API token has expired"


def _plus(iso: str, seconds: int) -> str:
    from datetime import timedelta

    from mockserver.core.clock import iso_z, parse_instant
    return iso_z(parse_instant(iso) + timedelta(seconds=seconds))


def test_create_shows_the_value_once_and_revoke_stops_it_at_once(dw, ent, client):
    admin = session(ent)
    status, made = dw("/accounts/{acc}/api-tokens", method="POST", headers=admin,
                      json={"name": "CI", "scopes": ["contacts:read"]})
    assert status == 201
    assert re.fullmatch(r"dw_[0-9a-f]{64}", made["token"])
    assert made["scopes"] == ["contacts:read"] and made["lastUsedAt"] is None
    token = {"Authorization": f"Bearer {made['token']}"}
    assert dw("/accounts/{acc}/contacts?pageSize=1", headers=token)[0] == 200
    _, listed = dw("/accounts/{acc}/api-tokens", headers=admin)
    mine = next(t for t in listed if t["id"] == made["id"])
    assert "token" not in mine and all("token" not in t for t in listed)
    assert mine["lastUsedAt"] is not None
    # the value is not stored: only its digest is
    assert all(made["token"] not in str(t) for t in
               body(client.get(f"/__sandbox/state/deskwoot/{ent['id']}/api_tokens")))
    r = client.delete(f"{API}/accounts/{ent['id']}/api-tokens/{made['id']}", headers=admin)
    assert r.status_code == 204
    assert dw("/accounts/{acc}/contacts?pageSize=1", headers=token)[0] == 401
    assert dw(f"/accounts/{{acc}}/api-tokens/{made['id']}", method="DELETE",
              headers=admin)[0] == 404


def test_default_scopes_are_read_and_write_and_bad_scopes_are_400(dw, ent):
    admin = session(ent)
    status, made = dw("/accounts/{acc}/api-tokens", method="POST", headers=admin, json={})
    assert status == 201 and made["scopes"] == ["read", "write"]
    status, answer = dw("/accounts/{acc}/api-tokens", method="POST", headers=admin,
                        json={"scopes": ["everything"]})
    assert status == 400 and "scopes" in answer["error"]
    status, answer = dw("/accounts/{acc}/api-tokens", method="POST", headers=admin,
                        json={"expiresAt": "2001-01-01T00:00:00Z"})
    assert status == 400 and "expiresAt" in answer["error"]


def test_rotating_a_token_through_the_control_api(client, dw, ent):
    old = bearer(ent, ["read"])
    status, me = dw("/me", headers=old)
    token_id = next(t for t in body(client.get(
        f"/__sandbox/state/deskwoot/{ent['id']}/api_tokens")) if t["scopes"] == ["read"])["id"]
    r = client.post(f"/__sandbox/credentials/deskwoot/{token_id}/rotate")
    assert r.status_code == 200
    new = body(r)["token"]
    assert dw("/me", headers=old)[0] == 401
    assert dw("/me", headers={"Authorization": f"Bearer {new}"})[0] == 200


def test_rotating_a_users_session_ends_the_old_one(client, dw, ent):
    admin = next(u for u in ent["users"] if u["role"] == "ADMINISTRATOR")
    old = {"Cookie": admin["session_cookie"]}
    assert dw("/me", headers=old)[0] == 200
    r = client.post(f"/__sandbox/credentials/deskwoot/{admin['id']}/rotate")
    assert r.status_code == 200
    new = body(r)["session_cookie"]
    assert new != admin["session_cookie"] and new.startswith("deskwoot_session=")
    assert dw("/me", headers=old)[0] == 401
    assert dw("/me", headers={"Cookie": new})[1]["user"]["id"] == admin["id"]
    assert client.post("/__sandbox/credentials/deskwoot/cnobody0000000000000000000/rotate"
                       ).status_code == 404
