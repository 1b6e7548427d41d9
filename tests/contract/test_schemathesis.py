"""Schemathesis over each registered vendor's spec, against the app in process: every phase
(examples, coverage, fuzzing, and stateful sequences along the links it infers) and every check,
positive-data acceptance included. Each vendor is served alone, so at its real root paths.

The default run takes a fast sample: every phase and check, FAST_EXAMPLES per operation on a fixed
sample of FAST_OPERATIONS operations per vendor, and a short stateful run over all of them. The
full sweep (every operation, FULL_EXAMPLES each, a long stateful run) is marked `slow` and runs
with MOCKSERVER_SLOW=1.
The hints and filters are in tests/contract/schemathesis_hints.py and docs/spec-conventions.md."""
import os

import pytest

from tests.conftest import test_vendors

from .schemathesis_hints import operation_test, stateful_test

SLOW = os.environ.get("MOCKSERVER_SLOW") == "1"
FAST_EXAMPLES = int(os.environ.get("MOCKSERVER_SCHEMATHESIS_EXAMPLES", "3"))
FAST_OPERATIONS = int(os.environ.get("MOCKSERVER_SCHEMATHESIS_OPERATIONS", "4"))
FULL_EXAMPLES = int(os.environ.get("MOCKSERVER_SCHEMATHESIS_FULL_EXAMPLES", "100"))
FAST_STATEFUL = (3, 6)  # scenarios, steps each
FULL_STATEFUL = (60, 12)

full_sweep = [pytest.mark.slow,
              pytest.mark.skipif(not SLOW, reason="the full sweep: set MOCKSERVER_SLOW=1")]

for _name in test_vendors():
    globals()[f"test_schemathesis_{_name}"] = operation_test(_name, FAST_EXAMPLES, FAST_OPERATIONS)
    globals()[f"TestStateful_{_name}"] = stateful_test(_name, *FAST_STATEFUL)
    _full = operation_test(_name, FULL_EXAMPLES)
    for _mark in full_sweep:
        _full = _mark(_full)
    globals()[f"test_schemathesis_full_{_name}"] = _full
    _stateful = stateful_test(_name, *FULL_STATEFUL)
    for _mark in full_sweep:
        _stateful = _mark(_stateful)
    globals()[f"TestStatefulFull_{_name}"] = _stateful
