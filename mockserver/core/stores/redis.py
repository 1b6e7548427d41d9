"""The Redis backend: every piece of state in one Redis, so several workers and several hosts
pointed at it behave as one sandbox.

Layout, under a namespace prefix P (`?namespace=` in the URL, default `mockserver`), with a
collection key K = vendor, tenant and collection joined by the unit separator:

- `P:d:K` hash id -> record JSON; `P:o:K` zset id -> insertion sequence (list order);
  `P:c:K` zset id -> version of its last change (what a process that holds an older copy must
  fetch); `P:b:d:K` / `P:b:o:K` the seeded base, copied back on reset.
- `P:vers` hash K -> "version generation". Versions come from one counter and never repeat;
  the generation changes when a collection is reverted or reseeded (copy it again, whole).
- `P:ids` / `P:b:ids` id sequences; `P:dirty` collections written since the last reset.
- `P:state` hash of small JSON documents every request reads; `P:ctr` counters (each process
  watches it: redis_watch); `P:req` the request counter (apart, so numbering is no change); `P:win:G`
  rate-limit windows; `P:l:NAME` bounded lists (journal, outbox); `P:kv` key-value entries.
- `P:snaps` and `P:snap:NAME:...` named snapshots (layout in redis_scripts.py).

A request starts with `begin`: every collection version and state document, and its number.
While nothing changed since the process last looked (Redis says so: core.stores.redis_watch),
that costs no waiting: the number is asked for and its reply read later (redis_line). Else it is
one round trip, which also carries the journal entries of the process's requests before. Its
reads then come from a process-local copy of each collection, kept in step by version and
fetched again (only the records changed since) when another process wrote. A commit is one
Lua script: it checks that every collection the unit of work read is still at the version read
(else `Conflict`, and the pipeline runs the request again), applies the writes, bumps the
versions and appends the events to the outbox, atomically. Tenants never wait on each other:
there is no lock, and a commit conflicts only with a commit that changed what it read.
"""
from __future__ import annotations

import copy
import secrets
import socket
import threading
import time
from collections import OrderedDict, deque
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import orjson
import redis
import redis.connection

from ..store import Conflict, Key, Store, StoreUnavailable
from .memory import FEED, changes_in

SEP = "\x1f"

from .redis_line import Line
from .redis_watch import Watch
from .redis_scripts import (_BEGIN, _CLEAR_SHARED, _COMMIT, _LOAD, _REVERT, _SNAP_DROP,
                            _SNAP_RESTORE, _SNAP_SAVE, _WINDOW)


@dataclass
class _Copy:
    """This process's copy of one collection, at a version."""
    ver: str
    gen: str
    records: dict[str, dict]
    size: int


