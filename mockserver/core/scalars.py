"""Scalar leniency as a style a vendor declares (`x-sandbox-scalars: php` in its spec): request
bodies read the way PHP reads them, and the published spec says the same.

PHP services take `"14"` for an integer, `14` for a string and `"true"`/`"1"`/`"0"` for a
boolean, and form and multipart bodies carry nothing but strings. For such a vendor:

- the loader (`lenient_bodies`) rewrites every JSON request-body schema so that it admits
  exactly those spellings: an integer also as a string of digits (only where the spec's bounds
  can be said by a pattern: no bound, or a minimum of 0 or 1), a boolean also as
  `"true"/"false"/"1"/"0"` or `1/0`, a plain string (no pattern, format or enum) also as a
  number. The original schema stays beside it (`x-sandbox-strict-schema`), so Schemathesis'
  negative data and the sandbox agree on what is refused;
- after validation, `coerce` turns the accepted spellings into the types the strict schema
  names, so views only ever see integers, booleans and strings where the spec says so.

Form and multipart bodies are always coerced by their JSON schema (their values are strings).
"""
from __future__ import annotations

import copy
import re
from typing import Any

from .dialects import Repeated

STRICT = "x-sandbox-strict-schema"
_INT = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_TRUE, _FALSE = ("true", "1"), ("false", "0")


def _digits_pattern(schema: dict) -> str | None:
    """A pattern for the strings of digits within the integer's bounds, when one can say them."""
    if any(k in schema for k in ("maximum", "exclusiveMaximum", "exclusiveMinimum",
                                 "multipleOf", "enum", "const")):
        return None
    low = schema.get("minimum")
    return {None: r"^-?[0-9]+$", 0: r"^[0-9]+$", 1: r"^0*[1-9][0-9]*$"}.get(low)


class _Lenient:
    def __init__(self, document: dict):
        self.schemas = document.setdefault("components", {}).setdefault("schemas", {})
        self.made: dict[str, str] = {}

    def ref(self, ref: str) -> str:
        name = ref.rsplit("/", 1)[-1]
        if not ref.startswith("#/components/schemas/") or name not in self.schemas:
            return ref
        if name not in self.made:
            lenient_name = f"{name}Lenient"
            self.made[name] = f"#/components/schemas/{lenient_name}"
            self.schemas[lenient_name] = {}  # placeholder first: schemas may be recursive
            self.schemas[lenient_name] = self.node(self.schemas[name])
        return self.made[name]

    def node(self, schema: Any) -> Any:
        if not isinstance(schema, dict):
            return schema
        out = dict(schema)
        if "$ref" in out:
            out["$ref"] = self.ref(out["$ref"])
        for key in ("properties", "patternProperties"):
            if isinstance(out.get(key), dict):
                out[key] = {name: self.node(s) for name, s in out[key].items()}
        for key in ("items", "additionalProperties", "then", "else", "if"):
            if isinstance(out.get(key), dict):
                out[key] = self.node(out[key])
        for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
            if isinstance(out.get(key), list):
                out[key] = [self.node(s) for s in out[key]]
        kind = out.get("type")
        if kind == "integer":
            pattern = _digits_pattern(out)
            if pattern:
                return {"anyOf": [out, {"type": "string", "pattern": pattern}]}
        elif kind == "boolean":
            return {"anyOf": [out, {"type": "string", "enum": ["true", "false", "1", "0"]},
                              {"type": "integer", "enum": [0, 1]}]}
        elif kind == "string" and not any(k in out for k in ("pattern", "format", "enum",
                                                               "const", "contentEncoding")):
            return {"anyOf": [out, {"type": "number"}]}
        return out


def lenient_bodies(document: dict) -> dict:
    """The loader's rule for `x-sandbox-scalars: php`: every JSON request body admits PHP's
    spellings of scalars; the strict schema is kept beside it for `coerce`."""
    if document.get("x-sandbox-scalars") != "php":
        return document
    rewrite = _Lenient(document)
    for item in document.get("paths", {}).values():
        for op in item.values():
            media = ((op.get("requestBody") or {}).get("content") or {}).get("application/json") \
                if isinstance(op, dict) else None
            if media and "schema" in media and STRICT not in media:
                media[STRICT] = copy.deepcopy(media["schema"])
                media["schema"] = rewrite.node(media["schema"])
    return document


