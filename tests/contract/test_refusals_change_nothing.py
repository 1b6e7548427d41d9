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
import hashlib
import json
import os
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import orjson
import pytest
from flask import request as flask_request

from mockserver.core.auth import read_credential
from mockserver.core.spec import load_document, operations
from mockserver.core.vendor import record_id_field
from mockserver.registry import data_dir
from tests.conftest import test_vendors

SLOW = os.environ.get("MOCKSERVER_SLOW") == "1"
slow = pytest.mark.slow
only_when_slow = pytest.mark.skipif(not SLOW, reason="the full sweep runs with MOCKSERVER_SLOW=1")

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
CASES_PER_OPERATION = 8        # the default run: a fixed, seeded choice per operation
SWEEP_POSITIVE_BODIES = 20     # the slow sweep: Schemathesis positive bodies per operation
MIN_VIEW_REFUSAL_SHARE = 0.8   # of write operations, refused at least once by the view itself
MISSING = 999999               # an id no seed reaches
IMPOSSIBLE_DATES = ("2021-02-31 10:00:00", "2021-02-31T10:00:00Z", "2021-02-31", "31.02.2021")
MALFORMED_EMAIL = "not-an-e-mail"
MALFORMED_PHONE = "not a phone"
_FINGERPRINT = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


# -- which operations ------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _document(vendor: str) -> dict:
    return load_document(data_dir("specs") / f"{vendor}.yaml")


def _write_operations() -> list[tuple[str, str]]:
    return [(vendor, op.operation_id) for vendor in test_vendors()
            for op in operations(_document(vendor)) if op.method in WRITE_METHODS]


WRITE_OPERATIONS = _write_operations()
_IDS = [f"{vendor}.{op_id}" for vendor, op_id in WRITE_OPERATIONS]


# -- state by content ------------------------------------------------------------------------
def _fingerprint(runtime, vendors) -> dict[tuple[str, str, str], bytes]:
    """(vendor, tenant, collection) -> a hash of its records, taken in id order (the order the
    store keeps them in is not state). Empty collections are left out: a collection with no
    records is the same state as none."""
    store, out = runtime.store, {}
    for vendor in vendors:
        id_fields = _id_fields(runtime.vendors[vendor].vendor)
        for tenant in store.tenants(vendor):
            for collection in store.collections(vendor, tenant):
                records = store.all(vendor, tenant, collection)
                if not records:
                    continue
                id_field = id_fields.get(collection, "id")
                records = sorted(records, key=lambda r: str(r.get(id_field, "")))
                out[(vendor, tenant, collection)] = hashlib.blake2b(_encoded(records)).digest()
    return out


def _encoded(records: list[dict]) -> bytes:
    try:
        return orjson.dumps(records, option=_FINGERPRINT, default=str)
    except TypeError:  # what orjson cannot write (an integer beyond 64 bits, say)
        return json.dumps(records, sort_keys=True, default=str).encode()


def _versions(runtime, vendors) -> dict[tuple[str, str, str], int]:
    store = runtime.store
    return {(v, t, c): store.version(v, t, c) for v in vendors
            for t in store.tenants(v) for c in store.collections(v, t)}


class State:
    """The store as this test compares it: by content. The vendor under test is hashed before
    and after every request; the other vendors (whose views cannot be reached by it) are hashed
    once from the seed, and again whenever one of their collections' versions moved."""

    def __init__(self, runtime, vendor: str):
        self.runtime, self.vendor = runtime, vendor
        self.others = [v for v in runtime.vendors if v != vendor]
        self._seeded_others = _fingerprint(runtime, self.others)

    def take(self):
        return _fingerprint(self.runtime, [self.vendor]), _versions(self.runtime, self.others)

    def changed(self, before, after) -> list[tuple[str, str, str]]:
        (content, versions), (content_after, versions_after) = before, after
        keys = [k for k in {*content, *content_after} if content.get(k) != content_after.get(k)]
        moved = {k[0] for k in {*versions, *versions_after}
                 if versions.get(k) != versions_after.get(k)}
        if moved:
            now = _fingerprint(self.runtime, sorted(moved))
            seeded = {k: v for k, v in self._seeded_others.items() if k[0] in moved}
            keys += [k for k in {*seeded, *now} if seeded.get(k) != now.get(k)]
        return sorted(keys)


