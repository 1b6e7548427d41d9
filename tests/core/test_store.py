"""The store backends (memory and Redis) against one set of behaviours, and the unit of work on
top of them: through the store's interface, and through HTTP on the tiny vendor."""
from __future__ import annotations

import threading
import time

import pytest
import redis

from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.core.clock import parse_instant
from mockserver.core.store import Conflict, open_store
from mockserver.core.unit_of_work import UnitOfWork
from tests.conftest import test_stores
from tests.redis_server import redis_store_url

from .tiny import SOURCE

KEY = {"X-Key": "k1"}


def _url(kind: str) -> str:
    return "memory://" if kind == "memory" else redis_store_url()


@pytest.fixture(params=test_stores())
def store(request):
    return open_store(_url(request.param))


@pytest.fixture
def twins():
    """Two Redis store objects on one namespace: what two processes of one sandbox see."""
    if "redis" not in test_stores():
        pytest.skip("Redis tests are not selected")
    url = redis_store_url()
    return open_store(url), open_store(url)


def _number(begun) -> int:
    """A request's number as `begin` answered it: an int, or a reply still owed."""
    return begun if isinstance(begun, int) else int(begun.result())


def _script_runs(raw) -> int:
    return raw.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)


def _seeded(store):
    store.load_base("v", [("t", "c", 1, {"id": 1, "n": "a"}), ("t", "c", 2, {"id": 2, "n": "b"})])
    return store


def test_store_copy_on_write_and_revert(store):
    _seeded(store)
    copy = store.get("v", "t", "c", 1)
    copy["n"] = "changed"
    assert store.get("v", "t", "c", 1)["n"] == "a"  # get hands out a private copy
    assert store.peek("v", "t", "c", 1) is store.all("v", "t", "c")[0]  # peek does not copy
    assert store.peek("v", "t", "c", 9) is None
    store.put("v", "t", "c", 3, {"id": 3})
    store.put("v", "t", "c", 1, {"id": 1, "n": "again"})  # a rewrite keeps its place
    assert store.delete("v", "t", "c", 2) and not store.delete("v", "t", "c", 2)
    assert [r["id"] for r in store.all("v", "t", "c")] == [1, 3]
    assert store.next_id("v", "t", "c") == 4
    store.revert()
    assert store.all("v", "t", "c") == [{"id": 1, "n": "a"}, {"id": 2, "n": "b"}]
    assert store.next_id("v", "t", "c") == 3
    assert store.tenants("v") == ["t"] and store.collections("v", "t") == ["c"]


def test_store_version_changes_with_every_change_and_never_repeats(store):
    store.load_base("v", [("t", "c", 1, {"id": 1}), ("t", "d", 1, {"id": 1})])
    seen = [store.version("v", "t", "c")]
    other = store.version("v", "t", "d")
    assert store.version("v", "t", "c") == seen[-1]  # reading changes nothing
    for change in (lambda: store.put("v", "t", "c", 2, {"id": 2}),
                   lambda: store.delete("v", "t", "c", 2), store.revert,
                   lambda: store.load_base("v", [("t", "c", 1, {"id": 1})])):
        change()
        assert store.version("v", "t", "c") not in seen
        seen.append(store.version("v", "t", "c"))
    assert not store.delete("v", "t", "c", 99) and store.version("v", "t", "c") == seen[-1]
    assert store.version("v", "t", "d") != other  # the reseed above replaced d too


def test_store_ids_with_prefixes_advance_the_counter(store):
    store.load_base("v", [("t", "users", "u41", {"id": "u41"})])
    assert store.next_id("v", "t", "users") == 42
    store.put("v", "t", "users", "u99", {"id": "u99"})
    assert store.next_id("v", "t", "users") == 100


def test_store_shared_state_counters_windows_lists_and_reset(store):
    assert store.state("doc") is None
    assert store.update_state("doc", lambda old: {"n": (old or {"n": 0})["n"] + 1}) == {"n": 1}
    assert store.update_state("doc", lambda old: {"n": old["n"] + 1}) == {"n": 2}
    assert [store.incr("hits") for _ in range(3)] == [1, 2, 3]
    assert store.window_hit("g", "k", 100.0, 60, 2, 3) == (100.0, 2, True)
    assert store.window_hit("g", "k", 130.5, 60, 2, 3) == (100.0, 2, False)  # refused whole
    assert store.window_hit("g", "k", 160.0, 60, 2, 3) == (160.0, 2, True)  # a new window
    for n in range(5):
        store.append("l", {"n": n}, keep=3)
    assert store.items("l") == [{"n": 2}, {"n": 3}, {"n": 4}] and store.items("l", 1) == [{"n": 4}]
    store.kv_put("cache", [1, {"a": 1}])
    number = store.begin()
    store.end()
    store.clear_shared(keep=("doc",))
    assert store.state("doc") == {"n": 2} and store.incr("hits") == 1
    assert store.items("l") == [] and store.kv_get("cache") is None
    assert store.window_hit("g", "k", 170.0, 60, 2, 3) == (170.0, 2, True)
    assert store.begin() == number + 1  # request numbers never repeat
    store.end()


