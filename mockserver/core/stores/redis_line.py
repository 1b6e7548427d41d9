"""The process's own connection to Redis for what every request sends: its number, and the
journal append (core.stores.redis).

Each command is a wake-up of redis-server, and on a busy machine the wake-up, not Redis' work,
is what costs. So a request's journal append is not sent on its own: it is kept here (`later`)
and goes in the same write as the process's next command (`call`, `script`, `send`: the next
request's number, under load a moment later). When no request follows, a flusher sends what is
kept within `FLUSH` seconds. Reads of the journal go over the line too, after what is kept, so
a process reads its own appends at once and in order; they first wait `SETTLE` (a few times
`FLUSH`), so that what other processes kept before the read has been sent too: an idle
process's flusher sends it, a busy one's next request does.

`send` does not wait for its reply: the caller goes on with its work and reads the reply when it
needs it (`Ticket.result()`), by which time it has arrived. The connection keeps the replies it
owes in order (`_pending`), so whichever caller reads next takes every reply before its own.

The line is per process (it is opened again after a fork) and used under one lock.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections import deque

import redis
from redis.exceptions import NoScriptError

log = logging.getLogger("mockserver")


class _Reply:
    __slots__ = ("done", "value", "error")

    def __init__(self):
        self.done, self.value, self.error = False, None, None


class Ticket:
    """A reply the line owes (`Line.send`)."""

    def __init__(self, line: "Line", reply: _Reply, command: tuple):
        self._line, self._reply, self._command = line, reply, command

    def result(self):
        reply = self._reply
        if not reply.done:
            with self._line._lock:
                try:
                    self._line._read_until(reply)
                except (redis.ConnectionError, redis.TimeoutError):
                    pass
        if isinstance(reply.error, (redis.ConnectionError, redis.TimeoutError)):
            return self._line.call(*self._command)  # once more, on a new connection
        if reply.error is not None:
            raise reply.error
        return reply.value


class Line:
    FLUSH = 0.01  # seconds at most between keeping a command and sending it (when idle)
    SETTLE = 0.03  # what a read of every process's kept commands waits first

    def __init__(self, pool: redis.ConnectionPool):
        self._pool = pool
        self._pid = None
        self._open()
        atexit.register(self._flush_quietly)

    def _open(self) -> None:
        """This process's connection, lock, kept commands and flusher (again after a fork)."""
        self._pid = os.getpid()
        self._conn = None
        self._later: list[tuple] = []
        self._pending: deque = deque()  # the replies owed on the connection, in order
        self._lock = threading.Lock()
        self._kept = threading.Event()
        self._flusher = None

    def _mine(self) -> None:
        if self._pid != os.getpid():
            self._open()

    # sending ---------------------------------------------------------------------------------
    def _connection(self):
        if self._conn is None:
            self._conn = self._pool.make_connection()
        return self._conn

    def _send(self, commands: list[tuple], slots: list) -> None:
        """Under the lock: `commands` in one write; each one's reply goes to its slot when read
        (None: a kept command, whose refusal is only logged)."""
        conn = self._connection()
        try:
            conn.send_packed_command(conn.pack_commands(commands), check_health=False)
        except BaseException as exc:
            self._broken(exc)
            raise
        self._pending.extend(slots)

    def _read_until(self, slot: "_Reply | None") -> None:
        """Under the lock: read replies in order until `slot` has its own (None: all of them)."""
        while self._pending and (slot is None or not slot.done):
            waiting = self._pending[0]
            try:
                value, error = self._conn.read_response(), None
            except redis.ResponseError as exc:
                value, error = None, exc
            except BaseException as exc:
                self._broken(exc)
                raise
            self._pending.popleft()
            if waiting is None:
                if error is not None:
                    log.warning("a journal command failed in Redis: %s", error)
            else:
                waiting.done, waiting.value, waiting.error = True, value, error

    def _broken(self, exc: BaseException) -> None:
        """The connection failed: every reply still owed fails with it."""
        for waiting in self._pending:
            if waiting is not None:
                waiting.done, waiting.error = True, exc
        self._pending.clear()
        if self._conn is not None:
            self._conn.disconnect()
        self._conn = None

    def _exchange(self, command: tuple | None):
        """Under the lock: send the kept commands and `command` in one write, read their replies
        and answer the last one."""
        kept, self._later = self._later, []
        for attempt in (0, 1):
            reply = _Reply() if command is not None else None
            commands = kept + ([command] if command is not None else [])
            try:
                if commands:
                    self._send(commands, [None] * len(kept) + ([reply] if reply else []))
                self._read_until(reply)
                kept = []
            except (redis.ConnectionError, redis.TimeoutError):
                if attempt:
                    raise
                continue
            if reply is None:
                return None
            if reply.error is not None:
                if isinstance(reply.error, (redis.ConnectionError, redis.TimeoutError)) \
                        and not attempt:
                    continue
                raise reply.error
            return reply.value

    def send(self, *args) -> "Ticket":
        """One command (after the kept ones, in the same write) whose reply is read only when
        `Ticket.result()` asks for it: the caller works meanwhile, and by then the reply has
        usually arrived, so the round trip costs no waiting."""
        self._mine()
        with self._lock:
            kept, self._later = self._later, []
            reply = _Reply()
            try:
                self._send(kept + [args], [None] * len(kept) + [reply])
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                self._later[:0] = kept  # they go with the next command instead
                reply.done, reply.error = True, exc
        return Ticket(self, reply, args)

    def call(self, *args):
        """One command (after the kept ones, in the same write) and its reply."""
        self._mine()
        with self._lock:
            return self._exchange(args)

    def script(self, script, *args):
        """Run a registered script (redis-py's `Script`) without keys."""
        try:
            return self.call("EVALSHA", script.sha, 0, *args)
        except NoScriptError:
            self.call("SCRIPT", "LOAD", script.script)
            return self.call("EVALSHA", script.sha, 0, *args)

    def later(self, *commands: tuple) -> None:
        """Send `commands` with the next command on the line, or within FLUSH seconds."""
        self._mine()
        with self._lock:
            self._later.extend(commands)
            if self._flusher is None:
                self._flusher = threading.Thread(target=self._flush_loop, daemon=True,
                                                 name="redis-line-flusher")
                self._flusher.start()
        self._kept.set()

    def take(self) -> list[tuple]:
        """The kept commands, for the caller to send with a command of its own."""
        self._mine()
        with self._lock:
            kept, self._later = self._later, []
        return kept

    def flush(self) -> None:
        """Send what is kept now."""
        if self._pid != os.getpid():
            return
        with self._lock:
            self._exchange(None)

    def settle(self) -> None:
        """Before reading what every process keeps (the journal): this process's kept commands
        go with the read; another process's are sent within FLUSH, so wait a few times that."""
        time.sleep(self.SETTLE)

    def _flush_quietly(self) -> None:
        try:
            self.flush()
        except Exception as exc:  # Redis away: the next command reports it
            log.warning("could not send the journal to Redis: %s", exc)

    def _flush_loop(self) -> None:
        while True:
            self._kept.wait()
            time.sleep(self.FLUSH)
            self._kept.clear()
            self._flush_quietly()
