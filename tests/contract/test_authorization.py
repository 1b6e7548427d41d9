"""Contract: no caller who should be refused gets through. Generated from the specs.

Every operation of every registered vendor that has a security requirement is tried with the
callers a vendor's `principal_headers(runtime, kind)` hook gives (core.vendor.PRINCIPAL_KINDS),
so a new vendor inherits the test unedited; a kind the vendor answers None for has no probes.
The requests are built as the refusal test builds them (tests/contract/requests_from_spec.py):
the path with real ids of the "valid" caller's tenant, its required query, a body from its
schema. Expected, each in the vendor's error envelope and as its spec documents:

- none (no credentials) and bad (credentials of the right shape that match nobody): 401;
- deactivated: 401 or 403;
- other_tenant: the valid tenant's ids in the path (ones the other tenant has no record under)
  with the other tenant's credentials, and a body built from the other tenant's records: 403 or
  404 when the path names a record. Without path ids the answer may succeed, but must not hold
  an id of a record of the valid tenant in the collection the path names (`/api/cases.json`:
  cases; `/api/v1/users/activity`: users; where no collection matches, a note is printed). A
  body built from the valid tenant's records is tried too, and must not leak either;
- weak: exactly 403, and no state change, on every operation the weak caller is too weak for.
  Where the spec has an access table for the vendor's hook (`x-sandbox-access: NAME` on some
  operation), those are the operations it marks; where the spec has access data the core
  compiles (tests/contract/access_from_spec.py), the weak caller is judged as the kinds below;
  where it has neither, the vendor's restrictions are what its operations document: each
  operation answering 403 is tried with its record-naming query parameters filled with real ids
  (Chime's `queueId`);
- valid, session, narrow_scope, agent, lower_plan, lower_plan_scheme (core.vendor's kinds of
  spec-compiled access): every operation whose spec data refuses the caller (a scheme it does
  not accept, the scheme's plan gate, a scope the caller's do not cover, a role or permission,
  the operation's plan: access_from_spec.expected, in the documented order) is tried with the
  caller's own tenant's ids, and must answer exactly that refusal, body and all, changing
  nothing. For none, bad and deactivated, an operation that does not accept the scheme of the
  credentials sent must answer the spec's wrong-scheme refusal instead of the 401.

A 2xx to any of these is a bypass: each is printed (operation, kind, status) and the count
across all probes must be zero. A refusal that is not the expected one, breaks the spec or the
envelope, or (for write operations and weak probes) changes the store is a finding too.

The default run makes one seeded choice of ids per operation; the `slow` sweep
(MOCKSERVER_SLOW=1) makes SWEEP_PICKS of them and sends the other-tenant bodies to every
operation.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

import pytest

from mockserver.core.errors import SandboxError, render
from mockserver.core.spec import operations
from mockserver.core.vendor import PRINCIPAL_KINDS
from tests.conftest import test_vendors

from .access_from_spec import carried, expected, has_access_data, matched_scheme, wrong_scheme
from .requests_from_spec import (
    Builder, OperationRequests, State, credentials, describe_changes, document, find_operation,
    id_field_names, read_credential_of, resolve, with_value)

KINDS = ("none", "bad", "deactivated", "other_tenant", "weak", "valid", "session",
         "narrow_scope", "agent", "lower_plan", "lower_plan_scheme")
SPEC_KINDS = ("valid", "session", "narrow_scope", "agent", "lower_plan", "lower_plan_scheme")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
SWEEP_PICKS = 4          # the slow sweep: seeded choices of ids per operation
SLOW = os.environ.get("MOCKSERVER_SLOW") == "1"
slow = pytest.mark.slow
only_when_slow = pytest.mark.skipif(not SLOW, reason="the full sweep runs with MOCKSERVER_SLOW=1")
assert set(KINDS) - {"none"} <= set(PRINCIPAL_KINDS)


def _secured() -> dict[str, list[str]]:
    return {vendor: [op.operation_id for op in operations(document(vendor))
                     if op.security and not op.unserved]
            for vendor in test_vendors()}


SECURED = _secured()
SLICES = [(vendor, kind) for vendor in SECURED for kind in KINDS]
_SLICE_IDS = [f"{vendor}-{kind}" for vendor, kind in SLICES]


# -- one probe and what came of it ---------------------------------------------------------------
@dataclass
class Outcome:
    vendor: str
    op_id: str
    kind: str
    label: str
    method: str
    path: str
    status: int
    answer: str = ""
    bypass: str | None = None       # why this answer is a success it should not have been
    problem: str | None = None      # a refusal, but not the contract's

    def describe(self) -> str:
        return (f"{self.vendor}.{self.op_id} [{self.kind}: {self.label}] {self.method} "
                f"{self.path} -> {self.status} {self.answer[:200]}\n      "
                f"{self.bypass or self.problem}")


def in_envelope(template: Any, body: Any, status: int) -> bool:
    """The body has the shape of the vendor's error envelope: every key of the template, its
    constants as they are, "{status}" as the status, "{code}"/"{message}" as non-empty text."""
    if isinstance(template, dict):
        return isinstance(body, dict) and all(
            key in body and in_envelope(value, body[key], status)
            for key, value in template.items())
    if isinstance(template, list):
        return isinstance(body, list) and len(body) == len(template) and all(
            in_envelope(t, b, status) for t, b in zip(template, body))
    if template == "{status}":
        return body == status
    if isinstance(template, str) and ("{code}" in template or "{message}" in template):
        return isinstance(body, str) and body != ""
    return body == template


# -- what a vendor's ids look like in an answer ----------------------------------------------------
def collection_of_path(store, vendor: str, tenant: str, path: str) -> str | None:
    """The collection a path names: its last literal segment that matches one (singular or
    plural, without an extension), walking back: `/api/users/identification.json` -> users."""
    collections = store.collections(vendor, tenant)
    literals = [s.split(".")[0] for s in path.split("/") if s and "{" not in s]
    for segment in reversed(literals):
        for collection in collections:
            if collection.rstrip("s") == segment.rstrip("s").replace("-", "_"):
                return collection
    return None


def collection_of_name(store, vendor: str, tenant: str, name: str) -> str | None:
    """The collection a parameter named like `queueId`, `SessionID` or `queue_id` refers to."""
    stem = re.sub(r"(_id|Id|ID)$", "", name).lower()
    if not stem or stem == name.lower():
        return None
    return next((c for c in store.collections(vendor, tenant) if c.rstrip("s") == stem), None)


class IdBuilder(Builder):
    """The refusal test's Builder, which besides reads `SessionID`, `queueId` as ids of the
    collection they name (the refusal test, which keeps its seeded choices, does not)."""

    def collection_named(self, name: str, path: str = ""):
        found = super().collection_named(name, path)
        if found is not None or self.tenant is None:
            return found
        collection = collection_of_name(self.store, self.vendor, self.tenant, name)
        return None if collection is None else (collection,
                                                self.id_fields.get(collection, "id"))


def ids_in(answer: Any, collection: str, id_field: str) -> set[str]:
    """Values under keys naming the collection's ids (`id`, `case_id`, `userId`, ...)."""
    names = {"id", id_field.lower().replace("_", ""), collection.rstrip("s").lower() + "id"}
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if str(key).lower().replace("_", "") in names and isinstance(value, (str, int)) \
                        and not isinstance(value, bool):
                    found.add(str(value))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(answer)
    return found


