"""Where the journal's appends wait for a ride to Redis (core.stores.redis).

A request of a Redis-backed sandbox talked to Redis twice: `begin` (its number, and the versions
and state documents it reads) and the journal append after the answer. Each command is a wake-up
of redis-server, and on a busy machine the wake-up, not Redis' work, is what costs. So the
append is not sent on its own: it is kept here (`later`), and the process's next `begin` takes
it (`take`) and sends it in the same write as its own script, which under load is a moment
later: one round trip per request. When no request follows, a flusher sends what is kept within
`FLUSH` seconds, over this line's own connection. Reads of the journal go over the line too,
after what is kept, so a process reads its own appends at once and in order; they first wait
`SETTLE` (a few times `FLUSH`), so that what other processes kept before the read has been sent
too: an idle process's flusher sends it, a busy one's next request does.

The line is per process (it is opened again after a fork) and used by one caller at a time.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
import time

import redis
from redis.exceptions import NoScriptError

log = logging.getLogger("mockserver")


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
        self._lock = threading.Lock()
        self._kept = threading.Event()
        self._flusher = None

    def _mine(self) -> None:
        if self._pid != os.getpid():
            self._open()

    # sending ---------------------------------------------------------------------------------
    def _exchange(self, command: tuple | None):
        """Under the lock: send the kept commands and `command` in one write, read their replies
        and answer the last one (a kept command's refusal is only logged)."""
        kept, self._later = self._later, []
        commands = kept + ([command] if command is not None else [])
        if not commands:
            return None
        for attempt in (0, 1):
            if self._conn is None:
                self._conn = self._pool.make_connection()
            conn = self._conn
            try:
                conn.send_packed_command(conn.pack_commands(commands), check_health=False)
                for _ in kept:
                    try:
                        conn.read_response()
                    except redis.ResponseError as exc:
                        log.warning("a journal command failed in Redis: %s", exc)
                return conn.read_response() if command is not None else None
            except (redis.ConnectionError, redis.TimeoutError):
                conn.disconnect()
                if attempt:
                    raise
            except redis.ResponseError:
                raise
            except BaseException:
                conn.disconnect()
                raise

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
