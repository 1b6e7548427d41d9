"""How Schemathesis is pointed at a vendor's spec: its configuration (every phase, every check),
credentials, and the narrow, documented allowances for what a schema cannot say.

- Credentials go in through an auth provider, not a headers override: Schemathesis then leaves
  them out of the cases it deliberately sends without auth.
- Unknown query parameters are not generated: the vendors ignore them, as the real services do,
  so they are not negative data.
- Positive data must be accepted: a 2xx, or a refusal the operation's spec declares for a state
  the request cannot see from the schema — 404 only where the operation declares a 404 (an id
  that names no record), 403 only where it declares a 403 (an access or plan gate), 409 only
  where it declares a conflict. Nothing else: a 400 or 422 to a valid request fails.
- A rule between fields that a schema cannot state is listed in the spec's
  `x-sandbox-cross-field-rules` (`rule`: the words; `fields`: the parameters or body fields,
  dotted, it joins; `refusal`: its {status, code, message?}). A positive case that sends one of
  a rule's fields (or, for a rule with `applies: declared`, such as "give one of these", whose
  operation declares one) and gets exactly that rule's refusal (status, the envelope's error
  code, and `message` within its message) is not a failure of positive-data acceptance; any
  other refusal still is (`accepts_positive_data`). Nor is the refusal of a case whose data
  the spec itself refuses, which Schemathesis labelled positive all the same: a value the
  stateful phase carried from a response into a parameter with other bounds, or a body the
  coverage phase built without its nested `anyOf` (`spec_refuses`, checked with jsonschema).
- A DELETE the vendor documents as keeping the record (`x-sandbox-soft-delete: true`: Deskie's
  companies go to a restorable deleted list) may be followed by a read of it marked `deleted:
  true`; any other read after a DELETE must not find it (`no_use_after_free`).
- Form and multipart bodies are sent as the spec's `encoding` says: a field with `style:
  deepObject` goes as bracketed names (`case[subject]=x`, `case[labels][0]=1`), the PHP form.
  Schemathesis itself sends such a field as one JSON part (multipart) or as its exploded
  properties (form), OpenAPI's defaults; `bracketed_serializer` below fills that gap only.
  Bracketed names cannot spell an empty list or object (PHP reads none), nor an object key that
  is empty (`a[]` is the next item) or holds a bracket, so a generated body holding one goes as
  JSON, the encoding that can carry it (`sendable`).
- A negative body its schema admits after all is no negative data, and its acceptance is no
  failure of negative-data rejection (`negative_body_is_valid`, formats checked too). In JSON:
  Schemathesis mutates inside one branch of an `anyOf` that another admits (a number for a
  PHP-lenient string). In a form or multipart body a value is text: a negative body whose only
  violation is a type the text cannot show (`true` for a string field goes as "true", which is
  that string) is valid data on the wire (the body, its scalars as the text sent and read back
  as the schema's types the way the core reads every form body, passes the schema; any other
  violation still fails). A body that is
  no object has no form at all: it goes as no fields, an empty body, which is valid where the
  operation's body is optional.
"""
from __future__ import annotations

import json
import hashlib
from io import BytesIO

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from jsonschema import Draft202012Validator
from schemathesis.config import OperationConfig
from schemathesis.core import NotSet
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.core.parameters import ParameterLocation
from schemathesis.openapi.checks import RejectedPositiveData, UseAfterFree
from schemathesis.specs.openapi.checks import (_sent_form_fields, negative_data_rejection,
                                               positive_data_acceptance, use_after_free)
from schemathesis.transport.wsgi import WSGI_TRANSPORT
from werkzeug.datastructures import FileStorage, MultiDict

from mockserver.core.scalars import Coercer
from tests.conftest import sandbox_app

from . import served

# Refusals that answer the state of the sandbox rather than the shape of the request.
STATE_REFUSALS = ("403", "404", "409")
METHODS = ("get", "put", "post", "patch", "delete")


FORM_MEDIA = ("application/x-www-form-urlencoded", "multipart/form-data")
_DEFAULT_SERIALIZERS = {media: WSGI_TRANSPORT.get_first_matching_media_type(media)[1]
                        for media in FORM_MEDIA}


