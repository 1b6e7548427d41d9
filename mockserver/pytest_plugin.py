"""The pytest plugin (installed with the package as a `pytest11` entry point): a live sandbox for
the test session, and a `sandbox` fixture that resets it before each test.

Nothing happens unless a test asks for `sandbox` (or `sandbox_server`): then one
`mockserver serve --port 0` process starts for the session (for each xdist worker: a process and
a port of its own, and on a Redis store a namespace of its own), and is stopped when the session
ends. It really listens, so a test calls it with its own HTTP client, by base URL, exactly as it
would call the vendor. With `--sandbox-url` the plugin uses a sandbox already running (a CI
service container) instead of starting one.

Options, each on the command line (`--sandbox-seed 7`) or in the ini file (`sandbox_seed = 7`),
the command line winning: seed, vendors, store, freeze_time, rate_limits, url, control_token.
This module imports only the standard library and pytest, so loading it costs a run nothing.
"""
from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from collections import deque
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from .control_client import ControlClient, ControlError

OPTIONS = {
    "seed": "seed of the sandbox's generated data (default 1)",
    "vendors": "vendors to serve, separated by commas (default: every vendor)",
    "store": "store URL (default memory://); a redis:// store gets a namespace per xdist "
             "worker (default namespace pytest-sandbox)",
    "freeze_time": "start the sandbox clock frozen at this ISO-8601 instant (each test's reset "
                   "goes back to it)",
    "rate_limits": "documented (default) or off",
    "url": "use the sandbox already running at this URL instead of starting one",
    "control_token": "control token of the sandbox at --sandbox-url (default: "
                     "MOCKSERVER_CONTROL_TOKEN)",
}
START_TIMEOUT = 60.0  # seconds for a server to say it is ready (a busy CI machine)
DEFAULT_NAMESPACE = "pytest-sandbox"


def pytest_addoption(parser):
    group = parser.getgroup("sandbox", "vendor API sandbox (the `sandbox` fixture)")
    for name, text in OPTIONS.items():
        group.addoption("--sandbox-" + name.replace("_", "-"), dest=f"sandbox_{name}",
                        default=None, metavar=name.upper(),
                        help=f"{text}; ini: sandbox_{name}")
        parser.addini(f"sandbox_{name}", text, default="")


def _option(config, name: str) -> str | None:
    value = config.getoption(f"sandbox_{name}") or config.getini(f"sandbox_{name}")
    return str(value).strip() or None


def worker_store(store: str, worker: str | None) -> str:
    """The store URL one test process uses: a Redis store gets its own namespace (the given one,
    or pytest-sandbox), suffixed with the xdist worker's id, so workers never share data."""
    parts = urlsplit(store)
    if parts.scheme not in ("redis", "rediss", "unix"):
        return store
    query = dict(parse_qsl(parts.query))
    namespace = query.get("namespace") or DEFAULT_NAMESPACE
    query["namespace"] = f"{namespace}-{worker}" if worker else namespace
    return urlunsplit(parts._replace(query=urlencode(query)))


