"""The test suite against a fleet: two live `mockserver serve` processes with two workers each
on one Redis, as one sandbox.

`store="fleet"` in `sandbox_app` starts the fleet once per test process and gives the tests an
app joined to the same store (so `runtime`, the journal and the state view are the fleet's) whose
client sends every request over HTTP to the two servers in turn. The request is built exactly as
Flask's test client builds it (Werkzeug's EnvironBuilder); only the last step, running it, goes
over the wire instead of into the app.
"""
from __future__ import annotations

import atexit
import itertools
from urllib.parse import quote

import requests
from werkzeug.datastructures import Headers

from .live import serve, stop
from .redis_server import redis_store_url
from .support import SpecCheckedClient

_fleet: dict = {}


def start_fleet(store: str, freeze_time: str, vendors: tuple[str, ...]) -> list[str]:
    key = (freeze_time, vendors)
    if key not in _fleet:
        flags = [arg for vendor in vendors for arg in ("--vendor", vendor)]
        servers = [serve("--store", store, "--workers", "2", *flags, frozen=freeze_time)
                   for _ in range(2)]
        atexit.register(lambda: stop(*(proc for proc, _ in servers)))
        _fleet[key] = [base for _, base in servers]
    return _fleet[key]


def fleet_store_url() -> str:
    if "store" not in _fleet:
        _fleet["store"] = redis_store_url()
    return _fleet["store"]


class FleetClient(SpecCheckedClient):
    """The spec-checked test client, with each request sent to the fleet's servers in turn."""

    bases: list[str] = []
    _turn = itertools.count()
    _session = requests.Session()

    def run_wsgi_app(self, environ, buffered=False):
        base = self.bases[next(self._turn) % len(self.bases)]
        path = quote(environ["PATH_INFO"].encode("latin-1"), safe="/:@!$&'()*+,;=-._~")
        query = environ.get("QUERY_STRING", "")
        url = f"{base}{environ.get('SCRIPT_NAME', '')}{path}" + (f"?{query}" if query else "")
        headers = {name[5:].replace("_", "-").title(): value
                   for name, value in environ.items() if name.startswith("HTTP_")}
        for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(name):
                headers[name.replace("_", "-").title()] = environ[name]
        body = environ["wsgi.input"].read()
        answer = self._session.request(environ["REQUEST_METHOD"], url, data=body or None,
                                       headers=headers, allow_redirects=False)
        out = Headers([(k, v) for k, v in answer.raw.headers.items()
                       if k.lower() not in ("transfer-encoding", "connection")])
        return [answer.content], f"{answer.status_code} {answer.reason}", out
