"""Layered fixtures: one app per settings for the session, reset to its seed before each test.

The `app` fixture (and `client`, `runtime`, `control` on it) runs each test on both store
backends: the in-memory one and Redis (a real `redis-server` started on a free port; see
tests/redis_server.py). `MOCKSERVER_TEST_STORES=fleet` runs them against two live servers with two
workers each on one Redis, every request sent to one of them in turn (tests/fleet.py);
`MOCKSERVER_TEST_STORES=memory` narrows a run to one backend."""
from __future__ import annotations

import os
import time

import pytest

from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.core.clock import parse_instant
from mockserver.core.webhooks import KEY as DELIVERIES
from mockserver.registry import available_vendors

from .fleet import FleetClient, fleet_store_url, start_fleet
from .operation_coverage import (pytest_collectreport, pytest_runtest_logreport,  # noqa: F401
                                 pytest_runtest_setup, pytest_runtest_teardown,
                                 pytest_sessionfinish, pytest_sessionstart)
from .redis_server import redis_store_url
from .support import SpecCheckedClient

FROZEN_AT = "2026-06-15T12:00:00Z"
_apps: dict[tuple, object] = {}


def run_due_work(runtime, timeout: float = 5.0) -> None:
    """Do the sandbox's time-driven work that is due by its clock now, so a test asserts on the
    outcome directly, and asserts that nothing happened without waiting for anything.

    Every scheduled job runs once in this thread (`Scheduler.run_due`; jobs claim their work in
    the store, so a background worker looking at the same time does each piece once). A webhook
    attempt runs in a thread of its own, claimed by this call or by a background worker of any
    process on the store: until every claimed attempt is recorded, this waits (real time, for an
    HTTP call to the test's receiver) and then looks again for work due, which a job's change can
    have made (a scheduled send raising webhooks). With nothing due, nothing waits."""
    deadline = time.monotonic() + timeout
    while True:
        runtime.scheduler.run_due()
        while True:
            now, wall = runtime.clock.timestamp(), time.time()
            records = list(runtime.backend.records(*DELIVERIES).values())
            if not any((r.get("lease") or 0) > wall for r in records):
                break
            assert time.monotonic() < deadline, "a webhook attempt was not recorded in time"
            time.sleep(0.005)  # real time: an attempt's HTTP call in another thread
        if not any(r["state"] == "pending" and r["due"] is not None and r["due"] <= now
                   for r in records):
            return
        assert time.monotonic() < deadline, "due work was left undone"


def test_vendors() -> list[str]:
    """Every vendor, or those named in MOCKSERVER_TEST_VENDORS (to work on one in isolation)."""
    named = os.environ.get("MOCKSERVER_TEST_VENDORS", "")
    return [v for v in named.replace(",", " ").split()] or available_vendors()


test_vendors.__test__ = False  # a helper, not a test


def test_stores() -> list[str]:
    named = os.environ.get("MOCKSERVER_TEST_STORES", "")
    return [v for v in named.replace(",", " ").split()] or ["memory", "redis", "fleet"]


test_stores.__test__ = False


def sandbox_app(**overrides):
    """A session-wide app for these settings (the clock frozen unless told otherwise);
    `store="redis"` gives it a namespace of its own on the tests' Redis server."""
    values = {"freeze_time": parse_instant(FROZEN_AT), "vendors": tuple(test_vendors()),
              **overrides}
    key = tuple(sorted(values.items()))
    if key not in _apps:
        client_class = SpecCheckedClient
        if values.get("store") == "redis":
            values["store"] = redis_store_url()
        elif values.get("store") == "fleet":
            values["store"] = fleet_store_url()
            client_class = type("Fleet", (FleetClient,), {"bases": start_fleet(
                values["store"], FROZEN_AT, tuple(values["vendors"]))})
        app = create_app(Settings(**values))
        app.test_client_class = client_class
        _apps[key] = app
    app = _apps[key]
    app.extensions["sandbox"].reset()
    return app


@pytest.fixture(params=test_stores())
def store_backend(request) -> str:
    """memory, redis or fleet: the backend the test's app runs on."""
    return request.param


@pytest.fixture
def app(store_backend):
    return sandbox_app(store=store_backend)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runtime(app):
    return app.extensions["sandbox"]


@pytest.fixture
def control(client):
    """Calls to the /__sandbox control API that must succeed."""
    class Control:
        def __getattr__(self, method):
            def call(path, **kwargs):
                response = client.open(f"/__sandbox{path}", method=method.upper(), **kwargs)
                assert response.status_code < 300, (path, response.get_data(as_text=True))
                return response.get_json(silent=True)
            return call
    return Control()