def test_unit_of_work_reads_its_own_writes_and_commits_all_at_once(store):
    _seeded(store)
    with UnitOfWork(store, time=5.0, request_id="req_1") as uow:
        uow.put("v", "t", "c", 3, {"id": 3, "n": "c"})
        uow.put("v", "t", "c", 1, {"id": 1, "n": "A"})
        assert uow.delete("v", "t", "c", 2)
        assert [r["id"] for r in uow.all("v", "t", "c")] == [1, 3]
        assert uow.peek("v", "t", "c", 2) is None and uow.get("v", "t", "c", 1)["n"] == "A"
        assert uow.version("v", "t", "c") is None  # nothing to key a cache on
        assert [r["id"] for r in store.all("v", "t", "c")] == [1, 2]  # nothing written yet
        uow.emit("thing.done", "v", "t", id=3)
        uow.commit()
    assert store.all("v", "t", "c") == [{"id": 1, "n": "A"}, {"id": 3, "n": "c"}]
    events = store.items(store.OUTBOX)
    assert [(e["type"], e.get("id")) for e in events] == [
        ("record.created", "3"), ("record.changed", "1"), ("record.deleted", "2"),
        ("thing.done", 3)]
    assert all(e["request_id"] == "req_1" and e["time"] == 5.0 for e in events)


def test_unit_of_work_dropped_leaves_nothing(store):
    _seeded(store)
    before = store.version("v", "t", "c")
    with UnitOfWork(store) as uow:
        uow.put("v", "t", "c", 1, {"id": 1, "n": "gone"})
        uow.emit("never", "v", "t")
    assert store.version("v", "t", "c") == before and store.peek("v", "t", "c", 1)["n"] == "a"
    assert store.items(store.OUTBOX) == []


def test_commit_conflicts_when_what_it_read_changed(store):
    _seeded(store)
    with UnitOfWork(store) as first:
        record = first.get("v", "t", "c", 1)
        store.put("v", "t", "c", 1, {"id": 1, "n": "by another request"})
        first.put("v", "t", "c", 1, {**record, "n": "lost update"})
        with pytest.raises(Conflict):
            first.commit()
    assert store.peek("v", "t", "c", 1)["n"] == "by another request"


def test_two_processes_see_each_others_writes_deletes_and_resets(twins):
    one, two = twins
    _seeded(one)
    assert [r["n"] for r in two.all("v", "t", "c")] == ["a", "b"]
    one.put("v", "t", "c", 2, {"id": 2, "n": "B"})
    one.put("v", "t", "c", 5, {"id": 5, "n": "e"})
    assert [r["n"] for r in two.all("v", "t", "c")] == ["a", "B", "e"]  # only the change fetched
    two.delete("v", "t", "c", 1)
    assert [r["n"] for r in one.all("v", "t", "c")] == ["B", "e"]
    one.update_state("clock", lambda _: {"offset": 60.0})
    two.begin()
    assert two.state("clock") == {"offset": 60.0}
    two.end()
    one.revert()
    assert [r["n"] for r in two.all("v", "t", "c")] == ["a", "b"]


def test_a_collection_without_a_base_is_gone_after_a_reset_in_every_process(twins):
    one, two = twins
    _seeded(one)
    one.put("v", "t", "new", 1, {"id": 1})
    one.put("v", "t", "new", 2, {"id": 2})
    assert len(two.all("v", "t", "new")) == 2  # each holds a copy now
    assert len(one.all("v", "t", "new")) == 2
    one.revert()
    assert two.all("v", "t", "new") == [] and one.all("v", "t", "new") == []
    two.put("v", "t", "new", 3, {"id": 3})  # created again: no old record comes back
    assert [r["id"] for r in one.all("v", "t", "new")] == [3]
    assert [r["id"] for r in two.all("v", "t", "new")] == [3]


