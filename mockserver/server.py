"""Running the app under gunicorn: threads in one worker process, or several workers when the
store is shared (Redis). The app is built once in the master and forked into the workers."""
from __future__ import annotations

import gc
import sys

from gunicorn.app.base import BaseApplication

from .config import Settings


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
    gc.disable()
    from .app import create_app
    app = create_app(settings)
    gc.freeze()
    gc.enable()
    print(banner(settings, app), file=sys.stderr, flush=True)
    _Gunicorn(app, {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "worker_class": "gthread",
        "threads": settings.threads,
        "loglevel": settings.log_level,
        "accesslog": None,
        "keepalive": 5,
    }).run()
    return 0
