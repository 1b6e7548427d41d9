"""Contract: a write the sandbox refuses (4xx) changes no collection of any tenant.

Generated for every write operation (POST/PUT/PATCH/DELETE) of every registered vendor, so a new
vendor inherits it unedited. For each operation the requests are built from the spec and the seed:

- the operation's path with real ids of the caller's tenant (a child record first, its parents
  from the child's own fields, so `/cases/{case_id}/messages/{message_id}` names a message of
  that case), and the same path with ids that do not exist;
- a body from the request body schema: its required properties (and enough optional ones for a
  `minProperties`) with schema-conforming values, real ids where a property names a collection;
- refusals that reach the view, by mutating that body: an id that names another record becomes
  one that does not exist, a date becomes an impossible one (`2021-02-31 10:00:00`), an e-mail
  or phone becomes malformed, taken, or another tenant's. A view that writes before it checks
  all of its inputs shows here as a refusal that leaves a record behind.

State is compared by content: a hash of every record of every collection of every tenant
(the journal, rate-limit counters, caches and id sequences are not collections and do not
count; nor do record order or collection versions, so a rollback that puts the old records back
is as good as never having written them). The vendor under test is hashed around every request;
the other vendors are hashed from the seed and again whenever a version of theirs moves. Which requests reached a view is seen by
wrapping the bound views, so a refusal by the spec validation in front of the view (which
trivially changes nothing) is told apart from a refusal by the view itself;
`test_refusals_reach_the_views` asserts that most write operations got the latter.

The default run sends CASES_PER_OPERATION requests per operation (a fixed, seeded choice). The
`slow` sweep (run with MOCKSERVER_SLOW=1) sends every generated request and, besides, mutates
Schemathesis positive data. Every answer is also checked against the spec by the test client;
an error answer the spec does not allow is reported as a finding.
"""
from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field
from typing import Any

import pytest

from mockserver.core.spec import operations

from . import served
from tests.conftest import test_vendors

from .requests_from_spec import (
    MISSING, OperationRequests, State, accepts, body_example, branch, credentials,
    describe_changes, document, find_operation, id_field_names, tenant_of, with_value)

SLOW = os.environ.get("MOCKSERVER_SLOW") == "1"
slow = pytest.mark.slow
only_when_slow = pytest.mark.skipif(not SLOW, reason="the full sweep runs with MOCKSERVER_SLOW=1")

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
CASES_PER_OPERATION = 8        # the default run: a fixed, seeded choice per operation
SWEEP_POSITIVE_BODIES = 20     # the slow sweep: Schemathesis positive bodies per operation
MIN_VIEW_REFUSAL_SHARE = 0.8   # of write operations, refused at least once by the view itself
MALFORMED_EMAIL = "not-an-e-mail"
MALFORMED_PHONE = "not a phone"


# -- which operations ------------------------------------------------------------------------
def _write_operations() -> list:
    return [served.param(vendor, op) for vendor in test_vendors()
            for op in operations(document(vendor)) if op.method in WRITE_METHODS]


WRITE_PARAMS = _write_operations()
_IDS = [f"{p.values[0]}.{p.values[1]}" for p in WRITE_PARAMS]
# the served ones, exercised together by test_refusals_reach_the_views
WRITE_OPERATIONS = [tuple(p.values) for p in WRITE_PARAMS if not p.marks]


# -- the requests ------------------------------------------------------------------------------
@dataclass
class Probe:
    """One request, and why it should be refused."""
    label: str
    method: str
    path: str                       # as sent, with the vendor prefix
    body: Any = None                # None: no body
    real_path: bool = True          # the path's ids exist (or the path has none)


@dataclass
class Outcome:
    probe: Probe
    status: int
    reached_view: bool
    answer: str = ""
    changes: list[str] = field(default_factory=list)
    spec_error: str | None = None

    @property
    def refused(self) -> bool:
        return 400 <= self.status < 500

    @property
    def problem(self) -> str | None:
        if self.spec_error:
            return f"the answer breaks the spec: {self.spec_error.splitlines()[0][:400]}"
        if self.status >= 500:
            return f"answered {self.status}: {self.answer[:300]}"
        if self.refused and self.changes:
            return "refused but changed " + " | ".join(self.changes)
        return None

    def describe(self) -> str:
        body = json.dumps(self.probe.body)[:300] if self.probe.body is not None else "-"
        return (f"[{self.probe.label}] {self.probe.method} {self.probe.path} body={body} -> "
                f"{self.status} {self.answer[:200]}\n      {self.problem}")