def test_appends_sent_without_waiting_are_read_in_order_by_every_process(twins):
    """The journal's appends are kept and sent with the next command (core.stores.redis_line):
    the process that made them reads them back in order, and so does another process."""
    one, two = twins
    one.clear_list("j")
    for n in range(40):
        one.append("j", {"n": n}, keep=30)
        if n == 20:
            assert [e["n"] for e in one.items("j", 2)] == [19, 20]
    assert [e["n"] for e in one.items("j")] == list(range(10, 40))
    assert [e["n"] for e in two.items("j")] == list(range(10, 40))
    two.append("j", {"n": "two"}, keep=30)
    assert one.begin() and two.begin() and one.items("j", 1) == [{"n": "two"}]
    one.end(), two.end()


def test_a_kept_append_goes_with_the_next_command_or_within_the_flush_interval(twins):
    """An append is sent with the process's next command (a request's `begin`), else by the
    flusher within Line.FLUSH; a read of the list from any process waits for that."""
    from mockserver.core.stores.redis_line import Line
    one, two = twins
    raw = redis.Redis.from_url(redis_store_url().split("?")[0])
    key = f"{one.namespace}:l:j"
    one.clear_list("j")
    one.append("j", {"n": 1}, keep=10)
    _number(one.begin())  # its reply comes after the append's
    one.end()
    assert raw.lrange(key, 0, -1) == [b'{"n":1}']  # it went with the begin
    one.append("j", {"n": 2}, keep=10)
    assert two.items("j") == [{"n": 1}, {"n": 2}]  # the flusher sent it while two waited
    one.append("j", {"n": 3}, keep=10)
    started = time.monotonic()
    while len(raw.lrange(key, 0, -1)) < 3 and time.monotonic() - started < 5:
        time.sleep(0.001)
    assert len(raw.lrange(key, 0, -1)) == 3 and Line.FLUSH < Line.SETTLE < 0.1


def test_a_dropped_connection_loses_no_append(twins):
    one, _ = twins
    one.clear_list("j")
    one.append("j", {"n": 1}, keep=10)
    assert one.items("j") == [{"n": 1}]
    killer = redis.Redis.from_url(redis_store_url().split("?")[0])
    killer.client_kill_filter(_type="normal", skipme=True)  # every connection but its own
    one.append("j", {"n": 2}, keep=10)  # kept, sent again on a fresh connection
    one.append("j", {"n": 3}, keep=10)
    number = _number(one.begin())
    one.end()
    assert _number(one.begin()) == number + 1
    one.end()
    assert [e["n"] for e in one.items("j")] == [1, 2, 3]


def test_a_request_asks_redis_nothing_while_nothing_changed_and_sees_every_change(twins):
    """`begin` of a vendor request takes no round trip while the process's watch says nothing
    it reads changed (core.stores.redis_watch); a write, a state change or a reset made by
    another process is seen by the very next request."""
    one, two = twins
    _seeded(one)
    raw = redis.Redis.from_url(redis_store_url().split("?")[0])
    numbers = [_number(two.begin())]  # the first look asks
    two.end()
    runs = _script_runs(raw)
    for store in (two, one, two, two):  # nothing changed: numbers only, never a look
        numbers.append(_number(store.begin()))
        store.end()
    assert _script_runs(raw) == runs + 1  # one's own first look
    assert numbers == sorted(set(numbers)) and len(numbers) == 5  # distinct, in order
    def next_request_looks() -> bool:  # two's next request: did its begin run the script?
        before = _script_runs(raw)
        two.begin()
        return _script_runs(raw) == before + 1
    one.put("v", "t", "c", 2, {"id": 2, "n": "B"})
    assert next_request_looks()
    assert [r["n"] for r in two.all("v", "t", "c")] == ["a", "B"]
    two.end()
    assert not next_request_looks()
    two.end()
    one.update_state("clock", lambda _: {"offset": 5.0})
    assert next_request_looks() and two.state("clock") == {"offset": 5.0}
    two.end()
    one.revert()  # a reset: the seeded data, and the shared state cleared
    one.clear_shared()
    assert next_request_looks() and two.state("clock") is None
    assert [r["n"] for r in two.all("v", "t", "c")] == ["a", "b"]
    two.end()


def test_without_its_watch_a_process_asks_on_every_request(twins):
    one, two = twins
    _seeded(one)
    raw = redis.Redis.from_url(redis_store_url().split("?")[0])
    _number(two.begin())
    two.end()
    raw.client_kill_filter(_type="normal", skipme=True)  # the watch goes with the rest
    one.put("v", "t", "c", 1, {"id": 1, "n": "A"})
    runs = _script_runs(raw)
    for _ in range(3):
        two.begin()
        assert two.all("v", "t", "c")[0]["n"] == "A"
        two.end()
    assert _script_runs(raw) >= runs + 3  # no watch: a look each time, never a stale read


