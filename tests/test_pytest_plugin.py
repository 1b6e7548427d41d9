"""The pytest plugin: a new user's test file, with no conftest, in a folder of its own, run by
pytest in a fresh process, as the installed package's entry point offers it."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from mockserver.pytest_plugin import worker_store
from tests import live
from tests.conftest import test_stores

pytestmark = pytest.mark.live

FIRST_TEST = '''
import requests

def key(sandbox):
    return {"x-api-key": sandbox.credentials["deskchime"]["organizations"][0]["api_key"]}

def test_a_test_changes_the_sandbox(sandbox):
    goals = f"{sandbox.base_url('deskchime')}/api/v1/goals"
    assert sandbox.url.startswith("http://127.0.0.1:") and goals.startswith(sandbox.url)
    assert requests.get(f"{goals}/g1", headers=key(sandbox)).status_code == 200
    sandbox.call("DELETE", "/state/deskchime/1/goals/g1")
    assert requests.get(f"{goals}/g1", headers=key(sandbox)).status_code == 404
    assert sandbox.advance(3600)["now"] == "2026-06-15T13:00:00Z"
    sandbox.fault("/api/v1/goals", vendor="deskchime", status=503, times=1)

def test_the_next_test_finds_it_fresh(sandbox):
    base = sandbox.base_url("deskchime")
    assert requests.get(f"{base}/api/v1/goals/g1", headers=key(sandbox)).status_code == 200
    assert sandbox.clock()["now"] == "2026-06-15T12:00:00Z"
    assert requests.get(f"{base}/api/v1/goals", headers=key(sandbox)).status_code == 200

def test_the_journal_and_faults(sandbox):
    base = sandbox.base_url("deskchime")
    sandbox.fault("/api/v1/goals", vendor="deskchime", status=503, times=1)
    assert requests.get(f"{base}/api/v1/goals", headers=key(sandbox)).status_code == 503
    assert requests.get(f"{base}/api/v1/goals", headers=key(sandbox)).status_code == 200
    requests.get(f"{base}/api/v1/users", headers={"x-api-key": "nope"})
    seen = sandbox.requests(vendor="deskchime")
    assert [e["status"] for e in seen] == [503, 200, 401]
    assert sandbox.requests(vendor="deskie") == []

def test_faults_that_look_real_and_snapshots(sandbox):
    goal = f"{sandbox.base_url('deskchime')}/api/v1/goals/g1"
    sandbox.fault("/api/v1/goals/*", kind="reset", times=1)
    try:
        requests.get(goal, headers=key(sandbox))
        raise AssertionError("the connection was not dropped")
    except requests.ConnectionError:
        pass
    limited = sandbox.fault(vendor="deskchime", status=429, retry_after=5, times=1)
    answer = requests.get(goal, headers=key(sandbox))
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "5"
    assert answer.json()["code"] == "RATE_LIMITED" and limited["kind"] == "status"
    assert sandbox.snapshot("universe")["name"] == "universe"
    sandbox.call("DELETE", "/state/deskchime/1/goals/g1")
    assert requests.get(goal, headers=key(sandbox)).status_code == 404
    assert sandbox.restore("universe")["status"] == "restored"
    assert requests.get(goal, headers=key(sandbox)).status_code == 200
    assert [s["name"] for s in sandbox.snapshots()] == ["universe"]
    sandbox.drop_snapshot("universe")
    assert sandbox.snapshots() == []
'''


def run_pytest(folder, *args: str, env: dict | None = None,
               timeout: float = 180) -> subprocess.CompletedProcess:
    """pytest on `folder` in a process of its own, from inside that folder (its rootdir)."""
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *args], cwd=folder, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def write(folder, name: str, text: str) -> None:
    (folder / name).write_text(textwrap.dedent(text))


def readme_examples() -> list[str]:
    """The Python examples of README's "pytest plugin" section."""
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("\n## pytest plugin\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_sandbox_fixture_works_in_files_without_conftest(tmp_path):
    """The plugin's basics, and README's example for each vendor, as a new user runs them."""
    write(tmp_path, "test_first.py", FIRST_TEST)
    examples = readme_examples()
    assert len(examples) >= 3
    for number, example in enumerate(examples):
        write(tmp_path, f"test_readme_{number}.py", example)
    done = run_pytest(tmp_path, "--sandbox-freeze-time", "2026-06-15T12:00:00Z")
    assert not (tmp_path / "conftest.py").exists()
    assert done.returncode == 0 and f"{4 + len(examples)} passed" in done.stdout, \
        done.stdout + done.stderr


def test_sandbox_options_come_from_the_ini_file_and_the_command_line_wins(tmp_path):
    write(tmp_path, "pytest.ini", """
        [pytest]
        sandbox_seed = 5
        sandbox_vendors = deskie
        sandbox_freeze_time = 2030-01-01T00:00:00Z
        sandbox_rate_limits = off
    """)
    write(tmp_path, "test_options.py", """
        def test_options(sandbox):
            health = sandbox.health()
            assert health["seed"] == 6 and health["vendors"] == ["deskie"]
            assert sandbox.clock() == {"now": "2030-01-01T00:00:00Z", "frozen": True}
            assert sandbox.call("GET", "/ratelimits/deskie")["mode"] == "off"
            sandbox.reset(seed=9)
            assert sandbox.health()["seed"] == 9

        def test_the_next_test_is_back_on_the_session_seed(sandbox):
            assert sandbox.health()["seed"] == 6
    """)
    done = run_pytest(tmp_path, "--sandbox-seed", "6")
    assert done.returncode == 0 and "2 passed" in done.stdout, done.stdout + done.stderr


def test_a_session_that_never_asks_for_sandbox_starts_no_server(tmp_path):
    write(tmp_path, "test_plain.py", """
        import os, sys

        def test_nothing_was_started():
            children = [pid for pid in os.listdir("/proc") if pid.isdigit() and
                        open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1]
                        == str(os.getpid())]
            assert children == []
            assert "mockserver.server" not in sys.modules  # nor any server code loaded
            assert "--sandbox-seed" in os.environ["PLUGIN_HELP"]
    """)
    help_text = run_pytest(tmp_path, "--help").stdout
    done = run_pytest(tmp_path, env={"PLUGIN_HELP": help_text})
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout + done.stderr


def test_a_server_that_cannot_start_fails_the_test_with_its_reason(tmp_path):
    write(tmp_path, "test_unserved.py", """
        def test_uses_it(sandbox):
            pass
    """)
    done = run_pytest(tmp_path, "--sandbox-vendors", "nosuch")
    assert done.returncode == 1 and "1 error" in done.stdout
    assert "the sandbox is not available" in done.stdout
    assert "--vendor nosuch: unknown vendor" in done.stdout


def test_sandbox_url_uses_a_running_server_with_its_token(tmp_path):
    proc, base = live.serve("--vendor", "chime", "--control-token", "ci-token")
    try:
        write(tmp_path, "test_attached.py", f"""
            import requests

            def test_attached(sandbox):
                assert sandbox.url == "{base}"
                user = sandbox.credentials["chime"]["users"][0]
                reports = f"{{sandbox.base_url('chime')}}/Chime/Report/GetAvailableGlobalReports"
                answer = requests.get(reports,
                                      headers={{"Authorization": f"Bearer {{user['api_key']}}"}})
                assert answer.status_code == 200
                assert len(sandbox.requests(vendor="chime")) == 1
        """)
        done = run_pytest(tmp_path, "--sandbox-url", base,
                          env={"MOCKSERVER_CONTROL_TOKEN": "ci-token"})
        assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout + done.stderr
        refused = run_pytest(tmp_path, "--sandbox-url", base,
                             env={"MOCKSERVER_CONTROL_TOKEN": "wrong"})
        assert refused.returncode == 1 and "401" in refused.stdout
    finally:
        live.stop(proc)


@pytest.mark.parametrize("store", [s for s in test_stores() if s in ("memory", "redis")])
def test_each_xdist_worker_has_a_sandbox_of_its_own(tmp_path, store):
    pytest.importorskip("xdist")
    args, namespace = [], f"plugin{uuid.uuid4().hex[:8]}"
    if store == "redis":
        from tests.redis_server import redis_base_url
        args = ["--sandbox-store", f"{redis_base_url()}?namespace={namespace}"]
    write(tmp_path, "test_workers.py", """
        import os

        def record(sandbox):
            with open(os.environ["SEEN"], "a") as seen:
                seen.write(f"{os.environ['PYTEST_XDIST_WORKER']} {sandbox.url} "
                           f"{sandbox.server.store}\\n")

        def test_one(sandbox):
            record(sandbox)

        def test_two(sandbox):
            record(sandbox)
    """)
    seen = tmp_path / "seen.txt"
    done = run_pytest(tmp_path, "-n", "2", "--dist", "each", "--sandbox-vendors", "deskchime",
                      *args, env={"SEEN": str(seen)})
    assert done.returncode == 0 and "4 passed" in done.stdout, done.stdout + done.stderr
    servers = {}  # worker -> the (url, store) its tests saw
    for worker, url, used in (line.split(" ") for line in seen.read_text().splitlines()):
        servers.setdefault(worker, set()).add((url, used))
    assert sorted(servers) == ["gw0", "gw1"]
    assert all(len(seen_by) == 1 for seen_by in servers.values())  # one server per session
    (url0, store0), = servers["gw0"]
    (url1, store1), = servers["gw1"]
    assert url0 != url1  # a port each
    if store == "redis":
        import redis
        client = redis.Redis.from_url(redis_base_url())
        for worker, used in (("gw0", store0), ("gw1", store1)):
            assert used.endswith(f"namespace={namespace}-{worker}")
            assert client.exists(f"{namespace}-{worker}:state")  # each seeded its own


def test_worker_store_gives_each_worker_a_namespace():
    assert worker_store("memory://", "gw3") == "memory://"
    assert worker_store("redis://h:6379/0", None) == "redis://h:6379/0?namespace=pytest-sandbox"
    assert worker_store("redis://h:6379/0?namespace=ci&cache_mb=8", "gw1") == \
        "redis://h:6379/0?namespace=ci-gw1&cache_mb=8"
