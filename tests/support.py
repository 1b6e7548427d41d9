"""Test support: a client that checks every vendor response against the vendor's spec.

Every response a test sees from a vendor operation is validated with openapi-core against that
vendor's OpenAPI document, so the spec cannot drift from what the sandbox serves.
"""
from __future__ import annotations

import base64
import json
from functools import cached_property

from flask.testing import FlaskClient
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

HOST = "http://127.0.0.1:8080"


class SpecCheckedClient(FlaskClient):
    """Flask's test client; each answer to a vendor operation is validated against the spec."""

    validated: dict[tuple[str, str], int] = {}  # (vendor, operationId) -> responses checked
    succeeded: dict[tuple[str, str], int] = {}  # the same, counting only 2xx answers
    succeeded_by: dict[tuple[str, str], set[str]] = {}  # -> test files that got a 2xx answer
    current_test: str | None = None  # the file of the running test (tests/operation_coverage.py)

    @cached_property
    def _runtime(self):
        return self.application.extensions["sandbox"]

    def _openapi(self, vendor: str) -> OpenAPI:
        cache = self.application.extensions.setdefault("openapi_checkers", {})
        if vendor not in cache:
            # CSV bodies are checked as text against their `type: string` schemas.
            config = Config(extra_media_type_deserializers={
                "text/csv": lambda raw, **kw: raw.decode() if isinstance(raw, bytes) else raw})
            cache[vendor] = OpenAPI.from_dict(self._runtime.vendors[vendor].document,
                                              config=config)
        return cache[vendor]

    def _add_cookies_to_wsgi(self, environ) -> None:
        """A `Cookie` header the test gives is sent as given (a caller's session cookie, as a
        client sends it), with the client's own cookies after it; Flask's client would replace
        it with its cookie jar's."""
        given = environ.get("HTTP_COOKIE")
        super()._add_cookies_to_wsgi(environ)
        if given:
            environ["HTTP_COOKIE"] = "; ".join(filter(None, (given,
                                                            environ.get("HTTP_COOKIE"))))

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        entries = self._runtime.journal.entries(limit=1)
        entry = entries[-1] if entries else None
        request = response.request
        # Injected faults answer outside the vendor's contract on purpose (but for latency).
        if entry and entry.get("operation") and entry["path"] == request.path \
                and (entry.get("fault") or {}).get("kind") in (None, "latency"):
            self._check(entry["vendor"], entry["operation"], request, response)
        return response

    def _check(self, vendor, operation_id, request, response):
        path = request.path
        if not path.startswith(f"/{vendor}/"):
            path = f"/{vendor}{path}"
        mock_request = MockRequest(HOST, request.method.lower(), path,
                                   args=request.args, headers=dict(request.headers),
                                   data=b"", content_type=request.mimetype
                                   or "application/json")
        mock_response = MockResponse(response.get_data(), status_code=response.status_code,
                                     headers=dict(response.headers),
                                     content_type=response.mimetype or "application/json")
        try:
            self._openapi(vendor).validate_response(mock_request, mock_response)
        except Exception as exc:  # re-raised with the details a reader needs
            details = getattr(exc, "__cause__", None)
            schema_errors = getattr(details, "schema_errors", None) or ()
            raise AssertionError(
                f"{vendor}.{operation_id} answered {response.status_code} with a body the spec "
                f"does not allow: {exc!r} {[e.message for e in schema_errors][:5]}\n"
                f"body: {response.get_data(as_text=True)[:1500]}") from exc
        key = (vendor, operation_id)
        SpecCheckedClient.validated[key] = SpecCheckedClient.validated.get(key, 0) + 1
        if 200 <= response.status_code < 300:
            SpecCheckedClient.succeeded[key] = SpecCheckedClient.succeeded.get(key, 0) + 1
            if SpecCheckedClient.current_test:
                SpecCheckedClient.succeeded_by.setdefault(key, set()).add(
                    SpecCheckedClient.current_test)


def basic(user: str, password: str) -> dict:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def body(response):
    return json.loads(response.get_data())