def _bracketed(name, value, out: MultiDict) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _bracketed(f"{name}[{key}]", item, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _bracketed(f"{name}[{index}]", item, out)
    elif isinstance(value, bool):
        out.add(name, "true" if value else "false")
    elif value is None:
        out.add(name, "")
    elif isinstance(value, (str, int, float)):
        out.add(name, str(value))
    else:  # a file
        data = value if isinstance(value, bytes) else getattr(value, "data", bytes(value))
        out.add(name, FileStorage(BytesIO(data), filename="upload.bin", name=name))


def _unspellable(value) -> bool:
    """Whether bracketed names cannot spell the value: an empty list or object, or a key that is
    empty (`a[]` means the next item) or holds a bracket."""
    if isinstance(value, dict):
        return not value or any(key == "" or "[" in key or "]" in key or _unspellable(item)
                                for key, item in value.items())
    if isinstance(value, list):
        return not value or any(_unspellable(item) for item in value)
    return False


def sendable(case):
    """The case in an encoding that can carry its body (see the module docstring)."""
    if case.media_type in FORM_MEDIA and isinstance(case.body, dict) \
            and any(_unspellable(v) for v in case.body.values()) \
            and case.operation.get_body_for_media_type("application/json") is not None:
        case.media_type = "application/json"
    return case


def bracketed_serializer(ctx, value):
    """The generated form or multipart body, its deepObject fields as bracketed names; any other
    body (negative data that is not an object) as Schemathesis sends it."""
    media = ctx.case.media_type
    definition = ctx.case.operation.get_body_for_media_type(media)
    encoding = (definition.definition.get("encoding") if definition is not None else None) or {}
    deep = {name for name, rule in encoding.items() if rule.get("style") == "deepObject"}
    if not isinstance(value, dict) or not deep & set(value):
        return _DEFAULT_SERIALIZERS[media](ctx, value)
    fields = MultiDict()
    for name, item in value.items():
        if name in deep or not isinstance(item, (dict, list)):
            _bracketed(name, item, fields)
        else:  # a structured field the spec gives no bracket encoding: one JSON part
            fields.add(name, json.dumps(item))
    if media == "multipart/form-data" and not any(isinstance(v, FileStorage)
                                                  for v in fields.values()):
        # werkzeug frames a body with no file as a form unless told otherwise
        return {"data": fields, "content_type": "multipart/form-data"}
    return {"data": fields}


for _media in FORM_MEDIA:
    WSGI_TRANSPORT.serializer(_media)(bracketed_serializer)


def _runtime(name):
    app = sandbox_app(vendors=(name,), rate_limits="off")
    return app, app.extensions["sandbox"]


def _positive_statuses(operation: dict) -> list[str]:
    declared = set(operation.get("responses", {}))
    return ["2xx"] + [s for s in STATE_REFUSALS if s in declared]


def _sent_fields(case) -> set[str]:
    sent = set()
    for location in (case.path_parameters, case.query, case.headers):
        sent |= set(location or {})

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, item in value.items():
                sent.add(prefix + key)
                walk(prefix + key + ".", item)
    walk("", case.body)
    return sent


def _resolve(document: dict, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        node = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema if isinstance(schema, dict) else {}


def _declared(case) -> set[str]:
    """The operation's parameters, and its JSON body's fields two levels deep (`staff.x`)."""
    document = case.operation.schema.raw_schema
    names = {parameter.name for parameter in case.operation.iter_parameters()}
    op = document["paths"][case.operation.path][case.method.lower()]
    media = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    for name, prop in (_resolve(document, media.get("schema")).get("properties") or {}).items():
        names.add(name)
        names |= {f"{name}.{inner}" for inner in
                  (_resolve(document, prop).get("properties") or {})}
    return names


def _envelope(document: dict, response, part: str) -> str | None:
    """The code or message in the vendor's error envelope (x-sandbox-errors.envelope says
    where each is)."""
    envelope = document.get("x-sandbox-errors", {}).get("envelope", {})
    key = next((k for k, v in envelope.items() if v == "{%s}" % part), None)
    try:
        body = response.json()
    except Exception:
        return None
    return body.get(key) if isinstance(body, dict) and key else None


def documented_refusal(case, response) -> dict | None:
    """The spec's cross-field rule that this answer is the documented refusal of, if any."""
    document = case.operation.schema.raw_schema
    sent = _sent_fields(case)
    code = _envelope(document, response, "code")
    for rule in document.get("x-sandbox-cross-field-rules", ()):
        refusal = rule["refusal"]
        if response.status_code == refusal["status"] and code == refusal["code"] \
                and refusal.get("message", "") in (_envelope(document, response, "message") or "") \
                and (sent if rule.get("applies") != "declared" else sent | _declared(case)) \
                & set(rule["fields"]):
            return rule
    return None


def _schema_refuses(document: dict, schema: dict, value, formats: bool = False) -> bool:
    # the document's own keys beside the schema's, so `#/components/...` resolves; a validator
    # ignores the keys that are no keywords
    checker = Draft202012Validator.FORMAT_CHECKER if formats else None
    validator = Draft202012Validator({**document, **schema}, format_checker=checker)
    return next(validator.iter_errors(value), None) is not None


def spec_refuses(case) -> bool:
    """Whether the spec itself refuses what the case sends: a value the stateful phase carried
    from a response into a parameter with other bounds (a company named "x" into a filter of 3
    characters or more), or a body the coverage phase labelled positive but that its media
    type's schema does not admit. Such a case is no positive data."""
    document = case.operation.schema.raw_schema
    sources = {"query": case.query or {}, "path": case.path_parameters or {}}
    for parameter in case.operation.iter_parameters():
        where = sources.get(parameter.definition.get("in"))
        if where is None or parameter.name not in where:
            continue
        value = where[parameter.name]
        schema = _resolve(document, parameter.definition.get("schema"))
        if schema.get("type") == "array" and not isinstance(value, list):
            value = [value]
        if _schema_refuses(document, schema, value):
            return True
    op = document["paths"][case.operation.path][case.method.lower()]
    media = op.get("requestBody", {}).get("content", {}).get(case.media_type or "", {})
    if "schema" in media and case.body is not None and not isinstance(case.body, NotSet) \
            and _schema_refuses(document, media["schema"], case.body):
        return True
    return False


def accepts_positive_data(ctx, response, case):
    """Schemathesis' positive_data_acceptance, but for the documented refusal of a listed
    cross-field rule, and for a case whose data the spec itself refuses (see the module
    docstring)."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if documented_refusal(case, response) is None and not spec_refuses(case):
            raise
        return None


def soft_delete_kept(case, response) -> bool:
    """A record its DELETE keeps, as the vendor documents (`x-sandbox-soft-delete: true` on the
    DELETE of the same path), read back marked deleted."""
    item = case.operation.schema.raw_schema["paths"].get(case.operation.path, {})
    if not item.get("delete", {}).get("x-sandbox-soft-delete"):
        return False
    try:
        body = response.json()
    except Exception:
        return False
    records = [v for v in body.values() if isinstance(v, dict)] if isinstance(body, dict) else []
    return any(record.get("deleted") is True for record in records)


def no_use_after_free(ctx, response, case):
    """Schemathesis' use_after_free, but for a documented soft delete (`soft_delete_kept`)."""
    try:
        return use_after_free(ctx, response, case)
    except UseAfterFree:
        if not soft_delete_kept(case, response):
            raise
        return None


def _as_text(value):
    """A body's scalars as a form or multipart body carries them: text (`_bracketed`'s words)."""
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    return value  # text, or a file


def negative_body_is_valid(case, response=None) -> bool:
    """Whether a case, negative only in its body, sends a body its schema admits (formats
    checked too). A JSON body: a mutation inside one branch of an `anyOf` that another branch
    admits (a number for a PHP-lenient string field). A form or multipart body: valid once its
    values are the text its encoding carries, read back as the spec's types (core: a form body
    is coerced by its schema), so its only violation was a type the encoding cannot carry (`true`
    for a string goes as the text "true"; a body that is no object goes as no fields at all,
    which is an empty body, valid where the operation's body is optional)."""
    meta = case.meta
    if meta is None or not meta.is_negative_at(ParameterLocation.BODY) \
            or any(location != ParameterLocation.BODY and component.mode.is_negative
                   for location, component in meta.components.items()):
        return False
    if case.media_type in FORM_MEDIA and not isinstance(case.body, dict) and response is not None:
        return _sent_nothing(case, response)
    return body_reads_valid(case)


def _sent_nothing(case, response) -> bool:
    """A form or multipart request that carried no field, on an operation whose body is optional
    (absent, empty and `{}` read the same)."""
    op = case.operation.schema.raw_schema["paths"][case.operation.path][case.method.lower()]
    if op.get("requestBody", {}).get("required"):
        return False
    try:
        fields = _sent_form_fields(response, case.media_type)
    except Exception:
        return False
    # a part without a name carries nothing a server reads (the core skips it)
    return fields is not None and all(name is None for name in fields)


def body_reads_valid(case) -> bool:
    """Whether a case's body passes its media type's schema, formats included; a form or
    multipart body with its scalars as text, read back as the schema's types."""
    if case.body is None or isinstance(case.body, NotSet):
        return False
    form = case.media_type in FORM_MEDIA
    if form and not isinstance(case.body, dict):
        return False
    document = case.operation.schema.raw_schema
    op = document["paths"][case.operation.path][case.method.lower()]
    schema = op.get("requestBody", {}).get("content", {}).get(case.media_type, {}).get("schema")
    if schema is None:
        return False
    read = Coercer(document, form=True).coerce(_as_text(case.body), schema) if form \
        else case.body
    return not _schema_refuses(document, schema, read, formats=True)


def rejects_negative_data(ctx, response, case):
    """Schemathesis' negative_data_rejection, but for a negative body its schema admits after
    all (`negative_body_is_valid`)."""
    try:
        return negative_data_rejection(ctx, response, case)
    except AcceptedNegativeData:
        if not negative_body_is_valid(case, response):
            raise
        return None


CHECKS = {"excluded_checks": [positive_data_acceptance, use_after_free, negative_data_rejection],
          "additional_checks": [accepts_positive_data, no_use_after_free, rejects_negative_data]}


def _schema(name: str, max_examples: int, sample_size: int | None = None):
    app, runtime = _runtime(name)
    schema = schemathesis.openapi.from_wsgi(f"/__sandbox/specs/{name}", app)
    config = schema.config
    config.phases.update(phases=["examples", "coverage", "fuzzing", "stateful"])
    config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                             max_examples=max_examples, database="none",
                             allow_extra_parameters=False)
    for path, item in schema.raw_schema["paths"].items():
        for method in METHODS:
            if method in item:
                config.operations.operations.append(OperationConfig.from_dict({
                    "include-operation-id": item[method]["operationId"],
                    "checks": {"positive_data_acceptance": {
                        "expected-statuses": _positive_statuses(item[method])}}}))
    unserved = served.unserved_ids(runtime.vendors[name].operations)
    if unserved:  # they answer 501 by design (x-sandbox-unserved); README lists them
        schema = schema.exclude(operation_id=unserved)
    if sample_size is not None:
        ids = [item[m]["operationId"] for item in schema.raw_schema["paths"].values()
               for m in METHODS if m in item and item[m]["operationId"] not in unserved]
        schema = schema.include(operation_id=sample(ids, sample_size))
    headers = runtime.vendors[name].vendor.sample_headers(runtime)

    @schema.auth(refresh_interval=None, retry_on=[])
    class SampleCredentials:
        def get(self, case, context):
            return headers

        def set(self, case, data, context):
            # A session cookie goes in as a cookie: the WSGI transport's client keeps its own
            # cookie jar and would drop a `Cookie` header given among the headers.
            data = dict(data)
            jar = data.pop("Cookie", None)
            if jar:
                pairs = (part.strip().split("=", 1) for part in jar.split(";") if "=" in part)
                case.cookies = {**(case.cookies or {}), **dict(pairs)}
            case.headers = {**(case.headers or {}), **data}

    return schema, runtime


def sample(operation_ids, size: int) -> list[str]:
    """A fixed choice of `size` operations (by a hash of their ids, so the same ones every run
    and a new operation does not reshuffle the rest much)."""
    return sorted(operation_ids, key=lambda op: hashlib.sha1(op.encode()).hexdigest())[:size]


def operation_test(name: str, max_examples: int, sample_size: int | None = None):
    """A test per operation: the examples, coverage and fuzzing phases; with `sample_size`,
    on that many of the vendor's operations only."""
    schema, runtime = _schema(name, max_examples, sample_size)

    @schema.parametrize()
    @settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def test(case):
        runtime.limiter.reset()
        sendable(case).call_and_validate(**CHECKS)

    return test


def stateful_test(name: str, scenarios: int, steps: int):
    """The stateful phase: sequences of calls along the links Schemathesis infers (an id a
    create answers, fed to the read, update and delete of that record), every check on each."""
    schema, runtime = _schema(name, scenarios)
    machine = schema.as_state_machine()

    class Sandbox(machine):
        def setup(self):
            runtime.reset()

        def before_call(self, case):
            sendable(case)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, transport_kwargs=kwargs or None,
                                   recorder=self.recorder, **CHECKS)

    Sandbox.TestCase.settings = settings(max_examples=scenarios, stateful_step_count=steps,
                                         deadline=None, derandomize=True,
                                         suppress_health_check=list(HealthCheck))
    return Sandbox.TestCase
