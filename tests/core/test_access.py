"""Access compiled from the spec (core.access) and rate windows per principal (core.ratelimit),
on the tiny access vendor (tests/core/tiny_access.py): bearer tokens with scopes, session
cookies, plans, roles and permissions."""
from __future__ import annotations

import copy
import types

import pytest

from mockserver.core.ratelimit import RateLimitPolicy
from mockserver.core.vendor import Principal, Vendor
from mockserver.registry import RegistryError, VendorSource, load_vendor
from tests.redis_server import redis_store_url

from .tiny_access import SPEC, make_app, module, token


@pytest.fixture
def client():
    return make_app().test_client(use_cookies=False)  # the Cookie header as each call gives it


def call(client, method: str, path: str, *, bearer: str | None = None,
         session: str | None = None, headers: dict | None = None):
    headers = dict(headers or {})
    if bearer is not None:
        headers.update(token(bearer))
    if session is not None:
        headers["Cookie"] = f"sid={session}"
    return client.open(f"/acl{path}", method=method, headers=headers)


def refused(response, status: int, code: str, message: str) -> bool:
    return response.status_code == status and response.get_json() == {"error": message,
                                                                      "code": code}


# -- alternatives ------------------------------------------------------------------------------
def test_list_contacts_accepts_a_token_or_a_session(client):
    r = call(client, "GET", "/contacts", bearer="t-contacts")
    assert r.status_code == 200 and r.get_json() == {"op": "list_contacts", "scheme": "bearer",
                                                     "who": "t-contacts"}
    r = call(client, "GET", "/contacts", session="s-agent")
    assert r.status_code == 200 and r.get_json()["scheme"] == "session"


def test_list_contacts_without_credentials_is_the_vendors_missing_401(client):
    assert refused(call(client, "GET", "/contacts"), 401, "unauthenticated",
                   "sign in or send a token")
    assert refused(call(client, "GET", "/settings"), 401, "unauthenticated",
                   "sign in or send a token")


def test_list_contacts_tries_the_first_alternative_whose_credential_is_present(client):
    # a bad token beside a good session: the token (first alternative) is the one judged
    assert refused(call(client, "GET", "/contacts", bearer="t-nobody", session="s-admin"),
                   401, "bad_token", "unknown token")
    # an Authorization header that is no bearer token does not hide the session
    r = call(client, "GET", "/contacts", session="s-admin",
             headers={"Authorization": "Basic dTpw"})
    assert r.status_code == 200 and r.get_json()["scheme"] == "session"
    assert refused(call(client, "GET", "/contacts", session="s-gone"), 401, "bad_session",
                   "the session has ended")


def test_get_settings_refuses_a_token_as_the_wrong_scheme(client):
    assert refused(call(client, "GET", "/settings", bearer="t-read"), 403, "session_required",
                   "sessions only")
    # before the credential is judged: an unknown token is the wrong scheme too
    assert refused(call(client, "GET", "/settings", bearer="t-nobody"), 403,
                   "session_required", "sessions only")
    # what is not a bearer token is no credential at all
    assert call(client, "GET", "/settings",
                headers={"Authorization": "Basic dTpw"}).status_code == 401
    assert call(client, "GET", "/settings", bearer="t-read",
                session="s-admin").get_json()["scheme"] == "session"


def test_get_status_admits_anyone_and_still_judges_a_token(client):
    assert call(client, "GET", "/status").get_json() == {"op": "get_status", "scheme": None,
                                                         "who": None}
    assert call(client, "GET", "/status", bearer="t-read").get_json()["who"] == "t-read"
    assert call(client, "GET", "/status", bearer="t-nobody").status_code == 401