# -- the probes of one vendor and kind --------------------------------------------------------------
class Prober:
    """Sends the probes of one vendor with the spec-checked client, from the seeded state."""

    def __init__(self, app, client, runtime, vendor: str):
        self.app, self.client, self.runtime, self.vendor = app, client, runtime, vendor
        self.vr = runtime.vendors[vendor]
        self.store = runtime.store
        self.template = self.vr.vendor.error_template
        self.state = State(runtime, vendor)
        self.has_table = any(op.access.hook for op in self.vr.operations)
        self.compiled = has_access_data(self.vr.document)  # access the core judges by the spec
        self.notes: list[str] = []
        self.controls: list[Outcome] = []   # the valid caller on the same GET requests

    # callers ---------------------------------------------------------------------------------
    def headers(self, kind: str) -> dict | None:
        if kind == "none":
            return {}
        if kind == "valid":
            return credentials(self.runtime, self.vendor)
        hook = self.vr.vendor.principal_headers
        assert hook is not None, (f"{self.vendor} gives no principal_headers(runtime, kind): "
                                  "the authorisation test cannot make its callers")
        return hook(self.runtime, kind)

    def tenant(self, op, headers: dict) -> str:
        return self.vr.vendor.authenticate(read_credential_of(self.app, self.vr, op, headers),
                                           self.runtime).tenant

    # sending -----------------------------------------------------------------------------------
    def send(self, op, kind: str, label: str, url: str, headers: dict, body: Any, *,
             check_state: bool) -> tuple[Outcome, Any]:
        runtime = self.runtime
        runtime.limiter.reset()  # rate limits are not what this test is about
        before = self.state.take() if check_state else None
        kwargs: dict[str, Any] = {"method": op.method, "headers": headers}
        if body is not None:
            kwargs["json"] = body
        outcome = Outcome(self.vendor, op.operation_id, kind, label, op.method, url, 0)
        parsed = None
        try:
            response = self.client.open(url, **kwargs)
            outcome.status, outcome.answer = response.status_code, response.get_data(as_text=True)
            parsed = response.get_json(silent=True)
        except AssertionError as exc:  # the spec-checked client: the answer breaks the spec
            outcome.status = runtime.journal.entries(limit=1)[-1]["status"]
            outcome.problem = f"the answer breaks the spec: {str(exc).splitlines()[0][:300]}"
        if check_state:
            changed = self.state.changed(before, self.state.take())
            if changed and not 200 <= outcome.status < 300:
                outcome.problem = "refused but changed " + " | ".join(
                    describe_changes(runtime, changed))
        return outcome, parsed

    def refusal(self, outcome: Outcome, parsed: Any, allowed: tuple[int, ...]) -> Outcome:
        """A 2xx is a bypass; any other status than `allowed`, or one out of the envelope, is
        a problem."""
        if 200 <= outcome.status < 300:
            outcome.bypass = f"a {outcome.kind} caller got {outcome.status}"
        elif outcome.problem:
            pass
        elif outcome.status not in allowed:
            outcome.problem = f"expected {' or '.join(map(str, allowed))}, got {outcome.status}"
        elif not in_envelope(self.template, parsed, outcome.status):
            outcome.problem = "the refusal is not in the vendor's error envelope"
        return outcome

    def reset_after(self, outcome: Outcome) -> None:
        if outcome.bypass or 200 <= outcome.status < 300 or outcome.problem:
            self.runtime.reset()

    # the probes --------------------------------------------------------------------------------
    def probes(self, kind: str, *, sweep: bool = False) -> list[Outcome]:
        self.runtime.reset()
        headers = self.headers(kind)
        if headers is None:
            return []
        valid = self.headers("valid")
        out = []
        for op in (op for op in self.vr.operations if op.security and not op.unserved):
            home = self.tenant(op, valid)
            for pick in range(SWEEP_PICKS if sweep else 1):
                seed = f"authz:{self.vendor}:{op.operation_id}:{pick}"
                out += self.probe(op, kind, headers, home, seed, sweep=sweep)
        self.runtime.reset()
        return out

    def probe(self, op, kind: str, headers: dict, home: str, seed: str, *,
              sweep: bool) -> list[Outcome]:
        plan = OperationRequests(self.runtime, self.vendor, op, home, seed=seed,
                                 builder=IdBuilder)
        write = op.method in WRITE_METHODS
        responses = set(op.spec.get("responses", {}))
        if kind in SPEC_KINDS or (kind == "weak" and self.compiled and not self.has_table):
            return self.by_spec(op, kind, headers, seed)
        if kind in ("none", "bad", "deactivated"):
            if kind == "none" and {} in op.security:  # anyone may call it
                return []
            url = plan.real_url or plan.target
            allowed = (401,) if kind != "deactivated" else \
                tuple(s for s in (401, 403) if str(s) in responses) or (401, 403)
            want = wrong_scheme(self.vr.document, op, carried(self.app, self.vr, headers))
            outcome = self.refusal(*self.send(op, kind, "the seed's ids", url, headers,
                                              plan.base_body(), check_state=write),
                                   allowed if want is None else (want[1],))
            self.answered(outcome, want)
            self.reset_after(outcome)
            return [outcome]
        if kind == "weak":
            return self.weak(op, plan, headers, responses)
        return self.other_tenant(op, plan, headers, home, seed, sweep=sweep)

    def weak(self, op, plan: OperationRequests, headers: dict, responses: set) -> list[Outcome]:
        if self.has_table:
            if not op.spec.get("x-sandbox-access"):
                return []
            url = plan.real_url or plan.target
        else:
            if "403" not in responses:
                return []
            if plan.real_url is None:
                self.notes.append(f"{self.vendor}.{op.operation_id}: no seeded record for the "
                                  "path; the weak caller was not tried")
                return []
            url = self.with_record_query(op, plan)
            self.control(op, url)
        outcome = self.refusal(*self.send(op, "weak", "the seed's ids", url, headers,
                                          plan.base_body(), check_state=True), (403,))
        self.reset_after(outcome)
        return [outcome]

    def spec_refusal(self, op, headers: dict):
        """The refusal the spec's access data names for this caller on the operation, or None
        (admitted, or a caller the vendor does not know at all)."""
        schemes = carried(self.app, self.vr, headers)
        scheme = matched_scheme(op, schemes)
        if scheme is None:
            return wrong_scheme(self.vr.document, op, schemes)
        try:
            principal = self.vr.vendor.authenticate(schemes[scheme], self.runtime)
        except SandboxError:  # not a caller at all (test_the_callers_are_who_they_say)
            return None
        return expected(self.vr.document, op, scheme, principal.attrs)

    def by_spec(self, op, kind: str, headers: dict, seed: str) -> list[Outcome]:
        """The caller on an operation whose spec data refuses it: that refusal exactly, with
        the ids of the caller's own tenant, and no change."""
        want = self.spec_refusal(op, headers)
        if want is None:
            return []
        plan = OperationRequests(self.runtime, self.vendor, op, self.tenant(op, headers),
                                 seed=seed, builder=IdBuilder)
        outcome = self.refusal(*self.send(op, kind, f"refused: {want[0]}",
                                          plan.real_url or plan.target, headers,
                                          plan.base_body(), check_state=True), (want[1],))
        self.answered(outcome, want)
        self.reset_after(outcome)
        return [outcome]

    def answered(self, outcome: Outcome, want) -> None:
        """The refusal the spec names, body and all (None: any the contract allows)."""
        if want is None or outcome.bypass or outcome.problem:
            return
        body = render(self.template, SandboxError(*want[1:]))
        try:
            answer = json.loads(outcome.answer)
        except ValueError:
            answer = None
        if answer != body:
            outcome.problem = f"expected the spec's {want[0]} refusal {body}"

    def with_record_query(self, op, plan: OperationRequests) -> str:
        """The real path with every query parameter that names a collection (`queueId`) given
        a real id of it, required or not."""
        query = dict(plan.query)
        for param in [*op.path_item.get("parameters", []), *op.spec.get("parameters", [])]:
            param = resolve(plan.doc, param)
            if param.get("in") != "query":
                continue
            collection = collection_of_name(self.store, self.vendor, plan.b.tenant,
                                            param["name"])
            rows = plan.b.records(collection) if collection else []
            if rows:
                id_field = plan.b.id_fields.get(collection, "id")
                query[param["name"]] = plan.rnd.choice(rows)[id_field]
        plan.query = query
        return plan.real_url or plan.target

    def other_tenant(self, op, plan: OperationRequests, headers: dict, home: str, seed: str,
                     *, sweep: bool) -> list[Outcome]:
        foreign = self.tenant(op, headers)
        assert foreign != home, f"{self.vendor}: the other_tenant caller reaches {home!r} too"
        theirs = OperationRequests(self.runtime, self.vendor, op, foreign, seed=seed,
                                   builder=IdBuilder)
        write = op.method in WRITE_METHODS
        if "{" in op.path:
            values = self.home_only_path(op, plan, home, foreign)
            if values is None:
                self.notes.append(f"{self.vendor}.{op.operation_id}: no record of {home!r} "
                                  f"that {foreign!r} lacks for the path; not tried")
                return []
            url = plan.url(values)
            self.control(op, url)
            out = []
            bodies = [("their body", theirs.base_body())]
            if plan.has_body and sweep:
                bodies.append(("the home tenant's body", self.home_body(plan)))
            for label, body in bodies:
                outcome = self.refusal(*self.send(op, "other_tenant", f"home ids, {label}", url,
                                                  headers, body, check_state=write), (403, 404))
                self.reset_after(outcome)
                out.append(outcome)
            return out
        collection = collection_of_path(self.store, self.vendor, home, op.path)
        if collection is None:
            self.notes.append(f"{self.vendor}.{op.operation_id}: no collection matches "
                              f"{op.path}; the answer was not searched for {home!r}'s ids")
        out = []
        bodies = [("their body", theirs.base_body())]
        if plan.has_body:
            bodies.append(("the home tenant's body", self.home_body(plan)))
        for label, body in bodies:
            outcome, parsed = self.send(op, "other_tenant", label, plan.url(None), headers,
                                        body, check_state=write)
            if collection is not None and 200 <= outcome.status < 300:
                leaked = self.leaked(parsed, collection, home, foreign)
                if leaked:
                    outcome.bypass = (f"the answer holds {len(leaked)} id(s) of {home!r}'s "
                                      f"{collection}: {sorted(leaked)[:5]}")
            elif not 200 <= outcome.status < 300 and not outcome.problem \
                    and not in_envelope(self.template, parsed, outcome.status):
                outcome.problem = "the refusal is not in the vendor's error envelope"
            self.reset_after(outcome)
            out.append(outcome)
        return out

    def home_body(self, plan: OperationRequests) -> Any:
        """The body built from the home tenant's records, with every e-mail a home record's
        (DeskChime names its users by e-mail)."""
        body = plan.base_body()
        if plan.schema is None:
            return body
        for path, name, sub in plan.b.leaves(plan.schema):
            if "email" in plan.b.leaf_kinds(name, sub):
                taken = plan.b.field_values(name)
                if taken:
                    body = with_value(body, path, plan.rnd.choice(taken))
        return body

    def control(self, op, url: str) -> None:
        """The valid caller on a GET request a refused caller is sent: it should succeed, or
        the refusal proves nothing. (Not where the spec refuses the valid caller too: a token
        on a session-only operation.)"""
        if op.method != "GET" or self.spec_refusal(op, self.headers("valid")) is not None:
            return
        outcome, _ = self.send(op, "valid", "control", url, self.headers("valid"), None,
                               check_state=False)
        self.controls.append(outcome)

    def home_only_path(self, op, plan: OperationRequests, home: str, foreign: str):
        """Real path ids of the home tenant, none of which names a record of the other tenant
        (a 2xx for such an id would be the other tenant's own record): a few seeded tries."""
        for _ in range(8):
            values = plan.real_path_values()
            if values is None:
                return None
            if all(not self.names_record(plan, op, name, value, foreign)
                   for name, value in values.items()):
                return values
        return None

    def names_record(self, plan, op, name: str, value, tenant: str) -> bool:
        found = plan.b.collection_named(name, op.path)
        if found is None:
            return False
        collection, id_field = found
        return any(str(r.get(id_field)) == str(value)
                   for r in self.store.all(self.vendor, tenant, collection))

    def leaked(self, parsed: Any, collection: str, home: str, foreign: str) -> set[str]:
        """Ids of the home tenant's records in the answer, leaving out any id the other
        tenant has (as seeded, or made by the request itself)."""
        id_field = id_field_names(self.vr.vendor).get(collection, "id")
        home_ids = {str(r.get(id_field)) for r in self.store.all(self.vendor, home, collection)}
        their_ids = {str(r.get(id_field))
                     for r in self.store.all(self.vendor, foreign, collection)}
        return ids_in(parsed, collection, id_field) & (home_ids - their_ids)


