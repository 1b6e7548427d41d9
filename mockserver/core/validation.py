"""Request validation with openapi-core, before every view.

The route already names the operation, so the validator skips openapi-core's path finding and
goes straight to the operation's parameters and body, and runs openapi-core's own per-parameter
step only for the parameters a request gives (and the required ones it lacks): what an absent
parameter yields (its default, or nothing) is worked out once. openapi-core would rebuild casters,
validators and format checkers on every call; it is handed factories that build each schema's
once (`_BuiltOnce`). Validation is a pure function of the request's declared inputs, so each
operation also keeps a bounded memo of outcomes keyed by exactly those inputs (core.memo), for
requests without a body (a body is never kept: each distinct one would stay in memory). A
repeated request costs a dictionary look-up; a new one is validated in full. Nothing is skipped:
undeclared inputs are not part of the key because openapi-core ignores them too.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

from .lazy import import_without

import_without("jsonschema_path", "requests")  # urllib for remote $refs (the specs have none)
from jsonschema_path import SchemaPath  # noqa: E402
from openapi_core import V31RequestUnmarshaller  # noqa: E402
from openapi_core.datatypes import Parameters, RequestParameters  # noqa: E402
from openapi_core.deserializing.media_types.exceptions import MediaTypeDeserializeError  # noqa: E402
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound  # noqa: E402
from openapi_core.validation.request.exceptions import (  # noqa: E402
    MissingParameter, MissingRequestBody, MissingRequiredParameter, MissingRequiredRequestBody,
    ParameterValidationError, ParametersError, RequestBodyValidationError)
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue  # noqa: E402
from werkzeug.datastructures import Headers, ImmutableMultiDict  # noqa: E402

from .memo import Memo  # noqa: E402
from .spec import Operation  # noqa: E402


@dataclass(frozen=True)
class Invalid:
    """Why a request does not match its operation: `kind` is validation or unsupported_media_type.
    `code` is the vendor's own code for this parameter, when its spec names one."""
    kind: str
    message: str
    field: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class Valid:
    query: Mapping[str, Any]
    path: Mapping[str, Any]
    body: Any


