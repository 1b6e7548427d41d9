"""Webhooks (core.outbox, core.webhooks, core.schedule) on the tiny `hooky` vendor: real HTTP
deliveries to a receiver of the test's own, signed, only after commit, only to subscribers,
retried on the sandbox clock, logged, redelivered, blocked beyond loopback unless allowed; on
both stores, and with two sandboxes sharing one Redis."""
from __future__ import annotations

import json
import socket
import time

import pytest

from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.core.clock import parse_instant
from mockserver.core.webhooks import ATTEMPTS, RETRY_AFTER
from tests.conftest import run_due_work, test_stores
from tests.live import free_port
from tests.receiver import Receiver
from tests.redis_server import redis_store_url
from tests.support import SpecCheckedClient

from .tiny_webhooks import SOURCE

KEY = {"X-Key": "k1"}
SIGNATURE = "X-Tiny-Signature"
STORES = [s for s in ("memory", "redis") if s in test_stores() or
          (s == "redis" and "fleet" in test_stores())]
_apps = []


def _app(store_url: str, **settings):
    app = create_app(Settings(freeze_time=parse_instant("2026-01-01T00:00:00Z"),
                              store=store_url, **settings), SOURCE)
    app.test_client_class = SpecCheckedClient
    _apps.append(app)
    return app


@pytest.fixture(autouse=True)
def _stop_workers():
    yield
    while _apps:
        _apps.pop().extensions["sandbox"].scheduler.stop()


@pytest.fixture(params=STORES)
def store_url(request):
    return "memory://" if request.param == "memory" else redis_store_url()


@pytest.fixture
def client(store_url):
    return _app(store_url).test_client()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def _hook(client, url, **fields):
    r = client.post("/hooky/hooks", json={"url": url, **fields}, headers=KEY)
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.get_json()


def _note(client, title="hello"):
    return client.post("/hooky/notes", json={"title": title}, headers=KEY)


def _log(client, **filters):
    r = client.get("/__sandbox/webhooks/deliveries", query_string=filters)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def _advance(client, seconds):
    assert client.post("/__sandbox/clock", json={"advance": seconds}).status_code == 200


def _run_due(client):
    """The work due on the client's sandbox, done now (tests.conftest.run_due_work)."""
    run_due_work(client.application.extensions["sandbox"])


def _delivery(client, ident, attempts):
    """The delivery, which must have made exactly `attempts` attempts."""
    delivery = client.get(f"/__sandbox/webhooks/deliveries/{ident}").get_json()
    assert len(delivery["attempts"]) == attempts, delivery
    return delivery


def test_webhook_arrives_within_a_second_signed_with_the_secret(client, receiver):
    hook = _hook(client, receiver.url(), secret="whsec_abc")
    r = _note(client, "first")
    assert r.status_code == 201
    started = time.monotonic()
    [got] = receiver.wait_for(1, timeout=1.0)
    assert time.monotonic() - started < 1.0
    assert got.signed_by("whsec_abc", SIGNATURE)
    assert not got.signed_by("whsec_other", SIGNATURE)
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-Tiny-Event"] == "note.created"
    body = got.json()
    assert body["event"] == "note.created" and body["hook_id"] == hook["id"]
    assert body["payload"] == r.get_json() and body["at"] == "2026-01-01T00:00:00.000Z"
    [delivery] = _log(client)
    _run_due(client)  # nothing left to do: this waits for the worker to record its attempt
    delivery = _delivery(client, delivery["id"], 1)
    assert delivery["id"] == body["id"] and delivery["state"] == "delivered"
    assert delivery["payload"].encode() == got.body  # the exact raw body
    assert delivery["signature"] == got.headers[SIGNATURE]
    assert delivery["webhook"] == hook["id"] and delivery["target"] == receiver.url()
    assert delivery["vendor"] == "hooky" and delivery["tenant"] == "t1"
    assert delivery["next_attempt_at"] is None
    [attempt] = delivery["attempts"]
    assert attempt["status"] == 200 and attempt["error"] is None
    assert attempt["time"] == "2026-01-01T00:00:00.000Z" and attempt["duration_ms"] >= 0
    assert delivery["request_id"] == r.headers["X-Request-Id"]