# -- running -------------------------------------------------------------------------------------
_RESULTS: dict[tuple, tuple[list[Outcome], "Prober"]] = {}


def _run(app, client, runtime, store_backend: str, vendor: str, kind: str, *,
         sweep: bool = False) -> tuple[list[Outcome], "Prober"]:
    key = (store_backend, vendor, kind, sweep)
    if key not in _RESULTS:
        prober = Prober(app, client, runtime, vendor)
        _RESULTS[key] = prober.probes(kind, sweep=sweep), prober
    return _RESULTS[key]


def _assert_slice(vendor: str, kind: str, outcomes: list[Outcome], notes: list[str],
                  capsys) -> None:
    bypasses = [o for o in outcomes if o.bypass]
    problems = [o for o in outcomes if o.problem and not o.bypass]
    with capsys.disabled():
        for o in bypasses:
            print(f"\n[authz] BYPASS {o.vendor}.{o.op_id} {o.kind} -> {o.status}: {o.bypass}")
        for note in notes:
            print(f"\n[authz] note: {note}")
    assert not bypasses and not problems, (
        f"{vendor}, {kind} callers: {len(bypasses)} bypass(es) and {len(problems)} other "
        f"finding(s) in {len(outcomes)} probes:\n  "
        + "\n  ".join(o.describe() for o in bypasses + problems))


