"""Operation coverage per vendor: every operation of every registered vendor must get at least
one 2xx answer, validated against its spec, from the hand-written tests in tests/vendors/<name>/.

The test client (tests/support.py) records each validated 2xx answer under the test file that
got it. At the end of the session, for each vendor whose directory ran completely — every test
file in it collected and every test collected from it run (no -k, -m, `file::test`, deselection,
or early stop by -x / --maxfail) — the operations without such an answer are named and the
session fails. A partial run checks nothing. When every vendor directory ran completely, a
registered vendor with no test directory at all fails the same way. Hooks imported by
tests/conftest.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from mockserver.registry import load_vendor

from .support import SpecCheckedClient

VENDOR_TESTS = (Path(__file__).parent / "vendors").resolve()
_modules: dict[str, set[Path]] = {}  # vendor -> test files collected (even if they yield none)
_items: dict[str, set[str]] = {}  # vendor -> node ids of every test collected from its files
_ran: set[str] = set()
_root: list[Path] = []


def _vendor_of(path: Path) -> str | None:
    try:
        parts = path.resolve().relative_to(VENDOR_TESTS).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 else None


def operations(vendor: str) -> list[str]:
    document = load_vendor(vendor).document
    return [op["operationId"] for item in document["paths"].values()
            for op in item.values() if isinstance(op, dict) and "operationId" in op]


def uncovered(vendor: str) -> list[str]:
    """The vendor's operations without a 2xx answer from a test under its own directory."""
    own = VENDOR_TESTS / vendor
    answered = {op for (name, op), files in SpecCheckedClient.succeeded_by.items()
                if name == vendor and any(own in Path(f).resolve().parents for f in files)}
    return [op for op in operations(vendor) if op not in answered]


def pytest_sessionstart(session):
    _root.append(session.config.rootpath)


def pytest_collectreport(report):
    """Records each vendor test module and every test it yields, including those that a
    `file::test` argument or -k leaves out afterwards (collected, then never run)."""
    if report.nodeid.endswith(".py") and "::" not in report.nodeid and _root:
        path = (_root[0] / report.nodeid).resolve()
        vendor = _vendor_of(path)
        if vendor:
            _modules.setdefault(vendor, set()).add(path)
    for node in report.result:
        if isinstance(node, pytest.Item) and (vendor := _vendor_of(node.path)):
            _items.setdefault(vendor, set()).add(node.nodeid)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    SpecCheckedClient.current_test = str(item.path)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item):
    SpecCheckedClient.current_test = None


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.skipped):
        _ran.add(report.nodeid)


def _complete(vendor: str, config) -> bool:
    directory = VENDOR_TESTS / vendor
    files = {p.resolve() for pattern in config.getini("python_files")
             for p in directory.rglob(pattern)}
    return bool(files) and files <= _modules.get(vendor, set()) \
        and bool(_items.get(vendor)) and _items[vendor] <= _ran


def pytest_sessionfinish(session, exitstatus):
    from .conftest import test_vendors  # the vendors this run serves

    config = session.config
    if hasattr(config, "workerinput") or getattr(config.option, "numprocesses", None):
        return  # under xdist each process sees only its share of the answers
    if session.shouldstop:
        return
    vendors = test_vendors()
    on_disk = {p.name for p in VENDOR_TESTS.iterdir() if p.is_dir() and p.name in vendors}
    checked = {v: uncovered(v) for v in on_disk if _complete(v, config)}
    if on_disk and len(checked) == len(on_disk):  # the whole tree ran
        checked.update({v: operations(v) for v in vendors if v not in on_disk})
    missing = {v: ops for v, ops in checked.items() if ops}
    if not missing:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.section("operation coverage", sep="=", red=True, bold=True)
        for vendor, ops in sorted(missing.items()):
            reporter.write_line(f"{vendor}: {len(ops)} operation(s) without a 2xx answer from "
                                f"tests/vendors/{vendor}/: {', '.join(ops)}", red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
