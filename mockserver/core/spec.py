"""Loading vendor specs and looking operations up in them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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


def apply_sandbox_rules(document: dict) -> dict:
    """Rules a spec states once for all its operations, written into each operation, so the
    document that is served and validated against says them explicitly:
    `x-sandbox-body-limit.response` is the 413 answer of every operation that takes a body."""
    too_large = (document.get("x-sandbox-body-limit") or {}).get("response")
    for op in operations(document):
        if too_large and "requestBody" in op.spec:
            op.spec.setdefault("responses", {}).setdefault("413", {"$ref": too_large})
    return document


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