def test_webhook_goes_only_to_active_subscribers_of_the_event(client, receiver):
    updates = _hook(client, receiver.url("/updates"), events=["note.updated"])
    _hook(client, receiver.url("/all"))  # no list: every event
    _hook(client, receiver.url("/off"), active=False)
    _hook(client, receiver.url("/none"), events=[])
    note = _note(client).get_json()
    _run_due(client)
    [created] = receiver.received
    assert created.path == "/all" and created.json()["event"] == "note.created"
    r = client.patch(f"/hooky/notes/{note['id']}", json={"title": "changed"}, headers=KEY)
    assert r.status_code == 200
    _run_due(client)
    got = list(receiver.received)
    assert len(got) == 3
    assert sorted(g.path for g in got[1:]) == ["/all", "/updates"]
    for g in got[1:]:
        assert g.json()["event"] == "note.updated"
        assert g.json()["payload"] == {"note": {"id": note["id"], "title": "changed"},
                                       "previous_title": "hello"}
    assert [d["webhook"] for d in _log(client, event="note.updated")
            if d["target"].endswith("/updates")] == [updates["id"]]
    # a change that changes nothing is no event
    client.patch(f"/hooky/notes/{note['id']}", json={"title": "changed"}, headers=KEY)
    _run_due(client)
    assert len(receiver.received) == 3


def test_webhook_never_fires_for_a_refused_request(client, receiver):
    _hook(client, receiver.url())
    r = _note(client, "refuse")
    assert r.status_code == 409
    _run_due(client)
    assert receiver.received == []
    assert _log(client) == []


def test_webhook_failing_receiver_is_retried_on_the_sandbox_clock_then_given_up(client,
                                                                                receiver):
    receiver.status = 500
    _hook(client, receiver.url())
    _note(client)
    _run_due(client)
    assert len(receiver.received) == 1
    [delivery] = _log(client)
    delivery = _delivery(client, delivery["id"], 1)
    assert delivery["state"] == "pending"
    assert delivery["attempts"][0]["status"] == 500
    assert "500" in delivery["attempts"][0]["error"]
    assert delivery["next_attempt_at"] == "2026-01-01T00:01:00.000Z"
    runtime = client.application.extensions["sandbox"]
    assert runtime.webhooks.deliver_due() == 0  # not due: the clock has not moved
    _advance(client, RETRY_AFTER[0] - 1)
    _run_due(client)
    assert len(receiver.received) == 1
    _advance(client, 1)
    _run_due(client)
    assert len(receiver.received) == 2
    _delivery(client, delivery["id"], 2)
    receiver.close()  # from now on the connection is refused
    for n, wait in enumerate(RETRY_AFTER[1:], start=3):
        _advance(client, wait)
        _run_due(client)
        delivery = _delivery(client, delivery["id"], n)
    assert n == ATTEMPTS and delivery["state"] == "failed"
    assert delivery["next_attempt_at"] is None
    assert [a["status"] for a in delivery["attempts"]] == [500, 500] + [None] * (ATTEMPTS - 2)
    assert all("refused" in a["error"] for a in delivery["attempts"][2:])
    times = [a["time"] for a in delivery["attempts"]]
    assert times[:3] == ["2026-01-01T00:00:00.000Z", "2026-01-01T00:01:00.000Z",
                         "2026-01-01T00:06:00.000Z"]
    _advance(client, 10 * 86400)
    _run_due(client)  # a given-up delivery is never due again
    assert _delivery(client, delivery["id"], ATTEMPTS)["state"] == "failed"
    assert _log(client, state="failed")[0]["id"] == delivery["id"]