# -- scopes --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("method", "path", "held", "lacking"), [
    ("GET", "/contacts", "t-read", None),               # read covers *:read
    ("GET", "/contacts", "t-contacts", None),           # a scope covers itself
    ("GET", "/contacts", "t-conversations", "contacts:read"),
    ("GET", "/contacts", "t-write", "contacts:read"),   # write covers *:write only
    ("POST", "/contacts", "t-write", None),
    ("POST", "/contacts", "t-read", "contacts:write"),
    ("GET", "/everything", "t-contacts", "read"),       # a narrow scope never covers a broad one
    ("GET", "/everything", "t-read", None),
])
def test_list_contacts_scopes_cover_by_glob(client, method, path, held, lacking):
    r = call(client, method, path, bearer=held)
    if lacking is None:
        assert r.status_code == 200, r.get_json()
    else:
        assert refused(r, 403, "scope_missing", f"Token lacks scope: {lacking}")


def test_list_everything_a_session_is_not_limited_by_scope(client):
    assert call(client, "GET", "/everything", session="s-agent").status_code == 200


# -- plans ---------------------------------------------------------------------------------------
def test_list_contacts_a_token_needs_the_schemes_plan(client):
    assert refused(call(client, "GET", "/contacts", bearer="t-team"), 403, "plan_too_low",
                   "upgrade to PRO")
    assert call(client, "GET", "/contacts", session="s-team-admin").status_code == 200


@pytest.mark.parametrize(("session", "allowed"), [
    ("s-free-admin", False), ("s-team-admin", True), ("s-admin", True)])
def test_list_teams_needs_that_plan_or_a_higher_one(client, session, allowed):
    r = call(client, "GET", "/teams", session=session)
    if allowed:
        assert r.status_code == 200
    else:
        assert refused(r, 403, "plan_too_low", "upgrade to TEAM")


# -- roles and permissions -------------------------------------------------------------------------
@pytest.mark.parametrize(("session", "allowed"), [
    ("s-admin", True), ("s-agent", False),
    ("s-inboxes", False)])  # a custom role's permissions never grant a role
def test_get_settings_only_the_role(client, session, allowed):
    r = call(client, "GET", "/settings", session=session)
    if allowed:
        assert r.status_code == 200
    else:
        assert refused(r, 403, "no_permission", "not allowed")


@pytest.mark.parametrize(("session", "allowed"), [
    ("s-admin", True),      # a role holding every permission
    ("s-inboxes", True),    # a custom role granting it
    ("s-agent", False)])
def test_update_inboxes_needs_the_permission(client, session, allowed):
    r = call(client, "PUT", "/inboxes", session=session)
    if allowed:
        assert r.status_code == 200
    else:
        assert refused(r, 403, "no_permission", "not allowed")


def test_open_vault_a_named_requirement_is_the_vendors_hook(client):
    assert call(client, "GET", "/vault", session="s-admin").status_code == 200
    r = call(client, "GET", "/vault", session="s-agent")
    assert r.status_code == 403 and r.get_json() == {"error": "owners only", "code": "not_owner"}


# -- the refusal order -------------------------------------------------------------------------
@pytest.mark.parametrize(("bearer", "session", "code", "message"), [
    # a token on the wrong plan with too narrow a scope: the scheme's plan first
    ("t-team", None, "plan_too_low", "upgrade to PRO"),
    # scope before role
    ("t-contacts-agent", None, "scope_missing", "Token lacks scope: read"),
    ("t-read-agent", None, "no_permission", "not allowed"),
    # role before the operation's plan
    (None, "s-free-agent", "no_permission", "not allowed"),
    (None, "s-free-admin", "plan_too_low", "upgrade to TEAM"),
])
def test_list_reports_refusals_come_in_the_documented_order(client, bearer, session, code,
                                                            message):
    assert refused(call(client, "GET", "/reports", bearer=bearer, session=session), 403, code,
                   message)


def test_list_contacts_access_is_refused_before_the_rate_limit(client):
    for remaining in ("2", "1", "0"):
        assert call(client, "GET", "/contacts", bearer="t-read").headers["R"] == remaining
    assert call(client, "GET", "/contacts", bearer="t-read").status_code == 429
    # a refused request is answered for what it is, and is not counted
    assert call(client, "GET", "/settings", bearer="t-read").status_code == 403
    r = call(client, "GET", "/contacts", bearer="t-contacts")
    assert r.status_code == 200 and r.headers["R"] == "2"
    assert call(client, "GET", "/everything", bearer="t-contacts").status_code == 403
    assert call(client, "GET", "/contacts", bearer="t-contacts").headers["R"] == "1"


