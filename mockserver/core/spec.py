"""Loading vendor specs and looking operations up in them."""
from __future__ import annotations

import copy
import hashlib
import marshal
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import scalars
from .unserved import is_unserved

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

    @property
    def unserved(self) -> bool:
        """Documented but not served yet (`x-sandbox-unserved: true`; core.unserved)."""
        return is_unserved(self.spec)

    def flask_rule(self) -> str:
        """The Werkzeug rule. A path parameter declared inline as a non-negative integer uses the
        `int` converter, so a static sibling (`/users/identification.json`) or a comma list
        (`/cases/11,12.json`) is not also claimed by `/users/{user_id}.json`: the router then
        answers 405 with an honest Allow header instead of routing to the wrong operation. A
        string parameter whose schema excludes words (`not: {enum: [merge]}`) leaves those
        words to the static sibling the same way (core.routing.ExceptConverter)."""
        params = [p for p in [*self.path_item.get("parameters", []),
                              *self.spec.get("parameters", [])] if p.get("in") == "path"]
        integers = {p["name"] for p in params if p.get("schema", {}).get("type") == "integer"
                    and p.get("schema", {}).get("minimum", -1) >= 0}
        excluded = {p["name"]: p["schema"]["not"]["enum"] for p in params
                    if isinstance(p.get("schema", {}).get("not"), dict)
                    and p["schema"]["not"].get("enum")}

        def converter(name: str) -> str:
            if name in integers:
                return "int:"
            if name in excluded:
                return "except(" + ", ".join(repr(str(w)) for w in excluded[name]) + "):"
            return ""
        return re.sub(r"\{([^}]+)\}", lambda m: "<{}{}>".format(
            converter(m.group(1)), _safe(m.group(1))), self.path)


def _safe(name: str) -> str:
    return re.sub(r"\W", "_", name)


def load_document(path: Path) -> dict:
    """A YAML document (a spec, a seed), read through a cache of parsed documents keyed by the
    file's bytes: building the objects is most of the time YAML takes, a marshalled copy loads
    ten times faster. The cache is only an accelerator: any problem with it reads the YAML."""
    raw = Path(path).read_bytes()
    cached = _cache_file(raw)
    if cached is not None:
        try:
            return marshal.loads(cached.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            pass
    document = yaml.load(raw, Loader=_Loader)
    if cached is not None:
        _keep(cached, document)
    return document


def _cache_file(raw: bytes) -> Path | None:
    """Where the parsed form of these bytes is kept: `MOCKSERVER_CACHE_DIR`, else the user's
    cache directory; None when caching is off (`MOCKSERVER_CACHE_DIR=off`)."""
    folder = os.environ.get("MOCKSERVER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "mockserver")
    if folder == "off":
        return None
    tag = f"{yaml.__version__}/{_Loader.__name__}/{sys.version_info[:2]}".encode()
    digest = hashlib.sha256(tag + b"\0" + raw).hexdigest()[:32]
    return Path(folder) / f"doc-{digest}.marshal"


def _keep(target: Path, document) -> None:
    try:
        data = marshal.dumps(document)
    except ValueError:  # a value marshal cannot write (a YAML timestamp): no cached copy
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)  # whole or not at all, with several processes starting
        for old in target.parent.glob("doc-*.marshal"):  # copies of files since changed
            if old.stat().st_mtime < time.time() - 30 * 86400:
                old.unlink(missing_ok=True)
    except OSError:
        pass


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
