"""The outbox (core.outbox): a commit's events reach every subscriber once, after the commit,
from the process that made it; a refused request reaches none; a failing subscriber changes no
answer. On the tiny vendor, on both stores."""
from __future__ import annotations

import pytest

from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.core.clock import parse_instant
from tests.conftest import test_stores
from tests.redis_server import redis_store_url

from .tiny import SOURCE

KEY = {"X-Key": "k1"}


@pytest.fixture(params=[s for s in ("memory", "redis") if s in test_stores()])
def client(request):
    url = "memory://" if request.param == "memory" else redis_store_url()
    app = create_app(Settings(freeze_time=parse_instant("2026-01-01T00:00:00Z"), store=url),
                     SOURCE)
    return app.test_client()


def test_outbox_hands_each_commit_its_own_events_once_and_survives_a_failing_subscriber(client):
    runtime = client.application.extensions["sandbox"]
    seen = []

    def broken(events):
        raise RuntimeError("a consumer's bug")
    runtime.outbox.subscribe("broken", broken)
    runtime.outbox.subscribe("recorder", lambda events: seen.append(events))
    r = client.post("/tiny/things", json={"thing": {"name": "kept"}}, headers=KEY)
    assert r.status_code == 201
    [events] = seen
    assert [e["type"] for e in events] == ["record.created", "record.created", "thing.made"]
    assert {e["request_id"] for e in events} == {r.headers["X-Request-Id"]}
    assert events[0]["record"] == r.get_json()["thing"] and "before" not in events[0]
    assert client.post("/tiny/things", json={"thing": {"name": "refuse"}},
                       headers=KEY).status_code == 409
    assert client.get("/tiny/things", headers=KEY).status_code == 200  # reads raise nothing
    assert len(seen) == 1


def test_outbox_record_changes_carry_the_record_before(client):
    runtime = client.application.extensions["sandbox"]
    seen = []
    runtime.outbox.subscribe("recorder", seen.extend)

    def rename():
        record = runtime.store.get("tiny", "t1", "things", 1)
        runtime.store.put("tiny", "t1", "things", 1, {**record, "name": "renamed"})
        runtime.store.delete("tiny", "t1", "things", 2)
    before = [runtime.backend.get("tiny", "t1", "things", i) for i in (1, 2)]
    runtime.transact(rename)
    changed, deleted = seen
    assert changed["type"] == "record.changed" and changed["before"] == before[0]
    assert changed["record"]["name"] == "renamed"
    assert deleted["type"] == "record.deleted" and deleted["record"] is None
    assert deleted["before"] == before[1]