def _id_fields(vendor) -> dict[str, str]:
    return {c: record_id_field(s) for c, s in vendor.record_schemas.items()}


def _describe_changes(runtime, keys) -> list[str]:
    """What the refused request left behind, record by record (resets the runtime to read the
    seeded state it is compared with)."""
    after = {key: list(runtime.store.all(*key)) for key in keys}
    runtime.reset()
    lines = []
    for key in keys:
        vendor, tenant, collection = key
        id_field = _id_fields(runtime.vendors[vendor].vendor).get(collection, "id")
        old = {str(r.get(id_field)): r for r in runtime.store.all(*key)}
        new = {str(r.get(id_field)): r for r in after[key]}
        added = sorted(set(new) - set(old))
        removed = sorted(set(old) - set(new))
        changed = {i: sorted(k for k in {*old[i], *new[i]} if old[i].get(k) != new[i].get(k))
                   for i in set(old) & set(new) if old[i] != new[i]}
        parts = ([f"added {added[:5]}"] if added else []) + \
                ([f"removed {removed[:5]}"] if removed else []) + \
                [f"{i}: {fields}" for i, fields in sorted(changed.items())[:5]]
        lines.append(f"{vendor}/{tenant}/{collection}: " + "; ".join(parts or ["reordered"]))
    return lines


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
            outcome.changes = _describe_changes(runtime, changed)  # resets
            self._before = None
        elif changed or not outcome.refused:
            runtime.reset()
            self._before = None
        return outcome


def _credentials(runtime, vendor: str) -> dict:
    make = runtime.vendors[vendor].vendor.sample_headers
    assert make is not None, f"{vendor} gives no sample_headers: cannot call its operations"
    return make(runtime)


def _tenant_of(app, runtime, vendor: str, op, headers: dict) -> str | None:
    """The tenant the sample credentials reach, as the vendor's own authenticate hook says."""
    vr = runtime.vendors[vendor]
    if not op.security:
        tenants = runtime.store.tenants(vendor)
        return tenants[0] if tenants else None
    scheme = vr.schemes[next(iter(op.security[0]))]
    with app.test_request_context(headers=headers):
        credential = read_credential(flask_request, scheme)
    return vr.vendor.authenticate(credential, runtime).tenant


