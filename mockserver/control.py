"""The /__sandbox control API (CONTRACT.md): vendor-neutral set-up for tests. Calls core only."""
from __future__ import annotations

import hmac
import json
import re
from dataclasses import asdict

import yaml
from flask import Blueprint, Response, current_app, jsonify, request
from marshmallow import ValidationError

from .core.clock import parse_instant
from .core.errors import SandboxError
from .core.faults import FaultProblem
from .core.routing import HOST_VENDOR
from .core.vendor import Vendor, record_id_field
from .urls import client_base_path, served_servers, vendor_base_path

blueprint = Blueprint("sandbox", __name__, url_prefix="/__sandbox")


def _runtime():
    return current_app.extensions["sandbox"]


def _fail(status: int, code: str, message: str):
    raise SandboxError(status, code, message)


@blueprint.errorhandler(SandboxError)
def _render(err: SandboxError):
    response = jsonify(error=err.code, message=err.message, **err.extra)
    response.status_code = err.status
    response.headers.update(err.headers)
    return response


@blueprint.before_request
def _begin():
    _runtime().backend.begin(numbered=False)


@blueprint.teardown_request
def _end(_exc):
    _runtime().backend.end()


@blueprint.before_request
def _check_token():
    token = _runtime().settings.control_token
    if not token:
        return None
    scheme, _, given = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                             token.encode()):
        _fail(401, "unauthorized", "the control API needs 'Authorization: Bearer <control token>'")
    return None


def _body() -> dict:
    if not request.get_data():
        return {}
    try:
        body = json.loads(request.get_data())
    except ValueError:
        _fail(400, "invalid_json", "the request body is not valid JSON")
    if not isinstance(body, dict):
        _fail(400, "invalid_json", "the request body must be a JSON object")
    return body


def _vendor(name: str):
    vr = _runtime().vendors.get(name)
    if vr is None:
        _fail(404, "unknown_vendor", f"no vendor {name!r} is served; served: "
              f"{sorted(_runtime().vendors)}")
    return vr


def _base_url(name: str) -> str:
    return request.host_url.rstrip("/") + vendor_base_path(_vendor(name).document, name)


# -- health, credentials ----------------------------------------------------------------------
@blueprint.get("/health")
def health():
    rt = _runtime()
    return jsonify(status="ok", vendors=sorted(rt.vendors), seed=rt.seed, store=rt.store.name)


def credentials_document(runtime, host_url: str) -> dict:
    host = host_url.rstrip("/")
    return {name: vr.vendor.credentials(runtime, host + client_base_path(vr.document, name))
            for name, vr in runtime.vendors.items()}


@blueprint.get("/credentials")
def credentials():
    return jsonify(credentials_document(_runtime(), request.host_url))


@blueprint.post("/credentials/<vendor>/<ident>/rotate")
def rotate(vendor: str, ident: str):
    vr = _vendor(vendor)
    return jsonify(_runtime().transact(lambda: vr.vendor.rotate_credential(_runtime(), ident)))


# -- reset, clock -------------------------------------------------------------------------------
@blueprint.post("/reset")
def reset():
    body = _body()
    seed = body.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        _fail(400, "invalid_seed", "'seed' must be an integer")
    took = _runtime().reset(seed)
    rt = _runtime()
    return jsonify(status="reset", seed=rt.seed, took_ms=round(took, 3))


@blueprint.get("/clock")
def get_clock():
    return jsonify(_runtime().clock.state())


@blueprint.post("/clock")
def set_clock():
    body = _body()
    clock = _runtime().clock
    known = {"advance", "now", "frozen"}
    if not body or set(body) - known:
        _fail(400, "invalid_clock", f"give one or more of {sorted(known)}; unknown: "
              f"{sorted(set(body) - known)}")
    if "frozen" in body and not isinstance(body["frozen"], bool):
        _fail(400, "invalid_clock", "'frozen' must be true or false")
    if "now" in body:
        try:
            moment = parse_instant(str(body["now"]))
        except ValueError:
            _fail(400, "invalid_clock", "'now' must be an ISO-8601 instant")
    if "advance" in body:
        seconds = body["advance"]
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            _fail(400, "invalid_clock", "'advance' must be a number of seconds, 0 or more")
    if "frozen" in body:
        clock.freeze(body["frozen"])
    if "now" in body:
        clock.set(moment)
    if "advance" in body:
        clock.advance(seconds)
    _runtime().scheduler.wake()  # work that is due now runs now (core.schedule)
    return jsonify(clock.state())


