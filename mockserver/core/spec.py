"""Loading vendor specs and looking operations up in them."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import scalars

try:  # the C loader is ten times faster on large specs, and start-up must stay under a second
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str          # upper case
    path: str            # as in the spec: /api/v1/goals/{id}
    spec: dict           # the operation object
    path_item: dict
    security: list = field(default_factory=list)
    access: Any = None   # core.access.OperationAccess, compiled by the registry at load

    @property
    def rate_bucket(self) -> str | None:
        return self.spec.get("x-sandbox-rate-bucket")

    @property
    def pagination(self) -> str | None:
        return self.spec.get("x-sandbox-pagination")

    @property
    def search_params(self) -> tuple[str, ...]:
        return tuple(self.spec.get("x-sandbox-search", ()))

    def flask_rule(self) -> str:
        """The Werkzeug rule. A path parameter declared inline as a non-negative integer uses the
        `int` converter, so a static sibling (`/users/identification.json`) or a comma list
        (`/cases/11,12.json`) is not also claimed by `/users/{user_id}.json`: the router then
        answers 405 with an honest Allow header instead of routing to the wrong operation."""
        integers = {p["name"] for p in [*self.path_item.get("parameters", []),
                                          *self.spec.get("parameters", [])]
                    if p.get("in") == "path" and p.get("schema", {}).get("type") == "integer"
                    and p.get("schema", {}).get("minimum", -1) >= 0}
        return re.sub(r"\{([^}]+)\}", lambda m: "<{}{}>".format(
            "int:" if m.group(1) in integers else "", _safe(m.group(1))), self.path)


def _safe(name: str) -> str:
    return re.sub(r"\W", "_", name)


def load_document(path: Path) -> dict:
    with open(path, "rb") as handle:
        return yaml.load(handle, Loader=_Loader)


BODY_MEDIA = {"json": "application/json", "form": "application/x-www-form-urlencoded",
              "multipart": "multipart/form-data"}


def apply_sandbox_rules(document: dict) -> dict:
    """Rules a spec states once for all its operations, written into each operation, so the
    document that is served and validated against says them explicitly:
    `x-sandbox-body-limit.response` is the 413 answer of every operation that takes a body (and
    `.unsupported_response` its 415);
    `x-sandbox-bodies: [json, form, multipart]` lists the encodings every JSON body may also
    come in (the same schema: bracketed names build the object, core.dialects);
    `x-sandbox-scalars: php` admits PHP's spellings of scalars in JSON bodies (core.scalars)."""
    too_large = (document.get("x-sandbox-body-limit") or {}).get("response")
    unsupported = (document.get("x-sandbox-body-limit") or {}).get("unsupported_response")
    encodings = [BODY_MEDIA[e] for e in document.get("x-sandbox-bodies") or ()]
    for op in operations(document):
        if "requestBody" not in op.spec:
            continue
        if too_large:
            op.spec.setdefault("responses", {}).setdefault("413", {"$ref": too_large})
        if unsupported:
            op.spec.setdefault("responses", {}).setdefault("415", {"$ref": unsupported})
        content = op.spec["requestBody"].setdefault("content", {})
        json_media = content.get("application/json")
        for media in encodings:
            if json_media is not None and media not in content:
                content[media] = {"schema": copy.deepcopy(json_media["schema"])}
            if media != "application/json" and media in content:
                _bracket_encoding(document, content[media])
    return scalars.lenient_bodies(document)


def _resolve(document: dict, schema: dict) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        node = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema if isinstance(schema, dict) else {}


def _bracket_encoding(document: dict, media: dict) -> None:
    """A form or multipart body's object and array fields travel as bracketed names
    (`case[subject]=x`, `case[labels][0]=1`), which OpenAPI's encoding calls `style: deepObject,
    explode: true`; without it a field that holds an object would be read as one JSON part
    (OpenAPI's default for multipart) or as its exploded properties (the default for forms)."""
    schema = _resolve(document, media.get("schema") or {})
    encoding = media.setdefault("encoding", {})
    for name, prop in (schema.get("properties") or {}).items():
        kinds = _resolve(document, prop).get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "object" in kinds or "array" in kinds:
            encoding.setdefault(name, {"style": "deepObject", "explode": True})
    if not encoding:
        del media["encoding"]


def operations(document: dict) -> list[Operation]:
    default_security = document.get("security", [])
    found = []
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            found.append(Operation(op["operationId"], method.upper(), path, op, item,
                                   op.get("security", default_security)))
    return found


def security_schemes(document: dict) -> dict[str, dict]:
    return document.get("components", {}).get("securitySchemes", {})