def test_webhook_redeliver_makes_one_more_attempt_now(client, receiver):
    receiver.status = 503
    _hook(client, receiver.url(), secret="s")
    _note(client)
    _run_due(client)
    [delivery] = _log(client)
    _delivery(client, delivery["id"], 1)
    receiver.status = 204
    r = client.post(f"/__sandbox/webhooks/deliveries/{delivery['id']}/redeliver")
    assert r.status_code == 200
    again = r.get_json()
    assert again["state"] == "delivered" and len(again["attempts"]) == 2
    assert [a["status"] for a in again["attempts"]] == [503, 204]
    assert [a["manual"] for a in again["attempts"]] == [False, True]
    first, second = receiver.received  # a redelivery is made before it is answered
    assert first.body == second.body and second.signed_by("s", SIGNATURE)
    # a delivered one can be sent again too; a failure then marks it failed
    receiver.status = 500
    again = client.post(f"/__sandbox/webhooks/deliveries/{delivery['id']}/redeliver").get_json()
    assert again["state"] == "failed" and again["next_attempt_at"] is None
    r = client.post("/__sandbox/webhooks/deliveries/whd_999/redeliver")
    assert r.status_code == 404 and r.get_json()["error"] == "unknown_delivery"
    assert client.get("/__sandbox/webhooks/deliveries/whd_999").status_code == 404


def test_webhook_log_filters_clear_and_reset(client, receiver):
    hook = _hook(client, receiver.url())
    note = _note(client).get_json()
    client.patch(f"/hooky/notes/{note['id']}", json={"title": "x"}, headers=KEY)
    _run_due(client)
    assert len(receiver.received) == 2
    assert [d["event"] for d in _log(client)] == ["note.created", "note.updated"]
    assert [d["event"] for d in _log(client, event="note.updated")] == ["note.updated"]
    assert len(_log(client, webhook=str(hook["id"]), vendor="hooky", tenant="t1")) == 2
    assert _log(client, vendor="other") == []
    for bad in ({"colour": "red"}, {"state": "lost"}):
        r = client.get("/__sandbox/webhooks/deliveries", query_string=bad)
        assert r.status_code == 400 and r.get_json()["error"] == "invalid_filter"
    assert client.delete("/__sandbox/webhooks/deliveries").status_code == 204
    assert _log(client) == []
    _note(client)
    _run_due(client)
    assert len(receiver.received) == 3
    assert len(_log(client)) == 1
    assert client.post("/__sandbox/reset").status_code == 200
    assert _log(client) == []


def test_webhook_log_keeps_the_newest_deliveries_dropping_finished_ones_first(client, receiver,
                                                                              monkeypatch):
    monkeypatch.setattr("mockserver.core.webhooks.KEEP", 3)
    _hook(client, receiver.url())
    for n in range(5):
        _note(client, f"n{n}")
        _run_due(client)
        assert len(receiver.received) == n + 1
        _delivery(client, _log(client)[-1]["id"], 1)
    kept = _log(client)
    assert len(kept) == 3
    assert [json.loads(d["payload"])["payload"]["title"] for d in kept] == ["n2", "n3", "n4"]