# -- specs, journal, faults, snapshots, rate limits ------------------------------------------------------
@blueprint.get("/specs/<vendor>")
def spec(vendor: str):
    """The spec with `servers` naming this sandbox as the request reached it, so a client or a
    docs page built from it calls the sandbox, not the vendor."""
    source = _vendor(vendor).document
    document = {**source, "servers": served_servers(
        source, vendor, request.url_root, request.environ.get(HOST_VENDOR),
        _runtime().root_vendor)}
    if request.args.get("format") == "yaml":
        return Response(yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
                        mimetype="application/yaml")
    return Response(json.dumps(document), mimetype="application/json")


@blueprint.get("/requests")
def list_requests():
    limit = request.args.get("limit", type=int)
    return jsonify(_runtime().journal.entries(request.args.get("vendor"), limit))


@blueprint.delete("/requests")
def clear_requests():
    _runtime().journal.clear()
    return Response(status=204)


@blueprint.get("/faults")
def list_faults():
    return jsonify(_runtime().faults.rules())


@blueprint.post("/faults")
def add_fault():
    body = _body()
    vendor = body.get("vendor")
    if vendor is not None and vendor not in _runtime().vendors:
        raise SandboxError(400, "invalid_fault", f"'vendor': no vendor {vendor!r} is served; "
                           f"served: {sorted(_runtime().vendors)}", extra={"field": "vendor"})
    try:
        rule = _runtime().faults.add(**body)
    except FaultProblem as problem:
        raise SandboxError(400, "invalid_fault", str(problem),
                           extra={"field": problem.field}) from None
    return jsonify(asdict(rule)), 201


@blueprint.delete("/faults")
def clear_faults():
    _runtime().faults.clear()
    return Response(status=204)


# -- snapshots ------------------------------------------------------------------------------------
SNAPSHOT_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def _snapshot_name(name: str) -> str:
    if not SNAPSHOT_NAME.match(name):
        _fail(400, "invalid_snapshot_name", f"a snapshot name is 1 to 64 of A-Z, a-z, 0-9, "
              f"'_', '.' and '-', not {name!r}")
    return name


def _unknown_snapshot(name: str):
    _fail(404, "unknown_snapshot", f"no snapshot {name!r}; saved: "
          f"{[s['name'] for s in _runtime().backend.snapshots()]}")


@blueprint.get("/snapshots")
def list_snapshots():
    return jsonify(_runtime().backend.snapshots())


@blueprint.post("/snapshots/<name>")
def save_snapshot(name: str):
    return jsonify(_runtime().snapshot(_snapshot_name(name))), 201


@blueprint.post("/snapshots/<name>/restore")
def restore_snapshot(name: str):
    summary = _runtime().restore(_snapshot_name(name))
    if summary is None:
        _unknown_snapshot(name)
    return jsonify({**summary, "status": "restored"})


@blueprint.delete("/snapshots/<name>")
def drop_snapshot(name: str):
    if not _runtime().backend.drop_snapshot(_snapshot_name(name)):
        _unknown_snapshot(name)
    return Response(status=204)


@blueprint.get("/ratelimits/<vendor>")
def get_ratelimit(vendor: str):
    _vendor(vendor)
    return jsonify(_runtime().limiter.mode(vendor))


@blueprint.put("/ratelimits/<vendor>")
def put_ratelimit(vendor: str):
    _vendor(vendor)
    body = _body()
    mode = body.get("mode")
    if mode in ("documented", "off") and set(body) == {"mode"}:
        _runtime().limiter.set_mode(vendor, {"mode": mode})
    elif mode in (None, "custom") and "limit" in body and set(body) <= {"mode", "limit", "window"}:
        for key in ("limit", "window"):
            value = body.get(key, 60)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                _fail(400, "invalid_ratelimit", f"'{key}' must be a positive integer")
        _runtime().limiter.set_mode(vendor, {"mode": "custom", "limit": body["limit"],
                                             "window": body.get("window", 60)})
    else:
        _fail(400, "invalid_ratelimit", 'give {"mode": "documented"|"off"} or '
              '{"limit": N, "window": SECONDS}')
    return jsonify(_runtime().limiter.mode(vendor))


# -- arranging exact data ------------------------------------------------------------------------
def _collection(vendor: str, tenant: str, collection: str):
    vr = _vendor(vendor)
    schema_cls = vr.vendor.record_schemas.get(collection)
    if schema_cls is None:
        _fail(404, "unknown_collection", f"{vendor} has no collection {collection!r}; it has "
              f"{sorted(vr.vendor.record_schemas)}")
    if tenant not in _runtime().store.tenants(vendor):
        _fail(404, "unknown_tenant", f"{vendor} has no tenant {tenant!r}; it has "
              f"{_runtime().store.tenants(vendor)}")
    return vr.vendor, schema_cls