class Sender:
    """Sends probes through the spec-checked client, each compared with the state before it.
    Every probe starts from the seeded state: the runtime is reset after an accepted request
    and after a refused one that changed something."""

    def __init__(self, client, runtime, reached: list, headers: dict, vendor: str):
        self.client, self.runtime, self.reached, self.headers = client, runtime, reached, headers
        self.state = State(runtime, vendor)
        self._before = None

    def send(self, probe: Probe) -> Outcome:
        runtime = self.runtime
        if self._before is None:
            self._before = self.state.take()
        runtime.limiter.reset()  # rate limits are not what this test is about
        self.reached.clear()
        kwargs = {"method": probe.method, "headers": self.headers}
        if probe.body is not None:
            kwargs["json"] = probe.body
        spec_error = None
        try:
            response = self.client.open(probe.path, **kwargs)
            status, answer = response.status_code, response.get_data(as_text=True)
        except AssertionError as exc:  # the spec-checked client: the answer breaks the spec
            entry = runtime.journal.entries(limit=1)[-1]
            status, answer, spec_error = entry["status"], "", str(exc)
        outcome = Outcome(probe, status, bool(self.reached), answer, spec_error=spec_error)
        changed = self.state.changed(self._before, self.state.take())
        if changed and outcome.refused:
            outcome.changes = describe_changes(runtime, changed)  # resets
            self._before = None
        elif changed or not outcome.refused:
            runtime.reset()
            self._before = None
        return outcome


class Plan(OperationRequests):
    """The probes of one write operation."""

    def __init__(self, runtime, vendor: str, op, tenant: str | None):
        super().__init__(runtime, vendor, op, tenant, seed=f"refusals:{vendor}:{op.operation_id}")

    def mutations(self, base: Any) -> list[tuple[str, Any, set]]:
        """(label, body, kinds) for each refusal a body can carry, one change at a time."""
        if self.schema is None:
            return []
        out = []
        for path, name, sub in self.b.leaves(self.schema):
            dotted = ".".join(path)
            kinds = self.b.leaf_kinds(name, sub)
            if "ref" in kinds:
                out.append((f"{dotted}: no such record", with_value(base, path,
                            self.b.missing_like(name, sub)), {"ref"}))
            if "date" in kinds:
                date = self.b.impossible_date(sub)
                if date is not None:
                    out.append((f"{dotted}: impossible date", with_value(base, path, date), {"date"}))
            for kind, malformed in (("email", MALFORMED_EMAIL), ("phone", MALFORMED_PHONE)):
                if kind not in kinds:
                    continue
                s = branch(self.doc, sub)
                if accepts(s, malformed):
                    out.append((f"{dotted}: malformed {kind}", with_value(base, path, malformed),
                                {kind}))
                taken = [v for v in self.b.field_values(name) if accepts(s, v)]
                if taken:
                    out.append((f"{dotted}: taken {kind}",
                                with_value(base, path, self.rnd.choice(taken)), {kind}))
                others = [t for t in self.b.store.tenants(self.vendor) if t != self.b.tenant]
                foreign = [v for t in others for v in self.b.field_values(name, t)
                           if accepts(s, v)]
                if foreign:
                    out.append((f"{dotted}: another tenant's {kind}",
                                with_value(base, path, self.rnd.choice(foreign)), {kind}))
        return out

    @staticmethod
    def combined(base: Any, mutations) -> Any:
        """Every id and date refusal at once."""
        body = copy.deepcopy(base)
        for _, mutated, kinds in mutations:
            if kinds & {"ref", "date"}:
                body = _merge(body, mutated, base)
        return body

    # probes ------------------------------------------------------------------------------------
    def probes(self, *, sweep: bool) -> list[Probe]:
        """Every path id missing and every id and date refused at once, always; then, in this
        order and each group in a seeded order, single impossible dates, single missing ids,
        the rest (malformed, taken or foreign e-mails and phones, one path id of several
        missing, the spec's example body). The default run keeps the first
        CASES_PER_OPERATION; the sweep keeps them all."""
        method, base = self.op.method, self.base_body()
        has_path = "{" in self.op.path
        real_url, target = self.real_url, self.target
        on_target = real_url is not None
        always = []
        if has_path:
            always.append(Probe("every path id missing", method,
                                self.url(self.missing_path_values()), base, real_path=False))
        mutations = self.mutations(base)
        if sum(1 for _, _, k in mutations if k & {"ref", "date"}) > 1:
            always.append(Probe("every id and date refused at once", method, target,
                                self.combined(base, mutations), real_path=on_target))
        groups: list[list[Probe]] = [[], [], []]
        for label, body, kinds in mutations:
            group = 0 if "date" in kinds else 1 if "ref" in kinds else 2
            groups[group].append(Probe(label, method, target, body, real_path=on_target))
        if self.real is not None and len(self.real) > 1:
            for name in self.real:  # one id of the path missing, the others real
                values = {**self.real, name: self.missing_path_values()[name]}
                groups[2].append(Probe(f"path {name} missing", method, self.url(values), base,
                                       real_path=False))
        example = body_example(self.doc, self.op)
        if example is not None and example != base:
            groups[2].append(Probe("the spec's example body", method, target, example,
                                   real_path=on_target))
        if real_url is not None and not any(groups):
            groups[2].append(Probe("the built body", method, real_url, base))
        ordered = []
        for group in groups:
            ordered += self.rnd.sample(group, len(group))
        if sweep:
            return always + ordered
        return always + ordered[:max(0, CASES_PER_OPERATION - len(always))]


