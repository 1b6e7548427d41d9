"""A hostile-input corpus generated from a vendor's spec: for each operation, requests that a
careless server answers with a 500, an HTML page of its own, or a poisoned record.

Nothing here names a vendor. Each operation's spec gives its path, its parameters and the schema
of its body; the corpus takes a valid request (path ids of records the calling tenant holds,
required parameters at their example, default or simplest value, the body's example or the
smallest body its schema allows) and spoils one thing at a time. A case says whether the promise
requires a refusal (`must_refuse`: the value is no instance of its schema, or no JSON, or no
Unicode at all) or allows either an answer or a refusal (a value that is odd but valid).

Cases are wire-level: the path is the raw, percent-encoded request path; the query string, the
header values and the body are raw bytes. The in-process layer turns them into a WSGI environ
the way a server would (PATH_INFO percent-decoded, as latin-1); the live layer writes them to a
socket as they are.
"""
from __future__ import annotations

import base64
import copy
import json
import random
import re
import zlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import quote, quote_from_bytes

from jsonschema import Draft202012Validator

from mockserver.core.spec import Operation, operations

HUGE_BODY = 11 * 1024 * 1024      # past any sane body limit
DEEP = 10_000                     # levels of nesting
MEGA = 1024 * 1024                # a 1 MB string
HUGE_HEADER = 64 * 1024
MANY_HEADERS = 200
HUGE_URL = 20 * 1024

# Text that is valid Unicode but trips naive handling: bidi controls, RTL scripts, astral-plane
# emoji with modifiers and joiners, stacked combining marks.
ODD_TEXT = {
    "rtl": "\u202eabc\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u200f",
    "emoji": "\U0001F600\U0001F44D\U0001F3FD\u200d\U0001F469\u200d\U0001F4BB \U0001F1FA\U0001F1E6",
    "combining": "e\u0301\u0308\u20dd" + "\u0336" * 40 + "Z\u0351\u0352\u0353\u0354",
}
NON_ASCII_DIGITS = {"arabic-indic": "\u0661\u0662", "fullwidth": "\uff11\uff12",
                    "devanagari": "\u0967\u0968"}
CATEGORIES = (
    "malformed_json", "wrong_content_type", "empty_body", "deep_body", "huge_headers", "huge_query", "invalid_utf8", "nul_bytes", "lone_surrogate", "traversal",
    "big_numbers", "negative_numbers", "floats_for_integers", "arrays_for_scalars",
    "wrong_types", "duplicated_query", "odd_text", "non_ascii_digits", "padded_numbers",
    "nan_infinity", "bad_credentials", "huge_strings", "huge_body",
)  # the heavy ones last: an accepted 11 MB body makes every later request of the run slower
_IDENTITY = re.compile(r"mail|pass|key|token|secret|login|user_?name", re.I)
_MARK = "\x00corpus-mark\x00"
_MARK_JSON = json.dumps(_MARK).encode()


@dataclass(frozen=True)
class Case:
    category: str
    label: str                  # what was spoiled, for a reader of a failure
    method: str
    path: bytes                 # raw request path, percent-encoded as on the wire
    query: bytes = b""          # raw query string, without '?'
    headers: tuple[tuple[str, bytes], ...] = ()
    body: bytes | None = None
    content_type: str | None = None
    must_refuse: bool = False
    operation: str = ""
    chunked: bool = False       # live layer: send the body chunked, without Content-Length

    @property
    def target(self) -> bytes:
        return self.path + (b"?" + self.query if self.query else b"")

    def describe(self) -> str:
        size = len(self.body) if self.body is not None else 0
        target = self.target.decode("latin-1")
        if len(target) > 160:
            target = target[:150] + f"...({len(self.target)} bytes)"
        return (f"[{self.category}] {self.label}: {self.method} {target}"
                + (f" ct={self.content_type!r}" if self.content_type is not None else "")
                + (f" body={size}B" if self.body is not None else ""))


