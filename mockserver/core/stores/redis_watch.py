"""Whether anything every request reads changed in Redis since this process last looked, known
without asking (core.stores.redis).

Every request of a Redis-backed sandbox needs the collection versions and the state documents
(clock, keys, modes, faults) as they are now. Both change only with a bump of a counter in the
one hash `P:ctr`, so a process that knows nothing under that key changed since its last look
can serve a read from what it holds. Redis tells it: this process keeps one connection on which
it asked for client-side-caching invalidations of every key under that prefix (`CLIENT TRACKING
ON BCAST PREFIX P:ctr`, RESP3), and Redis pushes a message on it whenever such a key is written,
by any process on any host. Redis sends the message in the same pass as its reply to the writer,
so by the time the writer's client has its answer and asks another process, the message is
already waiting on that process's connection: `quiet()` is a look at the socket, no round trip.

Anything unusual counts as "changed": no connection yet, a broken one, a server that cannot
track (Redis before 6, a proxy), a message of any kind. The store then takes its one round trip
as before, so the worst case is today's cost, never a stale read.
"""
from __future__ import annotations

import logging
import os
import socket
import time

import redis

log = logging.getLogger("mockserver")


class Watch:
    RETRY = 5.0  # seconds before a failed connection is tried again

    def __init__(self, pool: redis.ConnectionPool, prefix: str):
        self._pool = pool
        self._prefix = prefix
        self._pid = None
        self._conn = None
        self._failed_at = 0.0

    def _connect(self):
        kwargs = dict(self._pool.connection_kwargs)
        kwargs["protocol"] = 3
        kwargs["socket_timeout"] = None  # blocking, so a peek (MSG_DONTWAIT) is one system call
        conn = self._pool.connection_class(**kwargs)
        conn.connect()
        conn.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self._prefix)
        conn.read_response()
        return conn

    def _drop(self, why: BaseException | None = None) -> None:
        if self._conn is not None:
            self._conn.disconnect()
        self._conn = None
        self._failed_at = time.monotonic()
        if why is not None:
            log.info("the Redis change watch stopped (%s): every request asks Redis", why)

    def quiet(self) -> bool:
        """True when nothing under the prefix changed since the last `armed()`: no message is
        waiting on a healthy connection."""
        conn = self._conn
        if conn is None or self._pid != os.getpid():
            return False
        try:
            return not _waiting(conn)
        except Exception as exc:
            self._drop(exc)
            return False

    def armed(self) -> None:
        """Before a look at Redis: every message so far is consumed, so the next change after
        this point is the next message (the look itself then sees at least as new a state)."""
        if self._pid != os.getpid():
            self._pid, self._conn = os.getpid(), None  # a fork: the parent's socket is not ours
        if self._conn is None:
            if time.monotonic() - self._failed_at < self.RETRY:
                return
            try:
                self._conn = self._connect()
            except Exception as exc:
                self._drop(exc)
                return
        try:
            while _waiting(self._conn):
                self._conn.read_response(push_request=True)
        except Exception as exc:
            self._drop(exc)


def _waiting(conn) -> bool:
    """Whether a message waits, read or not: a look at the socket that never blocks and never
    goes through `select` (gevent's would watch a socket it does not own). A closed connection
    raises."""
    reader = getattr(conn._parser, "_reader", None)
    if reader is not None and reader.has_data():
        return True
    try:
        peeked = conn._sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except (BlockingIOError, InterruptedError):
        return False
    if not peeked:
        raise ConnectionError("Redis closed the watch connection")
    return True
