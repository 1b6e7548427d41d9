"""Routing helpers: host-based routing, and case-insensitive path matching for vendors whose
servers ignore case.

A request whose Host is `<vendor>.localhost[:port]` is served at that vendor's real root paths,
so a client configured with the real base URL's shape and absolute paths works on the
multi-vendor server; for a vendor whose real host names the tenant (`<tenant>.<vendor>.localhost`,
the spec's `x-sandbox-host-tenant`) the tenant is handed on, and a key of another tenant is then
refused (core.pipeline).

Some vendors' servers (ASP.NET MVC, for one) match route names case-insensitively. Werkzeug's
router does not, so a small WSGI wrapper rewrites such a path to the spelling the spec uses
before routing. Path parameters keep the caller's spelling.
"""
from __future__ import annotations

import re
from typing import Iterable

from werkzeug.routing import BaseConverter, Rule


def _template_regex(prefix: str, template: str) -> tuple[re.Pattern, list[str]]:
    parts = re.split(r"(\{[^}]+\})", template)
    pattern = "".join("([^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    statics = parts[0::2]
    return re.compile("^" + re.escape(prefix) + pattern + "$", re.IGNORECASE), statics


class CaseInsensitivePaths:
    def __init__(self, app, routes: Iterable[tuple[str, str]]):
        self.app = app
        self.routes = [(prefix, *_template_regex(prefix, t)) for prefix, t in routes]

    def canonical(self, path: str) -> str:
        for prefix, regex, statics in self.routes:
            match = regex.match(path)
            if match:
                values = match.groups()
                out = [prefix]
                for i, static in enumerate(statics):
                    out.append(static)
                    if i < len(values):
                        out.append(values[i])
                return "".join(out)
        return path

    def __call__(self, environ, start_response):
        environ["PATH_INFO"] = self.canonical(environ.get("PATH_INFO", ""))
        return self.app(environ, start_response)


HOST_TENANT = "mockserver.host_tenant"  # the environ key the pipeline reads
HOST_VENDOR = "mockserver.host_vendor"  # the vendor whose own host the request named


class HostRouting:
    """`<vendor>.localhost` and `<tenant>.<vendor>.localhost` as the vendor's own host."""

    def __init__(self, app, vendors: Iterable[str], tenant_hosts: Iterable[str]):
        self.app = app
        self.vendors = set(vendors)
        self.tenant_hosts = set(tenant_hosts)

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST", "").split(":", 1)[0].strip().lower().rstrip(".")
        labels = host.split(".")
        vendor = tenant = None
        if len(labels) >= 2 and labels[-1] == "localhost" and labels[-2] in self.vendors:
            vendor, tenant = labels[-2], ".".join(labels[:-2])
        if vendor is not None:
            environ[HOST_VENDOR] = vendor
            path = environ.get("PATH_INFO", "") or "/"
            if not (path == f"/{vendor}" or path.startswith(f"/{vendor}/")
                    or path.startswith("/__sandbox")):
                environ["PATH_INFO"] = f"/{vendor}{path}"
            if tenant and vendor in self.tenant_hosts:
                environ[HOST_TENANT] = tenant
        return self.app(environ, start_response)


class ExceptConverter(BaseConverter):
    """A path segment other than the given words: `/contacts/{contactId}` whose parameter's
    schema says `not: {enum: [merge]}` leaves `/contacts/merge` to its own operation, so the
    router answers that path's methods alone (an honest Allow header) instead of also routing
    GET /contacts/merge to the contact lookup (core.spec.Operation.flask_rule)."""

    def __init__(self, url_map, *words: str):
        super().__init__(url_map)
        self.regex = "(?!(?:" + "|".join(re.escape(w) for w in words) + ")$)[^/]+"


class LazyBuildRule(Rule):
    """A Werkzeug rule whose URL builders (what `url_for` uses) are compiled when first used.
    Werkzeug compiles two per rule as the rule is added, Python source each: a sizeable part of
    start-up with a few hundred vendor routes that nothing ever builds a URL for."""

    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            return compiled(*args, **kwargs)
        return build
