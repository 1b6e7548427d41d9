"""Requests built from a vendor's spec and seed, shared by the generated contract tests.

For an operation: its path with real ids of one tenant (a child record first, its parents from
the child's own fields, so `/cases/{case_id}/messages/{message_id}` names a message of that case)
or with ids that do not exist; its required query; a body from the request body schema (its
required properties, and enough optional ones for a `minProperties`, with schema-conforming
values and real ids where a property names a collection). Besides: the store's state by content
(a hash of every record of every collection of every tenant), to tell whether a request changed
anything, and the sample credentials with the tenant they reach.
"""
from __future__ import annotations

import copy
import hashlib
import json
import random
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import orjson
from flask import request as flask_request

from mockserver.core.auth import read_credential
from mockserver.core.spec import load_document
from mockserver.core.vendor import record_id_field
from mockserver.registry import data_dir

MISSING = 999999               # an id no seed reaches
IMPOSSIBLE_DATES = ("2021-02-31 10:00:00", "2021-02-31T10:00:00Z", "2021-02-31", "31.02.2021")
_FINGERPRINT = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


@lru_cache(maxsize=None)
def document(vendor: str) -> dict:
    """The vendor's spec as the registry reads it (before any app is built: for parametrizing)."""
    return load_document(data_dir("specs") / f"{vendor}.yaml")


# -- state by content ------------------------------------------------------------------------
def fingerprint(runtime, vendors) -> dict[tuple[str, str, str], bytes]:
    """(vendor, tenant, collection) -> a hash of its records, taken in id order (the order the
    store keeps them in is not state). Empty collections are left out: a collection with no
    records is the same state as none."""
    store, out = runtime.store, {}
    for vendor in vendors:
        id_fields = id_field_names(runtime.vendors[vendor].vendor)
        for tenant in store.tenants(vendor):
            for collection in store.collections(vendor, tenant):
                records = store.all(vendor, tenant, collection)
                if not records:
                    continue
                id_field = id_fields.get(collection, "id")
                records = sorted(records, key=lambda r: str(r.get(id_field, "")))
                out[(vendor, tenant, collection)] = hashlib.blake2b(encoded(records)).digest()
    return out


def encoded(records: list[dict]) -> bytes:
    try:
        return orjson.dumps(records, option=_FINGERPRINT, default=str)
    except TypeError:  # what orjson cannot write (an integer beyond 64 bits, say)
        return json.dumps(records, sort_keys=True, default=str).encode()


def versions(runtime, vendors) -> dict[tuple[str, str, str], int]:
    store = runtime.store
    return {(v, t, c): store.version(v, t, c) for v in vendors
            for t in store.tenants(v) for c in store.collections(v, t)}


class State:
    """The store as the tests compare it: by content. The vendor under test is hashed before
    and after every request; the other vendors (whose views cannot be reached by it) are hashed
    once from the seed, and again whenever one of their collections' versions moved."""

    def __init__(self, runtime, vendor: str):
        self.runtime, self.vendor = runtime, vendor
        self.others = [v for v in runtime.vendors if v != vendor]
        self._seeded_others = fingerprint(runtime, self.others)

    def take(self):
        return fingerprint(self.runtime, [self.vendor]), versions(self.runtime, self.others)

    def changed(self, before, after) -> list[tuple[str, str, str]]:
        (content, versions), (content_after, versions_after) = before, after
        keys = [k for k in {*content, *content_after} if content.get(k) != content_after.get(k)]
        moved = {k[0] for k in {*versions, *versions_after}
                 if versions.get(k) != versions_after.get(k)}
        if moved:
            now = fingerprint(self.runtime, sorted(moved))
            seeded = {k: v for k, v in self._seeded_others.items() if k[0] in moved}
            keys += [k for k in {*seeded, *now} if seeded.get(k) != now.get(k)]
        return sorted(keys)


def id_field_names(vendor) -> dict[str, str]:
    return {c: record_id_field(s) for c, s in vendor.record_schemas.items()}


def describe_changes(runtime, keys) -> list[str]:
    """What the refused request left behind, record by record (resets the runtime to read the
    seeded state it is compared with)."""
    after = {key: list(runtime.store.all(*key)) for key in keys}
    runtime.reset()
    lines = []
    for key in keys:
        vendor, tenant, collection = key
        id_field = id_field_names(runtime.vendors[vendor].vendor).get(collection, "id")
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


# -- callers -----------------------------------------------------------------------------------
def credentials(runtime, vendor: str) -> dict:
    make = runtime.vendors[vendor].vendor.sample_headers
    assert make is not None, f"{vendor} gives no sample_headers: cannot call its operations"
    return make(runtime)