# -- the tests -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("vendor", "kind"), SLICES, ids=_SLICE_IDS)
def test_no_refused_caller_gets_through(app, client, runtime, store_backend, vendor, kind,
                                        capsys):
    outcomes, prober = _run(app, client, runtime, store_backend, vendor, kind)
    if not outcomes:
        pytest.skip(f"{vendor} has no {kind} caller, or no operation to try one on")
    _assert_slice(vendor, kind, outcomes, prober.notes, capsys)


@slow
@only_when_slow
@pytest.mark.parametrize(("vendor", "kind"), SLICES, ids=_SLICE_IDS)
def test_no_refused_caller_gets_through_sweep(app, client, runtime, store_backend, vendor, kind,
                                              capsys):
    outcomes, prober = _run(app, client, runtime, store_backend, vendor, kind, sweep=True)
    if not outcomes:
        pytest.skip(f"{vendor} has no {kind} caller, or no operation to try one on")
    _assert_slice(vendor, kind, outcomes, prober.notes, capsys)


def test_zero_successes_across_all_probes(app, client, runtime, store_backend, capsys):
    """The count the issue asks for: every probe of every vendor and kind, and not one 2xx."""
    lines, bypasses, total = [], [], 0
    for vendor, kind in SLICES:
        outcomes, _ = _run(app, client, runtime, store_backend, vendor, kind)
        total += len(outcomes)
        found = [o for o in outcomes if o.bypass]
        bypasses += found
        lines.append(f"{vendor:10} {kind:12} {len(outcomes):4} probes, {len(found)} bypasses")
    with capsys.disabled():
        print(f"\n[authz] {store_backend}: {total} probes\n[authz] " + "\n[authz] ".join(lines))
        for o in bypasses:
            print(f"[authz] BYPASS {o.vendor}.{o.op_id} {o.kind} -> {o.status}: {o.bypass}")
    assert total, "no probe was generated"
    assert not bypasses, f"{len(bypasses)} bypass(es):\n  " + "\n  ".join(
        o.describe() for o in bypasses)


