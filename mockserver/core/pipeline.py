"""THE ordered list of steps every vendor request goes through. Reading this file shows the
whole lifecycle; nothing else decides the order.

Before the view: (the route has named vendor and operation) -> begin (the store's view for this
request, and its id) -> inject faults -> authenticate (the operation's security alternatives) ->
check access (the spec's scheme plan gates, scopes, roles and permissions, plan gates; the
refusal order is core.access's) -> enforce the rate limit -> authorize (a named x-sandbox-access,
by the vendor's hook) -> read the body (limits, JSON that can be stored: core.bodies) ->
validate against the spec. Then the view runs inside one unit of work (core.unit_of_work): it commits when
the view returns, with the events the change raised; a refusal drops every write.
After: rate-limit headers -> the vendor's common headers -> X-Request-Id -> a malformed fault's
cut -> the journal (core.capture: headers and bodies, bounded and masked) -> the access log
line, if asked for.
A refusal anywhere is a SandboxError, written once in the vendor's envelope.
"""
from __future__ import annotations

import copy
import json

import logging
import time
from datetime import datetime, timezone
from typing import Any

from flask import Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from . import bodies, capture, dialects, faults, nearmiss, scalars, transport
from .auth import read_credential
from .context import RequestContext
from .routing import HOST_TENANT
from .errors import SandboxError, render
from .rendering import encode_json
from .store import Conflict
from .validation import Invalid

log = logging.getLogger("mockserver")
access_log = logging.getLogger("mockserver.access")  # --access-log (configured by the app)


# -- before the view -----------------------------------------------------------------------
def inject_faults(ctx: RequestContext) -> None:
    """A matching fault rule (core.faults) marks the request (the journal shows it), waits its
    latency, then answers: an error in the vendor's envelope (a 429 as the vendor's rate limiter
    answers it, headers included), no answer at all (`reset`), or the normal answer, cut short
    after the view (`malformed`, by cut_malformed_body) or only late (`latency`)."""
    rule = ctx.runtime.faults.take(ctx.vendor.name, request.method,
                                   ctx.operation.path, vendor_path(ctx), request.path,
                                   seed=lambda: ctx.runtime.seed)
    if rule is None:
        return
    ctx.fault = rule.journal_mark()
    ctx.runtime.faults.delay(rule)
    if rule.kind == "reset":
        raise transport.Drop()
    if rule.kind != "status":
        return
    if rule.status == 429:
        _rate_limited_by_fault(ctx, rule.retry_after)
    code, message = faults.status_error(ctx.vendor.core_errors, rule.status)
    raise SandboxError(rule.status, code, message)


def _rate_limited_by_fault(ctx: RequestContext, retry_after: int | None) -> None:
    """The limiter's own refusal headers on an injected 429. The limit a vendor documents may be
    the tenant's (a plan's), so the caller is identified first when it can be."""
    policy = ctx.vendor.rate_limit
    if policy is not None:
        try:
            authenticate(ctx)
        except SandboxError:  # an unknown caller: the vendor's base limit
            pass
    ctx.rate = ctx.runtime.limiter.refusal(ctx.vendor.name, policy,
                                           lambda: _documented_limit(ctx, policy), retry_after)


def _documented_limit(ctx: RequestContext, policy) -> int:
    if ctx.vendor.rate_limit_for is not None and ctx.principal is not None:
        return ctx.vendor.rate_limit_for(ctx.runtime, ctx.tenant)
    return int(policy.limit)


def authenticate(ctx: RequestContext) -> None:
    """The first of the operation's security alternatives whose credential the request carries,
    judged by the vendor's hook (core.access: refusals 1-3)."""
    access = ctx.operation.access
    if not access.secured:
        return
    schemes = ctx.runtime.vendors[ctx.vendor.name].schemes
    ctx.scheme, ctx.principal = access.authenticate(
        lambda name: read_credential(request, schemes[name], name),
        lambda credential: ctx.vendor.authenticate(credential, ctx.runtime))
    if ctx.principal is None:  # nothing sent, and the operation admits anyone (`{}`)
        return
    named = request.environ.get(HOST_TENANT)  # <tenant>.<vendor>.localhost (core.routing)
    if named is not None and ctx.principal.tenant != named:
        rule = ctx.runtime.vendors[ctx.vendor.name].document["x-sandbox-host-tenant"]
        raise SandboxError(401, rule["code"], rule["message"])