# -- rate windows per principal ------------------------------------------------------------------
@pytest.fixture(params=["memory", "redis"])
def backed_client(request):
    return make_app(store=redis_store_url() if request.param == "redis" else "memory://") \
        .test_client(use_cookies=False)


def test_list_contacts_rate_window_per_token(backed_client):
    client = backed_client
    for _ in range(3):
        assert call(client, "GET", "/contacts", bearer="t-read").status_code == 200
    r = call(client, "GET", "/contacts", bearer="t-read")
    assert r.status_code == 429 and r.headers["RA"] == "60"
    assert r.get_json() == {"error": "rate_limited", "code": "rate_limited"}
    # another token of the same tenant has a window of its own
    r = call(client, "GET", "/contacts", bearer="t-read-2")
    assert r.status_code == 200 and r.headers["R"] == "2"
    # a session has no token id: not limited, and told nothing about limits
    for _ in range(5):
        r = call(client, "GET", "/contacts", session="s-admin")
        assert r.status_code == 200 and "R" not in r.headers
    client.post("/__sandbox/clock", json={"advance": 59})
    assert call(client, "GET", "/contacts", bearer="t-read").status_code == 429
    client.post("/__sandbox/clock", json={"advance": 1})
    r = call(client, "GET", "/contacts", bearer="t-read")
    assert r.status_code == 200 and r.headers["R"] == "2"


def test_rate_limit_policy_per_is_tenant_or_a_principal_attr():
    policy = RateLimitPolicy(limit=1)
    principal = Principal("t1", "u1", {"token_id": "k9"})
    assert policy.subject(principal) == "t1"
    by_token = RateLimitPolicy(limit=1, per="principal:token_id")
    assert by_token.subject(principal) == "t1/token_id=k9"
    assert by_token.subject(Principal("t1", "u1")) is None
    for wrong in ("principal", "principal:", "token", "tenant:x"):
        with pytest.raises(ValueError, match="per"):
            RateLimitPolicy(limit=1, per=wrong)


# -- load-time validation --------------------------------------------------------------------------
def mutate(path: str, value):
    """A copy of SPEC with the value at a dotted path set (None deletes it)."""
    spec = copy.deepcopy(SPEC)
    *parents, last = path.split("|")
    node = spec
    for key in parents:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return spec


@pytest.mark.parametrize(("path", "value", "named"), [
    ("paths|/teams|get|x-sandbox-plan", "TEEM", "'TEEM'"),
    ("x-sandbox-plans|schemes", {"bearer": "PLATINUM"}, "'PLATINUM'"),
    ("x-sandbox-plans|schemes", {"tokn": "PRO"}, "'tokn'"),
    ("x-sandbox-plans|order", ["FREE", "PRO", "FREE"], "x-sandbox-plans.order"),
    ("paths|/settings|get|x-sandbox-access", {"role": "ADMN"}, "'ADMN'"),
    ("paths|/settings|get|x-sandbox-access", {"rol": "ADMIN"}, "'rol'"),
    ("paths|/settings|get|x-sandbox-access", {"role": "ADMIN", "permission": "manage_teams"},
     "get_settings"),
    ("paths|/inboxes|put|x-sandbox-access", {"permission": "manage_inbox"}, "'manage_inbox'"),
    ("paths|/contacts|get|security", [{"beerer": []}], "'beerer'"),
    ("paths|/contacts|get|security", [{"bearer": [], "session": []}], "one scheme"),
    ("paths|/status|get|security", [], "x-sandbox-access and x-sandbox-plan need"),
    ("x-sandbox-scopes", None, "x-sandbox-scopes.refusal"),
    ("x-sandbox-scopes|refusal", {"message": "no status"}, "x-sandbox-scopes.refusal.status"),
    ("x-sandbox-roles|all_permission", ["ADMIN"], "'all_permission'"),
    ("x-sandbox-roles|refusal", {"status": 403, "message": "no code anywhere"},
     "x-sandbox-errors.core.role"),
    ("x-sandbox-plans", None, "x-sandbox-plans"),
    ("x-sandbox-roles", None, "x-sandbox-roles"),
])
def test_registry_refuses_access_data_that_does_not_compile(path, value, named):
    spec = mutate(path, value)
    if path.startswith("paths|/status"):  # an access rule on an operation anyone may call
        spec["paths"]["/status"]["get"]["x-sandbox-plan"] = "TEAM"
    with pytest.raises(RegistryError, match=named.replace(".", r"\.").replace("[", r"\[")):
        load_vendor("acl", VendorSource(module, spec, {}))


