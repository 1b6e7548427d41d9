"""Slow, idle and trickling clients against a live server: none of them may keep a new request
waiting, and a connection that trickles its request head is closed after a bounded time.

These measure the server's own responsiveness in real time (not sandbox time): they wait on
sockets, never sleep."""
from __future__ import annotations

import socket
import time

import pytest
import requests

from tests.live import serve, stop

pytestmark = pytest.mark.live
KEEPALIVE = 2  # seconds a request head may take (the server's --keepalive)


@pytest.fixture(scope="module")
def server():
    proc, base = serve("--vendor", "deskchime", "--keepalive", str(KEEPALIVE))
    yield int(base.rsplit(":", 1)[1]), base
    stop(proc)


def _timed_request(base: str) -> float:
    started = time.monotonic()
    r = requests.get(f"{base}/__sandbox/health", timeout=10)
    assert r.status_code == 200
    return time.monotonic() - started


def _open(port: int, count: int, send: bytes = b"") -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        if send:
            s.sendall(send)
        sockets.append(s)
    return sockets


def test_200_idle_connections_do_not_delay_a_new_request(server):
    port, base = server
    idle = _open(port, 200)
    try:
        assert _timed_request(base) < 1.0
        key = requests.get(f"{base}/__sandbox/credentials").json()["deskchime"]
        headers = {"x-api-key": key["organizations"][0]["api_key"]}
        assert requests.get(f"{base}/api/v1/users?limit=1", headers=headers,
                            timeout=10).status_code == 200
    finally:
        for s in idle:
            s.close()


def test_200_trickling_heads_do_not_delay_a_new_request_and_are_closed(server):
    port, base = server
    trickling = _open(port, 200, b"GET /api/v1/users HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    try:
        for s in trickling[:50]:
            s.sendall(b"a")  # one more byte now and then: never a whole head
        assert _timed_request(base) < 1.0
        started = time.monotonic()
        for s in trickling:
            s.settimeout(KEEPALIVE + 5)
            assert s.recv(1024) == b""  # closed by the server, not by us
        assert time.monotonic() - started < KEEPALIVE + 5
    finally:
        for s in trickling:
            s.close()
