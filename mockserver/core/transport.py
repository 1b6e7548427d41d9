"""Answers that fail below the vendor's API, as networks and overloaded servers fail: a
connection dropped without an answer, and an answer whose body is cut short.

A dropped connection is a response object that, when the WSGI server runs it, shuts the client's
socket down (both directions) instead of answering: the client reads end-of-stream where the
status line should be and reports a connection error. The server's own attempt to write then
meets a closed pipe, which gunicorn and Werkzeug's server both take as a client that went away.
The socket comes from the server's environ key (`gunicorn.socket`, `werkzeug.socket`); a server
that exposes none (an in-process test client) gets `ConnectionResetError` raised to its caller,
which is what a client library raises for a reset connection.
"""
from __future__ import annotations

import socket

from flask import Response  # the app's response class, so Flask keeps this subclass as it is

SOCKET_KEYS = ("gunicorn.socket", "werkzeug.socket")


class Drop(Exception):
    """Raised by a step that decided the request gets no answer at all."""


class DroppedConnection(Response):
    """No answer: the journal sees status 0; the client sees its connection closed."""

    def __init__(self):
        super().__init__(b"", status=0)

    def __call__(self, environ, start_response):
        sock = next((environ[k] for k in SOCKET_KEYS if environ.get(k) is not None), None)
        if sock is None:
            raise ConnectionResetError("the connection was dropped (an injected fault)")
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:  # the client went away first: dropped all the same
            pass
        start_response("500 Connection Dropped", [("Content-Length", "0")])
        return []


def cut_short(response: Response) -> None:
    """The answer's body cut to its first half (at least one byte goes), so JSON no longer
    parses. Content-Length is honest: it is the cut body's length, so the HTTP exchange stays
    well-formed and only the payload is broken. An answer without a body gets `{"` (and 200
    instead of 204, which may carry none)."""
    data = response.get_data()
    if len(data) < 2:
        data = b'{"'
        if response.status_code in (204, 304):
            response.status_code = 200
        response.mimetype = response.mimetype or "application/json"
    else:
        data = data[:len(data) // 2]
    response.set_data(data)