def _merge(body: Any, mutated: Any, base: Any) -> Any:
    """`body` with the values in which `mutated` differs from `base`."""
    if not (isinstance(mutated, dict) and isinstance(body, dict)):
        return copy.deepcopy(mutated)
    out = dict(body)
    for key, value in mutated.items():
        old = base.get(key) if isinstance(base, dict) else None
        if value != old:
            out[key] = _merge(body.get(key, {}), value, old if old is not None else {})
    return out


def _positive_bodies(doc: dict, op, count: int) -> list:
    """Schemathesis positive data for the operation's JSON body (the slow sweep only)."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings

    schema = schemathesis.openapi.from_dict(doc)
    operation = schema.find_operation_by_id(op.operation_id)
    found = []

    @settings(max_examples=count, database=None, derandomize=True, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(media_type="application/json"))
    def collect(case):
        if isinstance(case.body, dict):
            found.append(case.body)

    collect()
    return found


# -- running an operation ------------------------------------------------------------------------
_RESULTS: dict[tuple[str, str, str, bool], list[Outcome]] = {}


def _exercise(app, client, runtime, reached, vendor: str, op_id: str, *,
              sweep: bool = False) -> list[Outcome]:
    key = (runtime.backend.name, vendor, op_id, sweep)  # each store backend runs its own
    if key in _RESULTS:
        return _RESULTS[key]
    runtime.reset()
    op = find_operation(runtime, vendor, op_id)
    headers = credentials(runtime, vendor)
    plan = Plan(runtime, vendor, op, tenant_of(app, runtime, vendor, op, headers))
    probes = plan.probes(sweep=sweep)
    if sweep and plan.schema is not None:
        # Schemathesis positive bodies at the real path: as generated, with every id and date
        # refused, and with two single refusals (a seeded choice)
        target, real = plan.target, plan.real_url is not None
        for i, body in enumerate(_positive_bodies(plan.doc, op, SWEEP_POSITIVE_BODIES)):
            mutations = plan.mutations(body)
            probes.append(Probe(f"positive data #{i}", op.method, target, body, real_path=real))
            probes.append(Probe(f"positive data #{i}, ids and dates refused", op.method, target,
                                Plan.combined(body, mutations), real_path=real))
            for label, mutated, _ in plan.rnd.sample(mutations, min(2, len(mutations))):
                probes.append(Probe(f"positive data #{i}, {label}", op.method, target, mutated,
                                    real_path=real))
    sender = Sender(client, runtime, reached, headers, vendor)
    outcomes = [sender.send(probe) for probe in probes]
    runtime.reset()
    _RESULTS[key] = outcomes
    return outcomes


def _assert_nothing_changed(vendor: str, op_id: str, outcomes: list[Outcome]) -> None:
    problems = [o for o in outcomes if o.problem]
    assert not problems, (
        f"{vendor}.{op_id}: {len(problems)} of {len(outcomes)} requests broke the contract "
        f"(a refused write must change nothing; every answer must match the spec):\n  "
        + "\n  ".join(o.describe() for o in problems))


@pytest.fixture
def reached(runtime, store_backend, monkeypatch):
    """The (vendor, operationId) of every view called since it was last cleared (views run in
    this process: against the fleet of live servers they cannot be watched)."""
    if store_backend == "fleet":
        pytest.skip("watches the views in process; the fleet's views run in its servers")
    calls: list[tuple[str, str]] = []
    for name, vr in runtime.vendors.items():
        for op_id, view in list(vr.views.items()):
            def recording(ctx, _view=view, _key=(name, op_id)):
                calls.append(_key)
                return _view(ctx)
            monkeypatch.setitem(vr.views, op_id, recording)
    return calls


# -- the tests -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("vendor", "op_id"), WRITE_PARAMS, ids=_IDS)
def test_refused_write_changes_nothing(app, client, runtime, reached, vendor, op_id):
    outcomes = _exercise(app, client, runtime, reached, vendor, op_id)
    assert outcomes, f"{vendor}.{op_id}: no request was generated"
    _assert_nothing_changed(vendor, op_id, outcomes)


@slow
@only_when_slow
@pytest.mark.parametrize(("vendor", "op_id"), WRITE_PARAMS, ids=_IDS)
def test_refused_write_changes_nothing_sweep(app, client, runtime, reached, vendor, op_id):
    outcomes = _exercise(app, client, runtime, reached, vendor, op_id, sweep=True)
    _assert_nothing_changed(vendor, op_id, outcomes)


def test_refusals_reach_the_views(app, client, runtime, reached, capsys):
    """Most write operations must have been refused by their view, not only by the spec
    validation in front of it (which changes nothing by construction)."""
    if not WRITE_OPERATIONS:
        pytest.skip(f"no write operations in {test_vendors()}")
    by_view, deep, uncovered = [], [], []
    for vendor, op_id in WRITE_OPERATIONS:
        outcomes = _exercise(app, client, runtime, reached, vendor, op_id)
        at_view = [o for o in outcomes if o.refused and o.reached_view]
        (by_view if at_view else uncovered).append((vendor, op_id))
        if any(o.probe.real_path for o in at_view):
            deep.append((vendor, op_id))
    lines = []
    for vendor in test_vendors():
        total = sum(1 for v, _ in WRITE_OPERATIONS if v == vendor)
        if total:
            lines.append(f"{vendor}: {total} write operations, "
                         f"{sum(1 for v, _ in by_view if v == vendor)} refused by their view, "
                         f"{sum(1 for v, _ in deep if v == vendor)} of them on existing records")
    if uncovered:
        lines.append("never refused by a view: " + ", ".join(f"{v}.{o}" for v, o in uncovered))
    with capsys.disabled():
        print("\n[refusals] " + "\n[refusals] ".join(lines))
    share = len(by_view) / len(WRITE_OPERATIONS)
    assert share >= MIN_VIEW_REFUSAL_SHARE, (
        f"only {len(by_view)} of {len(WRITE_OPERATIONS)} write operations got a refusal from "
        f"their view:\n" + "\n".join(lines))


def test_the_comparison_sees_content_not_versions(runtime):
    """The helper itself. In the vendor under test a record changed in place (no version moves)
    is seen; in any vendor a record put back unchanged (versions move) is not, and one put
    back changed is."""
    keys = [(v, t, c) for v in runtime.vendors for t in runtime.store.tenants(v)
            for c in runtime.store.collections(v, t) if runtime.store.all(v, t, c)]
    if not keys:
        pytest.skip("no seeded records")
    under_test = keys[0][0]
    state = State(runtime, under_test)
    for key in keys[:1] + [k for k in keys if k[0] != under_test][:1]:
        vendor, tenant, collection = key
        record = runtime.store.all(*key)[0]
        name = next(iter(record))
        id_field = id_field_names(runtime.vendors[vendor].vendor).get(collection, "id")
        before, old = state.take(), record[name]
        if vendor == under_test:
            try:
                record[name] = "changed in place by the test"
                assert state.changed(before, state.take()) == [key]
            finally:
                record[name] = old
            assert state.changed(before, state.take()) == []
        runtime.store.put(vendor, tenant, collection, record[id_field], dict(record))
        assert state.changed(before, state.take()) == []
        runtime.store.put(vendor, tenant, collection, record[id_field],
                          {**record, "touched_by_the_test": True})
        assert state.changed(before, state.take()) == [key]
        runtime.reset()


# -- the refusals known to write before they check (Deskie) ------------------------------------
KNOWN = [
    pytest.param("create_company", {"company": {"company_name": "Refused Ltd",
                                                "company_users": str(MISSING)}},
                 "user_not_found", id="deskie.create_company-unknown-company_users"),
    pytest.param("edit_company", {"company": {"company_name": "Renamed by a refusal",
                                              "add_company_users": str(MISSING)}},
                 "user_not_found", id="deskie.edit_company-unknown-add_company_users"),
    pytest.param("create_case", {"case": {"subject": "Refused", "content": "Hello",
                                          "user_email": "new.customer.refused@example.test",
                                          "created_at": "2021-02-31 10:00:00"}},
                 "wrong_date", id="deskie.create_case-new-user_email-impossible-created_at"),
]


@pytest.mark.skipif("deskie" not in test_vendors(), reason="Deskie is not under test")
@pytest.mark.parametrize(("op_id", "body", "code"), KNOWN)
def test_known_deskie_refusals_change_nothing(app, client, runtime, reached, op_id, body, code):
    op = find_operation(runtime, "deskie", op_id)
    headers = credentials(runtime, "deskie")
    plan = Plan(runtime, "deskie", op, tenant_of(app, runtime, "deskie", op, headers))
    assert plan.real is not None or not plan.params, "no seeded record for the path"
    probe = Probe(f"known: {op_id}", op.method, plan.url(plan.real), body)
    outcome = Sender(client, runtime, reached, headers, "deskie").send(probe)
    assert outcome.status == 400 and json.loads(outcome.answer or "{}").get("error") == code, \
        outcome.describe()
    assert outcome.reached_view, "the request was refused before the view"
    assert not outcome.problem, outcome.describe()
