"""The command line: `mockserver serve` under gunicorn (an honest start-up), `mockserver
credentials`, `mockserver health`, and refusals naming the flag or variable at fault."""
import json
import os
import socket
import subprocess
import sys
import re
import threading
import time
from pathlib import Path

import pytest
import requests

from mockserver.cli import main
from mockserver.server import READY


def start(*args: str, env: dict | None = None, timeout: float = 30):
    """`mockserver serve --port 0 ARGS`, read until its ready line: (process, root URL, banner).
    Nothing polls: the server says when it answers."""
    proc = subprocess.Popen([sys.executable, "-m", "mockserver.cli", "serve", "--port", "0",
                             *args], stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})})
    banner: list[str] = []
    timer = threading.Timer(timeout, proc.kill)  # a server that never gets ready fails the test
    timer.start()
    try:
        for line in proc.stderr:
            banner.append(line)
            if line.startswith(READY):
                break
    finally:
        timer.cancel()
    assert banner and banner[-1].startswith(READY), "".join(banner)
    threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep its pipe drained
    return proc, banner[-1][len(READY):].split()[0], "".join(banner)


def stop(proc):
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def live_server():
    proc, base, banner = start("--vendor", "deskchime", "--control-token", "tok",
                               env={"MOCKSERVER_FREEZE_TIME": "2026-06-15T12:00:00Z"})
    yield base, banner
    stop(proc)


@pytest.mark.live
def test_serve_banner_health_token_and_root_mount(live_server):
    base, banner = live_server
    assert f"{base}/deskchime" in banner and "/__sandbox/credentials" in banner
    assert requests.get(f"{base}/__sandbox/health").status_code == 401
    auth = {"Authorization": "Bearer tok"}
    health = requests.get(f"{base}/__sandbox/health", headers=auth).json()
    assert health == {"status": "ok", "vendors": ["deskchime"], "seed": 1, "store": "memory"}
    creds = requests.get(f"{base}/__sandbox/credentials", headers=auth).json()
    key = {"x-api-key": creds["deskchime"]["organizations"][0]["api_key"]}
    assert creds["deskchime"]["base_url"] == f"{base}/deskchime"
    r = requests.get(f"{base}/api/v1/users?limit=5", headers=key)
    assert r.status_code == 200 and r.json()["meta"]["limit"] == 5
    assert r.headers["X-RateLimit-Limit"] == "60"


def test_credentials_command_prints_the_document(capsys):
    assert main(["credentials", "--vendor", "deskchime", "--port", "9999"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["deskchime"]["base_url"] == "http://127.0.0.1:9999/deskchime"
    assert doc["deskchime"]["organizations"][0]["slug"] == "acme"


def test_several_workers_are_refused_with_a_reason(capsys):
    assert main(["serve", "--workers", "3"]) == 2
    assert "one worker" in capsys.readouterr().err


def test_routes_command_lists_the_vendor_paths(capsys):
    assert main(["routes", "--vendor", "deskchime"]) == 0
    out = capsys.readouterr().out
    assert "/deskchime/api/v1/goals/<id>" in out and "/api/v1/goals/<id>" in out


def test_an_open_control_api_is_refused_unless_asked_for(capsys):
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "--control-token" in err and "--allow-open-control" in err and "Traceback" not in err
    from mockserver.config import Settings
    assert Settings.load({"host": "0.0.0.0", "control_token": "t"}, environ={}).host == "0.0.0.0"
    assert Settings.load({"host": "0.0.0.0"}, environ={"MOCKSERVER_ALLOW_OPEN_CONTROL": "1"}) \
        .allow_open_control
    assert Settings.load({"host": "127.0.0.2"}, environ={}).host == "127.0.0.2"  # loopback


# -- an honest start-up -------------------------------------------------------------------------
@pytest.mark.live
def test_serve_port_zero_banner_names_the_real_port_urls_and_a_credential_per_vendor():
    proc, base, banner = start("--log-level", "warning")
    try:
        port = int(base.rsplit(":", 1)[1])
        assert port != 0 and f"listening on 127.0.0.1:{port}" in banner
        assert banner.count(READY) == 1 and banner.rstrip().endswith(base)
        # ready means ready: the first request after the line is answered, with no retry
        health = requests.get(f"{base}/__sandbox/health", timeout=5).json()
        creds = requests.get(f"{base}/__sandbox/credentials", timeout=5).json()
        lines = banner.splitlines()
        for vendor in health["vendors"]:
            at = next(i for i, line in enumerate(lines)
                      if line.strip().endswith(creds[vendor]["base_url"]))
            header, _, value = lines[at + 1].strip().partition(": ")
            probe = {"deskchime": "/api/v1/users", "deskie": "/api/cases.json",
                     "chime": "/Chime/Report/GetAvailableGlobalReports"}.get(vendor)
            if probe:  # the banner's sample credential is a valid caller
                answer = requests.get(creds[vendor]["base_url"] + probe, headers={header: value},
                                      timeout=5)
                assert answer.status_code == 200, (vendor, header, answer.text[:200])
    finally:
        stop(proc)


def test_serve_on_a_busy_port_fails_at_once_naming_it():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "mockserver.cli", "serve", "--port",
                               str(port)], capture_output=True, text=True, timeout=10)
        took = time.monotonic() - started
    assert done.returncode == 1 and took < 1.0, (took, done.stderr)
    assert f"port {port}" in done.stderr and "already in use" in done.stderr
    assert "Traceback" not in done.stderr and READY not in done.stderr


