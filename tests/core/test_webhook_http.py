"""One delivery attempt over HTTP (core.webhook_http): which targets may be fetched, and each
way an attempt can end, against real sockets on loopback."""
from __future__ import annotations

import re
import socket

import pytest

from mockserver.core.webhook_http import Blocked, check_target, post
from tests.live import free_port
from tests.receiver import Receiver


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://localhost:9/x",
                                 "http://127.9.8.7/", "http://[::1]:9/"])
def test_webhook_target_on_loopback_is_allowed(url):
    scheme, host, port, path, address = check_target(url)
    assert scheme == "http" and address is not None


@pytest.mark.parametrize("url, reason", [
    ("http://10.1.2.3/x", "not a loopback address"),
    ("http://192.0.2.7:8080/x", "--webhook-allow 192.0.2.7"),
    ("ftp://127.0.0.1/x", "not an http:// or https:// URL"),
    ("http:///x", "names no host"),
    ("http://127.0.0.1:99999/x", "invalid port"),
    ("http://no-such-host.invalid/x", "cannot be resolved"),
])
def test_webhook_target_beyond_loopback_or_malformed_is_blocked(url, reason):
    with pytest.raises(Blocked, match=re.escape(reason)):
        check_target(url)


def test_webhook_target_named_in_the_allow_list_is_not_resolved_for_the_check():
    assert check_target("https://hooks.example.test/x?a=1", ("HOOKS.example.test",)) == \
        ("https", "hooks.example.test", 443, "/x?a=1", None)


def test_webhook_post_outcomes_answer_refusal_timeout_and_block():
    receiver = Receiver(status=201)
    try:
        outcome = post(receiver.url("/in?x=1"), b'{"a":1}', {"X-Sig": "abc"})
        assert outcome.delivered and outcome.status == 201 and outcome.response == "ok"
        [got] = receiver.wait_for(1)
        assert got.path == "/in?x=1" and got.body == b'{"a":1}'
        assert got.headers["X-Sig"] == "abc"
        assert got.headers["Host"] == f"127.0.0.1:{receiver.port}"
        receiver.status = 302
        assert not post(receiver.url(), b"{}", {}).delivered
    finally:
        receiver.close()
    refused = post(f"http://127.0.0.1:{free_port()}/", b"{}", {})
    assert refused.status is None and refused.error.startswith("connection refused")
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        slow = post(f"http://127.0.0.1:{silent.getsockname()[1]}/", b"{}", {}, timeout=0.3)
    assert slow.status is None and slow.error.startswith("timeout")
    blocked = post("http://10.1.2.3/", b"{}", {})
    assert blocked.error.startswith("blocked:") and blocked.duration_ms < 100
