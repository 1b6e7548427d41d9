"""Running the app under gunicorn. The app is built once in the master and forked into the
workers: one worker with the in-memory store, several when the store is shared (Redis).

The worker model is gevent (a greenlet per connection): an idle or slow client holds a greenlet,
not one of a few threads, so hundreds of them cannot keep a new request waiting; a connection
that has not delivered a whole request head within the keep-alive time is closed. The process is
monkey-patched before the app is built, so every lock and context variable the app creates is a
greenlet's. `--worker-class gthread` keeps the thread pool (`--threads`) for comparison.
"""
from __future__ import annotations

import gc
import sys

from gunicorn.app.base import BaseApplication

from .config import Settings, is_loopback


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


def banner(settings: Settings, app) -> str:
    from .control import vendor_base_path
    runtime = app.extensions["sandbox"]
    root = f"http://{settings.host}:{settings.port}"
    lines = [f"mockserver: serving on {root} (seed {runtime.seed}, store {runtime.store.name}, "
             f"rate limits {settings.rate_limits})"]
    for name, vr in runtime.vendors.items():
        lines.append(f"  {vr.vendor.title:12} {root}{vendor_base_path(vr.document, name)}")
    if runtime.root_vendor:
        lines.append(f"  {runtime.root_vendor} is also served at the root: {root}")
    lines.append(f"  keys and tenants: GET {root}/__sandbox/credentials "
                 "(or `mockserver credentials`)")
    return "\n".join(lines)


def serve(settings: Settings) -> int:
    # Start-up builds a few hundred thousand long-lived objects (specs, validators, the seeded
    # store): no collections while it does, then move them out of the collector's sight, so a
    # full collection under load (60 ms otherwise) never stalls a request, and the forked
    # worker shares the master's pages instead of dirtying them.
    if settings.worker_class == "gevent":
        from gevent import monkey
        monkey.patch_all()
    gc.disable()
    from .app import create_app
    app = create_app(settings)
    gc.freeze()
    gc.enable()
    print(banner(settings, app), file=sys.stderr, flush=True)
    if settings.allow_open_control and not settings.control_token and \
            not is_loopback(settings.host):
        print(f"mockserver: WARNING: the control API on {settings.host} has no token: anyone who "
              "can reach this port can read every tenant's secrets, change any record, move "
              "the clock and reset the sandbox", file=sys.stderr, flush=True)
    from . import worker
    worker_class = (worker.gevent_worker() if settings.worker_class == "gevent"
                    else worker.ThreadedWorker)
    _Gunicorn(app, {
        "bind": f"{settings.host}:{settings.port}",
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
    }).run()
    return 0