def check_access(ctx: RequestContext) -> None:
    """The spec's gates on the principal: the scheme's plan, the scopes, the role or permission,
    the operation's plan (core.access: refusals 4-7), before the request is counted."""
    if ctx.principal is not None:
        ctx.operation.access.check(ctx.scheme, ctx.principal)


def authorize(ctx: RequestContext) -> None:
    """The operation's `x-sandbox-access: NAME`, judged by the vendor's `authorize` hook (the
    registry makes sure there is one): one table (the spec) says which principal may call what.
    The mapping forms are the core's (check_access)."""
    requirement = ctx.operation.access.hook
    if requirement is None or ctx.principal is None:
        return
    ctx.vendor.authorize(ctx, requirement)


def enforce_rate_limit(ctx: RequestContext) -> None:
    policy, bucket = ctx.vendor.rate_limit, ctx.operation.rate_bucket
    if policy is None or bucket is None or ctx.principal is None:
        return
    counted = policy.subject(ctx.principal)  # the tenant, or the principal the policy names
    if counted is None:  # a principal without the key the policy counts by is not limited
        return

    ctx.rate = ctx.runtime.limiter.hit(ctx.vendor.name, counted, bucket, policy,
                                       request.method, lambda: _documented_limit(ctx, policy))
    if ctx.rate is not None and not ctx.rate.allowed:
        code, message = ctx.vendor.core_errors["rate_limited"]
        raise SandboxError(429, code, message)


def read_body(ctx: RequestContext) -> None:
    """The body of an operation that takes one, within the vendor's limit (refused by its
    Content-Length before it is read, else as it streams in), as the bytes and media type the
    spec validates: JSON checked by core.bodies; form and multipart bodies, whose bracketed names
    become the nested object the JSON form of the body declares."""
    spec = ctx.operation.spec.get("requestBody")
    if spec is None:
        return
    runtime = ctx.runtime
    default = runtime.settings.max_body_mb * bodies.MB
    # a vendor's larger documented limit is for uploads (multipart); other bodies keep the default
    limit = (bodies.limit_for(runtime.vendors[ctx.vendor.name].document, default)
             if request.mimetype == "multipart/form-data" else default)
    too_large = SandboxError(413, ctx.vendor.core_errors["too_large"][0],
                             f"the request body is larger than {limit // bodies.MB} MB")
    if (request.content_length or 0) > limit:
        raise too_large
    request.max_content_length = limit
    request.max_form_memory_size = limit
    content_type = request.mimetype or None
    try:
        body = request.get_data(cache=True) or None
        if content_type in ("multipart/form-data", "application/x-www-form-urlencoded") \
                and content_type in spec.get("content", {}):
            try:
                form = dialects.bracketed_form([*request.form.items(multi=True),
                                                *request.files.items(multi=True)],
                                               runtime.settings.max_depth)
            except ValueError as exc:
                raise bodies.BodyProblem(400, str(exc)) from None
            ctx.uploads = request.files
            form = _jsonable(form)
            bodies.check_value(form, runtime.settings.max_depth)
            # every form value is a string: read as the JSON body's schema types them
            form = scalars.Coercer(vr_document(ctx), form=True).coerce(
                form, scalars.strict_schema(ctx.operation.spec))
            content_type, body = "application/json", json.dumps(form).encode()
        elif body is not None and (content_type is None or bodies.is_json(content_type)):
            bodies.parse_json(body, runtime.settings.max_depth)
    except RequestEntityTooLarge:
        raise too_large from None
    except bodies.BodyProblem as problem:
        raise SandboxError(problem.status, ctx.vendor.core_errors["validation"][0],
                           problem.message) from None
    except SandboxError:
        raise
    except Exception as exc:  # the server could not read the body as framed (a bad chunk)
        raise SandboxError(400, ctx.vendor.core_errors["validation"][0],
                           f"the request body could not be read: {exc}") from None
    ctx.raw_body = (content_type, body)


