"""A real HTTP receiver for webhook tests: a tiny threaded server on a free loopback port that
records every request (path, headers, raw body) and answers the status it is told to.

Waiting for a delivery is waiting for another thread's real HTTP request (bounded, in real
time), never for sandbox time: tests move the sandbox clock to make retries due."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)

    def signed_by(self, secret: str, header: str) -> bool:
        expected = hmac.new(secret.encode(), self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(self.headers.get(header, ""), expected)


class Receiver:
    def __init__(self, host: str = "127.0.0.1", status: int = 200):
        self.status = status
        self.received: list[Received] = []
        self._changed = threading.Condition()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with owner._changed:
                    owner.received.append(Received(self.path, dict(self.headers), body))
                    owner._changed.notify_all()
                self.send_response(owner.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def wait_for(self, count: int, timeout: float = 1.0) -> list[Received]:
        """The requests received once there are `count` of them (AssertionError after
        `timeout` real seconds)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.received)} of {count} deliveries arrived "
                                         f"within {timeout} s")
                self._changed.wait(left)
            return list(self.received)

    def stays_at(self, count: int, seconds: float = 0.8) -> bool:
        """True when no more than `count` requests arrive within `seconds` (longer than the
        scheduler's poll, so a delivery that was going to be made would have been)."""
        try:
            self.wait_for(count + 1, seconds)
        except AssertionError:
            return len(self.received) == count
        return False

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
