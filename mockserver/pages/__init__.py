"""The pages a person opens in a browser: `/` (an index of the vendors, their docs and the
pages), each vendor's interactive API docs (`/__sandbox/docs/<vendor>`, Swagger UI) and the
inspector (`/__sandbox/ui`). Every asset is packaged: Swagger UI comes from the
flask-swagger-ui wheel, the rest from `assets/` here, so the pages need no network.

The pages hold nothing secret and are served without the control token. What they show comes
from the control API, which their scripts call with the token the person gives (a bearer
header). The one piece of data they need beyond the contract's calls, a vendor's sample
credential read onto its spec's security schemes, is a blueprint nested in the control API's,
so the token, the store's view and the control error shape apply to it as to every
/__sandbox call.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from flask import (Blueprint, Flask, Request, current_app, jsonify, render_template, request,
                   send_from_directory)
from werkzeug.test import EnvironBuilder

from .. import control
from ..core.auth import read_credential

ASSETS = Path(__file__).resolve().parent / "assets"
SANDBOX = "/__sandbox"

blueprint = Blueprint("pages", __name__, template_folder="templates")
api = Blueprint("pages_api", __name__, url_prefix="/docs")


def _runtime():
    return current_app.extensions["sandbox"]


def init_app(app: Flask) -> None:
    """Registers the pages; `/` only when no vendor served at the root has an operation there
    (with `--vendor NAME` given once, the vendor's own root path wins)."""
    app.register_blueprint(blueprint)
    runtime = app.extensions["sandbox"]
    root = runtime.vendors.get(runtime.root_vendor) if runtime.root_vendor else None
    if root is None or not any(op.path == "/" for op in root.operations):
        app.add_url_rule("/", "index", index, methods=["GET"])


def _swagger_dist() -> Path:
    """Swagger UI's `dist` folder as the flask-swagger-ui package ships it (found, not
    imported: its module code is not used)."""
    spec = importlib.util.find_spec("flask_swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the flask-swagger-ui package (Swagger UI's assets) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dist"


def _unknown_vendor(name: str):
    response = jsonify(error="unknown_vendor", message=f"no vendor {name!r} is served; served: "
                       f"{sorted(_runtime().vendors)}")
    response.status_code = 404
    return response


def _base_url(name: str) -> str:
    """Where the spec's paths are served (the docs page's server)."""
    return (request.host_url.rstrip("/")
            + control.vendor_base_path(_runtime().vendors[name].document, name))


def _client_base_url(name: str) -> str:
    """The base URL a client is given (as the credentials document gives it)."""
    return (request.host_url.rstrip("/")
            + control.client_base_path(_runtime().vendors[name].document, name))


def _nav() -> list[dict]:
    return [{"name": name, "title": vr.vendor.title} for name, vr in _runtime().vendors.items()]


# -- the index ----------------------------------------------------------------------------------
def index():
    runtime = _runtime()
    _, colon, port = request.host.rpartition(":")
    port = port if colon and port.isdigit() else ""
    vendors = [{
        "name": name,
        "title": vr.vendor.title,
        "version": vr.document.get("info", {}).get("version"),
        "operations": len(vr.operations),
        "base_url": _client_base_url(name),
        "root_url": request.host_url.rstrip("/") if runtime.root_vendor == name else None,
        "host_url": f"{request.scheme}://{name}.localhost" + (f":{port}" if port else ""),
    } for name, vr in runtime.vendors.items()]
    return render_template("pages/index.html", vendors=vendors, nav=_nav(),
                           control_routes=_control_routes(),
                           token_required=bool(runtime.settings.control_token))


def _control_routes() -> list[dict]:
    """The control API as served (so calls added later show too), page routes aside."""
    routes = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith(SANDBOX + "/") or rule.endpoint.startswith("pages."):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)  # as the contract writes it
        methods = routes.setdefault(path, set())
        methods.update(rule.methods - {"HEAD", "OPTIONS"})
    order = ("GET", "POST", "PUT", "PATCH", "DELETE")
    return [{"path": path, "methods": sorted(methods, key=order.index)}
            for path, methods in sorted(routes.items())]


# -- the pages ------------------------------------------------------------------------------------
@blueprint.get(SANDBOX + "/ui")
def inspector():
    return render_template("pages/inspector.html", nav=_nav(), api=request.script_root + SANDBOX)


@blueprint.get(SANDBOX + "/docs/<vendor>")
def docs(vendor: str):
    vr = _runtime().vendors.get(vendor)
    if vr is None:
        return _unknown_vendor(vendor)
    return render_template("pages/docs.html", nav=_nav(), vendor=vendor, title=vr.vendor.title,
                           base_url=_base_url(vendor), api=request.script_root + SANDBOX)


@blueprint.get(SANDBOX + "/assets/<path:name>")
def asset(name: str):
    return send_from_directory(ASSETS, name)


@blueprint.get(SANDBOX + "/swagger-ui/<path:name>")
def swagger_asset(name: str):
    return send_from_directory(_swagger_dist(), name)


# -- data the docs page needs (behind the control token) ---------------------------------------
@api.get("/<vendor>/credential")
def sample_credential(vendor: str):
    """A valid caller of the vendor (`sample_headers`, the credentials document's first
    tenant), and what it gives each of the spec's security schemes, so the docs page can
    authorise "Try it out" and show what to paste."""
    vr = _runtime().vendors.get(vendor)
    if vr is None:
        return _unknown_vendor(vendor)
    hook = vr.vendor.sample_headers
    headers = dict(hook(_runtime())) if hook else {}
    return jsonify(vendor=vendor, base_url=_base_url(vendor), headers=headers,
                   schemes=scheme_values(vr.schemes, headers))


def scheme_values(schemes: dict, headers: dict) -> dict:
    """For each security scheme the headers satisfy: {"type": "apiKey"|"bearer", "value"} or
    {"type": "basic", "username", "password"}; read as the pipeline reads a request."""
    sample: Request = EnvironBuilder(headers=headers).get_request(Request)
    out = {}
    for name, scheme in schemes.items():
        try:
            given = read_credential(sample, scheme)
        except ValueError:  # a scheme style the sandbox does not read (oauth2, ...)
            continue
        if not given.present or given.malformed:
            continue
        if given.scheme == "basic":
            out[name] = {"type": "basic", "username": given.username, "password": given.password}
        else:
            out[name] = {"type": given.scheme, "value": given.value,
                         "in": scheme.get("in", "header")}
    return out


control.blueprint.register_blueprint(api)