def validate_request(ctx: RequestContext) -> None:
    vr = ctx.runtime.vendors[ctx.vendor.name]
    op_id = ctx.operation.operation_id
    validator = vr.validators[op_id]
    query = dialects.normalise_query(ctx.vendor.query_dialect, request.args,
                                     vr.array_params.get(op_id, ()))
    if vr.document.get("x-sandbox-case-insensitive-query"):
        query = dialects.fold_names(query, validator.query_names)
    content_type, body = ctx.raw_body
    outcome = validator.validate(query, request.headers, request.cookies, ctx.path_params,
                                 content_type, body)
    if isinstance(outcome, Invalid):
        status = 415 if outcome.kind == "unsupported_media_type" else 400
        code = outcome.code or ctx.vendor.core_errors[outcome.kind][0]
        raise SandboxError(status, code, outcome.message)
    ctx.query, ctx.path_params, ctx.body = dict(outcome.query), dict(outcome.path), outcome.body
    if ctx.body is not None and vr.document.get("x-sandbox-scalars") == "php":
        ctx.body = scalars.Coercer(vr.document).coerce(
            ctx.body, scalars.strict_schema(ctx.operation.spec))


BEFORE = (inject_faults, authenticate, check_access, enforce_rate_limit, authorize, read_body,
          validate_request)


# -- after the view ------------------------------------------------------------------------
def add_rate_limit_headers(ctx: RequestContext, response: Response) -> None:
    if ctx.rate is not None:
        response.headers.update(ctx.rate.headers(ctx.clock.timestamp()))


def add_vendor_headers(ctx: RequestContext, response: Response) -> None:
    for name, value in ctx.vendor.common_headers.items():
        response.headers.setdefault(name, value)


def add_request_id(ctx: RequestContext, response: Response) -> None:
    response.headers["X-Request-Id"] = ctx.request_id  # the id of its journal entry


def cut_malformed_body(ctx: RequestContext, response: Response) -> None:
    if ctx.fault is not None and ctx.fault["kind"] == "malformed":
        transport.cut_short(response)


def record_in_journal(ctx: RequestContext, response: Response) -> None:
    """The exchange as the journal keeps it (core.capture: bounded, secrets masked)."""
    ctx.duration_ms = round((time.perf_counter() - ctx.started) * 1000, 3)
    masking = ctx.runtime.vendors[ctx.vendor.name].masking
    found: list[str] = []  # the secrets met so far, masked wherever else they appear
    query = masking.query(request.query_string.decode("latin-1"), found)
    sent = {"headers": masking.headers_of(request.headers.items(), found),
            "body": capture.request_body(request, ctx, masking, found)}
    answered = {"headers": masking.headers_of(response.headers.items(), found),
                "body": capture.response_body(response, masking, found)}
    ctx.runtime.journal.record({
        "seq": ctx.seq,
        "id": ctx.request_id,
        "time": ctx.clock.timestamp(),
        "method": request.method,
        "path": request.path,
        "query": query,
        "vendor": ctx.vendor.name,
        "operation": ctx.operation.operation_id if ctx.operation else None,
        "tenant": ctx.tenant or None,
        "principal": ctx.principal.identity if ctx.principal else None,
        "status": response.status_code,
        "error": ctx.error,
        "duration_ms": ctx.duration_ms,
        "fault": ctx.fault,
        "request": sent,
        "response": answered,
        "near_miss": ctx.near_miss,  # for a refused route: the operation it most likely meant
    })


def log_access(ctx: RequestContext, response: Response) -> None:
    """With --access-log: one line per request on stderr (time, id, method, path, status,
    duration, operation)."""
    if ctx.runtime.settings.access_log:
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        access_log.info("%s %s %s %s %s %sms %s", now.replace("+00:00", "Z"),
                        ctx.request_id, request.method, request.path, response.status_code,
                        ctx.duration_ms,
                        ctx.operation.operation_id if ctx.operation else "-")


AFTER = (add_rate_limit_headers, add_vendor_headers, add_request_id, cut_malformed_body,
         record_in_journal, log_access)


# -- the run ---------------------------------------------------------------------------------
def begin(runtime, vendor_runtime, operation, path_params: dict[str, Any]) -> RequestContext:
    return RequestContext(runtime.backend.begin(), runtime, vendor_runtime.vendor, operation,
                          dict(path_params), time.perf_counter())