def tenant_of(app, runtime, vendor: str, op, headers: dict) -> str | None:
    """The tenant the sample credentials reach, as the vendor's own authenticate hook says."""
    vr = runtime.vendors[vendor]
    if not op.security:
        tenants = runtime.store.tenants(vendor)
        return tenants[0] if tenants else None
    return vr.vendor.authenticate(read_credential_of(app, vr, op, headers), runtime).tenant


def read_credential_of(app, vr, op, headers: dict):
    """The credential these headers carry for the operation, as the core picks it: that of its
    first security alternative they carry a credential of; else (for a caller of a scheme the
    operation does not accept) that of the first scheme of the spec they carry; else the first
    alternative's, absent."""
    names = [name for requirement in op.security for name in requirement]
    with app.test_request_context(headers=headers):
        read = {name: read_credential(flask_request, vr.schemes[name], name)
                for name in dict.fromkeys([*names, *vr.schemes])}
    sent = [c for c in read.values() if c.present and not c.malformed]
    return next((read[n] for n in names if read[n] in sent), None) or \
        next(iter(sent), None) or read[names[0]]


def find_operation(runtime, vendor: str, op_id: str):
    return next(op for op in runtime.vendors[vendor].operations if op.operation_id == op_id)


# -- schemas -----------------------------------------------------------------------------------
def resolve(doc: dict, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def object_view(doc: dict, schema: Any) -> tuple[dict, list]:
    """Properties and required names of an object schema, allOf merged; for anyOf / oneOf the
    properties of every branch and the required names of the first."""
    s = resolve(doc, schema)
    if not isinstance(s, dict):
        return {}, []
    props, required = dict(s.get("properties") or {}), list(s.get("required") or [])
    for part in s.get("allOf") or []:
        p, r = object_view(doc, part)
        props.update(p)
        required += r
    for key in ("anyOf", "oneOf"):
        for i, branch in enumerate(s.get(key) or []):
            p, r = object_view(doc, branch)
            for name, sub in p.items():
                props.setdefault(name, sub)
            if i == 0:
                required += r
    return props, list(dict.fromkeys(required))


def schema_type(doc: dict, schema: Any) -> str | None:
    s = resolve(doc, schema)
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
            found = schema_type(doc, branch)
            if found:
                return found
    return None


def branch(doc: dict, schema: Any) -> dict:
    """The schema itself, or the first typed branch of an untyped anyOf / oneOf."""
    s = resolve(doc, schema)
    if "type" not in s:
        for key in ("anyOf", "oneOf"):
            for branch in s.get(key) or []:
                b = resolve(doc, branch)
                if schema_type(doc, b):
                    return b
    return s


def accepts(schema: dict, text: str) -> bool:
    pattern = schema.get("pattern")
    return (pattern is None or re.search(pattern, text) is not None) \
        and len(text) >= schema.get("minLength", 0) \
        and len(text) <= schema.get("maxLength", len(text))


def is_email(name: str, s: dict) -> bool:
    return s.get("format") == "email" or "email" in name.lower()


def is_phone(name: str, s: dict) -> bool:
    return "phone" in name.lower()


def is_date(name: str, s: dict) -> bool:
    lowered = name.lower()
    return s.get("format") in ("date", "date-time") or lowered.endswith(("_at", "_time")) \
        or "date" in lowered or lowered in ("from", "to", "since", "until")


def is_numeric_text(s: dict) -> bool:
    return bool(s.get("pattern")) and accepts(s, str(MISSING)) and not accepts(s, "abc")


class Builder:
    """Values from schemas for one operation, with the tenant's real ids where a name says
    which collection it refers to."""

    def __init__(self, runtime, vendor: str, tenant: str | None, doc: dict, rnd: random.Random):
        self.runtime, self.vendor, self.tenant, self.doc, self.rnd = \
            runtime, vendor, tenant, doc, rnd
        self.store = runtime.store
        self.id_fields = id_field_names(runtime.vendors[vendor].vendor)
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
        s = branch(self.doc, schema)
        if "const" in s:
            return s["const"]
        if s.get("enum"):
            return next((v for v in s["enum"] if v is not None), s["enum"][0])
        kind = schema_type(self.doc, s)
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
        if is_email(name, s):
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
        if is_phone(name, s):
            candidates.append("+15550100999")
        real = self.real_id(name) if name else None
        if real is not None:
            candidates.append(str(real))
        candidates += ["Refusal probe", "1", "12", "2021-06-01 10:00:00", "cch1", "cf_1", "x"]
        for text in candidates:
            if accepts(s, text):
                return text
        return "x" * max(1, s.get("minLength", 1))

    def object_value(self, s: dict, depth: int) -> dict:
        props, required = object_view(self.doc, s)
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
        s = branch(self.doc, schema)
        kind = schema_type(self.doc, s)
        kinds = set()
        if kind in ("integer", "number") and not s.get("enum"):
            kinds.add("ref")
        elif kind == "array" and schema_type(self.doc, s.get("items") or {}) == "integer":
            kinds.add("ref")
        elif kind == "string" and not s.get("enum"):
            if is_date(name, s):
                kinds.add("date")
            elif is_numeric_text(s) or (self.collection_named(name)
                                         and accepts(s, str(MISSING))):
                kinds.add("ref")
            if is_email(name, s):
                kinds.add("email")
            if is_phone(name, s):
                kinds.add("phone")
        return kinds

    def leaves(self, schema: Any, prefix: tuple = (), depth: int = 0):
        """(path, name, schema) of every property below an object schema."""
        if depth > 6 or schema_type(self.doc, schema) != "object":
            return
        props, _ = object_view(self.doc, schema)
        for name, sub in props.items():
            if schema_type(self.doc, sub) == "object" and object_view(self.doc, sub)[0]:
                yield from self.leaves(sub, prefix + (name,), depth + 1)
            else:
                yield prefix + (name,), name, sub

    def missing_like(self, name: str, schema: Any) -> Any:
        s = branch(self.doc, schema)
        kind = schema_type(self.doc, s)
        if kind == "array":
            return [self.missing_like(name, s.get("items") or {})]
        if kind in ("integer", "number"):
            return min(MISSING, s.get("maximum", MISSING))
        return str(MISSING)

    def impossible_date(self, schema: Any) -> str | None:
        s = branch(self.doc, schema)
        return next((d for d in IMPOSSIBLE_DATES if accepts(s, d)), None)


def with_value(body: Any, path: tuple, value: Any) -> Any:
    body = copy.deepcopy(body) if isinstance(body, dict) else {}
    node = body
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value
    return body


def body_schema(op) -> Any:
    content = (op.spec.get("requestBody") or {}).get("content") or {}
    media = content.get("application/json")
    return None if media is None else media.get("schema", {})


def body_example(doc: dict, op) -> Any:
    media = ((op.spec.get("requestBody") or {}).get("content") or {}).get("application/json") or {}
    if "example" in media:
        return media["example"]
    for example in (media.get("examples") or {}).values():
        example = resolve(doc, example)
        if "value" in example:
            return example["value"]
    return None


def path_params(doc: dict, op) -> dict[str, dict]:
    out = {}
    for param in [*op.path_item.get("parameters", []), *op.spec.get("parameters", [])]:
        param = resolve(doc, param)
        if param.get("in") == "path":
            out[param["name"]] = resolve(doc, param.get("schema") or {})
    return out


def required_query(builder: Builder, doc: dict, op) -> dict:
    out = {}
    for param in [*op.path_item.get("parameters", []), *op.spec.get("parameters", [])]:
        param = resolve(doc, param)
        if param.get("in") == "query" and param.get("required"):
            out[param["name"]] = builder.value(param.get("schema") or {}, param["name"])
    return out


class OperationRequests:
    """Requests for one operation, built from the spec and the seed of one tenant: its path with
    real ids (or ids that do not exist), its required query, a body from its schema. `seed`
    names the seeded choice of ids, so each test makes its own and keeps it; `builder` is the
    Builder (sub)class that fills in the values."""

    def __init__(self, runtime, vendor: str, op, tenant: str | None, *, seed: str,
                 builder: type[Builder] = Builder):
        self.vendor, self.op = vendor, op
        self.doc = runtime.vendors[vendor].document
        self.rnd = random.Random(seed)
        self.b = builder(runtime, vendor, tenant, self.doc, self.rnd)
        self.params = path_params(self.doc, op)
        self.schema = body_schema(op)
        self.has_body = "requestBody" in op.spec
        self.real = self.real_path_values()
        self.query = required_query(self.b, self.doc, op)

    # paths -------------------------------------------------------------------------------------
    def real_path_values(self) -> dict | None:
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

    def missing_path_values(self) -> dict:
        out = {}
        for name in re.findall(r"{([^}]+)}", self.op.path):
            schema = self.params.get(name, {})
            text = str(MISSING)
            out[name] = text if accepts(schema, text) or schema.get("type") == "integer" \
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
        return self.real_url or self.url(self.missing_path_values())

    # bodies ------------------------------------------------------------------------------------
    def base_body(self) -> Any:
        if not self.has_body:
            return None
        if self.schema is None:  # no JSON form of the body: nothing to build it from
            return None
        return self.b.value(self.schema)