# -- schemas -----------------------------------------------------------------------------------
def _resolve(doc: dict, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _object_view(doc: dict, schema: Any) -> tuple[dict, list]:
    """Properties and required names of an object schema, allOf merged; for anyOf / oneOf the
    properties of every branch and the required names of the first."""
    s = _resolve(doc, schema)
    if not isinstance(s, dict):
        return {}, []
    props, required = dict(s.get("properties") or {}), list(s.get("required") or [])
    for part in s.get("allOf") or []:
        p, r = _object_view(doc, part)
        props.update(p)
        required += r
    for key in ("anyOf", "oneOf"):
        for i, branch in enumerate(s.get(key) or []):
            p, r = _object_view(doc, branch)
            for name, sub in p.items():
                props.setdefault(name, sub)
            if i == 0:
                required += r
    return props, list(dict.fromkeys(required))


def _type(doc: dict, schema: Any) -> str | None:
    s = _resolve(doc, schema)
    kind = s.get("type")
    if isinstance(kind, list):
        kind = next((k for k in ("string", "integer", "number", "boolean", "object", "array")
                     if k in kind), None)
    if kind:
        return kind
    if "properties" in s or "allOf" in s:
        return "object"
    for key in ("anyOf", "oneOf"):
        for branch in s.get(key) or []:
            found = _type(doc, branch)
            if found:
                return found
    return None


def _branch(doc: dict, schema: Any) -> dict:
    """The schema itself, or the first typed branch of an untyped anyOf / oneOf."""
    s = _resolve(doc, schema)
    if "type" not in s:
        for key in ("anyOf", "oneOf"):
            for branch in s.get(key) or []:
                b = _resolve(doc, branch)
                if _type(doc, b):
                    return b
    return s


def _accepts(schema: dict, text: str) -> bool:
    pattern = schema.get("pattern")
    return (pattern is None or re.search(pattern, text) is not None) \
        and len(text) >= schema.get("minLength", 0) \
        and len(text) <= schema.get("maxLength", len(text))


def _is_email(name: str, s: dict) -> bool:
    return s.get("format") == "email" or "email" in name.lower()


def _is_phone(name: str, s: dict) -> bool:
    return "phone" in name.lower()


def _is_date(name: str, s: dict) -> bool:
    lowered = name.lower()
    return s.get("format") in ("date", "date-time") or lowered.endswith(("_at", "_time")) \
        or "date" in lowered or lowered in ("from", "to", "since", "until")


def _is_numeric_text(s: dict) -> bool:
    return bool(s.get("pattern")) and _accepts(s, str(MISSING)) and not _accepts(s, "abc")


class Builder:
    """Values from schemas for one operation, with the tenant's real ids where a name says
    which collection it refers to."""

    def __init__(self, runtime, vendor: str, tenant: str | None, doc: dict, rnd: random.Random):
        self.runtime, self.vendor, self.tenant, self.doc, self.rnd = \
            runtime, vendor, tenant, doc, rnd
        self.store = runtime.store
        self.id_fields = _id_fields(runtime.vendors[vendor].vendor)
        self._fresh = 0
        for t in self.store.tenants(vendor):  # "no such record" must stay true of the seed
            for c in self.store.collections(vendor, t):
                assert self.store.peek(vendor, t, c, MISSING) is None, \
                    f"{vendor}/{t}/{c} has a record {MISSING}: choose another MISSING id"

    # records -------------------------------------------------------------------------------
    def records(self, collection: str, tenant: str | None = None) -> list[dict]:
        tenant = self.tenant if tenant is None else tenant
        if tenant is None:
            return []
        id_field = self.id_fields.get(collection, "id")
        return sorted(self.store.all(self.vendor, tenant, collection),
                      key=lambda r: str(r.get(id_field)))

    def collection_named(self, name: str, path: str = "") -> tuple[str, str] | None:
        """The collection whose id field a parameter or property names: `case_id`, `case_ids`,
        `more_case_ids`, `replace_staff_id`; `{id}` by the path segment before it."""
        if self.tenant is None:
            return None
        collections = self.store.collections(self.vendor, self.tenant)
        names = {name, re.sub(r"^more_", "", name)}
        names |= {n[:-1] for n in names if n.endswith("_ids")}
        best = None
        for collection in collections:
            id_field = self.id_fields.get(collection, "id")
            if id_field == "id":
                continue
            if any(n == id_field or n.endswith("_" + id_field) for n in names):
                if best is None or len(id_field) > len(best[1]):
                    best = (collection, id_field)
        if best or name != "id" or not path:
            return best
        segment = path.split("{" + name + "}")[0].rstrip("/").rsplit("/", 1)[-1]
        segment = segment.split(".")[0]
        for collection in collections:
            if collection.rstrip("s") == segment.rstrip("s"):
                return collection, self.id_fields.get(collection, "id")
        return None

    def real_id(self, name: str, path: str = ""):
        found = self.collection_named(name, path)
        if found is None:
            return None
        rows = self.records(found[0])
        return self.rnd.choice(rows)[found[1]] if rows else None

    def field_values(self, name: str, tenant: str | None = None) -> list:
        """Values of the field `name` in the tenant's records (for a taken e-mail, say)."""
        tenant = self.tenant if tenant is None else tenant
        if tenant is None:
            return []
        out = []
        for collection in self.store.collections(self.vendor, tenant):
            for record in self.records(collection, tenant):
                value = record.get(name)
                if isinstance(value, str) and value:
                    out.append(value)
        return out

    def fresh_email(self) -> str:
        self._fresh += 1
        return f"refusal.probe{self._fresh}@example.test"

    # values ----------------------------------------------------------------------------------
    def value(self, schema: Any, name: str = "", depth: int = 0) -> Any:
        s = _branch(self.doc, schema)
        if "const" in s:
            return s["const"]
        if s.get("enum"):
            return next((v for v in s["enum"] if v is not None), s["enum"][0])
        kind = _type(self.doc, s)
        if kind == "object":
            return self.object_value(s, depth)
        if kind == "array":
            items = s.get("items") or {}
            return [self.value(items, name, depth + 1) for _ in range(s.get("minItems", 0))]
        if kind in ("integer", "number"):
            real = self.real_id(name) if name else None
            if isinstance(real, int) and not isinstance(real, bool):
                return real
            for key in ("example", "default"):
                if isinstance(s.get(key), (int, float)) and not isinstance(s.get(key), bool):
                    return s[key]
            low = s.get("minimum", 1)
            if "exclusiveMinimum" in s:
                low = max(low, s["exclusiveMinimum"] + 1)
            return int(low)
        if kind == "boolean":
            return False
        return self.text(s, name)

    def text(self, s: dict, name: str) -> str:
        if _is_email(name, s):
            return self.fresh_email()
        candidates = [s[k] for k in ("example", "default") if isinstance(s.get(k), str)]
        candidates += [e for e in s.get("examples") or [] if isinstance(e, str)]
        fmt = s.get("format")
        if fmt == "date-time":
            candidates.append("2021-06-01T10:00:00Z")
        elif fmt == "date":
            candidates.append("2021-06-01")
        elif fmt == "uri":
            candidates.append("https://example.test/files/report.txt")
        if _is_phone(name, s):
            candidates.append("+15550100999")
        real = self.real_id(name) if name else None
        if real is not None:
            candidates.append(str(real))
        candidates += ["Refusal probe", "1", "12", "2021-06-01 10:00:00", "cch1", "cf_1", "x"]
        for text in candidates:
            if _accepts(s, text):
                return text
        return "x" * max(1, s.get("minLength", 1))

    def object_value(self, s: dict, depth: int) -> dict:
        props, required = _object_view(self.doc, s)
        out = {}
        if depth > 6:
            return out
        for name in required:
            if name in props:
                out[name] = self.value(props[name], name, depth + 1)
        # minProperties: add optional properties, plain values (no ids, no dates) first
        want = s.get("minProperties", 0)
        for name in sorted(props, key=lambda n: self.leaf_kinds(n, props[n]) != set()):
            if len(out) >= want:
                break
            if name not in out:
                out[name] = self.value(props[name], name, depth + 1)
        return out

    # what a property is ----------------------------------------------------------------------
    def leaf_kinds(self, name: str, schema: Any) -> set[str]:
        """`ref` (names another record), `date`, `email`, `phone`: what a leaf can be refused for."""
        s = _branch(self.doc, schema)
        kind = _type(self.doc, s)
        kinds = set()
        if kind in ("integer", "number") and not s.get("enum"):
            kinds.add("ref")
        elif kind == "array" and _type(self.doc, s.get("items") or {}) == "integer":
            kinds.add("ref")
        elif kind == "string" and not s.get("enum"):
            if _is_date(name, s):
                kinds.add("date")
            elif _is_numeric_text(s) or (self.collection_named(name)
                                         and _accepts(s, str(MISSING))):
                kinds.add("ref")
            if _is_email(name, s):
                kinds.add("email")
            if _is_phone(name, s):
                kinds.add("phone")
        return kinds

    def leaves(self, schema: Any, prefix: tuple = (), depth: int = 0):
        """(path, name, schema) of every property below an object schema."""
        if depth > 6 or _type(self.doc, schema) != "object":
            return
        props, _ = _object_view(self.doc, schema)
        for name, sub in props.items():
            if _type(self.doc, sub) == "object" and _object_view(self.doc, sub)[0]:
                yield from self.leaves(sub, prefix + (name,), depth + 1)
            else:
                yield prefix + (name,), name, sub

    def missing_like(self, name: str, schema: Any) -> Any:
        s = _branch(self.doc, schema)
        kind = _type(self.doc, s)
        if kind == "array":
            return [self.missing_like(name, s.get("items") or {})]
        if kind in ("integer", "number"):
            return min(MISSING, s.get("maximum", MISSING))
        return str(MISSING)

    def impossible_date(self, schema: Any) -> str | None:
        s = _branch(self.doc, schema)
        return next((d for d in IMPOSSIBLE_DATES if _accepts(s, d)), None)


def _with(body: Any, path: tuple, value: Any) -> Any:
    body = copy.deepcopy(body) if isinstance(body, dict) else {}
    node = body
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value
    return body


def _body_schema(op) -> Any:
    content = (op.spec.get("requestBody") or {}).get("content") or {}
    media = content.get("application/json")
    return None if media is None else media.get("schema", {})


def _body_example(doc: dict, op) -> Any:
    media = ((op.spec.get("requestBody") or {}).get("content") or {}).get("application/json") or {}
    if "example" in media:
        return media["example"]
    for example in (media.get("examples") or {}).values():
        example = _resolve(doc, example)
        if "value" in example:
            return example["value"]
    return None


def _path_params(doc: dict, op) -> dict[str, dict]:
    out = {}
    for param in [*op.path_item.get("parameters", []), *op.spec.get("parameters", [])]:
        param = _resolve(doc, param)
        if param.get("in") == "path":
            out[param["name"]] = _resolve(doc, param.get("schema") or {})
    return out


def _required_query(builder: Builder, doc: dict, op) -> dict:
    out = {}
    for param in [*op.path_item.get("parameters", []), *op.spec.get("parameters", [])]:
        param = _resolve(doc, param)
        if param.get("in") == "query" and param.get("required"):
            out[param["name"]] = builder.value(param.get("schema") or {}, param["name"])
    return out


class Plan:
    """The probes of one write operation."""

    def __init__(self, runtime, vendor: str, op, tenant: str | None):
        self.vendor, self.op = vendor, op
        self.doc = runtime.vendors[vendor].document
        self.rnd = random.Random(f"refusals:{vendor}:{op.operation_id}")
        self.b = Builder(runtime, vendor, tenant, self.doc, self.rnd)
        self.params = _path_params(self.doc, op)
        self.schema = _body_schema(op)
        self.has_body = "requestBody" in op.spec
        self.real = self._real_path_values()
        self.query = _required_query(self.b, self.doc, op)

    # paths -------------------------------------------------------------------------------------
    def _real_path_values(self) -> dict | None:
        """Real ids for the path, deepest first: `/cases/{case_id}/messages/{message_id}` takes
        a message, then the case it belongs to."""
        names = re.findall(r"{([^}]+)}", self.op.path)
        values: dict[str, Any] = {}
        for name in reversed(names):
            if name in values:
                continue
            found = self.b.collection_named(name, self.op.path)
            if found is None:
                return None
            rows = self.b.records(found[0])
            if not rows:
                return None
            record = self.rnd.choice(rows)
            values[name] = record[found[1]]
            for other in names:
                if other not in values and other in record:
                    values[other] = record[other]
        return values

    def _missing_path_values(self) -> dict:
        out = {}
        for name in re.findall(r"{([^}]+)}", self.op.path):
            schema = self.params.get(name, {})
            text = str(MISSING)
            out[name] = text if _accepts(schema, text) or schema.get("type") == "integer" \
                else f"nonexistent{MISSING}"
        return out

    def url(self, values: dict | None) -> str:
        values = values or {}
        path = re.sub(r"{([^}]+)}", lambda m: str(values.get(m.group(1), MISSING)), self.op.path)
        url = f"/{self.vendor}{path}"
        if self.query:
            url += "?" + urlencode(self.query, doseq=True)
        return url

    @property
    def real_url(self) -> str | None:
        """The path with real ids (None when the seed has none for it)."""
        return self.url(self.real) if self.real is not None or "{" not in self.op.path else None

    @property
    def target(self) -> str:
        """Where body refusals go: the real path, else the missing one."""
        return self.real_url or self.url(self._missing_path_values())

    # bodies ------------------------------------------------------------------------------------
    def base_body(self) -> Any:
        if not self.has_body:
            return None
        if self.schema is None:  # no JSON form of the body: nothing to build it from
            return None
        return self.b.value(self.schema)

    def mutations(self, base: Any) -> list[tuple[str, Any, set]]:
        """(label, body, kinds) for each refusal a body can carry, one change at a time."""
        if self.schema is None:
            return []
        out = []
        for path, name, sub in self.b.leaves(self.schema):
            dotted = ".".join(path)
            kinds = self.b.leaf_kinds(name, sub)
            if "ref" in kinds:
                out.append((f"{dotted}: no such record", _with(base, path,
                            self.b.missing_like(name, sub)), {"ref"}))
            if "date" in kinds:
                date = self.b.impossible_date(sub)
                if date is not None:
                    out.append((f"{dotted}: impossible date", _with(base, path, date), {"date"}))
            for kind, malformed in (("email", MALFORMED_EMAIL), ("phone", MALFORMED_PHONE)):
                if kind not in kinds:
                    continue
                s = _branch(self.doc, sub)
                if _accepts(s, malformed):
                    out.append((f"{dotted}: malformed {kind}", _with(base, path, malformed),
                                {kind}))
                taken = [v for v in self.b.field_values(name) if _accepts(s, v)]
                if taken:
                    out.append((f"{dotted}: taken {kind}",
                                _with(base, path, self.rnd.choice(taken)), {kind}))
                others = [t for t in self.b.store.tenants(self.vendor) if t != self.b.tenant]
                foreign = [v for t in others for v in self.b.field_values(name, t)
                           if _accepts(s, v)]
                if foreign:
                    out.append((f"{dotted}: another tenant's {kind}",
                                _with(base, path, self.rnd.choice(foreign)), {kind}))
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
                                self.url(self._missing_path_values()), base, real_path=False))
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
                values = {**self.real, name: self._missing_path_values()[name]}
                groups[2].append(Probe(f"path {name} missing", method, self.url(values), base,
                                       real_path=False))
        example = _body_example(self.doc, self.op)
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
_RESULTS: dict[tuple[str, str, bool], list[Outcome]] = {}


