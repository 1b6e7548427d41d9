"""A real `redis-server` for the tests, started once per test process on a free port.

Debian's `redis-server` package provides it (`apt-get install redis-server`). Where it is
missing the Redis tests are skipped with that advice, except under CI (`CI` set), where a missing
server is a failure: CI must run them.
"""
from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid

import pytest

_server: dict = {}
INSTALL = "install Debian's redis-server package (apt-get install redis-server) to run them"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_base_url() -> str:
    """redis://127.0.0.1:PORT/0 of this process's server, starting it on first use."""
    if "url" in _server:
        return _server["url"]
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(f"redis-server is not installed; CI must run the Redis tests: {INSTALL}")
        pytest.skip(f"redis-server is not installed: {INSTALL}")
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="sandbox-redis-")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", folder],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    atexit.register(lambda: (proc.terminate(), proc.wait(5), shutil.rmtree(folder, True)))
    seen = []
    for line in proc.stdout:  # the server says when it listens
        seen.append(line)
        if "Ready to accept connections" in line:
            break
    else:
        pytest.fail(f"redis-server did not start on port {port}: {''.join(seen)[-500:]}")
    threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep its pipe drained
    _server["url"] = f"redis://127.0.0.1:{port}/0"
    return _server["url"]


def redis_store_url() -> str:
    """A store URL of a namespace no other test uses."""
    return f"{redis_base_url()}?namespace=t{uuid.uuid4().hex[:12]}"