# -- schemas ---------------------------------------------------------------------------------
class Schemas:
    """$ref resolution and the smallest valid value of a schema."""

    def __init__(self, document: dict):
        self.document = document

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 32:
            target: Any = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            extra = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **extra} if extra else target
            seen += 1
        if isinstance(node, dict) and "allOf" in node:
            merged: dict = {k: v for k, v in node.items() if k != "allOf"}
            for part in node["allOf"]:
                part = self.resolve(part)
                for key, value in part.items():
                    if key == "properties":
                        merged["properties"] = {**merged.get("properties", {}), **value}
                    elif key == "required":
                        merged["required"] = [*merged.get("required", []), *value]
                    elif key in ("anyOf", "oneOf"):  # each part's choice is kept
                        merged.setdefault("x-corpus-choices", []).append(value)
                    else:
                        merged.setdefault(key, value)
            node = merged
        return node

    def branch(self, schema: dict) -> dict:
        """The schema with each oneOf/anyOf choice (its own, and those its allOf parts make)
        settled on the first option that is not null: required and properties merged in."""
        schema = self.resolve(schema)
        choices = [schema[k] for k in ("oneOf", "anyOf") if k in schema]
        choices += schema.get("x-corpus-choices", [])
        if not choices:
            return schema
        merged = {k: v for k, v in schema.items()
                  if k not in ("oneOf", "anyOf", "x-corpus-choices")}
        for options in choices:
            options = [self.resolve(o) for o in options]
            options = [o for o in options if o.get("type") != "null"] or options
            if not options:
                continue
            chosen = self.branch(options[0])
            for key, value in chosen.items():
                if key == "required":
                    merged["required"] = list(dict.fromkeys([*merged.get("required", []),
                                                             *value]))
                elif key == "properties":
                    merged["properties"] = {**merged.get("properties", {}), **value}
                else:
                    merged.setdefault(key, value)
        return merged

    def kind(self, schema: dict) -> str | None:
        schema = self.branch(schema)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        if kind is None:
            if "properties" in schema:
                return "object"
            if "items" in schema:
                return "array"
            if "enum" in schema and schema["enum"]:
                return {str: "string", bool: "boolean", int: "integer",
                        float: "number"}.get(type(schema["enum"][0]))
        return kind

    def sample(self, schema: Any, depth: int = 0) -> Any:
        schema = self.branch(schema or {})
        for key in ("const",):
            if key in schema:
                return copy.deepcopy(schema[key])
        if "example" in schema:
            return copy.deepcopy(schema["example"])
        if schema.get("examples"):
            return copy.deepcopy(schema["examples"][0])
        if "default" in schema:
            return copy.deepcopy(schema["default"])
        if schema.get("enum"):
            return copy.deepcopy(next((v for v in schema["enum"] if v is not None),
                                      schema["enum"][0]))
        kind = self.kind(schema)
        if kind == "object" or depth > 8:
            props = schema.get("properties", {})
            names = list(schema.get("required", []))
            # minProperties: optional ones too, not those that name who the caller is (an
            # e-mail, a password, a key): the valid request must not lock its caller out
            optional = sorted((n for n in props if n not in names),
                              key=lambda n: bool(_IDENTITY.search(n)))
            for name in optional:
                if len(names) >= int(schema.get("minProperties", 0)):
                    break
                names.append(name)
            return {name: self._named(name, props.get(name, {}), depth + 1)
                    for name in names if depth <= 8}
        if kind == "array":
            count = int(schema.get("minItems", 0))
            return [self.sample(schema.get("items", {}), depth + 1) for _ in range(count)]
        if kind == "integer":
            low = schema.get("minimum")
            if low is None and "exclusiveMinimum" in schema:
                low = schema["exclusiveMinimum"] + 1
            value = max(int(low), 1) if low is not None else 1
            return min(value, int(schema["maximum"])) if "maximum" in schema else value
        if kind == "number":
            return float(max(schema.get("minimum", 1), 1))
        if kind == "boolean":
            return False
        if kind == "null":
            return None
        fmt = schema.get("format", "")
        text = {"email": "corpus@example.com", "date": "2026-06-01",
                "date-time": "2026-06-01T00:00:00Z", "uri": "https://example.com/",
                "url": "https://example.com/", "uuid": "00000000-0000-4000-8000-000000000000",
                "time": "12:00:00"}.get(fmt, "corpus")
        return text.ljust(int(schema.get("minLength", 0)), "x")

    def _named(self, name: str, schema: Any, depth: int) -> Any:
        """A property's sample; a string field named like an e-mail address holds one."""
        value = self.sample(schema, depth)
        if isinstance(value, str) and "email" in name.lower() and "@" not in value:
            return "corpus@example.com"
        return value

    def violates(self, schema: Any, value: Any) -> bool:
        """Whether `value` is no instance of `schema` (formats not checked: they are lenient)."""
        try:
            return not Draft202012Validator(self._inline(schema)).is_valid(value)
        except Exception:  # a schema jsonschema cannot take: no verdict, so no promise
            return False

    def _inline(self, node: Any, depth: int = 0) -> Any:
        """The schema with every $ref replaced by its target (allOf and the rest left as
        they are), for jsonschema."""
        if depth > 20:
            return {}
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 32:
            target: Any = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            seen += 1
        if isinstance(node, dict):
            return {k: self._inline(v, depth + 1) if k not in ("example", "examples", "enum",
                                                                 "const", "default") else v
                    for k, v in node.items() if not k.startswith("x-")}
        if isinstance(node, list):
            return [self._inline(v, depth + 1) for v in node]
        return node

    def leaves(self, schema: Any, path: tuple = (), depth: int = 0) -> list[tuple[tuple, dict]]:
        """(path, schema) of every scalar field of a body schema; a list step is index 0."""
        schema = self.branch(schema or {})
        kind = self.kind(schema)
        if depth > 6:
            return []
        if kind == "object":
            out = []
            for name, sub in schema.get("properties", {}).items():
                out += self.leaves(sub, path + (name,), depth + 1)
            return out
        if kind == "array":
            return self.leaves(schema.get("items", {}), path + (0,), depth + 1)
        if kind in ("string", "integer", "number", "boolean"):
            return [(path, schema)]
        return []

    def at(self, schema: Any, path: tuple) -> dict:
        for step in path:
            schema = self.branch(schema)
            schema = (schema.get("items", {}) if isinstance(step, int)
                      else schema.get("properties", {}).get(step, {}))
        return self.branch(schema)

    def place(self, schema: Any, body: Any, path: tuple, value: Any) -> Any:
        """A copy of `body` with the field at `path` set to `value`, building what is missing."""
        body = copy.deepcopy(body)
        if not path:
            return value
        if not isinstance(body, (dict, list)):
            body = self.sample(schema)
        node, sub = body, schema
        for i, step in enumerate(path):
            sub = self.branch(sub)
            last = i == len(path) - 1
            child_schema = (sub.get("items", {}) if isinstance(step, int)
                            else sub.get("properties", {}).get(step, {}))
            if isinstance(step, int):
                if not isinstance(node, list):
                    raise ValueError(f"no list at {path[:i]}")
                if not node:
                    node.append(self.sample(child_schema))
                step = 0
            elif not isinstance(node, dict):
                raise ValueError(f"no object at {path[:i]}")
            if last:
                node[step] = value
                break
            child = node[step] if isinstance(node, list) else node.get(step)
            if not isinstance(child, (dict, list)):
                child = self.sample(child_schema)
                if not isinstance(child, (dict, list)):
                    child = [] if self.kind(child_schema) == "array" else {}
                node[step] = child
            node = child
            sub = child_schema
        return body


def spliced(body: Any, raw: bytes) -> bytes:
    """`body` as JSON with the marker value replaced by raw JSON text (or invalid bytes)."""
    return json.dumps(body, ensure_ascii=True).encode().replace(_MARK_JSON, raw)


# -- one vendor's corpus -----------------------------------------------------------------------
@dataclass
class Param:
    name: str
    where: str
    schema: dict
    required: bool
    valid: str             # a valid value as text


@dataclass
class Target:
    """An operation and the valid request every case spoils one part of."""
    op: Operation
    params: list[Param]
    path_values: dict[str, str]
    body_type: str | None          # the JSON media type the op declares, if any
    body_schema: dict | None
    body_required: bool
    base_body: Any
    declared_types: tuple[str, ...]
    form_types: tuple[str, ...]

    @property
    def takes_json(self) -> bool:
        return self.body_type is not None