def _load_record(schema_cls, body: dict, record_id=None) -> dict:
    try:
        record = schema_cls().load(body)
    except ValidationError as exc:
        field, problem = _first_problem(exc.messages)
        raise SandboxError(400, "invalid_record", f"field '{field}': {problem}",
                           extra={"fields": exc.messages})
    return record


def _first_problem(messages, prefix="") -> tuple[str, str]:
    if isinstance(messages, dict):
        key, value = next(iter(messages.items()))
        return _first_problem(value, f"{prefix}.{key}" if prefix else str(key))
    if isinstance(messages, list) and messages and not isinstance(messages[0], str):
        return _first_problem(messages[0], prefix)
    return prefix or "_schema", messages[0] if isinstance(messages, list) else str(messages)


@blueprint.get("/state/<vendor>/<tenant>/<collection>")
def state_list(vendor, tenant, collection):
    _collection(vendor, tenant, collection)
    return jsonify(_runtime().store.all(vendor, tenant, collection))


@blueprint.get("/state/<vendor>/<tenant>/<collection>/<ident>")
def state_get(vendor, tenant, collection, ident):
    _collection(vendor, tenant, collection)
    record = _runtime().store.get(vendor, tenant, collection, ident)
    if record is None:
        _fail(404, "unknown_record", f"no record {ident!r} in {collection}")
    return jsonify(record)


@blueprint.post("/state/<vendor>/<tenant>/<collection>")
def state_add(vendor, tenant, collection):
    vendor_obj, schema_cls = _collection(vendor, tenant, collection)
    body = _body()
    id_field = record_id_field(schema_cls)

    def add():
        store = _runtime().store
        given = body if id_field in body else {
            **body, id_field: _mint_id(vendor_obj, tenant, collection)}
        record = _load_record(schema_cls, given)
        if store.get(vendor, tenant, collection, record[id_field]) is not None:
            _fail(409, "duplicate_id", f"{collection} already has a record {record[id_field]!r}")
        store.put(vendor, tenant, collection, record[id_field], record)
        return record
    return jsonify(_runtime().transact(add)), 201


def _mint_id(vendor_obj: Vendor, tenant: str, collection: str):
    """A fresh id in the collection's shape (e.g. "u{n}"), or a plain integer."""
    minted = _runtime().store.next_id(vendor_obj.name, tenant, collection)
    shape = vendor_obj.id_formats.get(collection)
    return shape.format(n=minted) if shape else minted


@blueprint.put("/state/<vendor>/<tenant>/<collection>/<ident>")
def state_replace(vendor, tenant, collection, ident):
    _, schema_cls = _collection(vendor, tenant, collection)
    body = _body()

    def replace():
        store = _runtime().store
        existing = store.get(vendor, tenant, collection, ident)
        if existing is None:
            _fail(404, "unknown_record", f"no record {ident!r} in {collection}")
        id_field = record_id_field(schema_cls)
        record = _load_record(schema_cls, {**body, id_field: existing[id_field]})
        store.put(vendor, tenant, collection, ident, record)
        return record
    return jsonify(_runtime().transact(replace))


@blueprint.delete("/state/<vendor>/<tenant>/<collection>/<ident>")
def state_delete(vendor, tenant, collection, ident):
    _collection(vendor, tenant, collection)

    def remove():
        if not _runtime().store.delete(vendor, tenant, collection, ident):
            _fail(404, "unknown_record", f"no record {ident!r} in {collection}")
    _runtime().transact(remove)
    return Response(status=204)


# -- webhook deliveries (core.webhooks) ---------------------------------------------------------
@blueprint.get("/webhooks/deliveries")
def list_deliveries():
    try:
        return jsonify(_runtime().webhooks.deliveries(request.args.to_dict()))
    except ValueError as exc:
        _fail(400, "invalid_filter", str(exc))


@blueprint.get("/webhooks/deliveries/<ident>")
def get_delivery(ident: str):
    return jsonify(_delivery_call(_runtime().webhooks.delivery, ident))


@blueprint.post("/webhooks/deliveries/<ident>/redeliver")
def redeliver(ident: str):
    return jsonify(_delivery_call(_runtime().webhooks.redeliver, ident))


@blueprint.delete("/webhooks/deliveries")
def clear_deliveries():
    _runtime().webhooks.clear()
    return Response(status=204)


def _delivery_call(call, ident: str):
    from .core.webhooks import Busy, UnknownDelivery
    try:
        return call(ident)
    except UnknownDelivery:
        _fail(404, "unknown_delivery", f"no webhook delivery {ident!r}")
    except Busy:
        _fail(409, "delivery_in_progress", f"the delivery {ident!r} is being attempted now; "
              "try again in a moment")
