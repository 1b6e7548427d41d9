"""Cross-origin answers for browser clients (`--cors`): every answer, of a vendor or of the
control API, says any origin may read it, and a browser's preflight is answered here.

A page served from elsewhere (a front end under development, a docs page) can then call the
sandbox with `fetch`. The origin is echoed rather than `*`, so requests that carry credentials
(Basic auth, cookies) are allowed too; every header the answer carries is exposed, so scripts can
read rate-limit headers and `X-Request-Id`. A preflight (`OPTIONS` with
`Access-Control-Request-Method`) never reaches a vendor: it is not a call of the vendor's API.
"""
from __future__ import annotations

METHODS = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"
MAX_AGE = "600"
# response headers a browser shows scripts without being told (the CORS safelist)
_SAFELISTED = {"cache-control", "content-language", "content-length", "content-type", "expires",
               "last-modified", "pragma"}


class Cors:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        origin = environ.get("HTTP_ORIGIN")
        allow = _allow_origin(origin)
        if environ.get("REQUEST_METHOD") == "OPTIONS" and \
                "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ:
            asked = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
            start_response("204 No Content", [
                *allow, ("Access-Control-Allow-Methods", METHODS),
                ("Access-Control-Max-Age", MAX_AGE), ("Content-Length", "0"),
                *([("Access-Control-Allow-Headers", asked)] if asked.strip() else []),
                ("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")])
            return [b""]

        def start(status, headers, exc_info=None):
            exposed = sorted({name for name, _ in headers if name.lower() not in _SAFELISTED})
            extra = [*allow] + ([("Access-Control-Expose-Headers", ", ".join(exposed))]
                                if exposed else [])
            if origin:
                extra.append(("Vary", "Origin"))
            return start_response(status, [*headers, *extra], exc_info)
        return self.app(environ, start)


def _allow_origin(origin: str | None) -> list[tuple[str, str]]:
    if not origin:
        return [("Access-Control-Allow-Origin", "*")]
    return [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true")]