def run_view(ctx: RequestContext, view) -> Any:
    """The view inside one unit of work; run again on fresh data when its commit meets a
    concurrent change (each attempt starts from the validated body as it arrived)."""
    body = ctx.body
    attempts = iter(range(1 << 30))

    def attempt():
        if next(attempts):
            ctx.body = copy.deepcopy(body)
        return view(ctx)
    ctx.body = copy.deepcopy(body) if body is not None else None
    return ctx.runtime.transact(attempt, request_id=lambda: ctx.request_id,
                                scope=f"{ctx.vendor.name}/{ctx.tenant}",
                                writes=request.method not in ("GET", "HEAD", "OPTIONS"))


def run(runtime, vendor_runtime, operation, path_params: dict[str, Any]) -> Response:
    ctx = begin(runtime, vendor_runtime, operation, path_params)
    try:
        for step in BEFORE:
            step(ctx)
        response = to_response(run_view(ctx, vendor_runtime.views[operation.operation_id]))
    except SandboxError as err:
        ctx.error = err.code
        response = error_response(ctx.vendor, err)
    except transport.Drop:
        response = transport.DroppedConnection()
    except Conflict:
        ctx.error = "conflict"
        response = error_response(ctx.vendor, SandboxError(
            503, "conflict", "the request met concurrent changes too often; try again",
            headers={"Retry-After": "1"}))
    except Exception:  # a bug: still answered in the vendor's envelope, and logged
        log.exception("unhandled error in %s", operation.operation_id)
        ctx.error = "internal_error"
        response = error_response(ctx.vendor, SandboxError(500, "internal_error",
                                                           "internal sandbox error"))
    try:
        for step in AFTER:
            step(ctx, response)
    finally:
        runtime.backend.end()
    return response


def refuse_route(runtime, vendor_runtime, err: SandboxError) -> Response:
    """A request under a vendor prefix that matched no route (404) or no method (405), with the
    closest operation as a hint: in the journal, and in the envelope's message (the one leaf
    every envelope has room in; its fields stay exactly the vendor's)."""
    ctx = begin(runtime, vendor_runtime, None, {})
    ctx.near_miss = hint = nearmiss.closest(vendor_runtime.operations, request.method,
                                            vendor_path(ctx))
    if hint is not None:
        err = SandboxError(err.status, err.code, f"{err.message} [closest operation: "
                           f"{hint['method']} {hint['path']} ({hint['operation']})]",
                           headers=err.headers, extra=err.extra)
    ctx.error = err.code
    response = error_response(ctx.vendor, err)
    try:
        for step in AFTER:
            step(ctx, response)
    finally:
        runtime.backend.end()
    return response


def error_response(vendor, err: SandboxError) -> Response:
    response = json_response(render(vendor.error_template, err), err.status)
    response.headers.update(err.headers)
    return response


def json_response(body: Any, status: int = 200) -> Response:
    return Response(encode_json(body), status, mimetype="application/json")


def to_response(result: Any) -> Response:
    """A view's answer: a Response as is; a body, `(body, status)` or `(body, status, headers)`,
    where a body of bytes is JSON the view already encoded (a remembered answer)."""
    if isinstance(result, Response):
        return result
    headers = {}
    status = 200
    if isinstance(result, tuple):
        result, status, *rest = result
        headers = rest[0] if rest else {}
    response = (Response(result, status, mimetype="application/json")
                if isinstance(result, bytes) else json_response(result, status))
    response.headers.update(headers)
    return response


def _jsonable(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _jsonable(v) for k, v in node.items()}
    if isinstance(node, list):
        return type(node)(_jsonable(v) for v in node)  # a Repeated stays one (core.dialects)
    if hasattr(node, "filename"):  # an uploaded file: validated as its name, read by the view
        return node.filename or ""
    return node


def vr_document(ctx: RequestContext) -> dict:
    return ctx.runtime.vendors[ctx.vendor.name].document


def vendor_path(ctx: RequestContext) -> str:
    prefix = ctx.runtime.prefix_of(ctx.vendor.name, request.path)
    return request.path[len(prefix):] or "/"
