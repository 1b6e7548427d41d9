"""The bad-input promise against a live `mockserver serve` (gunicorn, its default worker class):
what only a real HTTP server shows. Request lines and headers past the server's limits, raw
high bytes and NUL in the request line, `//` and `\\` in paths, 11 MB bodies with and without a
Content-Length, lying framing: each is sent over a raw socket (clients refuse to send most of
them) and the status line and body are read back by hand.

Every answer must be a 2xx or a 4xx in the envelope of the vendor the path names; a connection
closed without an answer breaks the promise too. A hostile upload must not hold other clients,
and after the corpus the sample caller's reads still answer 200.

Per vendor the default run takes one operation of each shape (a list, a read by id, a write with
a body); MOCKSERVER_SLOW=1 takes every operation.
"""
from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import FROZEN_AT, sandbox_app, test_vendors

from .corpus import Case, VendorCorpus, judge, live_cases, live_operations
from .test_bad_input import corpus_of

SLOW = os.environ.get("MOCKSERVER_SLOW") == "1"
VENDORS = test_vendors()
TIMEOUT = 30
pytestmark = pytest.mark.live


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- a raw HTTP/1.1 client ------------------------------------------------------------------------
class Answer:
    def __init__(self, status: int | None, headers: dict[str, str], body: bytes, note: str = ""):
        self.status, self.headers, self.body, self.note = status, headers, body, note

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def head_of(case: Case, port: int) -> bytes:
    """The request head as the case wants it on the wire; Content-Length or chunked framing
    added unless the case frames its body itself."""
    names = {name.lower() for name, _ in case.headers}
    lines = [case.method.encode() + b" " + case.target + b" HTTP/1.1",
             f"Host: 127.0.0.1:{port}".encode(), b"Connection: close"]
    lines += [name.encode("latin-1") + b": " + value for name, value in case.headers]
    if case.content_type is not None:
        lines.append(b"Content-Type: " + case.content_type.encode("latin-1"))
    if case.body is not None and not names & {"content-length", "transfer-encoding"}:
        lines.append(b"Transfer-Encoding: chunked" if case.chunked
                     else b"Content-Length: " + str(len(case.body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n"


def exchange(port: int, case: Case) -> Answer:
    """Send the case; stop sending as soon as the server answers (an early 413 or 400), then
    read the answer to the end (the request asked for Connection: close)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    received = bytearray()
    note = ""
    try:
        pieces = [head_of(case, port)]
        if case.body is not None:
            step = 256 * 1024
            chunks = [case.body[i:i + step] for i in range(0, len(case.body), step)]
            if case.chunked:
                pieces += [f"{len(c):x}\r\n".encode() + c + b"\r\n" for c in chunks]
                pieces.append(b"0\r\n\r\n")
            else:
                pieces += chunks
        for piece in pieces:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                note = "answered before the request was sent in full"
                break
            try:
                sock.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                note = "closed while the request was being sent"
                break
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                received += data
                if _complete(received):
                    break
        except ConnectionResetError:
            note = (note + "; " if note else "") + "reset while reading"
        except socket.timeout:
            note = (note + "; " if note else "") + f"no end of answer within {TIMEOUT} s"
    finally:
        sock.close()
    return parse(bytes(received), note)


def _complete(raw: bytes) -> bool:
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            return len(body) >= int(value.strip())
    return False


def parse(raw: bytes, note: str = "") -> Answer:
    head, sep, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2) if lines and lines[0] else []
    if not sep or len(parts) < 2 or not parts[1].isdigit():
        return Answer(None, {}, raw, note or "no HTTP answer")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    elif headers.get("content-length", "").isdigit():
        body = body[: int(headers["content-length"])]
    return Answer(int(parts[1]), headers, body, note)


def _dechunk(raw: bytes) -> bytes:
    out = bytearray()
    while raw:
        size_line, _, rest = raw.partition(b"\r\n")
        try:
            size = int(size_line.split(b";")[0], 16)
        except ValueError:
            break
        if size == 0:
            break
        out += rest[:size]
        raw = rest[size + 2:]
    return bytes(out)


# -- the server ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def live():
    """`mockserver serve` on a free port (every vendor, the clock frozen as the in-process app's,
    rate limits off: the corpus is not about them); its log kept for the report."""
    port = _free_port()
    env = {**os.environ, "MOCKSERVER_FREEZE_TIME": FROZEN_AT}
    proc = subprocess.Popen([sys.executable, "-m", "mockserver.cli", "serve", "--port", str(port),
                             "--rate-limits", "off"],
                            stderr=subprocess.PIPE, text=True, env=env)
    log: list[str] = []
    for line in proc.stderr:  # blocks until gunicorn has booted its worker: no sleeping
        log.append(line)
        if "Booting worker" in line or proc.poll() is not None:
            break
    threading.Thread(target=lambda: log.extend(proc.stderr), daemon=True).start()
    deadline = time.monotonic() + 30
    while True:  # the worker is importing: poll the port until it answers
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.sendall(b"GET /__sandbox/health HTTP/1.1\r\nHost: x\r\nConnection: close"
                          b"\r\n\r\n")
                if s.recv(16).startswith(b"HTTP/1."):
                    break
        except OSError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, "".join(log)
    yield port, proc, log
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def corpora():
    """Each vendor's corpus, built from an in-process app with the live server's settings (the
    same seed and frozen clock give the same records and credentials)."""
    app = sandbox_app(store="memory")
    runtime = app.extensions["sandbox"]
    client = app.test_client()
    return {vendor: corpus_of(client, runtime, vendor) for vendor in VENDORS}


def _report(vendor: str, total: int, problems: list[tuple[str, str, str]]) -> str:
    by_category: dict[str, list[str]] = {}
    for category, described, problem in problems:
        by_category.setdefault(category, []).append(f"    {described}\n      -> {problem}")
    lines = [f"{vendor} (live): {len(problems)} of {total} answers break the promise"]
    for category, found in sorted(by_category.items()):
        lines.append(f"  {category} ({len(found)}):")
        lines += found[:8] + ([f"    ... and {len(found) - 8} more"] if len(found) > 8 else [])
    return "\n".join(lines)


def _judge(vc: VendorCorpus, case: Case, answer: Answer) -> list[str]:
    if answer.status is None:
        return [f"no answer ({answer.note}): {answer.body[:120]!r}"]
    found = judge(case, vc.template, answer.status, answer.content_type, answer.body)
    return [f"{p}{' [' + answer.note + ']' if answer.note else ''}" for p in found]


@pytest.mark.parametrize("vendor", VENDORS)
def test_live_bad_input(live, corpora, vendor):
    port, proc, log = live
    vc = corpora[vendor]
    operations = live_operations(vc, SLOW)
    problems = []
    readers = []
    for operation_id in operations:  # lists: a record read by id may rightly be deleted
        for reader in vc.readers(operation_id, limit=3):
            case = vc.reader_case(reader, operation_id)
            if not vc.targets[reader].path_values and case not in readers and \
                    exchange(port, case).status == 200:
                readers.append(case)
    total = 0
    for operation_id in operations:
        for case in live_cases(vc, operation_id):
            total += 1
            for problem in _judge(vc, case, exchange(port, case)):
                problems.append((case.category, case.describe(), problem))
    assert proc.poll() is None, "the server died:\n" + "".join(log[-40:])
    for case in readers:  # the tenant is not poisoned, the server still serves
        answer = exchange(port, case)
        if answer.status != 200:
            problems.append(("poisoned", case.describe(),
                             f"after the corpus: {answer.status} {answer.body[:200]!r}"))
    if problems:
        pytest.fail(_report(vendor, total, problems), pytrace=False)


@pytest.mark.parametrize("vendor", VENDORS)
def test_live_slow_hostile_upload_does_not_hold_other_clients(live, corpora, vendor):
    """One client half-way through an 11 MB chunked upload; another client's reads answer 200
    meanwhile, and the upload then gets its own answer."""
    port, proc, log = live
    vc = corpora[vendor]
    operation_id = live_operations(vc, False)[-1]
    hostile = next(c for c in live_cases(vc, operation_id)
                   if c.category == "huge_body" and c.chunked)
    reader = vc.reader_case(vc.readers(live_operations(vc, False)[0], limit=1)[0],
                            live_operations(vc, False)[0])
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    try:
        half = hostile.body[: len(hostile.body) // 2]
        try:
            sock.sendall(head_of(hostile, port))
            sock.sendall(f"{len(half):x}\r\n".encode() + half + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused early: its answer is waiting
        for _ in range(3):
            answer = exchange(port, reader)
            assert answer.status == 200, (answer.status, answer.body[:300])
        try:
            rest = hostile.body[len(half):]
            sock.sendall(f"{len(rest):x}\r\n".encode() + rest + b"\r\n0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # it was refused early: its answer is waiting
        received = bytearray()
        try:
            while data := sock.recv(65536):
                received += data
                if _complete(received):
                    break
        except ConnectionResetError:
            pass
    finally:
        sock.close()
    answer = parse(bytes(received))
    problems = _judge(vc, hostile, answer)
    assert not problems, f"{hostile.describe()}: {problems}"