class OperationValidator:
    CACHE_SIZE = 2048

    def __init__(self, unmarshaller: V31RequestUnmarshaller, document: SchemaPath, op: Operation):
        self._u = unmarshaller
        self._path = document / "paths" / op.path
        self._op = self._path / op.method.lower()
        params = list(op.path_item.get("parameters", [])) + list(op.spec.get("parameters", []))
        resolved = [_deref(document, p) for p in params]
        self._query_names = tuple(p["name"] for p in resolved if p.get("in") == "query")
        self.query_names = self._query_names
        # x-sandbox-error-codes: {missing: CODE, invalid: CODE} names a vendor's own codes.
        self._codes = {p["name"]: p["x-sandbox-error-codes"] for p in resolved
                       if "x-sandbox-error-codes" in p}
        self._header_names = tuple(p["name"] for p in resolved if p.get("in") == "header")
        self._cookie_names = tuple(p["name"] for p in resolved if p.get("in") == "cookie")
        self._has_body = "requestBody" in op.spec
        self._outcomes = Memo(self.CACHE_SIZE)
        self._params = self._declared_parameters(document, op)
        self._absent: dict[tuple[str, str], tuple] = {}
        self._values = Memo(4096)  # one parameter's outcome by its raw values

    def _declared_parameters(self, document: SchemaPath, op: Operation) -> list[tuple]:
        """(name, location, parameter, by_name) in openapi-core's own order (the operation's,
        then the path item's not overridden). `by_name`: the request carries the parameter
        exactly when its name is there (not a deepObject or object, which read other keys)."""
        out, seen = [], set()
        for owner, raw in ((self._op, op.spec), (self._path, op.path_item)):
            for index, declared in enumerate(raw.get("parameters", [])):
                resolved = _deref(document, declared)
                name, where = resolved["name"], resolved["in"]
                if (name, where) in seen:
                    continue
                seen.add((name, where))
                schema = resolved.get("schema", {})
                schema = _deref(document, schema) if isinstance(schema, dict) else {}
                by_name = ("content" not in resolved and resolved.get("style") != "deepObject"
                           and schema.get("type") != "object")
                items = schema.get("items", {}) if schema.get("type") == "array" else schema
                items = _deref(document, items) if isinstance(items, dict) else {}
                strict = _STRICT.get(items.get("type")) if by_name and where != "path" else None
                out.append((name, where, owner / "parameters" / index, by_name, strict))
        return out

    def _parameters(self, parameters: RequestParameters) -> Parameters:
        """openapi-core's `_get_parameters`, but an absent parameter's outcome (its default, or
        nothing) is worked out once: a Deskie case list declares 36 parameters and a request
        gives three or four. Every parameter the request gives, and every required one it
        lacks, goes through openapi-core's own `_get_parameter` as before."""
        errors, validated = [], Parameters()
        for name, where, param, by_name, strict in self._params:
            if strict is not None and name in parameters[where]:
                bad = _not_strictly_numeric(parameters[where], name, strict)
                if bad is not None:
                    errors.append(NotANumber(name, where, bad, strict))
                    continue
            if by_name and name not in parameters[where]:
                absent = self._absent.get((name, where))
                if absent is None:
                    absent = self._absent[(name, where)] = self._outcome_when_absent(param)
                if absent[0] == "skip":
                    continue
                if absent[0] == "value":
                    getattr(validated, where)[name] = copy.deepcopy(absent[1])
                    continue
            outcome = self._one(parameters, name, where, param, by_name)
            if outcome[0] == "skip":
                continue
            if outcome[0] == "error":
                errors.append(outcome[1])
                continue
            getattr(validated, where)[name] = copy.deepcopy(outcome[1])
        if errors:
            raise ParametersError(errors=errors, parameters=validated)
        return validated

    def _one(self, parameters: RequestParameters, name: str, where: str, param: SchemaPath,
             by_name: bool) -> tuple:
        """openapi-core's own step for one parameter; its outcome depends on that parameter's
        raw values alone, so it is kept per value (short values only: a few thousand each)."""
        source = parameters[where]
        raw = (tuple(source.getlist(name)) if hasattr(source, "getlist") else
               (source.get(name),)) if by_name else None
        key = (name, where, raw)
        if raw is not None and sum(len(str(v)) for v in raw) <= 256:
            return self._values.get(key, lambda: self._run_one(parameters, param))
        return self._run_one(parameters, param)

    def _run_one(self, parameters: RequestParameters, param: SchemaPath) -> tuple:
        try:
            return ("value", self._u._get_parameter(parameters, param))
        except MissingParameter:
            return ("skip",)
        except ParameterValidationError as exc:
            return ("error", exc)

    def _outcome_when_absent(self, param: SchemaPath) -> tuple:
        empty = RequestParameters(query=ImmutableMultiDict(), header=Headers(),
                                  cookie=ImmutableMultiDict(), path={})
        try:
            return ("value", self._u._get_parameter(empty, param))
        except MissingParameter:
            return ("skip",)
        except ParameterValidationError:
            return ("check",)  # required: the full call names the problem

    def validate(self, query: ImmutableMultiDict, headers: Mapping[str, str],
                 cookies: Mapping[str, str], path: Mapping[str, str],
                 content_type: str | None, body: bytes | None) -> Valid | Invalid:
        q = tuple((n, tuple(query.getlist(n))) for n in self._query_names if n in query)
        h = tuple((n, headers.get(n)) for n in self._header_names if n in headers)
        c = tuple((n, cookies.get(n)) for n in self._cookie_names if n in cookies)
        run = lambda: self._validate(  # noqa: E731
            ImmutableMultiDict([(n, v) for n, vs in q for v in vs]), Headers(list(h)),
            ImmutableMultiDict(list(c)), dict(path), content_type, body)
        if body:  # a body is never kept: each distinct one would stay in memory
            return run()
        return self._outcomes.get((q, h, c, tuple(sorted(path.items())), content_type), run)

    def _validate(self, query, headers, cookies, path, content_type, body) -> Valid | Invalid:
        parameters = RequestParameters(query=query, header=headers, cookie=cookies, path=path)
        try:
            params = self._parameters(parameters)
        except ParametersError as exc:
            problem = _parameter_problem(exc.errors[0])
            codes = self._codes.get(problem.field or "")
            if codes:
                missing = problem.message.startswith("missing")
                code = codes.get("missing" if missing else "invalid") or codes.get("invalid")
                problem = Invalid(problem.kind, problem.message, problem.field, code)
            return problem
        parsed = None
        if self._has_body:
            try:
                parsed = self._u._get_body(body or b"", content_type or "application/json",
                                           self._op) if body or content_type else None
                if parsed is None:
                    self._u._get_body(b"", "application/json", self._op)
            except MissingRequestBody:
                parsed = None
            except MissingRequiredRequestBody:
                return Invalid("validation", "the request body is required")
            except MediaTypeNotFound:
                return Invalid("unsupported_media_type",
                               f"unsupported Content-Type {content_type!r}")
            except RequestBodyValidationError as exc:
                return _body_problem(exc)
        return Valid(dict(params.query), dict(params.path), parsed)


