"""Routing helpers: case-insensitive path matching for vendors whose servers ignore case.

Some vendors' servers (ASP.NET MVC, for one) match route names case-insensitively. Werkzeug's
router does not, so a small WSGI wrapper rewrites such a path to the spelling the spec uses
before routing. Path parameters keep the caller's spelling.
"""
from __future__ import annotations

import re
from typing import Iterable


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