class SandboxServer:
    """The session's sandbox: one `mockserver serve` process on a free port (`start`), or one
    already running (`attach`). `url` is its root; `log` its last lines of output."""

    def __init__(self, url: str, token: str | None, seed: int | None,
                 process: subprocess.Popen | None = None, store: str | None = None):
        self.url, self.token, self.seed, self.process, self.store = url, token, seed, \
            process, store
        self.log: deque[str] = deque(maxlen=200)
        self._base_urls: dict[str, str] | None = None

    @classmethod
    def start(cls, args: list[str], store: str | None = None,
              timeout: float = START_TIMEOUT) -> "SandboxServer":
        from .server import READY
        # the server's settings are these flags alone: MOCKSERVER_* variables meant for some
        # other sandbox (a port, a token) must not leak into this one
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKSERVER_")}
        command = [sys.executable, "-m", "mockserver.cli", "serve", "--host", "127.0.0.1",
                   "--port", "0", "--log-level", "warning", *args]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, env=env)
        server = cls("", None, None, process, store)
        answered = threading.Event()

        def read():  # the whole output, drained so the server never blocks on a full pipe
            for line in process.stderr:
                server.log.append(line.rstrip("\n"))
                if not server.url and line.startswith(READY):
                    server.url = line[len(READY):].split()[0]
                    answered.set()
            answered.set()
        threading.Thread(target=read, name="sandbox-log", daemon=True).start()
        atexit.register(server.stop)
        if not answered.wait(timeout) or not server.url:
            server.stop()
            raise RuntimeError(f"`mockserver serve {' '.join(args)}` did not start: "
                               + ("\n".join(server.log) or f"no answer in {timeout:.0f} s"))
        return server

    @classmethod
    def attach(cls, url: str, token: str | None, seed: int | None) -> "SandboxServer":
        health = ControlClient(url, token).health()  # fails early, naming the URL
        return cls(url, token, seed if seed is not None else health.get("seed"))

    def base_urls(self) -> dict[str, str]:
        if self._base_urls is None:  # they never change while the server runs
            self._base_urls = {name: section["base_url"] for name, section in
                               ControlClient(self.url, self.token).credentials().items()}
        return self._base_urls

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


class Sandbox(ControlClient):
    """What a test holds: the sandbox's root `url`, each vendor's `base_url(vendor)`, the
    `credentials` document, and the control calls (`reset`, `advance`, `freeze`, `requests`,
    `fault`, `snapshot`, `restore`, or any other through `call(method, path, body, **query)`)."""

    def __init__(self, server: SandboxServer):
        super().__init__(server.url, server.token)
        self.server = server

    def base_url(self, vendor: str) -> str:
        """The vendor's base URL on this sandbox: the only thing a client changes."""
        urls = self.server.base_urls()
        if vendor not in urls:
            raise KeyError(f"the sandbox serves no vendor {vendor!r}; it serves {sorted(urls)}")
        return urls[vendor]

    @property
    def credentials(self) -> dict:
        """The credentials document as it is now (rotated keys included)."""
        return super().credentials()

    def reset(self, seed: int | None = None) -> dict:
        """Back to the freshly seeded state; with no seed, the session's."""
        return super().reset(self.server.seed if seed is None else seed)


def _server_flags(config) -> tuple[list[str], str | None]:
    flags: list[str] = []
    for vendor in (_option(config, "vendors") or "").replace(",", " ").split():
        flags += ["--vendor", vendor]
    store = _option(config, "store")
    if store:
        store = worker_store(store, os.environ.get("PYTEST_XDIST_WORKER"))
        flags += ["--store", store]
    for name in ("seed", "freeze_time", "rate_limits"):
        value = _option(config, name)
        if value:
            flags += ["--" + name.replace("_", "-"), value]
    return flags, store


@pytest.fixture(scope="session")
def sandbox_server(request) -> SandboxServer:
    """The session's sandbox (started on first use; for each xdist worker, its own)."""
    config = request.config
    seed_text = _option(config, "seed")
    try:
        seed = int(seed_text) if seed_text else None
    except ValueError:
        raise pytest.UsageError(f"--sandbox-seed / sandbox_seed {seed_text!r}: must be a whole "
                                "number") from None
    url = _option(config, "url")
    try:
        if url:
            token = _option(config, "control_token") or os.environ.get("MOCKSERVER_CONTROL_TOKEN")
            return SandboxServer.attach(url, token, seed)
        flags, store = _server_flags(config)
        server = SandboxServer.start(flags, store)
    except (RuntimeError, ControlError) as exc:
        pytest.fail(f"the sandbox is not available: {exc}", pytrace=False)
    server.seed = 1 if seed is None else seed
    request.addfinalizer(server.stop)
    return server


@pytest.fixture
def sandbox(sandbox_server) -> Sandbox:
    """The sandbox, freshly reset (data, clock, journal, faults, limits) for this test."""
    handle = Sandbox(sandbox_server)
    handle.reset()
    return handle


def pytest_report_header(config) -> Any:
    url = _option(config, "url")
    return f"sandbox: {url}" if url else None