# Numbers in a query or header as the spec's types mean them: ASCII digits, no padding (Python's
# int() would read " 1 " and "١٢" too). Path integers are held to the same by the router.
_STRICT = {"integer": re.compile(r"-?[0-9]+"),
           "number": re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")}


class NotANumber(Exception):
    def __init__(self, name: str, location: str, value: str, pattern: re.Pattern):
        kind = "integer" if pattern is _STRICT["integer"] else "number"
        super().__init__(f"invalid {location} parameter '{name}': {value!r} is not a valid {kind}")
        self.name, self.location = name, location


def _not_strictly_numeric(source, name: str, pattern: re.Pattern) -> str | None:
    values = source.getlist(name) if hasattr(source, "getlist") else [source.get(name)]
    for value in values:
        for piece in str(value).split(","):
            if piece and pattern.fullmatch(piece) is None:
                return piece
    return None


def _deref(document: SchemaPath, node: dict) -> dict:
    ref = node.get("$ref")
    if not ref:
        return node
    target = document
    for part in ref.lstrip("#/").split("/"):
        target = target / part
    return target.read_value() if hasattr(target, "read_value") else dict(target)


def _schema_reason(cause: BaseException | None) -> str:
    if isinstance(cause, InvalidSchemaValue) and cause.schema_errors:
        first = cause.schema_errors[0]
        if first.validator == "enum" and len(first.message) > 160:  # a long list says little
            return f"{first.instance!r} is not one of the allowed values"
        return first.message
    if cause is not None and getattr(cause, "value", None) is not None and getattr(cause, "type", None):
        return f"{cause.value!r} is not a valid {cause.type}"
    return str(cause) if cause else "invalid value"


def _parameter_problem(error: Exception) -> Invalid:
    name = getattr(error, "name", None) or "?"
    where = getattr(error, "location", None) or "query"
    if isinstance(error, (MissingRequiredParameter, MissingParameter)):
        return Invalid("validation", f"missing required {where} parameter '{name}'", name)
    if isinstance(error, ParameterValidationError):
        cause = error.__cause__
        if cause is None and "empty" in type(error).__name__.lower():
            return Invalid("validation", f"{where} parameter '{name}' must not be empty", name)
        return Invalid("validation", f"invalid {where} parameter '{name}': {_schema_reason(cause)}",
                       name)
    return Invalid("validation", str(error), name)


def _body_problem(exc: RequestBodyValidationError) -> Invalid:
    cause = exc.__cause__
    if isinstance(cause, MediaTypeNotFound):
        return Invalid("unsupported_media_type", f"unsupported Content-Type {cause.mimetype!r}; "
                       f"send one of {list(cause.availableMimetypes)}")
    if isinstance(cause, MediaTypeDeserializeError):
        return Invalid("validation", "the request body could not be parsed as "
                       f"{cause.mimetype}")
    if isinstance(cause, InvalidSchemaValue) and cause.schema_errors:
        first = cause.schema_errors[0]
        field = ".".join(str(p) for p in first.absolute_path)
        if first.validator == "required" and first.message.endswith("is a required property"):
            field = ".".join([*map(str, first.absolute_path),
                              first.message.split("'")[1]]).strip(".")
            return Invalid("validation", f"request body field '{field}' is required", field)
        where = f"request body field '{field}'" if field else "request body"
        # x-sandbox-error-code on the schema that refused the value names the vendor's own code
        code = first.schema.get("x-sandbox-error-code") if isinstance(first.schema, dict) else None
        return Invalid("validation", f"invalid {where}: {first.message}", field or None, code)
    return Invalid("validation", f"invalid request body: {cause or exc}")


class _BuiltOnce:
    """An openapi-core schema validator or unmarshaller factory that builds each schema's object
    once. openapi-core builds one (with a deep copy of its format checker) for every parameter
    on every call: 36 of them, 8 ms, for a Deskie case list. The objects it builds hold no
    request state, so one per schema serves every request."""

    def __init__(self, factory):
        self._factory = factory
        self._built: dict[tuple, Any] = {}

    def create(self, spec, schema, *args, **kwargs):
        key = (id(spec), _identity(schema), *map(_identity, args),
               *((k, _identity(v)) for k, v in sorted(kwargs.items())))
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = self._factory.create(spec, schema, *args, **kwargs)
        return built

    def __getattr__(self, name):
        return getattr(self._factory, name)


def _identity(value):
    """Schemas by their place in the document; format tables, given as fresh dicts of the same
    functions, by content."""
    if isinstance(value, SchemaPath):
        return tuple(value.parts)
    if isinstance(value, dict):
        return tuple((k, id(v)) for k, v in sorted(value.items()))
    return value


def build_validators(document: dict, ops: list[Operation]) -> dict[str, OperationValidator]:
    spec_path = SchemaPath.from_dict(document)
    made = V31RequestUnmarshaller
    unmarshaller = V31RequestUnmarshaller(
        spec_path,
        schema_casters_factory=_BuiltOnce(made.schema_casters_factory),
        schema_validators_factory=_BuiltOnce(made.schema_validators_factory),
        schema_unmarshallers_factory=_BuiltOnce(made.schema_unmarshallers_factory))
    unmarshaller.style_deserializers_factory = _BuiltOnce(
        unmarshaller.style_deserializers_factory)
    return {op.operation_id: OperationValidator(unmarshaller, spec_path, op) for op in ops}


def json_body(raw: Any) -> bytes:
    return json.dumps(raw).encode()
