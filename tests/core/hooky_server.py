"""`python -m tests.core.hooky_server serve FLAGS`: `mockserver serve` (gunicorn, gevent
workers) serving the tiny `hooky` vendor of tests/core/tiny_webhooks.py, so webhook tests can run
against real server processes."""
from __future__ import annotations

import sys

from mockserver import app as app_module


def main(argv=None) -> int:
    from tests.core.tiny_webhooks import SOURCE
    build = app_module.create_app
    app_module.create_app = lambda settings=None, sources=None: build(settings, SOURCE)
    from mockserver.cli import main as cli
    return cli(argv)


if __name__ == "__main__":
    sys.exit(main())