class _HoldingConnection(redis.connection.Connection):
    """A connection whose socket is the operating system's own even where gevent patched the
    socket module: a round trip to Redis (a tenth of a millisecond) then holds the worker instead
    of letting every other request of the worker run first. Under gevent a request that yields on
    each of its round trips takes ten times its own time, and a writer of a busy tenant holds the
    tenant back for all of it; clients' sockets stay gevent's, so slow clients still cost nothing."""

    def _connect(self):
        try:
            from gevent import monkey
        except ImportError:  # no gevent: sockets are the OS's anyway
            return super()._connect()
        if not monkey.is_module_patched("socket"):
            return super()._connect()
        native = monkey.get_original("socket", "socket")
        family = socket.AF_INET6 if ":" in str(self.host) else socket.AF_INET
        sock = native(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(self.socket_connect_timeout)
        sock.connect((self.host, self.port))
        sock.settimeout(self.socket_timeout)
        return sock


def _key(vendor: str, tenant, collection: str) -> str:
    return SEP.join((vendor, str(tenant), collection))


def _split(k: str) -> Key:
    vendor, tenant, collection = k.split(SEP)
    return vendor, tenant, collection


def _dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:  # integers beyond 64 bits
        import json
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisStore(Store):
    name = "redis"
    CACHE_ENTRIES = 4096

    def __init__(self, url: str):
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        self.namespace = (query.pop("namespace", ["mockserver"]) or ["mockserver"])[0]
        self._cache_bytes = int((query.pop("cache_mb", ["256"]) or ["256"])[0]) * 1024 * 1024
        holding = (query.pop("holding", ["1"]) or ["1"])[0] not in ("0", "false", "no")
        rest = "&".join(f"{k}={v[0]}" for k, v in query.items())
        self.url = urlunsplit((parts.scheme, parts.netloc, parts.path, rest, ""))
        self._r = redis.Redis.from_url(self.url, health_check_interval=30,
                                       **({"connection_class": _HoldingConnection}
                                          if parts.scheme == "redis" and holding else {}))
        self._p = self.namespace
        self._load = self._r.register_script(_LOAD)
        self._commit = self._r.register_script(_COMMIT)
        self._revert = self._r.register_script(_REVERT)
        self._window = self._r.register_script(_WINDOW)
        self._begin = self._r.register_script(_BEGIN)
        self._line = Line(self._r.connection_pool)  # begin and the journal (redis_line)
        self._watch = Watch(self._r.connection_pool, f"{self._p}:ctr")  # (redis_watch)
        self._known: tuple = (b"", {}, b"", {})  # what begin last saw: versions, state
        self._clear = self._r.register_script(_CLEAR_SHARED)
        self._snap_save = self._r.register_script(_SNAP_SAVE)
        self._snap_restore = self._r.register_script(_SNAP_RESTORE)
        self._snap_drop = self._r.register_script(_SNAP_DROP)
        self._session: ContextVar[dict | None] = ContextVar(f"redis_session_{id(self)}", default=None)
        self._copies: OrderedDict[str, _Copy] = OrderedDict()
        self._copies_size = 0
        self._lock = threading.Lock()
        self._registered: set[tuple[str, str]] = set()
        self._local_locks: dict[str, threading.Lock] = {}
        self._tenants_seen: dict[tuple, list] = {}  # (view's version, vendor) -> tenants
        self._feeds: dict[str, deque] = {}  # what moved this process's copies along, by key
        self._tokens: ContextVar[dict | None] = ContextVar(f"redis_locks_{id(self)}", default=None)

    def ping(self) -> None:
        try:
            self._r.ping()
        except redis.RedisError as exc:
            raise StoreUnavailable(f"cannot reach the Redis store at {self.url}: {exc}") from None

    # a request's view ------------------------------------------------------------------------
    def begin(self, numbered=True):
        """The request's view: the collection versions and state documents as they are now,
        and its number. For a vendor request, when this process's watch (redis_watch) says
        nothing they depend on changed since its last look, the view it holds is current and
        the number is asked for without waiting (its reply is read when the number is first
        needed: redis_line). Otherwise, and always for an unnumbered look (a control call, a
        retry after a conflict, background work), one round trip brings the number and
        whatever changed (each has a counter), with the journal entries kept so far."""
        known_ver, known_vers, known_sv, known_state = self._known
        if numbered and known_ver and self._watch.quiet():
            self._session.set({"vers": dict(known_vers), "state": dict(known_state),
                               "ver": known_ver, "size": len(known_vers)})
            return self._line.send("INCR", f"{self._p}:req")
        self._watch.armed()
        args = [self._p, known_ver, known_sv, "1" if numbered else "0"]
        ver, vers, sv, state, number = self._line.script(self._begin, *args)
        if vers is not None:
            known_vers = {_text(vers[i]): _text(vers[i + 1]) for i in range(0, len(vers), 2)}
        if state is not None:
            known_state = {_text(state[i]): state[i + 1] for i in range(0, len(state), 2)}
        self._known = (ver, known_vers, sv, known_state)
        self._session.set({"vers": dict(known_vers), "state": dict(known_state), "ver": ver,
                           "size": len(known_vers)})
        return int(number) if numbered else None

    def end(self):
        self._session.set(None)

    def _held(self, part: str) -> dict | None:
        """The current request's view (`vers` or `state`), loaded by `begin`; None outside one.
        A context variable, so it is the request's own under threads and greenlets alike."""
        session = self._session.get()
        return session[part] if session is not None else None

    def _versions(self) -> dict[str, str]:
        vers = self._held("vers")
        if vers is None:
            return {_text(k): _text(v) for k, v in self._r.hgetall(f"{self._p}:vers").items()}
        return vers

    def _version_text(self, k: str) -> str:
        vers = self._held("vers")
        if vers is None:
            raw = self._r.hget(f"{self._p}:vers", k)
            return _text(raw) if raw is not None else "0 0"
        return vers.get(k, "0 0")

    # reads -----------------------------------------------------------------------------------
    def _collection(self, k: str) -> dict[str, dict]:
        """This process's copy of a collection, at least as new as the request's view (a copy
        that another request of this process already brought further along serves as it is);
        the request's view then names the version it read, which its commit will check."""
        ver, gen = self._version_text(k).split(" ")
        with self._lock:
            if ver == "0":  # no such collection now (a reset removed it): forget any old copy
                gone = self._copies.pop(k, None)
                if gone is not None:
                    self._copies_size -= gone.size
                return {}
            held = self._copies.get(k)
            if held is not None and held.gen == gen and int(held.ver) >= int(ver):
                self._copies.move_to_end(k)
                if held.ver != ver:
                    self._note_version(k, held.ver, gen)
                return held.records
        return self._refresh(k, held)

    def _note_version(self, k: str, ver: str, gen: str) -> None:
        vers = self._held("vers")
        if vers is not None:
            vers[k] = f"{ver} {gen}"

    def _refresh(self, k: str, held: _Copy | None) -> dict[str, dict]:
        reply = self._load(args=[self._p, k, held.ver if held else "", held.gen if held else ""])
        ver, gen, how = _text(reply[0]), _text(reply[1]), _text(reply[2])
        if how == "same" and held is not None:
            self._note_version(k, ver, gen)
            return held.records
        if how == "full":
            self._feeds.pop(k, None)
            records, size = {}, 0
            for i in range(3, len(reply), 2):
                raw = reply[i + 1]
                if raw:
                    records[_text(reply[i])] = orjson.loads(raw)
                    size += len(raw)
        else:  # only what changed since the copy's version, applied to the copy in place
            records, size = held.records, held.size
            added = []
            for i in range(3, len(reply), 3):
                record_id, raw, seq = _text(reply[i]), reply[i + 1], float(reply[i + 2])
                if not raw:
                    records.pop(record_id, None)
                elif record_id in records:
                    records[record_id] = orjson.loads(raw)
                    size += len(raw)
                else:
                    added.append((seq, record_id, orjson.loads(raw)))
                    size += len(raw)
            for _, record_id, record in sorted(added, key=lambda a: a[0]):
                records[record_id] = record
            self._feeds.setdefault(k, deque(maxlen=FEED)).append(
                (int(held.ver), int(ver), tuple(_text(reply[i]) for i in range(3, len(reply), 3))))
        self._hold(k, _Copy(ver, gen, records, size))
        self._note_version(k, ver, gen)
        return records

    def _hold(self, k: str, held: _Copy) -> None:
        with self._lock:
            old = self._copies.pop(k, None)
            if old is not None:
                self._copies_size -= old.size
            self._copies[k] = held
            self._copies_size += held.size
            while len(self._copies) > 1 and (len(self._copies) > self.CACHE_ENTRIES
                                             or self._copies_size > self._cache_bytes):
                _, gone = self._copies.popitem(last=False)
                self._copies_size -= gone.size

    def get(self, vendor, tenant, collection, record_id):
        record = self.peek(vendor, tenant, collection, record_id)
        return copy.deepcopy(record) if record is not None else None

    def peek(self, vendor, tenant, collection, record_id):
        return self._collection(_key(vendor, tenant, collection)).get(str(record_id))

    def records(self, vendor, tenant, collection):
        return self._collection(_key(vendor, tenant, collection))

    def all(self, vendor, tenant, collection):
        return list(self._collection(_key(vendor, tenant, collection)).values())

    def version(self, vendor, tenant, collection):
        return int(self._version_text(_key(vendor, tenant, collection)).split(" ")[0])

    def tenants(self, vendor):
        session = self._session.get()
        if session is None or len(session["vers"]) != session["size"]:
            # outside a request, or its own commit added a collection: as the view is now
            return self._tenants_of(self._versions(), vendor)
        # every request asks (authentication): worked out once per view of the versions
        key = (session["ver"], vendor)
        found = self._tenants_seen.get(key)
        if found is None:
            found = self._tenants_seen[key] = self._tenants_of(session["vers"], vendor)
            while len(self._tenants_seen) > 64:
                self._tenants_seen.pop(next(iter(self._tenants_seen)))
        return list(found)

    @staticmethod
    def _tenants_of(vers, vendor) -> list:
        return list(dict.fromkeys(_split(k)[1] for k in sorted(vers)
                                  if k.startswith(vendor + SEP)))

    def collections(self, vendor, tenant):
        prefix = _key(vendor, tenant, "")
        return [_split(k)[2] for k in sorted(self._versions()) if k.startswith(prefix)]

    def next_id(self, vendor, tenant, collection):
        return int(self._r.hincrby(f"{self._p}:ids", _key(vendor, tenant, collection), 1))

    # commits ---------------------------------------------------------------------------------
    def commit(self, reads, writes, events, guard=None):
        guard_key = f"{self._p}:lock:{guard}" if guard else ""
        token = (self._tokens.get() or {}).get(guard_key, b"") if guard else b""
        args: list[Any] = [self._p, guard_key, token, len(reads)]
        for key, version in reads.items():
            args += [_key(*key), str(version)]
        args.append(len(writes))
        encoded: dict[str, list[tuple[str, bytes]]] = {}
        for key, changes in writes.items():
            k = _key(*key)
            rows = encoded[k] = [(str(i), _dumps(r) if r is not None else b"")
                                 for i, r in changes.items()]
            args += [k, len(rows)]
            for record_id, raw in rows:
                args += [record_id, raw]
        args.append(len(events))
        args += [_dumps(e) for e in events]
        args.append(self.OUTBOX_SIZE)
        reply = self._commit(args=args)
        if _text(reply[0]) == "conflict":
            where = _text(reply[1])
            raise Conflict(where if where == "locked" else _split(where))
        vers = self._held("vers")
        for i in range(1, len(reply), 4):
            k, old, new, gen = (_text(x) for x in reply[i:i + 4])
            self._after_commit(k, old, new, gen, encoded[k], writes[_split(k)])
            if vers is not None:
                vers[k] = f"{new} {gen}"

    def _after_commit(self, k, old, new, gen, rows, changes) -> None:
        """Keep this process's copy in step with its own commit, when it was the copy the commit
        was made on; otherwise the next read fetches what changed."""
        with self._lock:
            held = self._copies.get(k)
        if held is None or held.ver != old or held.gen != gen:
            return
        records, size = held.records, held.size  # changed in place, as in refresh
        for record_id, raw in rows:
            record = changes[record_id] if record_id in changes else None
            if not raw:
                records.pop(record_id, None)
            else:
                records[record_id] = orjson.loads(raw) if record is None else record
                size += len(raw)
        self._hold(k, _Copy(new, gen, records, size))
        self._feeds.setdefault(k, deque(maxlen=FEED)).append(
            (int(old), int(new), tuple(rid for rid, _ in rows)))

    def changes_since(self, vendor, tenant, collection, version):
        k = _key(vendor, tenant, collection)
        with self._lock:
            held = self._copies.get(k)
        if held is None:
            return None
        return changes_in(self._feeds.get(k, ()), version, int(held.ver))

    # seeding and reset -----------------------------------------------------------------------
    def load_base(self, vendor, records):
        p = self._p
        grouped: dict[str, dict[str, bytes]] = {}
        ids: dict[str, int] = {}
        from .memory import trailing_number
        for tenant, collection, record_id, record in records:
            k = _key(vendor, tenant, collection)
            grouped.setdefault(k, {})[str(record_id)] = _dumps(record)
            number = trailing_number(record_id)
            if number is not None and number > ids.get(k, 0):
                ids[k] = number
        old = [k for k in {*self._versions(), *map(_text, self._r.smembers(f"{p}:bkeys"))}
               if k.startswith(vendor + SEP)]
        pipe = self._r.pipeline(transaction=True)
        for k in old:
            pipe.delete(f"{p}:d:{k}", f"{p}:o:{k}", f"{p}:c:{k}", f"{p}:b:d:{k}", f"{p}:b:o:{k}")
            pipe.hdel(f"{p}:vers", k)
            pipe.hdel(f"{p}:ids", k)
            pipe.hdel(f"{p}:b:ids", k)
            pipe.srem(f"{p}:dirty", k)
            pipe.srem(f"{p}:bkeys", k)
        for k, rows in grouped.items():
            for start in range(0, len(rows), 2000):
                chunk = dict(list(rows.items())[start:start + 2000])
                pipe.hset(f"{p}:b:d:{k}", mapping=chunk)
                # seeded records sort before every committed one (scores from #seq, 1 up)
                pipe.zadd(f"{p}:b:o:{k}", {rid: start + n - len(rows)
                                           for n, rid in enumerate(chunk)})
            pipe.copy(f"{p}:b:d:{k}", f"{p}:d:{k}")
            pipe.copy(f"{p}:b:o:{k}", f"{p}:o:{k}")
            pipe.sadd(f"{p}:bkeys", k)
        if ids:
            pipe.hset(f"{p}:b:ids", mapping=ids)
            pipe.hset(f"{p}:ids", mapping=ids)
        pipe.execute()
        gens = self._r.pipeline(transaction=True)
        for k in grouped:
            gens.hincrby(f"{p}:ctr", "#ver", 1)
            gens.hincrby(f"{p}:ctr", "#gen", 1)
        numbers = gens.execute()
        self._r.hset(f"{p}:vers", mapping={
            k: f"{numbers[2 * n]} {numbers[2 * n + 1]}" for n, k in enumerate(grouped)} or
            {"": ""})
        self._r.hdel(f"{p}:vers", "")
        self.end()

    def revert(self):
        self._revert(args=[self._p])
        self.end()

    def claim(self, fingerprint, seed):
        p, token = self._p, secrets.token_hex(8)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if _text(self._r.hget(f"{p}:meta", "fingerprint") or b"") == fingerprint:
                return False
            if self._r.set(f"{p}:seeding", token, nx=True, ex=120):
                try:
                    seed()
                    self._r.hset(f"{p}:meta", "fingerprint", fingerprint)
                finally:
                    self._r.delete(f"{p}:seeding")
                return True
            time.sleep(0.05)  # another process is seeding this store; it takes about a second
        raise ValueError(f"the Redis store {self.url} (namespace {self._p}) is still being "
                         "seeded by another process after 120 s")

    @contextmanager
    def lock(self, name):
        # redis-py's lock: SET NX with a token and an expiry, released only by its holder. While
        # it is held, a commit of this tenant by anyone else is a conflict (see _COMMIT).
        key = f"{self._p}:lock:{name}"
        with self._lock:
            local = self._local_locks.setdefault(name, threading.Lock())
        # Writers of one process take turns locally first, so one of them at most polls Redis.
        if not local.acquire(timeout=30):
            raise Conflict(f"the lock {name} stayed taken")
        held = self._r.lock(key, timeout=10, sleep=0.002, blocking_timeout=30)
        if not held.acquire():
            local.release()
            raise Conflict(f"the lock {name} stayed taken")
        tokens = self._tokens.get() or {}
        marker = self._tokens.set({**tokens, key: held.local.token})
        try:
            yield
        finally:
            self._tokens.reset(marker)
            try:
                held.release()
            except redis.exceptions.LockError:
                pass  # expired meanwhile (a request over 10 s): nothing to give back
            finally:
                local.release()

    # shared state ----------------------------------------------------------------------------
    def state(self, name):
        held = self._held("state")
        raw = held.get(name) if held is not None else self._r.hget(f"{self._p}:state", name)
        return orjson.loads(raw) if raw else None

    def update_state(self, name, change):
        key = f"{self._p}:state"
        with self._r.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.hget(key, name)
                    new = change(orjson.loads(raw) if raw else None)
                    encoded = _dumps(new)
                    pipe.multi()
                    pipe.hset(key, name, encoded)
                    pipe.hincrby(f"{self._p}:ctr", "#state", 1)
                    pipe.execute()
                    held = self._held("state")
                    if held is not None:
                        held[name] = encoded
                    return new
                except redis.WatchError:
                    continue

    def incr(self, counter, by=1):
        return int(self._r.hincrby(f"{self._p}:ctr", counter, by))

    def counters(self, prefix):
        return {_text(k): int(v) for k, v in self._r.hgetall(f"{self._p}:ctr").items()
                if _text(k).startswith(prefix) and not _text(k).startswith("#")}

    def _register(self, kind: str, name: str) -> None:
        """Note a window group or list name once per process, so a reset can find it."""
        if (kind, name) not in self._registered:
            self._r.sadd(f"{self._p}:{kind}", name)
            self._registered.add((kind, name))

    def window_hit(self, group, key, now, window, cost, limit):
        self._register("wins", group)
        started, used, allowed = self._window(keys=[f"{self._p}:win:{group}"],
                                              args=[key, repr(now), window, cost, limit])
        return float(started), int(used), bool(allowed)

    def clear_windows(self, group=None):
        groups = [group] if group else [_text(g) for g in self._r.smembers(f"{self._p}:wins")]
        if groups:
            self._r.delete(*[f"{self._p}:win:{g}" for g in groups])

    def append(self, name, item, keep):
        """Sent with this process's next command, or within Line.FLUSH seconds (redis_line);
        a read of the list waits that long, so it shows every process's appends made before."""
        self._register("lists", name)
        key = f"{self._p}:l:{name}"
        self._line.later(("RPUSH", key, _dumps(item)), ("LTRIM", key, -max(1, keep), -1))

    def items(self, name, last=None):
        start = -last if last else 0
        self._line.settle()
        raw = self._line.call("LRANGE", f"{self._p}:l:{name}", start, -1)
        return [orjson.loads(x) for x in raw]

    def clear_list(self, name):
        self._line.settle()  # what was appended before is cleared with the rest
        self._line.call("DEL", f"{self._p}:l:{name}")

    def kv_get(self, name):
        raw = self._r.hget(f"{self._p}:kv", name)
        return orjson.loads(raw) if raw else None

    def kv_put(self, name, value):
        self._r.hset(f"{self._p}:kv", name, _dumps(value))

    def clear_shared(self, keep=()):
        self._line.settle()  # the journal entries of requests before the reset go with it
        self._line.script(self._clear, self._p, *keep)
        self.end()

    # snapshots (one Lua script each: a snapshot is one instant of the store) -----------------
    def save_snapshot(self, name, meta):
        colls, records = self._snap_save(args=[self._p, name, b""])
        summary = {**meta, "collections": int(colls), "records": int(records)}
        self._r.hset(f"{self._p}:snaps", name, _dumps(summary))
        return summary

    def restore_snapshot(self, name):
        done = bool(self._snap_restore(args=[self._p, name]))
        self.end()
        return done

    def snapshots(self):
        saved = self._r.hgetall(f"{self._p}:snaps")
        return [orjson.loads(saved[n]) for n in sorted(saved, key=_text) if saved[n]]

    def drop_snapshot(self, name):
        return bool(self._snap_drop(args=[self._p, name]))
