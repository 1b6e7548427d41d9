"""`mockserver serve | credentials | routes`: the command line. Flags override MOCKSERVER_* env."""
from __future__ import annotations

import argparse
import json
import sys

from .config import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockserver", description=(
        "A local, stateful sandbox of vendor REST APIs. Every flag can also be set as an "
        "environment variable MOCKSERVER_<NAME> (e.g. MOCKSERVER_PORT=9000)."))
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    common.add_argument("--port", type=int, help="port (default 8080)")
    common.add_argument("--vendor", dest="vendors", action="append",
                        help="serve only this vendor (repeatable); given once, the vendor is "
                             "also served at the root")
    common.add_argument("--seed", type=int, help="seed for all generated data (default 1)")
    common.add_argument("--store", help="store URL (default memory://)")
    serve = sub.add_parser("serve", parents=[common], help="run the sandbox")
    serve.add_argument("--rate-limits", dest="rate_limits", choices=("documented", "off"),
                       help="enforce each vendor's documented limits (default) or none")
    serve.add_argument("--freeze-time", dest="freeze_time", metavar="ISO-8601",
                       help="start with the sandbox clock frozen at this instant")
    serve.add_argument("--control-token", dest="control_token",
                       help="require 'Authorization: Bearer TOKEN' on /__sandbox calls")
    serve.add_argument("--allow-open-control", dest="allow_open_control", action="store_true",
                       default=None, help="serve the control API on a non-loopback address "
                       "without a control token (a warning says what is exposed)")
    serve.add_argument("--journal-size", dest="journal_size", type=int,
                       help="how many requests the journal keeps (default 1000)")
    serve.add_argument("--threads", type=int, help="threads per worker with gthread (default 8)")
    serve.add_argument("--workers", type=int,
                       help="worker processes (default 1); more need a shared store (redis://)")
    serve.add_argument("--worker-class", dest="worker_class", choices=("gevent", "gthread"),
                       help="gevent (default: a greenlet per connection) or gthread")
    serve.add_argument("--keepalive", type=int,
                       help="seconds an idle connection, or a request head, may take (default 5)")
    serve.add_argument("--max-body-mb", dest="max_body_mb", type=int,
                       help="largest request body in MB (default 10; more where a vendor "
                            "documents larger uploads)")
    serve.add_argument("--max-depth", dest="max_depth", type=int,
                       help="deepest nesting of a JSON body (default 64)")
    serve.add_argument("--log-level", dest="log_level", help="gunicorn log level (default info)")
    creds = sub.add_parser("credentials", parents=[common],
                           help="print the credentials document and exit")
    creds.add_argument("--freeze-time", dest="freeze_time", metavar="ISO-8601")
    sub.add_parser("routes", parents=[common], help="list every served route and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = vars(_parser().parse_args(argv))
    command = args.pop("command")
    try:
        settings = Settings.load(args)
    except ValueError as exc:
        print(f"mockserver: {exc}", file=sys.stderr)
        return 2
    if command == "serve":
        from .server import serve
        return serve(settings)
    from .app import create_app
    from .control import credentials_document
    app = create_app(settings)
    if command == "credentials":
        print(json.dumps(credentials_document(app.extensions["sandbox"],
                                              f"http://{settings.host}:{settings.port}"),
                         indent=2))
    else:
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            methods = ",".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))
            print(f"{methods:8} {rule.rule}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
