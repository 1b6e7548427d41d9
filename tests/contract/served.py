"""Which operations the contract tests exercise: those the sandbox serves. An operation the spec
marks `x-sandbox-unserved: true` answers 501 by design (core.unserved); it is skipped, with a
reason naming it, wherever tests are generated per operation, and left out of the sweeps that
cover a vendor's operations together (their reports name what was left out)."""
from __future__ import annotations

import pytest


def param(vendor: str, op, *values):
    """A pytest parameter for (vendor, op.operation_id, *values), skipped when unserved."""
    args = (vendor, op.operation_id, *values)
    if op.unserved:
        return pytest.param(*args, marks=pytest.mark.skip(
            reason=f"{vendor}.{op.operation_id} is not served yet (x-sandbox-unserved)"))
    return pytest.param(*args)


def served(ops) -> list:
    return [op for op in ops if not op.unserved]


def unserved_ids(ops) -> list[str]:
    return sorted(op.operation_id for op in ops if op.unserved)
