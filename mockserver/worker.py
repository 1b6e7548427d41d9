"""gunicorn's workers, with every refusal gunicorn makes itself answered as JSON.

A request gunicorn cannot parse (a request line or headers over the limits, NUL or raw high bytes,
a bad chunk) never reaches the app, and gunicorn would answer it with an HTML page. These workers
answer it in the envelope of the vendor whose path the request named (when the request line
could be read), else in the control API's `{"error", "message"}`.
"""
from __future__ import annotations

import json
from contextvars import ContextVar

from gunicorn import util
from gunicorn.http import parser, wsgi
from gunicorn.http.errors import ParseException
from gunicorn.http.message import Request
from gunicorn.workers.gthread import ThreadWorker

from .core.errors import SandboxError, render

_path: ContextVar[str | None] = ContextVar("refused_path", default=None)
_app: list = []  # the WSGI app this worker serves (set when the worker loads it)
_CODES = {414: "uri_too_long", 431: "request_header_fields_too_large", 413: "too_large"}


def _request_line_path(line) -> str | None:
    parts = str(line or "").split()
    return parts[1] if len(parts) >= 2 else None


def error_body(path: str | None, status: int, message: str) -> bytes:
    runtime = _app[0].extensions["sandbox"] if _app else None
    vendor_runtime = runtime.vendor_for_path(path.split("?", 1)[0]) if runtime and path else None
    if vendor_runtime is not None:
        vendor = vendor_runtime.vendor
        code = vendor.core_errors["too_large" if status == 413 else "validation"][0]
        body = render(vendor.error_template, SandboxError(status, code, message))
    else:
        body = {"error": _CODES.get(status, "bad_request" if status < 500 else "internal_error"),
                "message": message}
    return json.dumps(body).encode()


def _write_error(sock, status_int, reason, mesg):
    body = error_body(_path.get(), status_int, mesg or reason)
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


util.write_error = _write_error  # gunicorn's workers call it through the module


class _Request(Request):
    """gunicorn's request parser, remembering which path a refused request named: the path it
    parsed, or the start of a request line too long to parse."""

    def _parse_python(self, unreader, buf):
        try:
            return super()._parse_python(unreader, buf)
        except ParseException as exc:
            exc.sandbox_path = getattr(self, "path", None) or _request_line_path(
                bytes(buf[:4096]).split(b"\r\n", 1)[0].decode("latin-1") + " HTTP")
            raise

    def set_body_reader(self):  # framing (Content-Length, chunked) is read after the head
        try:
            return super().set_body_reader()
        except ParseException as exc:
            exc.sandbox_path = getattr(self, "path", None)
            raise


parser.RequestParser.mesg_class = _Request


class _Response(wsgi.Response):
    """gunicorn's response, sending the head and a body given whole (what every answer of the
    app is: one bytes object of the declared length) in one write instead of two: one system
    call and one wake-up of the client fewer per answer."""

    def write(self, arg):
        if self.headers_sent or self.chunked or self._omits_body or not isinstance(arg, bytes) \
                or self.response_length is None or len(arg) != self.response_length:
            return super().write(arg)
        tosend = self.default_headers()
        tosend.extend(["%s: %s\r\n" % (k, v) for k, v in self.headers])
        head = util.to_bytestring("%s\r\n" % "".join(tosend), "latin-1")
        self.headers_sent = True
        self.sent += len(arg)
        util.write(self.sock, head + arg)


wsgi.Response = _Response  # gunicorn's workers build it through the module (wsgi.create)


class _EnvelopeErrors:
    def load_wsgi(self):
        super().load_wsgi()
        _app[:] = [self.wsgi]

    def handle_error(self, req, client, addr, exc):
        path = (getattr(req, "path", None) or getattr(exc, "sandbox_path", None)
                or _request_line_path(getattr(exc, "req", None)))
        token = _path.set(path)
        try:
            super().handle_error(req, client, addr, exc)
        finally:
            _path.reset(token)


class ThreadedWorker(_EnvelopeErrors, ThreadWorker):
    """gthread: a pool of threads per worker process."""


def gevent_worker():
    """The gevent worker class (imported only when it is used: it needs gevent)."""
    from gunicorn.workers.ggevent import GeventWorker

    import gevent

    class GreenWorker(_EnvelopeErrors, GeventWorker):
        """gevent: a greenlet per connection. Each answered request yields to the others: a
        client that sends its next request at once would otherwise be served again and again
        while the rest wait (measured: p50 0.4 ms but p99 0.4 s at 16 connections)."""

        def handle_request(self, listener_name, req, sock, addr):
            try:
                return super().handle_request(listener_name, req, sock, addr)
            finally:
                gevent.sleep(0)
    return GreenWorker
