"""Contract tests run on the two store backends in process: they watch views and compare stored
records while they send thousands of requests; the fleet's own promise is shown by the vendor
suites and by the live layers (tests/contract/test_bad_input_live.py, tests/test_fleet.py)."""
import pytest

from tests.conftest import test_stores


@pytest.fixture(params=[s for s in test_stores() if s != "fleet"] or ["memory"])
def store_backend(request) -> str:
    return request.param