@pytest.mark.parametrize("args, environ, named", [
    (["routes", "--vendor", "nosuch"], {}, "--vendor nosuch"),
    (["routes"], {"MOCKSERVER_VENDORS": "nosuch"}, "MOCKSERVER_VENDORS='nosuch'"),
    (["credentials", "--store", "foo://x"], {}, "--store foo://x"),
    (["routes"], {"MOCKSERVER_STORE": "redis://127.0.0.1:1/0"}, "MOCKSERVER_STORE="),
    (["serve", "--freeze-time", "soon"], {}, "--freeze-time soon"),
    (["serve"], {"MOCKSERVER_FREEZE_TIME": "soon"}, "MOCKSERVER_FREEZE_TIME='soon'"),
    (["serve"], {"MOCKSERVER_PORT": "eighty"}, "MOCKSERVER_PORT='eighty'"),
    (["serve", "--port", "70000"], {}, "--port 70000"),
    (["serve"], {"MOCKSERVER_WORKERS": "0"}, "MOCKSERVER_WORKERS='0'"),
    (["serve"], {"MOCKSERVER_RATE_LIMITS": "some"}, "MOCKSERVER_RATE_LIMITS='some'"),
    (["serve"], {"MOCKSERVER_WORKER_CLASS": "sync"}, "MOCKSERVER_WORKER_CLASS='sync'"),
    (["serve"], {"MOCKSERVER_LOG_LEVEL": "loud"}, "MOCKSERVER_LOG_LEVEL='loud'"),
    (["serve"], {"MOCKSERVER_CORS": "maybe"}, "MOCKSERVER_CORS='maybe'"),
    (["serve"], {"MOCKSERVER_ALLOW_OPEN_CONTROL": "perhaps"}, "MOCKSERVER_ALLOW_OPEN_CONTROL="),
    (["serve", "--keepalive", "0"], {}, "--keepalive 0"),
    (["credentials", "--port", "0"], {}, "--port 0"),
])
def test_a_bad_flag_or_variable_is_refused_naming_itself(args, environ, named, monkeypatch,
                                                         capsys):
    """In this process only refusals made before `serve` binds or builds anything; the rest
    through the installed command, below."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mockserver: {named}") and "Traceback" not in err, err


@pytest.mark.parametrize("args, environ, message", [
    (["--port", "0"], {"MOCKSERVER_SEED": "x"}, "MOCKSERVER_SEED='x': must be a whole number"),
    (["--port", "0", "--vendor", "nosuch"], {}, "--vendor nosuch: unknown vendor(s) ['nosuch']"),
    (["--port", "0"], {"MOCKSERVER_STORE": "redis://127.0.0.1:1/0"},
     "MOCKSERVER_STORE='redis://127.0.0.1:1/0': cannot reach the Redis store"),
])
def test_serve_refuses_a_bad_setting_naming_it_without_a_traceback(args, environ, message):
    done = subprocess.run([sys.executable, "-m", "mockserver.cli", "serve", *args],
                          capture_output=True, text=True, timeout=30, env={**os.environ,
                                                                          **environ})
    assert done.returncode == 2 and done.stderr.startswith(f"mockserver: {message}"), \
        done.stderr
    assert "Traceback" not in done.stderr and READY not in done.stderr


def test_credentials_command_names_the_dialled_address_for_a_wildcard_host(capsys):
    assert main(["credentials", "--vendor", "chime", "--host", "0.0.0.0", "--port", "9100",
                 "--control-token", "t"]) == 0
    assert json.loads(capsys.readouterr().out)["chime"]["base_url"] == \
        "http://127.0.0.1:9100/chime"


@pytest.mark.live
def test_credentials_command_reads_a_running_server(live_server, capsys):
    base, _ = live_server
    auth = {"Authorization": "Bearer tok"}
    rotated = requests.post(f"{base}/__sandbox/credentials/deskchime/1/rotate", headers=auth)
    assert rotated.status_code == 200
    assert main(["credentials", "--server", base, "--control-token", "tok"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["deskchime"]["base_url"] == f"{base}/deskchime"
    assert doc["deskchime"]["organizations"][0]["api_key"] == rotated.json()["api_key"]
    assert main(["credentials", "--server", base]) == 1  # no token: the server's 401, named
    assert "401" in capsys.readouterr().err


# -- the health check ---------------------------------------------------------------------------
def _dockerfile_healthcheck() -> tuple[list[str], dict]:
    """The Dockerfile's HEALTHCHECK command and the variables its runtime stage sets."""
    runtime = (Path(__file__).parent.parent / "Dockerfile").read_text().split("\nFROM ")[-1]
    lines = [line for line in runtime.splitlines() if not line.lstrip().startswith("#")]
    instructions, current = [], ""
    for line in lines:  # join continued lines into whole instructions
        current += line.rstrip("\\ ") + " "
        if not line.rstrip().endswith("\\"):
            instructions.append(current.strip())
            current = ""
    check = next(i for i in instructions if i.startswith("HEALTHCHECK"))
    env = dict(pair.split("=", 1) for i in instructions if i.startswith("ENV ")
               for pair in i[4:].split())
    return json.loads(check[check.index("CMD ") + 4:]), env


