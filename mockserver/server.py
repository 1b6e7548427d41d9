"""Running the app under gunicorn. The app is built once in the master and forked into the
workers: one worker with the in-memory store, several when the store is shared (Redis).

Start-up is honest: the port is bound first (a busy port fails at once, naming it; `--port 0`
lets the system pick one), then the app is built, then the banner names the real address, each
vendor's base URL and a sample credential, and one `mockserver: ready on URL` line follows once a
worker is serving. Tools wait for that line (the pytest plugin does).

The worker model is gevent (a greenlet per connection): an idle or slow client holds a greenlet,
not one of a few threads, so hundreds of them cannot keep a new request waiting; a connection
that has not delivered a whole request head within the keep-alive time is closed. The process is
monkey-patched before the app is built, so every lock and context variable the app creates is a
greenlet's. `--worker-class gthread` keeps the thread pool (`--threads`) for comparison.
"""
from __future__ import annotations

import errno
import gc
import socket
import sys

from gunicorn.app.base import BaseApplication

from .config import Settings, is_loopback
from .urls import client_base_path, root_url

READY = "mockserver: ready on"  # the line that says the server answers (tools wait for it)


class ListenError(RuntimeError):
    """The address cannot be listened on; the message names it and what to do."""


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def listen(settings: Settings) -> socket.socket:
    """A socket bound and listening on the settings' address, or ListenError saying why not."""
    where = f"{settings.host}:{settings.port}"
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            settings.host.strip("[]"), settings.port, type=socket.SOCK_STREAM,
            flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise ListenError(f"{settings.origin('host')}: cannot resolve {settings.host!r} "
                          f"({exc.strerror})") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a busy port still refuses
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ListenError(
                f"port {settings.port} on {settings.host} is already in use (another server?): "
                f"stop it, or choose another port with --port (0 lets the system pick a free "
                f"one)") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise ListenError(f"cannot listen on {where}: permission denied (ports below 1024 "
                              "need privileges; choose another with --port)") from None
        raise ListenError(f"cannot listen on {where} ({settings.origin('host')}): "
                          f"{exc.strerror}") from None
    return sock


def banner(settings: Settings, app, port: int) -> str:
    runtime = app.extensions["sandbox"]
    root = root_url(settings.host, port)
    host = f"[{settings.host.strip('[]')}]" if ":" in settings.host else settings.host
    lines = [f"mockserver: listening on {host}:{port} (seed {runtime.seed}, store "
             f"{runtime.store.name}, rate limits {settings.rate_limits}"
             f"{', CORS for any origin' if settings.cors else ''})"]
    width = max(len(vr.vendor.title) for vr in runtime.vendors.values())
    for name, vr in runtime.vendors.items():
        lines.append(f"  {vr.vendor.title:{width}}  {root}{client_base_path(vr.document, name)}")
        sample = vr.vendor.sample_headers(runtime) if vr.vendor.sample_headers else {}
        for header, value in sample.items():  # one valid caller, to paste into a client
            lines.append(f"  {'':{width}}  {header}: {value}")
    if runtime.root_vendor:
        lines.append(f"  {runtime.root_vendor} is also served at the root: {root}")
    lines.append(f"  keys and tenants: GET {root}/__sandbox/credentials "
                 f"(or `mockserver credentials --server {root}`)")
    return "\n".join(lines)


def serve(settings: Settings) -> int:
    try:
        listener = listen(settings)
    except ListenError as exc:
        print(f"mockserver: {exc}", file=sys.stderr, flush=True)
        return 1
    port = listener.getsockname()[1]
    # Start-up builds a few hundred thousand long-lived objects (specs, validators, the seeded
    # store): no collections while it does, then move them out of the collector's sight, so a
    # full collection under load (60 ms otherwise) never stalls a request, and the forked
    # worker shares the master's pages instead of dirtying them.
    if settings.worker_class == "gevent":
        from gevent import monkey
        monkey.patch_all()
    gc.disable()
    from .app import app_for_user
    try:
        app = app_for_user(settings)
    except ValueError as exc:  # a setting the app refused (an unknown vendor, a store)
        gc.enable()
        listener.close()
        print(f"mockserver: {exc}", file=sys.stderr, flush=True)
        return 2
    gc.freeze()
    gc.enable()
    print(banner(settings, app, port), file=sys.stderr, flush=True)
    if settings.allow_open_control and not settings.control_token and \
            not is_loopback(settings.host):
        print(f"mockserver: WARNING: the control API on {settings.host} has no token: anyone who "
              "can reach this port can read every tenant's secrets, change any record, move "
              "the clock and reset the sandbox", file=sys.stderr, flush=True)
    from . import worker
    worker_class = (worker.gevent_worker() if settings.worker_class == "gevent"
                    else worker.ThreadedWorker)
    ready = f"{READY} {root_url(settings.host, port)}"

    def announce(serving_worker):  # in the first worker, once it has loaded the app
        if serving_worker.age == 1:
            print(ready, file=sys.stderr, flush=True)

    _Gunicorn(app, {
        "bind": f"fd://{listener.detach()}",  # gunicorn serves the socket bound above
        "workers": settings.workers,
        "worker_class": worker_class,
        # HTTP norms (a request line of 8 KB, fields of 16 KB, 128 of them); what still does not
        # fit is answered in the vendor's envelope by mockserver.worker
        "limit_request_line": 8190,
        "limit_request_fields": 128,
        "limit_request_field_size": 16384,
        "control_socket_disable": True,  # one per instance would share one path
        "threads": settings.threads,
        "worker_connections": 2000,
        "loglevel": settings.log_level,
        "accesslog": None,
        "keepalive": settings.keepalive,
        "post_worker_init": announce,
    }).run()
    return 0