class Coercer:
    """Values turned into the types a (strict) schema names, where PHP would read them so.

    With `form=True` (a form or multipart body, read by core.dialects) the shape is settled too:
    a repeated name is all its values where the schema says an array and its last one
    elsewhere, and one plain value where the schema says only an array is a list of it
    (`a[b]=x`: the exploded form generic clients send, with one item)."""

    def __init__(self, document: dict, form: bool = False):
        self.document = document
        self.form = form

    def _kinds(self, schema: dict, depth: int = 0) -> set:
        kind = schema.get("type")
        kinds = set(kind if isinstance(kind, list) else [kind]) - {None}
        for key in ("allOf", "anyOf", "oneOf"):
            for branch in schema.get(key) or ():
                if depth < 8:
                    kinds |= self._kinds(self._deref(branch), depth + 1)
        return kinds

    def _shape(self, value: Any, schema: dict) -> Any:
        kinds = self._kinds(schema)
        if isinstance(value, Repeated):
            return list(value) if "array" in kinds else value[-1]
        if kinds == {"array"} and not isinstance(value, (dict, list)) and value is not None:
            return [value]
        return value

    def _deref(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            node: Any = self.document
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            schema, seen = node, seen + 1
        return schema if isinstance(schema, dict) else {}

    def coerce(self, value: Any, schema: Any) -> Any:
        value = self._coerce(value, schema)
        return _last_of_repeated(value) if self.form else value

    def _coerce(self, value: Any, schema: Any) -> Any:
        schema = self._deref(schema)
        if self.form:
            value = self._shape(value, schema)
        for key in ("allOf", "anyOf", "oneOf"):
            for branch in schema.get(key) or ():
                value = self._coerce(value, branch)
        kind = schema.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if isinstance(value, dict):
            props = schema.get("properties") or {}
            extra = schema.get("additionalProperties")
            return {k: self._coerce(v, props[k]) if k in props else
                    self._coerce(v, extra) if isinstance(extra, dict) else v
                    for k, v in value.items()}
        if isinstance(value, list):
            items = schema.get("items")
            return [self._coerce(v, items) for v in value] if isinstance(items, dict) else value
        if isinstance(value, bool):
            return int(value) if "integer" in kinds and "boolean" not in kinds else value
        if isinstance(value, str):
            if "integer" in kinds and "string" not in kinds and _INT.fullmatch(value):
                return int(value)
            if "number" in kinds and "string" not in kinds and _NUMBER.fullmatch(value):
                number = float(value)
                return int(number) if number.is_integer() and _INT.fullmatch(value) else number
            if "boolean" in kinds and "string" not in kinds and value.lower() in _TRUE + _FALSE:
                return value.lower() in _TRUE
            return value
        if isinstance(value, (int, float)):
            if "boolean" in kinds and value in (0, 1) and "integer" not in kinds:
                return bool(value)
            if "string" in kinds and not ({"integer", "number"} & set(kinds)):
                return str(value) if not isinstance(value, float) or not value.is_integer() \
                    else str(int(value))
        return value


def _last_of_repeated(value: Any) -> Any:
    """A repeated name no schema called an array: its last value, as PHP keeps."""
    if isinstance(value, Repeated):
        return _last_of_repeated(value[-1])
    if isinstance(value, dict):
        return {k: _last_of_repeated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_last_of_repeated(v) for v in value]
    return value


def strict_schema(operation_spec: dict, media: str = "application/json") -> Any:
    """The schema a body is coerced by: the strict one kept by `lenient_bodies`, else the
    operation's JSON schema."""
    content = ((operation_spec.get("requestBody") or {}).get("content") or {})
    chosen = content.get(media) or content.get("application/json") or {}
    return chosen.get(STRICT, chosen.get("schema"))