@pytest.mark.live
def test_health_command_passes_with_the_token_on_any_port(live_server):
    base, _ = live_server
    port = base.rsplit(":", 1)[1]
    command, image_env = _dockerfile_healthcheck()
    assert command[:2] == ["mockserver", "health"]
    health = [sys.executable, "-m", "mockserver.cli", *command[1:]]
    env = {**os.environ, **image_env, "MOCKSERVER_PORT": port}
    ok = subprocess.run(health, capture_output=True, text=True, timeout=30,
                        env={**env, "MOCKSERVER_CONTROL_TOKEN": "tok"})
    assert ok.returncode == 0 and "healthy" in ok.stdout, ok.stderr
    wrong = subprocess.run(health, capture_output=True, text=True, timeout=30,
                           env={**env, "MOCKSERVER_CONTROL_TOKEN": "nope"})
    assert wrong.returncode == 1 and "401" in wrong.stderr and "--control-token" in wrong.stderr
    assert main(["health", "--port", port, "--control-token", "tok"]) == 0


def test_health_command_fails_when_nothing_answers(capsys):
    with socket.socket() as s:  # a port that was free a moment ago: nobody listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["health", "--port", str(port), "--timeout", "1"]) == 1
    assert f"127.0.0.1:{port}" in capsys.readouterr().err
