"""The processes the benchmark measures: the sandbox (in memory, or on a Redis store with several
workers), a redis-server of its own, Stoplight Prism and the bare Flask app. Each one is launched
on a free port of 127.0.0.1, waited for until it answers, and stopped at the end; a process that
refuses to start becomes an `Unavailable` naming the first line of its stderr."""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
THREADS = os.environ.get("BENCH_THREADS", "8")  # the sandbox's default --threads
PRISM_DIR = HERE / ".prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
PRISM_PACKAGE = "@stoplight/prism-cli@5"


LIVE: set = set()  # every Process not stopped yet, stopped at exit whatever happened


class Unavailable(Exception):
    """A server that could not be started; the message says why in one line."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url: str, headers: dict | None = None, method: str = "GET") -> int | None:
    """The status of one request, or None when nothing answers."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {},
                                                           method=method), timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


class Process:
    """One launched server, its stderr kept in a temporary file (a pipe nobody reads could fill
    and stall it)."""

    def __init__(self, name: str, cmd: list[str], env: dict | None = None,
                 stdout=subprocess.DEVNULL, cwd: Path | None = None):
        self.name = name
        self._stderr = tempfile.TemporaryFile(mode="w+b")
        self.launched = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=stdout, stderr=self._stderr, cwd=cwd,
                                     env={**os.environ, **(env or {})}, start_new_session=True)
        self.ready_s: float | None = None
        LIVE.add(self)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stderr_line(self) -> str:
        """The first line of stderr that says something: the sandbox's start-up banner (its
        first line and the indented lines under it) is passed over, and of a Python traceback
        the exception line at its end is taken."""
        self._stderr.seek(0)
        lines = [l.rstrip() for l in self._stderr.read().decode(errors="replace").splitlines()
                 if l.strip()]
        if lines and lines[0].startswith("mockserver: serving on"):
            lines = lines[1:]
            while lines and lines[0].startswith(" "):
                lines = lines[1:]
        if lines and lines[0].startswith("Traceback"):
            lines = [l for l in lines[1:] if not l.startswith(" ")] or lines
        return lines[0].strip() if lines else f"exited with status {self.proc.returncode}"

    def wait_until(self, ready, timeout: float = 30.0) -> float:
        """Waits until `ready()` is true; the seconds since launch. Raises Unavailable when the
        process exits first or the time runs out."""
        deadline = self.launched + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                line = self.stderr_line()
                self.stop()
                raise Unavailable(line)
            if ready():
                self.ready_s = round(time.monotonic() - self.launched, 3)
                return self.ready_s
            time.sleep(0.005)
        line = self.stderr_line()
        self.stop()
        raise Unavailable(f"never healthy within {timeout:.0f} s: {line}")

    def wait_http(self, url: str, headers: dict | None = None, expect: int = 200,
                  timeout: float = 30.0) -> float:
        seen: list = []

        def ready():
            seen.append(http_status(url, headers))
            return seen[-1] == expect
        try:
            return self.wait_until(ready, timeout)
        except Unavailable as exc:
            last = next((s for s in reversed(seen) if s is not None), None)
            raise Unavailable(f"{exc} (last answer: {last})" if last else str(exc)) from None

    def memory_mb(self) -> dict:
        return memory_mb(self.pid)

    def stop(self) -> None:
        LIVE.discard(self)
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._stderr.close()


@atexit.register
def _stop_all() -> None:
    for proc in list(LIVE):
        proc.stop()


def _descendants(pid: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                              text=True).stdout.split()
    found = []
    for child in map(int, children):
        found += [child] + _descendants(child)
    return found


def memory_mb(pid: int) -> dict:
    """Resident memory of a process and its descendants (gunicorn's master and workers, Prism's
    CLI and the server it forks): `rss` adds each process's resident set, so pages a child
    shares with its parent (everything built before the fork) count twice; `pss` counts a
    shared page once, split between its sharers, which is the memory really held."""
    rss = pss = 0
    for p in [pid] + _descendants(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return {"rss": round(rss / 1024, 1), "pss": round(pss / 1024, 1)}


def sandbox(extra: list[str], name: str = "sandbox") -> tuple[Process, str]:
    """`mockserver serve` with every vendor on a free port, waited for; (process, base URL)."""
    port = free_port()
    proc = Process(name, [sys.executable, "-m", "mockserver.cli", "serve", "--port", str(port),
                          "--threads", THREADS, "--log-level", "warning", *extra], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    proc.wait_http(f"{base}/__sandbox/health")
    return proc, base


def time_to_healthy(runs: int = 3) -> float:
    """Median seconds from launching `mockserver serve` (in memory) to its first healthy answer."""
    times = []
    for _ in range(runs):
        proc, _ = sandbox([], "ready")
        times.append(proc.ready_s)
        proc.stop()
    return round(sorted(times)[len(times) // 2], 3)


def redis_server() -> tuple[Process, int]:
    """A throwaway redis-server on a free port, without persistence."""
    if not shutil.which("redis-server"):
        raise Unavailable("redis-server is not installed")
    port = free_port()
    proc = Process("redis", ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--daemonize", "no"])

    def pong() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False
    proc.wait_until(pong, 10)
    return proc, port


def ensure_prism() -> Path:
    """Prism's CLI, installed with npm under bench/.prism the first time."""
    if PRISM_BIN.exists():
        return PRISM_BIN
    if not shutil.which("npm"):
        raise Unavailable("npm is not installed, so Prism could not be installed")
    print(f"installing {PRISM_PACKAGE} under bench/.prism ...", file=sys.stderr)
    try:
        done = subprocess.run(["npm", "install", "--prefix", str(PRISM_DIR), "--no-audit",
                               "--no-fund", PRISM_PACKAGE], capture_output=True, text=True,
                              timeout=600)
    except subprocess.TimeoutExpired:
        raise Unavailable("npm install of Prism took over 10 minutes") from None
    if done.returncode != 0 or not PRISM_BIN.exists():
        lines = [l for l in done.stderr.splitlines() if l.strip()] or ["no output"]
        raise Unavailable(f"npm install of Prism failed: {lines[0]}")
    return PRISM_BIN


def prism(spec: str, probe_path: str, headers: dict) -> tuple[Process, str, str]:
    """`prism mock -m` of one spec, waited for until `probe_path` answers 200 with the caller's
    headers (Prism checks the declared security); (process, base URL, version)."""
    binary = ensure_prism()
    version = subprocess.run([str(binary), "--version"], capture_output=True,
                             text=True).stdout.strip()
    port = free_port()
    proc = Process("prism", [str(binary), "mock", "-m", "-h", "127.0.0.1", "-p", str(port),
                             spec], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    proc.wait_http(base + probe_path, headers, timeout=60)
    return proc, base, version


def bare(folder: str, probe_path: str) -> tuple[Process, str]:
    """The bare Flask app (bench/bare_app.py) under the sandbox's gunicorn settings."""
    port = free_port()
    proc = Process("bare", [sys.executable, "-m", "gunicorn", "--chdir", str(HERE), "-b",
                            f"127.0.0.1:{port}", "-w", "1", "-k", "gthread", "--threads", THREADS,
                            "--log-level", "warning", "bare_app:app"],
                   env={"BARE_BODY_DIR": folder})
    base = f"http://127.0.0.1:{port}"
    proc.wait_http(base + probe_path)
    return proc, base