def test_ids_and_windows_are_exact_across_processes(twins):
    one, two = twins
    _seeded(one)
    ids, allowed = [], []

    def work(store):
        for _ in range(20):
            ids.append(store.next_id("v", "t", "c"))
            allowed.append(store.window_hit("g", "k", 1000.0, 60, 1, 25)[2])
    threads = [threading.Thread(target=work, args=(s,)) for s in (one, two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(ids) == list(range(3, 43))
    assert allowed.count(True) == 25


# -- through HTTP, on the tiny vendor ----------------------------------------------------------
@pytest.fixture(params=test_stores())
def client(request):
    app = create_app(Settings(freeze_time=parse_instant("2026-01-01T00:00:00Z"),
                              store=_url(request.param)), SOURCE)
    return app.test_client()


def _things(client):
    runtime = client.application.extensions["sandbox"]
    return runtime.backend.all("tiny", "t1", "things")


@pytest.mark.parametrize("name, status", [("refuse", 409), ("boom", 500)])
def test_a_view_that_writes_then_refuses_changes_nothing(client, name, status):
    before = _things(client)
    assert len(before) == 5
    r = client.post("/tiny/things", json={"thing": {"name": name}}, headers=KEY)
    assert r.status_code == status
    runtime = client.application.extensions["sandbox"]
    assert _things(client) == before
    assert runtime.backend.all("tiny", "t1", "log") == []  # never created
    assert runtime.backend.items(runtime.backend.OUTBOX) == []
    r = client.post("/tiny/things", json={"thing": {"name": "fine"}}, headers=KEY)
    assert r.status_code == 201 and len(_things(client)) == 6  # the same view can write


def test_events_reach_the_outbox_only_after_commit(client):
    r = client.post("/tiny/things", json={"thing": {"name": "kept"}}, headers=KEY)
    assert r.status_code == 201
    runtime = client.application.extensions["sandbox"]
    events = runtime.backend.items(runtime.backend.OUTBOX)
    request_id = client.get("/__sandbox/requests").get_json()[-1]["id"]
    assert [e["type"] for e in events] == ["record.created", "record.created", "thing.made"]
    assert {e["request_id"] for e in events} == {request_id}
    assert events[0]["record"] == r.get_json()["thing"]


def test_changes_since_follows_commits_and_forgets_at_revert(store):
    _seeded(store)
    store.records("v", "t", "c")  # what a cached list was computed from
    start = store.version("v", "t", "c")
    store.put("v", "t", "c", 3, {"id": 3})
    store.delete("v", "t", "c", 1)
    store.records("v", "t", "c")  # a shared store's process copy catches up
    assert store.changes_since("v", "t", "c", start) == {"3", "1"}
    assert store.changes_since("v", "t", "c", store.version("v", "t", "c")) == set()
    store.revert()
    store.records("v", "t", "c")
    assert store.changes_since("v", "t", "c", start) is None  # compute afresh


def test_a_maintained_list_equals_a_fresh_one_after_every_write(store):
    """core.memo.maintained over a random run of writes: always what filtering and sorting the
    whole collection gives."""
    import random
    from types import SimpleNamespace

    from mockserver.core.memo import maintained

    store.load_base("v", [("t", "c", i, {"id": i, "n": i % 7, "on": i % 3 == 0})
                          for i in range(1, 60)])
    caches: dict = {}
    ctx = SimpleNamespace(vendor=SimpleNamespace(name="v"), tenant="t", store=store,
                          runtime=SimpleNamespace(cache=lambda v: caches.setdefault(v, {})))
    rnd = random.Random(7)
    matches = lambda r: r["on"]  # noqa: E731
    key = lambda r: (r["n"], r["id"])  # noqa: E731
    for step in range(150):
        record_id = rnd.randint(1, 80)
        if rnd.random() < 0.25:
            store.delete("v", "t", "c", record_id)
        else:
            store.put("v", "t", "c", record_id, {"id": record_id, "n": rnd.randint(0, 9),
                                                 "on": rnd.random() < 0.5})
        if step == 100:
            store.revert()
        kept = maintained(ctx, "test", "c", (), "all", matches, key)
        fresh = sorted(filter(matches, store.all("v", "t", "c")), key=key)
        assert kept == fresh, step
