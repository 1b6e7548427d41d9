"""The command line: `mockserver serve` under gunicorn, `mockserver credentials`, refusals."""
import json
import os
import socket
import subprocess
import sys
import time

import pytest
import requests

from mockserver.cli import main


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server():
    port = _free_port()
    env = {**os.environ, "MOCKSERVER_FREEZE_TIME": "2026-06-15T12:00:00Z"}
    proc = subprocess.Popen([sys.executable, "-m", "mockserver.cli", "serve", "--port", str(port),
                             "--vendor", "deskchime", "--control-token", "tok"],
                            stderr=subprocess.PIPE, text=True, env=env)
    banner = []
    for line in proc.stderr:  # blocks until gunicorn has booted its worker: no sleeping
        banner.append(line)
        if "Booting worker" in line or proc.poll() is not None:
            break
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:  # the worker is importing: poll the port until it answers
        try:
            requests.get(f"{base}/__sandbox/health", timeout=1)
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline, "".join(banner)
    yield base, "".join(banner)
    proc.terminate()
    proc.wait(timeout=10)


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
