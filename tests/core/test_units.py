"""Core modules on their own: clock, store, rate limiter, search, pagination, errors, faults,
journal, dialects, settings."""
from datetime import datetime, timezone

import pytest

from mockserver.config import Settings
from mockserver.core import dialects, errors, pagination, search
from mockserver.core.clock import Clock, parse_instant
from mockserver.core.faults import FaultInjector
from mockserver.core.journal import Journal
from mockserver.core.ratelimit import HeaderStyle, RateLimiter, RateLimitPolicy
from mockserver.core.store import open_store
from mockserver.core.stores.memory import MemoryStore
from werkzeug.datastructures import ImmutableMultiDict


class Wall:
    def __init__(self, t=1000.0):
        self.t = t

    def __call__(self):
        return self.t


def test_clock_runs_with_real_time_plus_offset():
    wall = Wall()
    clock = Clock(MemoryStore(), wall=wall)
    clock.advance(30)
    wall.t += 5
    assert clock.timestamp() == 1035
    clock.freeze(True)
    wall.t += 100
    assert clock.timestamp() == 1035 and clock.frozen
    clock.freeze(False)
    wall.t += 1
    assert clock.timestamp() == 1036
    clock.set(datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert clock.now().year == 2030
    with pytest.raises(ValueError):
        clock.advance(-1)
    clock.reset()
    assert clock.timestamp() == wall.t


def test_clock_frozen_start_and_reset():
    start = parse_instant("2026-01-01T00:00:00Z")
    clock = Clock(MemoryStore(), start)
    clock.advance(10)
    assert clock.state() == {"now": "2026-01-01T00:00:10Z", "frozen": True}
    clock.reset()
    assert clock.state()["now"] == "2026-01-01T00:00:00Z"


def test_memo_keeps_answers_by_key_forgets_the_oldest_and_never_keeps_a_refusal():
    from mockserver.core.memo import Memo

    memo, calls = Memo(size=2), []

    def compute(value):
        return lambda: calls.append(value) or value

    assert memo.get("a", compute(1)) == 1 and memo.get("a", compute(2)) == 1
    memo.get("b", compute(3))
    memo.get("a", compute(4))  # a is now the most recent
    memo.get("c", compute(5))  # so b goes
    assert memo.get("b", compute(6)) == 6 and calls == [1, 3, 5, 6]

    def refuse():
        raise ValueError("no")
    with pytest.raises(ValueError):
        memo.get("d", refuse)
    assert memo.get("d", compute(7)) == 7


def test_store_unknown_url_is_refused():
    with pytest.raises(ValueError, match="memory://"):
        open_store("mysql://localhost")


def _limiter(wall):
    store = MemoryStore()
    return RateLimiter(store, Clock(store, wall=wall))


def test_ratelimit_fixed_window_from_first_hit():
    wall = Wall()
    limiter = _limiter(wall)
    policy = RateLimitPolicy(limit=3, window=60, costs={"POST": 2},
                             headers=HeaderStyle(limit="L", remaining="R", reset="X",
                                                 reset_format="epoch", retry_after="RA"))
    hit = lambda m="GET": limiter.hit("v", "t", "b", policy, m, lambda: 3)  # noqa: E731
    assert hit().remaining == 2
    assert hit().remaining == 1
    wall.t += 59
    refused = hit("POST")  # costs 2, only 1 left: refused whole
    assert refused.allowed is False and refused.retry_after == 1
    assert refused.headers(wall.t) == {"L": "3", "R": "1", "X": "1060", "RA": "1"}
    assert hit().remaining == 0  # the refused write was not charged
    wall.t += 1
    assert hit("POST").remaining == 1  # a new window
    limiter.set_mode("v", {"mode": "off"})
    off = [hit("POST") for _ in range(5)]  # nothing counted or refused; headers still say so
    assert all(d.allowed and d.remaining == 3 and d.limit == 3 for d in off)


def test_search_caret_dialect():
    values = ["jane@acme.com", "ajane@acme.com", "jane@acme.co", "JANE@ACME.COM"]
    match = lambda p: [v for v in values if search.caret_matcher(p)(v)]  # noqa: E731
    assert match("^jane@acme.com^") == ["jane@acme.com", "JANE@ACME.COM"]
    assert match("^jane") == ["jane@acme.com", "jane@acme.co", "JANE@ACME.COM"]
    assert match(".com^") == ["jane@acme.com", "ajane@acme.com", "JANE@ACME.COM"]
    assert match("jane@") == values
    assert search.caret_mode("^") == ("prefix", "")
    assert search.caret_matcher("x")(None) is False
    assert search.caret_matcher("^b^")(["a", "B"]) is True
    rows = [{"e": "a@x.io"}, {"e": "b@y.io"}]
    assert search.filter_records(rows, {"e": "^b"}) == [rows[1]]


def test_pagination_styles():
    page = pagination.paginate(list(range(7)), 2, 3)
    assert (list(page.items), page.total, page.last_page) == ([3, 4, 5], 7, 3)
    rows = list(page.items)
    assert pagination.envelope("data_meta", page, rows) == {
        "data": rows, "meta": {"page": 2, "limit": 3, "total": 7}}
    assert pagination.envelope("keyed_total", page, rows, "n") == {
        "0": {"n": 3}, "1": {"n": 4}, "2": {"n": 5}, "total_count": 7}
    assert pagination.envelope("keyed_count", page, rows)["count"] == 7
    assert "total_count" not in pagination.envelope("keyed", page, rows)
    assert pagination.envelope("array", page, rows) == rows


def test_errors_render_template_with_extra():
    err = errors.SandboxError(404, "gone", "it's gone", extra={"id": 3})
    assert errors.render({"Error": "{code}", "Message": "{message}", "Status": "{status}"}, err) \
        == {"Error": "gone", "Message": "it's gone", "Status": 404, "id": 3}


def test_faults_times_glob_and_validation():
    faults = FaultInjector(MemoryStore(), sleep=lambda s: None)
    faults.add(vendor="v", method="get", path="/api/*", status=503, times=1)
    assert faults.take("v", "POST", "/api/x") is None
    assert faults.take("w", "GET", "/api/x") is None
    assert faults.take("v", "GET", "/api/x").status == 503
    assert faults.take("v", "GET", "/api/x") is None
    with pytest.raises(ValueError):
        faults.add(path="*")
    with pytest.raises(ValueError):
        faults.add(status=700)


def test_journal_is_bounded_and_filters():
    journal = Journal(MemoryStore(), 2)
    for seq, vendor in enumerate(("a", "b", "a"), 1):
        journal.record({"seq": seq, "vendor": vendor, "time": 1781524800.0})
    assert [e["seq"] for e in journal.entries()] == [2, 3]
    assert [e["seq"] for e in journal.entries("a")] == [3]
    assert journal.entries("a")[0]["time"] == "2026-06-15T12:00:00Z"  # written when read


def test_dialects_php_arrays_and_bracketed_forms():
    args = ImmutableMultiDict([("s[]", "a"), ("s[1]", "b"), ("t", "c,d"), ("q", "x,y")])
    out = dialects.normalise_query("php", args, ("s", "t"))
    assert out.getlist("s") == ["a", "b"] and out.getlist("t") == ["c", "d"]
    assert out.getlist("q") == ["x,y"]  # not an array: left alone
    assert dialects.normalise_query("plain", args, ("s",)) is args
    plain = ImmutableMultiDict([("s", "a"), ("q", "x,y")])
    assert dialects.normalise_query("php", plain, ("s",)) is plain  # nothing PHP-shaped
    emptied = dialects.normalise_query("php", ImmutableMultiDict([("s", ""), ("q", "")]), ("s",))
    assert "s" not in emptied and emptied.getlist("q") == [""]  # an empty array is no filter
    assert dialects.bracketed_form([("case[subject]", "Hi"), ("case[attachments][1]", "f")]) == \
        {"case": {"subject": "Hi", "attachments": ["f"]}}
    assert dialects.bracketed_form([("m[a][]", "x"), ("m[a][]", "y"), ("n", "1"), ("n", "2"),
                                    ("l[0]", "p"), ("l[1]", "q"), ("o[k][z]", "v")]) == \
        {"m": {"a": ["x", "y"]}, "n": ["1", "2"], "l": ["p", "q"], "o": {"k": {"z": "v"}}}
    assert isinstance(dialects.bracketed_form([("n", "1"), ("n", "2")])["n"], dialects.Repeated)


def test_a_form_body_takes_its_shape_from_the_schema():
    """A repeated name is all its values where the schema says an array, else its last (PHP);
    one plain value where only an array is allowed is a list of it."""
    from mockserver.core.scalars import Coercer
    schema = {"type": "object", "properties": {
        "urls": {"type": "array", "items": {"type": "string"}},
        "ids": {"type": "array", "items": {"type": "integer"}},
        "name": {"type": "string"}, "n": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}}
    form = dialects.bracketed_form([("urls", "a"), ("ids", "1"), ("ids", "2"), ("name", "x"),
                                    ("name", "y"), ("n", "3"), ("n", "4"), ("extra", "p"),
                                    ("extra", "q")])
    assert Coercer({}, form=True).coerce(form, schema) == \
        {"urls": ["a"], "ids": [1, 2], "name": "y", "n": 4, "extra": "q"}
    assert Coercer({}).coerce({"urls": "a"}, schema) == {"urls": "a"}  # JSON keeps its shape


def test_settings_precedence_and_refusals():
    s = Settings.load({"port": 9000}, environ={"MOCKSERVER_PORT": "7000", "MOCKSERVER_SEED": "5",
                                               "MOCKSERVER_VENDORS": "a,b"})
    assert (s.port, s.seed, s.vendors) == (9000, 5, ("a", "b"))
    with pytest.raises(ValueError, match="one worker"):
        Settings.load({"workers": 2}, environ={})
    assert Settings.load({"workers": 2, "store": "redis://127.0.0.1:6379/0"}, environ={}).workers == 2
    with pytest.raises(ValueError):
        Settings.load({"rate_limits": "sometimes"}, environ={})
    assert Settings.load({"freeze_time": "2026-01-01T00:00:00Z"}, environ={}).freeze_time.year \
        == 2026


def test_rendering_remembers_per_record_and_follows_writes():
    from marshmallow import Schema, fields

    from mockserver.core.rendering import RecordRenderer

    calls = []

    class Out(Schema):
        name = fields.Function(lambda r: calls.append(r["id"]) or r["name"].upper())

    store = MemoryStore()
    store.load_base("v", [("t", "c", 1, {"id": 1, "name": "a"})])
    render = RecordRenderer(Out)
    assert render.many(store.all("v", "t", "c")) == [{"name": "A"}]
    assert render.many(store.all("v", "t", "c")) == [{"name": "A"}] and calls == [1]
    store.put("v", "t", "c", 1, {"id": 1, "name": "b"})  # a write stores a new object
    assert render.many(store.all("v", "t", "c")) == [{"name": "B"}] and calls == [1, 1]


def test_rendering_remembers_each_variant_of_a_record_apart():
    from mockserver.core.rendering import RecordRenderer

    calls = []

    def out(record, zone, loud=False):
        calls.append((zone, loud))
        return {"name": record["name"].upper() if loud else record["name"], "zone": zone}

    record = {"id": 1, "name": "a"}
    render = RecordRenderer(out)
    assert render.one(record, "UTC") == {"name": "a", "zone": "UTC"}
    assert render.one(record, "UTC", True) == {"name": "A", "zone": "UTC"}
    assert render.one(record, "Europe/Riga") == {"name": "a", "zone": "Europe/Riga"}
    assert render.one(record, "UTC") == {"name": "a", "zone": "UTC"}
    assert calls == [("UTC", False), ("UTC", True), ("Europe/Riga", False)]
