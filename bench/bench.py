"""Load benchmark of a live `mockserver serve` (every vendor) against a bare Flask app under the
same gunicorn settings, measured in one run: throughput and p50/p99 latency at 16 and 1
connections (wrk) on one list endpoint per vendor, time from launch to a healthy answer, reset
time and resident memory. The bare app answers each path with the bytes the sandbox gave.

Usage: python bench/bench.py [--seconds 10]   (bench/run.sh installs wrk first)
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
THREADS = os.environ.get("BENCH_THREADS", "8")  # the sandbox's default --threads


def endpoints(creds: dict) -> dict:
    """name -> (path, headers of a valid caller), read from the credentials document."""
    deskie = creds["deskie"]["accounts"][0]
    agent = next(a for a in deskie["agents"] if a["active"] and a["access"] == "full")
    basic = base64.b64encode(f"{agent['email']}:{deskie['api_key']}".encode()).decode()
    return {
        "deskchime_users": ("/deskchime/api/v1/users?limit=50",
                            {"x-api-key": creds["deskchime"]["organizations"][0]["api_key"]}),
        "deskie_cases": ("/deskie/api/cases.json?limit=50&status=open",
                         {"Authorization": f"Basic {basic}"}),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, deadline: float) -> float:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return time.monotonic()
        except OSError:
            pass
    raise RuntimeError(f"{url} never became healthy")


def memory_mb(pid: int) -> dict:
    """Resident memory of a process and its children (gunicorn's master and worker): `rss` adds
    each process's resident set, so pages the worker shares with the master (everything built
    before the fork) count twice; `pss` counts a shared page once, split between its sharers,
    which is the memory the sandbox really holds."""
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                    text=True).stdout.split()]
    rss = pss = 0
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss += int(line.split()[1])
        for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss += int(line.split()[1])
    return {"rss": round(rss / 1024, 1), "pss": round(pss / 1024, 1)}


def time_to_healthy(runs: int = 3) -> float:
    """Median seconds from launching `mockserver serve` to its first healthy answer."""
    times = []
    for _ in range(runs):
        port = free_port()
        launched = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "mockserver.cli", "serve", "--port",
                                 str(port), "--log-level", "warning"], stderr=subprocess.DEVNULL)
        try:
            times.append(wait_healthy(f"http://127.0.0.1:{port}/__sandbox/health",
                                      launched + 30) - launched)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)
    return round(statistics.median(times), 3)


def wrk(url: str, connections: int, seconds: int, headers: dict, vary_path: str | None = None):
    """wrk's summary; with `vary_path`, every request asks another page of that path."""
    cmd = ["wrk", "-t", "1" if connections == 1 else "2", "-c", str(connections),
           "-d", f"{seconds}s", "--latency"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    env = dict(os.environ)
    if vary_path:
        cmd += ["-s", str(HERE / "vary.lua")]
        env["VARY_PATH"] = vary_path
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True,
                         env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {m.group(1): _ms(m.group(2)) for m in re.finditer(r"^\s+(\d+)%\s+([\d.]+\w+)", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": round(rps), "p50_ms": lat.get("50"), "p99_ms": lat.get("99"),
            "non_2xx": int(errors.group(1)) if errors else 0}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 3)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    results: dict = {"machine": {"cores": os.cpu_count()}, "ready_s": time_to_healthy()}

    port = free_port()
    launched = time.monotonic()
    sandbox = subprocess.Popen([sys.executable, "-m", "mockserver.cli", "serve", "--port",
                                str(port), "--rate-limits", "off", "--threads", THREADS,
                                "--log-level", "warning"], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    bodies = {}
    try:
        wait_healthy(f"{base}/__sandbox/health", launched + 30)
        creds = json.load(urllib.request.urlopen(f"{base}/__sandbox/credentials"))
        targets = endpoints(creds)
        for name, (path, headers) in targets.items():
            bodies[path] = urllib.request.urlopen(
                urllib.request.Request(base + path, headers=headers)).read()
        resets = []
        for _ in range(20):
            start = time.perf_counter()
            reply = json.load(urllib.request.urlopen(urllib.request.Request(
                f"{base}/__sandbox/reset", method="POST")))
            resets.append(((time.perf_counter() - start) * 1000, reply["took_ms"]))
        results["reset_ms"] = {"http_median": round(statistics.median(r[0] for r in resets), 2),
                               "server_median": round(statistics.median(r[1] for r in resets), 3)}
        results["sandbox"] = {}
        for name, (path, headers) in targets.items():
            wrk(base + path, 16, 2, headers)  # warm-up
            results["sandbox"][name] = {"path": path,
                                        "c16": wrk(base + path, 16, args.seconds, headers),
                                        "c1": wrk(base + path, 1, args.seconds, headers),
                                        "c16_distinct": wrk(base + path, 16, args.seconds,
                                                            headers, vary_path=path)}
        results["sandbox_memory_mb"] = memory_mb(sandbox.pid)
    finally:
        sandbox.send_signal(signal.SIGTERM)
        sandbox.wait(timeout=15)

    with tempfile.TemporaryDirectory() as folder:
        index = {}
        for i, (path, body) in enumerate(bodies.items()):
            (Path(folder) / f"{i}.json").write_bytes(body)
            index[path.split("?")[0]] = f"{i}.json"
        (Path(folder) / "index.json").write_text(json.dumps(index))
        port = free_port()
        bare = subprocess.Popen([sys.executable, "-m", "gunicorn", "--chdir", str(HERE), "-b",
                                 f"127.0.0.1:{port}", "-w", "1", "-k", "gthread", "--threads",
                                 THREADS, "--log-level", "warning", "bare_app:app"],
                                env={**os.environ, "BARE_BODY_DIR": folder},
                                stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            first = next(iter(targets.values()))[0]
            wait_healthy(base + first, time.monotonic() + 30)
            results["bare"] = {}
            for name, (path, _) in targets.items():
                wrk(base + path, 16, 2, {})
                results["bare"][name] = {"c16": wrk(base + path, 16, args.seconds, {}),
                                         "c1": wrk(base + path, 1, args.seconds, {})}
            results["bare_memory_mb"] = memory_mb(bare.pid)
        finally:
            bare.send_signal(signal.SIGTERM)
            bare.wait(timeout=15)

    results["ratio_c16"] = {name: round(results["sandbox"][name]["c16"]["rps"]
                                        / results["bare"][name]["c16"]["rps"], 2)
                            for name in targets}
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