def _outside_address() -> str | None:
    """This machine's own address on a non-loopback interface, if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 9))  # no packet is sent: this only picks the interface
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


@pytest.mark.parametrize("allowed", [False, True])
def test_webhook_target_beyond_loopback_is_blocked_unless_allowed(store_url, allowed):
    address = _outside_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to try")
    outside = Receiver(host="0.0.0.0")
    try:
        client = _app(store_url, webhook_allow=(address,) if allowed else ()).test_client()
        _hook(client, outside.url(host=address))
        _note(client)
        _run_due(client)
        [delivery] = _log(client)
        delivery = _delivery(client, delivery["id"], 1)
        if allowed:
            assert len(outside.received) == 1
            assert delivery["state"] == "delivered"
        else:
            assert outside.received == []
            error = delivery["attempts"][0]["error"]
            assert error.startswith("blocked:") and "--webhook-allow" in error
            assert delivery["state"] == "pending" and delivery["attempts"][0]["status"] is None
    finally:
        outside.close()


def test_webhook_unresolvable_and_odd_targets_are_failed_attempts(client):
    _hook(client, "ftp://127.0.0.1/x")
    _hook(client, f"http://127.0.0.1:{free_port()}/nobody")
    _note(client)
    _run_due(client)
    errors = sorted(_delivery(client, d["id"], 1)["attempts"][0]["error"] for d in _log(client))
    assert errors[0].startswith("blocked:") and "http://" in errors[0]
    assert errors[1].startswith("connection refused")


def test_webhooks_with_two_sandboxes_on_one_redis_deliver_each_event_once(receiver):
    if "redis" not in STORES:
        pytest.skip("Redis tests are not selected")
    url = redis_store_url()
    one, two = _app(url).test_client(), _app(url).test_client()
    _hook(one, receiver.url())
    for n in range(6):
        assert _note(one if n % 2 else two, f"n{n}").status_code == 201
    got = receiver.wait_for(6)
    assert receiver.stays_at(6)
    assert sorted(g.json()["payload"]["title"] for g in got) == [f"n{n}" for n in range(6)]
    # a retry due on the clock is made once, though both sandboxes' workers look for it
    receiver.status = 500
    _note(one, "retried")
    receiver.wait_for(7)
    _advance(one, 0)  # the other sandbox's worker looks too
    _advance(two, RETRY_AFTER[0])
    receiver.wait_for(8)
    assert receiver.stays_at(8, 1.2)
    [delivery] = _log(two, state="pending")
    assert len(delivery["attempts"]) == 2


def test_webhooks_from_two_gevent_servers_on_one_redis_arrive_once_each(receiver):
    """Real `serve` processes (gunicorn, gevent workers, two each) sharing one Redis: every
    event is delivered once, and a retry made due by the clock is made once."""
    if "redis" not in STORES:
        pytest.skip("Redis tests are not selected")
    import requests

    from mockserver.control_client import ControlClient
    from tests.live import serve, stop
    url = redis_store_url()
    servers = [serve("--store", url, "--workers", "2", module="tests.core.hooky_server",
                     frozen="2026-01-01T00:00:00Z") for _ in range(2)]
    try:
        bases = [base for _, base in servers]
        r = requests.post(f"{bases[0]}/hooky/hooks", json={"url": receiver.url()}, headers=KEY)
        assert r.status_code == 201
        for n in range(8):
            r = requests.post(f"{bases[n % 2]}/hooky/notes", json={"title": f"n{n}"},
                              headers=KEY)
            assert r.status_code == 201
        got = receiver.wait_for(8, timeout=3)
        assert receiver.stays_at(8, 1.2)
        assert sorted(g.json()["payload"]["title"] for g in got) == [f"n{n}" for n in range(8)]
        assert all(g.signed_by("whsec_tiny", SIGNATURE) for g in got)
        receiver.status = 500
        requests.post(f"{bases[1]}/hooky/notes", json={"title": "retried"}, headers=KEY)
        receiver.wait_for(9, timeout=3)
        requests.post(f"{bases[0]}/__sandbox/clock", json={"advance": RETRY_AFTER[0]})
        receiver.wait_for(10, timeout=3)
        assert receiver.stays_at(10, 1.5)
        log = ControlClient(bases[1]).deliveries(state="pending")
        assert [len(d["attempts"]) for d in log] == [2]
        assert len(ControlClient(bases[0]).deliveries()) == 9
        receiver.status = 200
        again = ControlClient(bases[0]).redeliver(log[0]["id"])
        assert again["state"] == "delivered" and len(receiver.wait_for(11, timeout=3)) == 11
    finally:
        stop(*(proc for proc, _ in servers))
