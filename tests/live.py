"""Live `mockserver serve` processes for the tests that need a real server: started on a free
port, polled until they answer (a starting process, not sandbox time: nothing sleeps), stopped."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import requests

FROZEN_AT = "2026-06-15T12:00:00Z"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(*args: str, frozen: str | None = FROZEN_AT, timeout: float = 60,
          module: str = "mockserver.cli") -> tuple[subprocess.Popen, str]:
    """A server with these `mockserver serve` flags on a free port, once it answers health
    (`module`: another command line taking the same flags, e.g. one serving a test vendor)."""
    port = free_port()
    env = {**os.environ, **({"MOCKSERVER_FREEZE_TIME": frozen} if frozen else {})}
    proc = subprocess.Popen([sys.executable, "-m", module, "serve", "--port", str(port),
                             "--log-level", "warning", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"mockserver serve {' '.join(args)} exited: {proc.stderr.read()}")
        try:
            if requests.get(f"{base}/__sandbox/health", timeout=1).status_code in (200, 401):
                return proc, base
        # The socket is bound before the workers load (honest start-up), so a slow start
        # is a read timeout rather than a refused connection: keep waiting for either.
        except (requests.ConnectionError, requests.Timeout):
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"{base} never answered") from None


def stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
