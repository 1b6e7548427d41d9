"""Layered fixtures: one app per settings for the session, reset to its seed before each test."""
from __future__ import annotations

import os

import pytest

from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.core.clock import parse_instant
from mockserver.registry import available_vendors

from .support import SpecCheckedClient

FROZEN_AT = "2026-06-15T12:00:00Z"
_apps: dict[tuple, object] = {}


def test_vendors() -> list[str]:
    """Every vendor, or those named in MOCKSERVER_TEST_VENDORS (to work on one in isolation)."""
    named = os.environ.get("MOCKSERVER_TEST_VENDORS", "")
    return [v for v in named.replace(",", " ").split()] or available_vendors()


test_vendors.__test__ = False  # a helper, not a test


def sandbox_app(**overrides):
    """A session-wide app for these settings (the clock frozen unless told otherwise)."""
    values = {"freeze_time": parse_instant(FROZEN_AT), "vendors": tuple(test_vendors()),
              **overrides}
    key = tuple(sorted(values.items()))
    if key not in _apps:
        app = create_app(Settings(**values))
        app.test_client_class = SpecCheckedClient
        _apps[key] = app
    app = _apps[key]
    app.extensions["sandbox"].reset()
    return app


@pytest.fixture
def app():
    return sandbox_app()


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