def test_registry_refuses_a_named_requirement_without_the_vendors_hook():
    bare = types.ModuleType("bare")
    bare.VENDOR = Vendor(**{**module.VENDOR.__dict__, "authorize": None})
    with pytest.raises(RegistryError, match="open_vault"):
        load_vendor("acl", VendorSource(bare, SPEC, {}))


# -- the generated authorisation contract (tests/contract/test_authorization.py) over it -------
def contract_outcomes() -> list:
    from tests.contract.test_authorization import SPEC_KINDS, Prober
    from tests.support import SpecCheckedClient
    app = make_app()
    app.test_client_class = SpecCheckedClient
    prober = Prober(app, app.test_client(), app.extensions["sandbox"], "acl")
    return [o for kind in ("none", "bad", *SPEC_KINDS) for o in prober.probes(kind)]


SESSION_ONLY_OPS = {"get_settings", "update_inboxes", "open_vault"}
BEARER_OPS = {"list_contacts", "create_contact", "list_everything", "list_teams", "list_reports",
              "get_status"}


def test_authorization_contract_tries_every_refusal_the_spec_names():
    outcomes = contract_outcomes()
    assert [o.describe() for o in outcomes if o.bypass or o.problem] == []
    probed: dict[str, set] = {}
    for o in outcomes:
        probed.setdefault(o.kind, set()).add(o.op_id)
    assert probed == {
        "none": SESSION_ONLY_OPS | BEARER_OPS - {"get_status"},
        "bad": SESSION_ONLY_OPS | BEARER_OPS,   # wrong scheme on the session-only ones
        "valid": SESSION_ONLY_OPS | {"create_contact"},
        "narrow_scope": SESSION_ONLY_OPS | {"create_contact", "list_everything", "list_teams",
                                            "list_reports"},
        "agent": {"get_settings", "update_inboxes", "list_reports"},
        "lower_plan": {"list_teams", "list_reports"},
        "lower_plan_scheme": SESSION_ONLY_OPS | BEARER_OPS,
    }


@pytest.mark.parametrize(("broken", "replacement", "kinds"), [
    ("check", lambda self, scheme, principal: None,
     {"valid", "narrow_scope", "agent", "lower_plan", "lower_plan_scheme"}),
    # only the first alternative read (as before alternatives): a token on a session-only
    # operation is judged as a missing session, a session where a token may come first as a
    # missing token: 401s where the spec names another refusal
    ("authenticate", lambda self, read, judge: (self.alternatives[0].scheme,
                                                judge(read(self.alternatives[0].scheme))),
     {"bad", "valid", "narrow_scope", "agent", "lower_plan", "lower_plan_scheme"}),
])
def test_authorization_contract_finds_a_core_that_does_not_refuse_as_the_spec_says(
        monkeypatch, broken, replacement, kinds):
    from mockserver.core.access import OperationAccess
    monkeypatch.setattr(OperationAccess, broken, replacement)
    found = {o.kind for o in contract_outcomes() if o.bypass or o.problem}
    assert found == kinds
