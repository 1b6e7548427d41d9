"""One webhook delivery attempt over HTTP: the target checked, then one POST, nothing else.

Safety first: a target is fetched only when its host resolves to loopback addresses alone
(127.0.0.0/8, ::1; `localhost` included), or when the host is named in the allow list
(`--webhook-allow HOST`). Anything else is refused before any connection is made, and the
refusal is the attempt's error. A loopback target is connected to at the address that was
checked (the `Host` header still names the target), so a name cannot resolve one way for the
check and another for the fetch. Plain `http://` is accepted (the sandbox's receivers are local
test servers); redirects are never followed (a 3xx is a failed attempt, as most vendors count
it); no proxy from the environment is used.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT = 5.0        # seconds to connect, and again to read the answer
KEEP_RESPONSE = 512  # characters of the receiver's answer kept in the attempt


@dataclass(frozen=True)
class Outcome:
    status: int | None        # the receiver's HTTP status; None when there was no answer
    error: str | None         # why the attempt failed before or without an answer
    duration_ms: float
    response: str = ""        # the start of the receiver's answer body

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class Blocked(Exception):
    """The target may not be fetched (the message says why)."""


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def check_target(url: str, allow: tuple[str, ...] = ()) -> tuple[str, str, int, str, str | None]:
    """(scheme, host, port, path with query, the checked loopback address or None for an
    allowed host), or Blocked naming the reason."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Blocked(f"the target {url!r} is not an http:// or https:// URL")
    host = (parts.hostname or "").lower()
    if not host:
        raise Blocked(f"the target {url!r} names no host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise Blocked(f"the target {url!r} has an invalid port") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if host in {h.lower().strip("[]") for h in allow}:
        return scheme, host, port, path, None
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Blocked(f"the target host {host!r} cannot be resolved ({exc}); only loopback "
                      "targets, and hosts allowed with --webhook-allow, receive deliveries") \
            from None
    addresses = [info[4][0] for info in found]
    outside = [a for a in addresses if not _loopback(a)]
    if outside or not addresses:
        raise Blocked(f"the target host {host!r} is not a loopback address ({outside[0] if outside else 'none'}): "
                      f"deliveries go only to loopback targets unless the host is allowed "
                      f"with --webhook-allow {host}")
    return scheme, host, port, path, addresses[0]


def post(url: str, body: bytes, headers: dict[str, str], allow: tuple[str, ...] = (),
         timeout: float = TIMEOUT) -> Outcome:
    """POST `body` to `url`: the receiver's answer, or the reason there was none."""
    started = time.perf_counter()

    def took() -> float:
        return round((time.perf_counter() - started) * 1000, 3)
    try:
        scheme, host, port, path, address = check_target(url, allow)
    except Blocked as exc:
        return Outcome(None, f"blocked: {exc}", took())
    netloc = f"[{host}]" if ":" in host else host
    default_port = 443 if scheme == "https" else 80
    host_header = netloc if port == default_port else f"{netloc}:{port}"
    if scheme == "https":
        connection = http.client.HTTPSConnection(host, port, timeout=timeout)
    else:
        connection = http.client.HTTPConnection(address or host, port, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers={
            "Host": host_header, "Content-Length": str(len(body)), **headers})
        answer = connection.getresponse()
        text = answer.read(KEEP_RESPONSE * 4).decode("utf-8", "replace")[:KEEP_RESPONSE]
        return Outcome(answer.status, None, took(), text)
    except socket.timeout:
        return Outcome(None, f"timeout: no answer within {timeout:g} s", took())
    except ConnectionRefusedError:
        return Outcome(None, f"connection refused by {host_header}", took())
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}", took())
    finally:
        connection.close()
