"""One connection per process for the commands on every request's path (core.stores.redis).

A request of a Redis-backed sandbox talks to Redis twice: `begin` (its number, and the versions
and state documents it reads) and the journal append after the answer. Waiting for the append's
reply is wasted time, so the append is only sent (`send`): its bytes are in Redis' socket before
the answer is written to the client, and Redis runs commands of one connection in the order they
came. The reply is read before the next command on the line (`call`), which is usually the next
request's `begin`: one round trip per request. Reads of what was sent that way (the journal) go
over the line too, so a process always reads its own appends, and another process sees an entry
as soon as Redis has read it off the socket.

The line is per process (it is opened again after a fork) and used by one caller at a time.
"""
from __future__ import annotations

import logging
import os
import threading

import redis
from redis.exceptions import NoScriptError

log = logging.getLogger("mockserver")


class Line:
    def __init__(self, pool: redis.ConnectionPool):
        self._pool = pool
        self._conn = None
        self._pid = None
        self._unread = 0  # replies of commands sent and not read yet
        self._lock = threading.Lock()

    def _connection(self):
        if self._conn is None or self._pid != os.getpid():
            self._conn, self._pid, self._unread = self._pool.make_connection(), os.getpid(), 0
        return self._conn

    def _drain(self, conn) -> None:
        while self._unread:
            self._unread -= 1
            try:
                conn.read_response()
            except redis.ResponseError as exc:  # a command sent without waiting was refused
                log.warning("a Redis command sent without waiting failed: %s", exc)

    def _broken(self, conn) -> None:
        self._unread = 0
        conn.disconnect()

    def call(self, *args):
        """Send one command and answer its reply (after the replies still unread)."""
        with self._lock:
            for attempt in (0, 1):
                conn = self._connection()
                try:
                    self._drain(conn)
                    conn.send_command(*args)
                    return conn.read_response()
                except (redis.ConnectionError, redis.TimeoutError):
                    self._broken(conn)
                    if attempt:
                        raise
                except redis.ResponseError:
                    raise
                except BaseException:
                    self._broken(conn)
                    raise

    def script(self, script, *args):
        """Run a registered script (redis-py's `Script`) without keys."""
        try:
            return self.call("EVALSHA", script.sha, 0, *args)
        except NoScriptError:
            self.call("SCRIPT", "LOAD", script.script)
            return self.call("EVALSHA", script.sha, 0, *args)

    def send(self, *commands: tuple) -> None:
        """Send commands without waiting for their replies (read before the next command)."""
        with self._lock:
            for attempt in (0, 1):
                conn = self._connection()
                try:
                    self._drain(conn)
                    conn.send_packed_command(conn.pack_commands(commands), check_health=False)
                    self._unread += len(commands)
                    return
                except (redis.ConnectionError, redis.TimeoutError):
                    self._broken(conn)
                    if attempt:
                        raise
                except BaseException:
                    self._broken(conn)
                    raise