def _operation(runtime, vendor: str, op_id: str):
    return next(op for op in runtime.vendors[vendor].operations if op.operation_id == op_id)


def _exercise(app, client, runtime, reached, vendor: str, op_id: str, *,
              sweep: bool = False) -> list[Outcome]:
    key = (vendor, op_id, sweep)
    if key in _RESULTS:
        return _RESULTS[key]
    runtime.reset()
    op = _operation(runtime, vendor, op_id)
    headers = _credentials(runtime, vendor)
    plan = Plan(runtime, vendor, op, _tenant_of(app, runtime, vendor, op, headers))
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
def reached(runtime, monkeypatch):
    """The (vendor, operationId) of every view called since it was last cleared."""
    calls: list[tuple[str, str]] = []
    for name, vr in runtime.vendors.items():
        for op_id, view in list(vr.views.items()):
            def recording(ctx, _view=view, _key=(name, op_id)):
                calls.append(_key)
                return _view(ctx)
            monkeypatch.setitem(vr.views, op_id, recording)
    return calls


# -- the tests -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("vendor", "op_id"), WRITE_OPERATIONS, ids=_IDS)
def test_refused_write_changes_nothing(app, client, runtime, reached, vendor, op_id):
    outcomes = _exercise(app, client, runtime, reached, vendor, op_id)
    assert outcomes, f"{vendor}.{op_id}: no request was generated"
    _assert_nothing_changed(vendor, op_id, outcomes)


@slow
@only_when_slow
@pytest.mark.parametrize(("vendor", "op_id"), WRITE_OPERATIONS, ids=_IDS)
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
        id_field = _id_fields(runtime.vendors[vendor].vendor).get(collection, "id")
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
    op = _operation(runtime, "deskie", op_id)
    headers = _credentials(runtime, "deskie")
    plan = Plan(runtime, "deskie", op, _tenant_of(app, runtime, "deskie", op, headers))
    assert plan.real is not None or not plan.params, "no seeded record for the path"
    probe = Probe(f"known: {op_id}", op.method, plan.url(plan.real), body)
    outcome = Sender(client, runtime, reached, headers, "deskie").send(probe)
    assert outcome.status == 400 and json.loads(outcome.answer or "{}").get("error") == code, \
        outcome.describe()
    assert outcome.reached_view, "the request was refused before the view"
    assert not outcome.problem, outcome.describe()
