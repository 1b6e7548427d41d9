"""A real headless Chromium for the page tests: Debian's `chromium` package driven by Playwright
for Python, one browser per test session with a fresh profile. Playwright never downloads a
browser here (`playwright install` is not needed and not run).

Where chromium or Playwright is missing the browser tests are skipped with that advice, except
under CI (`CI` set), where it is a failure: CI must run them (as for Redis, tests/redis_server.py).
"""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INSTALL = ("install Debian's chromium package (apt-get install chromium) and the test extras "
           "(pip install -e '.[test]', for Playwright) to run them")


def _missing(what: str):
    if os.environ.get("CI"):
        pytest.fail(f"{what}; CI must run the browser tests: {INSTALL}")
    pytest.skip(f"{what}: {INSTALL}")


def chromium_path() -> str:
    path = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if path is None:
        _missing("chromium is not installed")
    return path


def launch():
    """(context, close): a browser context of one Chromium on a fresh profile, and the call
    that closes it and removes the profile."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed")
    profile = tempfile.mkdtemp(prefix="sandbox-chromium-")
    driver = sync_playwright().start()
    context = driver.chromium.launch_persistent_context(
        profile, executable_path=executable, headless=True, args=ARGS,
        viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)

    def close():
        context.close()
        driver.stop()
        shutil.rmtree(profile, ignore_errors=True)
    return context, close
