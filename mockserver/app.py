"""The application factory. Nothing happens at import time: `create_app(settings)` builds it all."""
from __future__ import annotations

import logging
import sys
from functools import partial

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import IntegerConverter

from . import control, pages
from .config import Settings
from .core import pipeline
from .core.errors import SandboxError
from .core.routing import CaseInsensitivePaths, ExceptConverter, HostRouting, LazyBuildRule
from .core.store import StoreUnavailable
from .cors import Cors
from .registry import UnknownVendor
from .runtime import Runtime


def create_app(settings: Settings | None = None, sources=None) -> Flask:
    """The sandbox as a WSGI app. `sources` adds vendors given directly (tests' tiny vendors)."""
    settings = settings or Settings.load({}, environ={})
    runtime = Runtime(settings, sources)
    app = Flask("mockserver")
    app.url_rule_class = LazyBuildRule  # URL builders compiled when used, not at start-up
    app.json.sort_keys = False
    app.json.compact = True
    app.extensions["sandbox"] = runtime
    # `//` inside a path is a 404 of the vendor, not a redirect; integers in paths are ASCII
    # digits only (Werkzeug's `int` would read "١٢" as 12)
    app.url_map.merge_slashes = False
    app.url_map.converters["int"] = AsciiInt
    app.url_map.converters["except"] = ExceptConverter
    app.register_blueprint(control.blueprint)
    pages.init_app(app)

    insensitive = []
    for vr in runtime.vendors.values():
        prefixes = [f"/{vr.name}"] + ([""] if runtime.root_vendor == vr.name else [])
        for prefix in prefixes:
            for op in vr.operations:
                app.add_url_rule(prefix + op.flask_rule(),
                                 endpoint=f"{vr.name}{prefix or '.root'}.{op.operation_id}",
                                 view_func=partial(_serve, runtime, vr, op),
                                 methods=[op.method])
                if vr.case_insensitive:
                    insensitive.append((prefix, op.path))
    if insensitive:
        app.wsgi_app = CaseInsensitivePaths(app.wsgi_app, insensitive)
    app.wsgi_app = HostRouting(app.wsgi_app, runtime.vendors, [
        name for name, vr in runtime.vendors.items() if vr.document.get("x-sandbox-host-tenant")])
    if settings.cors:
        app.wsgi_app = Cors(app.wsgi_app)
    if settings.access_log:
        _log_access_to_stderr()

    @app.errorhandler(HTTPException)
    def _refuse(exc: HTTPException):
        vr = runtime.vendor_for_path(request.path)
        if vr is None:
            return jsonify(error="not_found" if exc.code == 404 else "http_error",
                           message=exc.description), exc.code
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.code, "validation")
        code, message = vr.vendor.core_errors[kind]
        headers = {}
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return pipeline.refuse_route(runtime, vr, SandboxError(exc.code, code, message,
                                                               headers=headers))

    return app


def app_for_user(settings: Settings) -> Flask:
    """`create_app` for settings a user gave: a vendor or store it cannot serve is a ValueError
    naming the flag or variable that asked for it."""
    try:
        return create_app(settings)
    except UnknownVendor as exc:
        raise ValueError(f"{settings.origin('vendors')}: {exc}") from None
    except StoreUnavailable as exc:
        raise ValueError(f"{settings.origin('store')}: {exc}") from None


def _log_access_to_stderr() -> None:
    """The access log's lines (core.pipeline.log_access) go to stderr as they are, one a line."""
    logger = logging.getLogger("mockserver.access")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


class AsciiInt(IntegerConverter):
    regex = r"[0-9]+"


def _serve(runtime, vendor_runtime, operation, **path_params):
    return pipeline.run(runtime, vendor_runtime, operation, path_params)
