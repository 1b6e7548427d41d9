"""Memory stays flat under distinct large bodies: no cache keeps a request body (each distinct
one once stayed in memory at about twice its size, and a reset freed nothing)."""
from __future__ import annotations

import json
import subprocess

import pytest
import requests

from tests.live import serve, stop

pytestmark = pytest.mark.live
BODY_MB, BODIES = 2, 40


def _rss_mb(pid: int) -> float:
    """Resident memory of the server's worker processes (gunicorn's children)."""
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                              text=True).stdout.split()
    total = 0
    for child in children:
        with open(f"/proc/{child}/status") as status:
            total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    return total / 1024


def test_distinct_large_bodies_leave_memory_flat():
    proc, base = serve("--vendor", "deskchime", "--rate-limits", "off")
    try:
        key = requests.get(f"{base}/__sandbox/credentials").json()["deskchime"]
        headers = {"x-api-key": key["organizations"][0]["api_key"],
                   "Content-Type": "application/json"}

        def send(n: int) -> int:
            filler = chr(ord("a") + n % 26) * (BODY_MB * 1024 * 1024)
            body = json.dumps({"email": f"{n}{filler}@acme.com"})
            return requests.post(f"{base}/api/v1/users/activity", data=body,
                                 headers=headers).status_code
        for n in range(3):  # warm up: code paths, allocator arenas
            send(n)
        before = _rss_mb(proc.pid)
        statuses = {send(n) for n in range(3, 3 + BODIES)}
        after = _rss_mb(proc.pid)
        assert statuses <= {400, 404}  # refused (no such user), never a 5xx
        grown = after - before
        assert grown < BODY_MB * BODIES / 4, f"{before:.0f} MB -> {after:.0f} MB"
    finally:
        stop(proc)