def test_the_refused_requests_would_succeed_for_the_valid_caller(app, client, runtime,
                                                                 store_backend, capsys):
    """The other-tenant and weak GET probes name real records: sent by the valid caller, most
    succeed (so their refusal is the caller's, not the request's)."""
    controls = [c for vendor in SECURED for kind in ("other_tenant", "weak")
                for c in _run(app, client, runtime, store_backend, vendor, kind)[1].controls]
    if not controls:
        pytest.skip("no GET operation names a record")
    failed = [c for c in controls if not 200 <= c.status < 300]
    with capsys.disabled():
        print(f"\n[authz] {len(controls) - len(failed)} of {len(controls)} refused GET requests "
              "succeed for the valid caller")
        for c in failed:
            print(f"[authz]   not for {c.vendor}.{c.op_id}: {c.status} {c.answer[:160]}")
    assert len(failed) <= 0.2 * len(controls), "\n".join(c.describe() for c in failed)


@pytest.mark.parametrize("vendor", list(SECURED))
def test_the_callers_are_who_they_say(app, runtime, vendor):
    """The hook's callers, as the vendor's own authenticate hook judges them: valid and weak
    reach the same tenant, other_tenant another one; bad is refused 401, deactivated 401 or
    403."""
    vr = runtime.vendors[vendor]
    hook = vr.vendor.principal_headers
    assert hook is not None, f"{vendor} gives no principal_headers(runtime, kind)"
    op = find_operation(runtime, vendor, SECURED[vendor][0])

    def judge(headers):
        credential = read_credential_of(app, vr, op, headers)
        try:
            return vr.vendor.authenticate(credential, runtime)
        except SandboxError as err:
            return err

    assert hook(runtime, "valid") == credentials(runtime, vendor)
    home = judge(hook(runtime, "valid"))
    assert not isinstance(home, SandboxError), home.message
    for kind in PRINCIPAL_KINDS:
        headers = hook(runtime, kind)
        if headers is None or kind == "valid":
            continue
        judged = judge(headers)
        if kind == "bad":
            assert isinstance(judged, SandboxError) and judged.status == 401, kind
        elif kind == "deactivated":
            assert isinstance(judged, SandboxError) and judged.status in (401, 403), kind
        else:
            assert not isinstance(judged, SandboxError), f"{kind}: {judged.message}"
            if kind in ("weak", "other_tenant", "session"):
                assert (judged.tenant == home.tenant) == (kind != "other_tenant"), \
                    (kind, judged.tenant)