class VendorCorpus:
    """The corpus of one vendor. `records` are the calling tenant's collections (to find path
    ids that exist); `headers` are a valid caller's (vendor.sample_headers)."""

    def __init__(self, name: str, document: dict, headers: dict[str, str],
                 records: dict[str, list[dict]], prefix: str | None = None):
        self.name = name
        self.document = document
        self.schemas = Schemas(document)
        self.headers = dict(headers)
        self.records = records
        self.prefix = f"/{name}" if prefix is None else prefix
        # operations not served yet (x-sandbox-unserved) answer 501 by design: left out
        self.operations = [op for op in operations(document) if not op.unserved]
        self.targets = {op.operation_id: self._target(op) for op in self.operations}
        self.template = (document.get("x-sandbox-errors") or {}).get("envelope")

    # the valid request ----------------------------------------------------------------------
    def _target(self, op: Operation) -> Target:
        params = []
        declared = {}
        for raw in [*op.path_item.get("parameters", []), *op.spec.get("parameters", [])]:
            param = self.schemas.resolve(raw)
            declared[(param["name"], param["in"])] = param  # the operation's overrides
        for (name, where), param in declared.items():
            if where not in ("path", "query"):
                continue
            schema = self.schemas.resolve(param.get("schema", {}))
            example = param.get("example", schema.get("example"))
            if example is None and param.get("examples"):
                example = next(iter(param["examples"].values())).get("value")
            valid = example if example is not None else self.schemas.sample(schema)
            if isinstance(valid, list):
                valid = valid[0] if valid else ""
            params.append(Param(name, where, schema, bool(param.get("required")) or
                                where == "path", _text(valid)))
        path_values = self._path_ids(op, [p for p in params if p.where == "path"])
        for p in params:
            if p.where == "path" and p.name in path_values:
                p.valid = path_values[p.name]
        content = op.spec.get("requestBody", {}).get("content", {})
        body_type = next((t for t in content if t == "application/json" or t.endswith("+json")),
                         None)
        body_schema = base_body = None
        if body_type:
            media = content[body_type]
            body_schema = media.get("schema", {})
            base_body = (copy.deepcopy(media["example"]) if "example" in media else
                         self.schemas.sample(body_schema))
        forms = tuple(t for t in content if t in ("multipart/form-data",
                                                  "application/x-www-form-urlencoded"))
        return Target(op, params, path_values, body_type, body_schema,
                      bool(op.spec.get("requestBody", {}).get("required")), base_body,
                      tuple(content), forms)

    def _path_ids(self, op: Operation, params: list[Param]) -> dict[str, str]:
        """Values of the path parameters that name records the tenant holds: a record with a
        field of each parameter's name (`case_id`; `case_ids` -> `case_id`), or, for `id`, the
        collection the path names just before it. A parameter's example wins."""
        wanted = {p.name: p for p in params}
        out: dict[str, str] = {}
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", op.path)]

        def fields(name: str) -> list[str]:
            base = re.sub(r"^more_", "", name)
            return list(dict.fromkeys([name, base, re.sub(r"_ids$", "_id", base),
                                       re.sub(r"ids$", "id", base), "id"]))

        def ranked_collections(name: str) -> list[str]:
            before = op.path.split("{" + name + "}")[0]
            near = [w.lower() for w in re.findall(r"[A-Za-z]+", before)][-1:]
            return sorted(self.records, key=lambda c: (
                not any(c.lower().rstrip("s") == w.rstrip("s") for w in near),
                not any(c.lower().rstrip("s") == w.rstrip("s") for w in words), c))

        # A record holding every parameter at once (a message of that case), when one exists.
        names = [p.name for p in params if p.name not in out]
        for collection in ranked_collections(names[-1]) if names else []:
            for record in self.records[collection][:50]:
                found = {}
                for name in names:
                    key = next((f for f in fields(name) if f in record and f != "id"), None)
                    if key is None and "id" in record and len(names) == 1 and \
                            collection == ranked_collections(name)[0]:
                        key = "id"
                    if key is None:
                        break
                    found[name] = record[key]
                else:
                    if len(found) == len(names):
                        out.update({n: _text(v) for n, v in found.items()})
                        break
            if len(out) == len(names):
                break
        # Bulk paths name two ids: `more_` takes another record's.
        for name in names:
            if name.startswith("more_") and name in out:
                key = re.sub(r"_ids$", "_id", name[len("more_"):])
                for collection in ranked_collections(name):
                    others = [r[key] for r in self.records[collection][:50]
                              if key in r and _text(r[key]) != out[name]]
                    if others:
                        out[name] = _text(others[0])
                        break
        for p in params:
            example = p.schema.get("example")
            if example is not None and p.name not in out:
                out[p.name] = _text(example)
            out.setdefault(p.name, p.valid)
        return out

    # building requests ----------------------------------------------------------------------
    def path(self, target: Target, values: dict[str, bytes] | None = None) -> bytes:
        """The wire path with valid ids, or with `values` (raw, already encoded) in their place."""
        values = values or {}

        def fill(match):
            name = match.group(1)
            if name in values:
                return values[name].decode("latin-1")
            return quote(target.path_values.get(name, "1"), safe="")
        return (self.prefix + re.sub(r"\{([^}]+)\}", fill, target.op.path)).encode("latin-1")

    def query(self, target: Target, replace_with: dict[str, list[bytes]] | None = None,
              extra: bytes = b"") -> bytes:
        """The required query parameters at valid values; `replace_with` sets a parameter to
        raw (encoded) values, one `name=value` per item."""
        replace_with = replace_with or {}
        parts = []
        for p in target.params:
            if p.where != "query":
                continue
            name = quote(p.name, safe="").encode()
            if p.name in replace_with:
                parts += [name + b"=" + v for v in replace_with[p.name]]
            elif p.required:
                parts.append(name + b"=" + quote(p.valid, safe="").encode())
        if extra:
            parts.append(extra)
        return b"&".join(parts)

    def header_items(self, extra: Iterable[tuple[str, bytes]] = (),
                     replace_with: dict[str, bytes] | None = None) -> tuple:
        replace_with = replace_with or {}
        items = [(k, replace_with.get(k, v.encode("latin-1"))) for k, v in self.headers.items()]
        return tuple(items) + tuple(extra)

    def base(self, target: Target, **changes) -> Case:
        body = content_type = None
        if target.takes_json and target.base_body is not None:
            body = json.dumps(target.base_body).encode()
            content_type = target.body_type
        case = Case("baseline", "the valid request", target.op.method, self.path(target),
                    self.query(target), self.header_items(), body, content_type,
                    operation=target.op.operation_id)
        return replace(case, **changes)

    def baseline(self, operation_id: str) -> Case:
        return self.base(self.targets[operation_id])

    # the corpus -------------------------------------------------------------------------------
    def cases(self, operation_id: str) -> list[Case]:
        target = self.targets[operation_id]
        found: list[Case] = []
        for make in (self._body_cases, self._field_cases, self._param_cases,
                     self._path_cases, self._header_cases, self._query_cases):
            found += list(make(target))
        return found

    def sample(self, operation_id: str, per_category: int = 2) -> list[Case]:
        """A few cases of each category, the same ones on every run."""
        rng = random.Random(zlib.crc32(f"{self.name}.{operation_id}".encode()))
        by_category: dict[str, list[Case]] = {}
        for case in self.cases(operation_id):
            by_category.setdefault(case.category, []).append(case)
        chosen = []
        for category in CATEGORIES:
            group = by_category.get(category, [])
            heavy = category in ("huge_body", "deep_body", "huge_strings")
            chosen += rng.sample(group, min(len(group), 1 if heavy else per_category))
        return chosen

    def _body_cases(self, t: Target) -> Iterator[Case]:
        refuse = t.takes_json  # a body the operation parses; others may be ignored
        json_type = t.body_type or "application/json"
        base = self.base(t, body=b"", content_type=json_type)
        good = json.dumps(t.base_body if t.takes_json else {}).encode()

        def case(category, label, body, content_type=json_type, must=refuse):
            return replace(base, category=category, label=label, body=body,
                           content_type=content_type, must_refuse=must)

        for label, raw in (("unclosed object", b"{"), ("missing value", b'{"a":}'),
                           ("missing colon", b'{"a" 1}'), ("single quotes", b"{'a': 1}"),
                           ("double comma", b"[1,,2]"), ("trailing brace", good + b"}"),
                           ("trailing comma", b'{"a":1,}'), ("bad escape", b'{"a":"\\x"}'),
                           ("short unicode escape", b'{"a":"\\u12"}'),
                           ("truncated", good[: max(1, len(good) // 2)]),
                           ("comment", b'/* c */' + good), ("bare word", b"undefined"),
                           ("two documents", good + b" " + good)):
            yield case("malformed_json", label, raw)
        yield case("malformed_json", "byte order mark", b"\xef\xbb\xbf" + good, must=False)

        declared = set(t.declared_types)
        for ct in ("text/plain", "application/xml", "application/octet-stream",
                   "application/jsonx", "json", "*/*", "text/html; charset=\xff",
                   "application/x-www-form-urlencoded", "multipart/form-data",
                   "multipart/form-data; boundary=", "application/json; charset=utf-16",
                   "application/json;;;", ""):
            mimetype = ct.split(";")[0].strip().lower()
            must = refuse and mimetype not in declared and mimetype != ""
            if ct.startswith("multipart/") and mimetype in declared:
                must = refuse  # declared, but no boundary: nothing readable
            if ct == "application/json; charset=utf-16":
                must = False
            yield case("wrong_content_type", f"Content-Type {ct!r}", good, ct, must)
        if t.form_types:
            for ct in t.form_types:
                yield case("wrong_content_type", f"{ct} with garbage", b"%ff%fe=%00&&&=",
                           ct + ("; boundary=x" if ct.startswith("multipart/") else ""),
                           False)

        yield case("empty_body", "no bytes", b"", must=refuse and t.body_required)
        for label, raw in (("null", b"null"), ("empty string", b'""'), ("empty array", b"[]"),
                           ("zero", b"0"), ("whitespace", b" \r\n\t ")):
            must = refuse and (label == "whitespace" and t.body_required or
                               label != "whitespace" and t.body_schema is not None and
                               self.schemas.violates(t.body_schema, json.loads(raw)))
            yield case("empty_body", label, raw, must=must)
        if t.takes_json:
            yield case("empty_body", "empty object", b"{}",
                       must=self.schemas.violates(t.body_schema, {}))

        leaves = self.schemas.leaves(t.body_schema) if t.takes_json else []
        first, holder = self.holder(t)
        yield case("huge_body", "11 MB string field", self.huge_json(t))
        yield case("huge_body", "11 MB array", b"[" + b"0," * (HUGE_BODY // 2) + b"0]")
        yield case("deep_body", "10,000 nested arrays", b"[" * DEEP + b"]" * DEEP)
        yield case("deep_body", "10,000 nested objects",
                   b'{"a":' * DEEP + b"1" + b"}" * DEEP,
                   must=refuse and self.schemas.violates(t.body_schema, {"a": {}}))
        if first is not None:
            yield case("deep_body", f"10,000 nested arrays in {_dotted(first)}",
                       spliced(holder, b"[" * DEEP + b"]" * DEEP))
        for ct in t.form_types:
            name = (first[0] if first else "corpus")
            deep = name.encode() + b"[a]" * DEEP + b"=1"
            if ct.startswith("multipart/"):
                raw = (b"--x\r\nContent-Disposition: form-data; name=\"" + deep[:-2] +
                       b"\"\r\n\r\n1\r\n--x--\r\n")
                yield case("deep_body", "10,000 bracket levels in a multipart name", raw,
                           ct + "; boundary=x", False)
            else:
                yield case("deep_body", "10,000 bracket levels in a form name", deep, ct, False)

        yield case("nan_infinity", "NaN at the top", b"NaN")
        for token in (b"NaN", b"Infinity", b"-Infinity"):
            if not leaves:
                yield case("nan_infinity", f"{token.decode()} in a field",
                           spliced({"corpus": _MARK}, token))
        yield case("invalid_utf8", "raw 0xff in the body", b'{"a": "\xff\xfe"}')
        yield case("nul_bytes", "raw NUL in the body", b'{"a": "\x00"}')
        yield case("nul_bytes", "NUL byte alone", b"\x00")

    def holder(self, t: Target) -> tuple[tuple | None, Any]:
        """The valid body with its first string field set to the marker (spliced() fills it),
        or an object of one unknown field when the body has no string field."""
        leaves = self.schemas.leaves(t.body_schema) if t.takes_json else []
        strings = [(p, s) for p, s in leaves if self.schemas.kind(s) == "string"]

        def plain(path, schema):  # free text the valid body already has: size is its only fault
            return (_has(t.base_body, path) and not _IDENTITY.search(str(path[-1])) and
                    not {"format", "pattern", "enum", "maxLength", "const"} & set(schema))
        first = next((p for p, s in strings if plain(p, s)), strings[0][0] if strings else None)
        if first is not None:
            try:
                return first, self.schemas.place(t.body_schema, t.base_body, first, _MARK)
            except (ValueError, TypeError):
                pass
        return None, {"corpus": _MARK}

    def huge_json(self, t: Target) -> bytes:
        """An 11 MB body valid but for its size: the first string field holds 11 MB."""
        return spliced(self.holder(t)[1], b'"' + b"x" * HUGE_BODY + b'"')

    def _field_cases(self, t: Target) -> Iterator[Case]:
        if not t.takes_json:
            return
        base = self.base(t)
        for path, schema in self.schemas.leaves(t.body_schema):
            kind = self.schemas.kind(schema)
            where = _dotted(path)
            try:
                self.schemas.place(t.body_schema, t.base_body, path, _MARK)
            except ValueError:
                continue

            def put(category, label, value=None, raw=None, must=None):
                if raw is not None:
                    body = spliced(self.schemas.place(t.body_schema, t.base_body, path, _MARK),
                                   raw)
                    verdict = True if must is None else must
                else:
                    whole = self.schemas.place(t.body_schema, t.base_body, path, value)
                    body = json.dumps(whole).encode()
                    # judged as a whole body against the published schema (a vendor's declared
                    # leniency, e.g. PHP scalars, is part of it)
                    verdict = self.schemas.violates(t.body_schema, whole) if must is None \
                        else must
                return replace(base, category=category, label=f"{label} in {where}",
                               body=body, must_refuse=verdict)

            for token in ("NaN", "Infinity", "-Infinity"):
                yield put("nan_infinity", token, raw=token.encode())
            yield put("arrays_for_scalars", "a list", value=[self.schemas.sample(schema)])
            yield put("wrong_types", "an object", value={"a": 1})
            yield put("wrong_types", "null", value=None)
            if kind == "string":
                yield put("lone_surrogate", "\\ud800", raw=b'"\\ud800"')
                yield put("lone_surrogate", "\\udfff inside text", raw=b'"a\\udfffb"')
                yield put("lone_surrogate", "reversed pair", raw=b'"\\udc00\\ud800"')
                yield put("invalid_utf8", "0xff 0xfe", raw=b'"\xff\xfe"')
                yield put("invalid_utf8", "UTF-8 of a surrogate", raw=b'"\xed\xa0\x80"')
                yield put("invalid_utf8", "overlong slash", raw=b'"\xc0\xaf"')
                yield put("nul_bytes", "raw NUL", raw=b'"a\x00b"')
                yield put("nul_bytes", "escaped NUL", value="a\x00b")
                for label, text in ODD_TEXT.items():
                    yield put("odd_text", label, value=text)
                yield put("huge_strings", "1 MB string", value="x" * MEGA)
                yield put("wrong_types", "a number", value=12)
                yield put("big_numbers", "10^30 for a string", value=10**30)
            elif kind in ("integer", "number"):
                for value in (10**30, -10**30):
                    yield put("big_numbers", str(value)[:6], value=value)
                yield put("big_numbers", "1e999", raw=b"1e999")
                yield put("negative_numbers", "-1", value=-1)
                if kind == "integer":
                    yield put("floats_for_integers", "1.5", value=1.5)
                    yield put("floats_for_integers", "-0.5", value=-0.5)
                    yield put("floats_for_integers", "1e-7", value=1e-7)
                    yield put("padded_numbers", "' 1 ' as a string", value=" 1 ")
                    yield put("non_ascii_digits", "Arabic-Indic digits",
                              value=NON_ASCII_DIGITS["arabic-indic"])
                yield put("wrong_types", "a numeric string", value="1")
                yield put("wrong_types", "true", value=True)
            elif kind == "boolean":
                yield put("wrong_types", "'true' as a string", value="true")
                yield put("wrong_types", "1", value=1)

    def _param_cases(self, t: Target) -> Iterator[Case]:
        """Query parameters, one at a time."""
        base = self.base(t)
        for p in [p for p in t.params if p.where == "query"]:
            for category, label, values, must in self._values(p):
                yield replace(base, category=category, label=f"{label} in ?{p.name}",
                              query=self.query(t, {p.name: values}), must_refuse=must)
            valid = quote(p.valid, safe="").encode()
            yield replace(base, category="duplicated_query", label=f"?{p.name} twice",
                          query=self.query(t, {p.name: [valid, valid]}))
            other = quote(self._other(p), safe="").encode()
            yield replace(base, category="duplicated_query",
                          label=f"?{p.name} twice, different values",
                          query=self.query(t, {p.name: [valid, other]}))
            yield replace(base, category="arrays_for_scalars", label=f"?{p.name}[]=",
                          query=self.query(t, extra=quote(p.name).encode() + b"%5B%5D=" + valid))
            yield replace(base, category="huge_query", label=f"20 KB ?{p.name}",
                          query=self.query(t, {p.name: [b"9" * HUGE_URL]}),
                          must_refuse=self._verdict(p.schema, "9" * HUGE_URL))

    def _path_cases(self, t: Target) -> Iterator[Case]:
        base = self.base(t)
        for p in [p for p in t.params if p.where == "path"]:
            for category, label, values, must in self._values(p, in_path=True):
                yield replace(base, category=category, label=f"{label} in {{{p.name}}}",
                              path=self.path(t, {p.name: values[0]}), must_refuse=must)
            yield replace(base, category="traversal", label=f"'..' as {{{p.name}}}",
                          path=self.path(t, {p.name: b".."}))
            yield replace(base, category="traversal", label=f"'%2e%2e' as {{{p.name}}}",
                          path=self.path(t, {p.name: b"%2e%2e"}))
            yield replace(base, category="traversal", label=f"'%2f' in {{{p.name}}}",
                          path=self.path(t, {p.name: b"1%2f..%2f1"}))
        path = self.path(t)
        inner = path[len(self.prefix):]
        segments = inner.split(b"/")
        first = b"/" + segments[1] if len(segments) > 1 else b""
        rest = inner[len(first):]
        prefix = self.prefix.encode()
        for label, raw in (
                ("/../ back into the path", prefix + first + b"/../" + inner.lstrip(b"/")),
                ("%2e%2e back into the path", prefix + first + b"/%2e%2e/" + inner.lstrip(b"/")),
                ("/./ in the path", prefix + first + b"/." + rest),
                ("/../ out of the vendor", prefix + b"/../" + prefix.lstrip(b"/") + inner),
                ("// after the vendor", prefix + b"/" + inner),
                ("// inside the path", prefix + first + b"/" + rest),
                ("\\ for /", prefix + first + b"\\" + rest.lstrip(b"/")),
                ("%5c for /", prefix + first + b"%5c" + rest.lstrip(b"/")),
                ("trailing /", path + b"/")):
            yield replace(base, category="traversal", label=label, path=raw)

    def _header_cases(self, t: Target) -> Iterator[Case]:
        base = self.base(t)
        yield replace(base, category="huge_headers", label="one 64 KB header",
                      headers=self.header_items([("X-Corpus-Pad", b"a" * HUGE_HEADER)]))
        yield replace(base, category="huge_headers", label="200 header fields",
                      headers=self.header_items(
                          [(f"X-Corpus-{i}", b"v") for i in range(MANY_HEADERS)]))
        for name, value in self.headers.items():
            scheme, _, secret = value.partition(" ")
            scheme = scheme if secret else ""
            lead = (scheme + " ").encode() if scheme else b""
            bad = {"empty": b"", "scheme only": scheme.encode() or b"-",
                   "64 KB": lead + b"A" * HUGE_HEADER,
                   "NUL inside": value.encode("latin-1") + b"\x00",
                   "high bytes": lead + b"\xff\xfe\xfd",
                   "RTL and emoji": lead + ODD_TEXT["rtl"].encode(),
                   "padded": b" " + value.encode("latin-1") + b" x"}
            if scheme.lower() == "basic":
                bad["not base64"] = b"Basic !!!"
                bad["base64 of invalid UTF-8"] = b"Basic " + base64.b64encode(b"\xff:\xfe")
                bad["base64 without a colon"] = b"Basic " + base64.b64encode(b"user")
                bad["base64 of a lone surrogate"] = b"Basic " + base64.b64encode(
                    b"\xed\xa0\x80:x")
            for label, raw in bad.items():
                yield replace(base, category="bad_credentials", label=f"{name}: {label}",
                              headers=self.header_items(replace_with={name: raw}),
                              must_refuse=True)

    def _query_cases(self, t: Target) -> Iterator[Case]:
        base = self.base(t)
        yield replace(base, category="huge_query", label="20 KB unknown parameter",
                      query=self.query(t, extra=b"corpus=" + b"q" * HUGE_URL))
        yield replace(base, category="invalid_utf8", label="0xff in an unknown parameter",
                      query=self.query(t, extra=b"corpus=%ff%fe&%ff=1"))
        yield replace(base, category="nul_bytes", label="NUL in an unknown parameter",
                      query=self.query(t, extra=b"corpus=%00&%00=1"))

    # parameter values ---------------------------------------------------------------------------
    def _values(self, p: Param, in_path: bool = False) -> Iterator[tuple[str, str, list, bool]]:
        """(category, label, raw encoded values, must_refuse) for one parameter."""
        schema = self.schemas.branch(p.schema)
        kind = self.schemas.kind(schema)
        listed = kind == "array"  # '1,2' may be a list's own spelling (a comma dialect)
        if listed:
            schema = self.schemas.branch(schema.get("items", {}))
            kind = self.schemas.kind(schema)

        def v(category, label, text=None, raw=None, must=None):
            encoded = raw if raw is not None else quote(text, safe="").encode()
            verdict = must if must is not None else self._verdict(schema, text)
            return category, label, [encoded], verdict

        if kind in ("integer", "number"):
            yield v("big_numbers", "10^30", str(10**30))
            yield v("big_numbers", "-10^30", str(-10**30))
            yield v("negative_numbers", "-1", "-1")
            yield v("floats_for_integers", "1.5", "1.5")
            yield v("floats_for_integers", "1e3", "1e3")
            yield v("floats_for_integers", "0x10", "0x10")
            yield v("padded_numbers", "' 1 '", " 1 ")
            yield v("padded_numbers", "' 1'", " 1")
            yield v("padded_numbers", "'1 '", "1 ")
            yield v("padded_numbers", "tab 1", "\t1")
            yield v("padded_numbers", "'+1'", "+1")
            yield v("padded_numbers", "'1_000'", "1_000")
            for label, digits in NON_ASCII_DIGITS.items():
                yield v("non_ascii_digits", label, digits)
            yield v("nan_infinity", "NaN", "NaN")
            yield v("nan_infinity", "Infinity", "Infinity")
            yield v("nan_infinity", "-inf", "-inf")
            yield v("arrays_for_scalars", "'1,2'", "1,2", must=False if listed else None)
            yield v("wrong_types", "'abc'", "abc")
            yield v("wrong_types", "'true'", "true")
            yield v("invalid_utf8", "0xff", raw=b"1%ff", must=True)
            yield v("nul_bytes", "NUL", raw=b"1%00", must=True)
            yield v("lone_surrogate", "UTF-8 of a surrogate", raw=b"%ed%a0%80", must=True)
            yield v("odd_text", "RTL digits", "\u202e12")
            yield v("huge_strings", "1 MB of digits", "1" * (MEGA if not in_path else HUGE_URL))
        elif kind == "boolean":
            yield v("wrong_types", "'maybe'", "maybe")
            yield v("padded_numbers", "' true '", " true ")
            yield v("nan_infinity", "NaN", "NaN")
            yield v("invalid_utf8", "0xff", raw=b"%ff", must=True)
            yield v("nul_bytes", "NUL", raw=b"true%00", must=True)
        else:
            for label, text in ODD_TEXT.items():
                yield v("odd_text", label, text)
            yield v("huge_strings", "1 MB string" if not in_path else "20 KB string",
                    "x" * (MEGA if not in_path else HUGE_URL))
            yield v("invalid_utf8", "0xff 0xfe", raw=b"%ff%fe", must=False)
            yield v("invalid_utf8", "overlong slash", raw=b"%c0%af", must=False)
            yield v("lone_surrogate", "UTF-8 of a surrogate", raw=b"%ed%a0%80", must=False)
            yield v("nul_bytes", "NUL", "a\x00b")
            yield v("non_ascii_digits", "Arabic-Indic digits", NON_ASCII_DIGITS["arabic-indic"])
            yield v("padded_numbers", "' 1 '", " 1 ")
            yield v("big_numbers", "10^30", str(10**30))

    def _verdict(self, schema: dict, text: str | None) -> bool:
        """Must a parameter of `schema` given as `text` be refused? Yes when the text is no
        strict spelling of the type (ASCII digits for an integer, JSON's number syntax, true or
        false) or the value breaks the schema's bounds, enum, length or pattern."""
        if text is None:
            return True
        schema = self.schemas.branch(schema)
        kind = self.schemas.kind(schema)
        if kind == "array":
            return self._verdict(schema.get("items", {}), text)
        value: Any = text
        if kind == "integer":
            if not re.fullmatch(r"-?[0-9]+", text):
                return True
            # past Python's digit limit: as huge as any number the schema's bounds consider
            value = int(text) if len(text) < 4000 else int(text[:300])
        elif kind == "number":
            if not re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?", text):
                return True
            value = float(text) if any(c in text for c in ".eE") else int(text)
            if value in (float("inf"), float("-inf")):
                return True
        elif kind == "boolean":
            if text not in ("true", "false"):
                return True
            value = text == "true"
        return self.schemas.violates(schema, value)

    def _other(self, p: Param) -> str:
        kind = self.schemas.kind(p.schema)
        if kind in ("integer", "number"):
            return "2"
        if kind == "boolean":
            return "true" if p.valid != "true" else "false"
        enum = self.schemas.branch(p.schema).get("enum") or []
        return _text(next((e for e in enum if _text(e) != p.valid), p.valid + "x"))

    # after the corpus ---------------------------------------------------------------------------
    def readers(self, operation_id: str, limit: int = 6) -> list[str]:
        """Reads of the collections an operation touches: GET operations of the same resource
        (the first path word the vendor's paths do not all share) whose path parameters the
        operation also has, so they can be asked with the same ids. After a DELETE only those
        without path parameters (the record may rightly be gone)."""
        target = self.targets[operation_id]
        mine = set(target.path_values)
        group = self._resource(target.op.path)
        found = []
        for op in self.operations:
            if op.method != "GET":
                continue
            other = self.targets[op.operation_id]
            names = set(other.path_values)
            if not names <= mine or (names and target.op.method == "DELETE"):
                continue
            if self._resource(op.path) != group and op.path != target.op.path:
                continue
            found.append(op)
        found.sort(key=lambda op: (op.path != target.op.path, op.path.count("{"), len(op.path)))
        return [op.operation_id for op in found[:limit]]

    def reader_case(self, reader_id: str, operation_id: str) -> Case:
        """A reader asked with the ids the operation's corpus used."""
        reader, target = self.targets[reader_id], self.targets[operation_id]
        values = {k: quote(v, safe="").encode() for k, v in target.path_values.items()
                  if k in reader.path_values}
        return self.base(reader, path=self.path(reader, values),
                         category="reader", label=f"reader {reader_id}")

    def _resource(self, path: str) -> str:
        if not hasattr(self, "_shared"):
            split = [re.findall(r"[A-Za-z0-9_-]+", op.path) for op in self.operations]
            shared = 0
            while all(len(s) > shared + 1 for s in split) and \
                    len({s[shared].lower() for s in split}) == 1:
                shared += 1
            self._shared = shared
        words = re.findall(r"[A-Za-z0-9_-]+", path)
        word = words[self._shared] if len(words) > self._shared else ""
        return re.sub(r"(json|xml)$", "", word.lower().split(".")[0]).rstrip("s")


def _has(body: Any, path: tuple) -> bool:
    for step in path:
        if isinstance(step, int):
            if not isinstance(body, list) or not body:
                return False
            body = body[0]
        elif isinstance(body, dict) and step in body:
            body = body[step]
        else:
            return False
    return True


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _dotted(path: tuple) -> str:
    return ".".join("[]" if isinstance(s, int) else str(s) for s in path) or "(body)"


# -- judging an answer -------------------------------------------------------------------------
def envelope_problems(template: Any, body: Any, status: int, where: str = "") -> list[str]:
    """How `body` differs from the shape of the vendor's envelope template: the same keys and
    nesting, the {code} and {message} leaves non-empty strings, {status} the HTTP status, and
    every literal leaf as the template has it."""
    here = where or "(body)"
    if isinstance(template, dict):
        if not isinstance(body, dict):
            return [f"{here} is {type(body).__name__}, the envelope has an object"]
        problems = []
        if set(body) != set(template):
            problems.append(f"{here} keys {sorted(body)} != envelope keys {sorted(template)}")
        for key in template:
            if key in body:
                problems += envelope_problems(template[key], body[key], status,
                                              f"{where}.{key}" if where else key)
        return problems
    if isinstance(template, list):
        if not isinstance(body, list) or len(body) != len(template):
            return [f"{here} is not a list of {len(template)}"]
        return [p for t, b, i in zip(template, body, range(len(body)))
                for p in envelope_problems(t, b, status, f"{where}[{i}]")]
    if template == "{status}":
        return [] if body == status and isinstance(body, int) and not isinstance(body, bool) \
            else [f"{here} is {body!r}, the HTTP status is {status}"]
    if isinstance(template, str) and ("{code}" in template or "{message}" in template):
        if not isinstance(body, str) or not body.strip():
            return [f"{here} is {body!r}, not a non-empty string"]
        return []
    return [] if body == template else [f"{here} is {body!r}, the envelope has {template!r}"]


def judge(case: Case, template: Any, status: int, content_type: str | None,
          raw: bytes) -> list[str]:
    """The promise for one answer: never 5xx (nor a redirect or another oddity), a refusal where
    one is due, and every 4xx in the vendor's envelope."""
    excerpt = " ".join(raw[:240].decode("utf-8", "replace").split())[:200]
    if status >= 500:
        return [f"{status}: {excerpt}"]
    if not (200 <= status < 300 or 400 <= status < 500):
        return [f"{status} (neither an answer nor a refusal): {excerpt}"]
    if status < 300:
        return [f"accepted with {status}, a refusal is due: {excerpt}"] if case.must_refuse else []
    try:
        body = json.loads(raw)
    except ValueError:
        return [f"{status} with a body that is not JSON ({content_type}): {excerpt}"]
    problems = envelope_problems(template, body, status)
    return [f"{status} not in the envelope ({'; '.join(problems)}): {excerpt}"] if problems else []


def categories_of(cases: Iterable[Case]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for case in cases:
        counts[case.category] = counts.get(case.category, 0) + 1
    return counts


# -- what only a real HTTP server sees --------------------------------------------------------------
LIVE_CATEGORIES = ("huge_headers", "huge_request_line", "raw_bytes_in_request_line", "traversal",
                   "huge_body", "bad_framing")


def live_cases(vc: VendorCorpus, operation_id: str) -> list[Case]:
    """Wire-level cases of one operation for a live server: what an in-process client cannot
    send (a request line or header past the server's limits, raw bytes in the request line,
    chunked bodies, lying framing)."""
    t = vc.targets[operation_id]
    base = vc.base(t)
    takes_body = t.takes_json
    path, query = base.path, base.query
    inner = path[len(vc.prefix):]
    prefix = vc.prefix.encode()
    head, _, tail = inner.lstrip(b"/").partition(b"/")
    out = []

    def case(category, label, must=False, **changes):
        out.append(replace(base, category=category, label=label, must_refuse=must, **changes))

    case("huge_headers", "one 64 KB header",
         headers=vc.header_items([("X-Corpus-Pad", b"a" * HUGE_HEADER)]))
    case("huge_headers", "200 header fields",
         headers=vc.header_items([(f"X-Corpus-{i}", b"v") for i in range(MANY_HEADERS)]))
    for name in vc.headers:
        case("huge_headers", f"64 KB {name}", must=True,
             headers=vc.header_items(replace_with={name: b"A" * HUGE_HEADER}))
    case("huge_headers", "a 9 KB header name", headers=vc.header_items([("X" * 9000, b"v")]))
    case("huge_request_line", "20 KB query", query=(query + b"&" if query else b"")
         + b"corpus=" + b"q" * HUGE_URL)
    case("huge_request_line", "20 KB path segment", must=True,
         path=path + b"/" + b"a" * HUGE_URL)
    case("raw_bytes_in_request_line", "raw 0xff 0xfe in the path", must=True,
         path=path + b"\xff\xfe")
    case("raw_bytes_in_request_line", "raw 0xff in the query",
         query=(query + b"&" if query else b"") + b"corpus=\xff\xfe")
    case("raw_bytes_in_request_line", "raw NUL in the path", must=True, path=path + b"\x00")
    case("raw_bytes_in_request_line", "raw NUL in the query",
         query=(query + b"&" if query else b"") + b"corpus=a\x00b")
    case("raw_bytes_in_request_line", "raw UTF-8 RTL text in the query",
         query=(query + b"&" if query else b"") + b"corpus=" + ODD_TEXT["rtl"].encode())
    case("raw_bytes_in_request_line", "raw space in the path", must=True,
         path=path + b" x")
    case("traversal", "// after the vendor", path=prefix + b"/" + inner)
    case("traversal", "// inside the path", path=prefix + b"/" + head + b"//" + tail)
    case("traversal", "\\ for /", path=prefix + b"/" + head + b"\\" + tail)
    case("traversal", "/../ back into the path", path=prefix + b"/" + head + b"/../" + inner[1:])
    case("traversal", "%2e%2e back into the path",
         path=prefix + b"/" + head + b"/%2e%2e/" + inner[1:])
    case("traversal", "/../ out of every vendor", path=prefix + b"/../../../etc/passwd")
    case("traversal", "absolute-form target", path=b"http://127.0.0.1" + path)
    holder = vc.huge_json(t) if takes_body else b"x" * HUGE_BODY
    json_type = t.body_type or "application/json"
    case("huge_body", "11 MB with Content-Length", must=takes_body, body=holder,
         content_type=json_type)
    case("huge_body", "11 MB chunked", must=takes_body, body=holder, content_type=json_type,
         chunked=True)
    good = base.body if base.body is not None else b"{}"
    for label, extra in (("Content-Length: abc", [("Content-Length", b"abc")]),
                         ("Content-Length: -1", [("Content-Length", b"-1")]),
                         ("two different Content-Lengths",
                          [("Content-Length", str(len(good)).encode()),
                           ("Content-Length", str(len(good) + 1).encode())]),
                         ("Content-Length with chunked",
                          [("Content-Length", str(len(good)).encode()),
                           ("Transfer-Encoding", b"chunked")])):
        case("bad_framing", label, must=True, body=good, content_type=json_type,
             headers=vc.header_items(extra))
    # an operation without a body never reads it: a broken chunk there may go unnoticed
    # Framed by the case itself: a chunk size that is no hex number, then a proper end.
    case("bad_framing", "chunk size 'zz'", must=takes_body, body=b"zz\r\n" + good + b"\r\n0\r\n\r\n",
         content_type=json_type, headers=vc.header_items([("Transfer-Encoding", b"chunked")]))
    return out


def live_operations(vc: VendorCorpus, full: bool) -> list[str]:
    """Every operation, or one of each shape: a list, a read by id, and a write with a body."""
    if full:
        return [op.operation_id for op in vc.operations]
    picks = []
    for wanted in (lambda t: t.op.method == "GET" and not t.path_values,
                   lambda t: t.op.method == "GET" and t.path_values,
                   lambda t: t.takes_json):
        found = next((op.operation_id for op in vc.operations
                      if wanted(vc.targets[op.operation_id])), None)
        if found and found not in picks:
            picks.append(found)
    return picks
