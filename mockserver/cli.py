"""`mockserver serve | credentials | routes | health`: the command line. Flags override
MOCKSERVER_* env; a bad flag or variable is refused with a message naming it (exit 2)."""
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
    address = argparse.ArgumentParser(add_help=False)
    address.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    address.add_argument("--port", type=int,
                         help="port (default 8080; 0 lets the system pick a free one)")
    token = argparse.ArgumentParser(add_help=False)
    token.add_argument("--control-token", dest="control_token",
                       help="require 'Authorization: Bearer TOKEN' on /__sandbox calls")
    common = argparse.ArgumentParser(add_help=False, parents=[address])
    common.add_argument("--vendor", dest="vendors", action="append",
                        help="serve only this vendor (repeatable); given once, the vendor is "
                             "also served at the root")
    common.add_argument("--seed", type=int, help="seed for all generated data (default 1)")
    common.add_argument("--store", help="store URL (default memory://)")
    serve = sub.add_parser("serve", parents=[common, token], help="run the sandbox")
    serve.add_argument("--rate-limits", dest="rate_limits", choices=("documented", "off"),
                       help="enforce each vendor's documented limits (default) or none")
    serve.add_argument("--freeze-time", dest="freeze_time", metavar="ISO-8601",
                       help="start with the sandbox clock frozen at this instant")
    serve.add_argument("--allow-open-control", dest="allow_open_control", action="store_true",
                       default=None, help="serve the control API on a non-loopback address "
                       "without a control token (a warning says what is exposed)")
    serve.add_argument("--cors", action="store_true", default=None,
                       help="let browser pages of any origin call the sandbox (CORS headers "
                            "on every answer, preflights answered)")
    serve.add_argument("--webhook-allow", dest="webhook_allow", action="append", metavar="HOST",
                       help="a host beyond loopback that may receive webhook deliveries "
                            "(repeatable; by default only loopback targets receive them)")
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
    creds = sub.add_parser("credentials", parents=[common, token], help=(
        "print the credentials document and exit: computed for --host/--port and the seed, or "
        "read from a running server with --server URL"))
    creds.add_argument("--freeze-time", dest="freeze_time", metavar="ISO-8601")
    creds.add_argument("--server", metavar="URL",
                       help="read the document of the server running at URL (e.g. "
                            "http://127.0.0.1:8080): its real keys, rotated ones included")
    sub.add_parser("routes", parents=[common], help="list every served route and exit")
    health = sub.add_parser("health", parents=[address, token], help=(
        "exit 0 when the server at --host/--port answers /__sandbox/health (for container "
        "health checks; reads the same MOCKSERVER_* variables as serve)"))
    health.add_argument("--timeout", type=float, default=3.0,
                        help="seconds to wait for the answer (default 3)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = vars(_parser().parse_args(argv))
    command = args.pop("command")
    options = {k: args.pop(k, None) for k in ("server", "timeout")}
    try:
        settings = Settings.load(args)
        if command == "serve":
            from .server import serve
            return serve(settings)
        if command == "health":
            return _health(settings, options["timeout"])
        if command == "credentials" and options["server"]:
            return _print_running_credentials(options["server"], settings.control_token)
        return _offline(command, settings)
    except ValueError as exc:
        print(f"mockserver: {exc}", file=sys.stderr)
        return 2


def _dialled(settings: Settings) -> str:
    """The root URL of the server these settings name, as a client on this machine dials it."""
    from .urls import root_url
    if settings.port == 0:
        raise ValueError(f"{settings.origin('port')}: give the port the server listens on "
                         "(its banner names it)")
    return root_url(settings.host, settings.port)


def _offline(command: str, settings: Settings) -> int:
    from .app import app_for_user
    app = app_for_user(settings)
    if command == "credentials":
        from .control import credentials_document
        print(json.dumps(credentials_document(app.extensions["sandbox"], _dialled(settings)),
                         indent=2))
        return 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        methods = ",".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))
        print(f"{methods:8} {rule.rule}")
    return 0


def _print_running_credentials(url: str, token: str | None) -> int:
    from .control_client import ControlClient, ControlError
    try:
        document = ControlClient(url, token).credentials()
    except ControlError as exc:
        print(f"mockserver: --server {url}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(document, indent=2))
    return 0


def _health(settings: Settings, timeout: float) -> int:
    from .control_client import ControlClient, ControlError
    url = _dialled(settings)
    try:
        health = ControlClient(url, settings.control_token, timeout).health()
    except ControlError as exc:
        hint = (" (set --control-token or MOCKSERVER_CONTROL_TOKEN to the server's token)"
                if exc.status == 401 else "")
        print(f"mockserver: unhealthy: {exc}{hint}", file=sys.stderr)
        return 1
    if not isinstance(health, dict) or health.get("status") != "ok":
        print(f"mockserver: unhealthy: {url} answered {health!r}", file=sys.stderr)
        return 1
    print(f"mockserver: healthy: {url} (vendors {', '.join(health.get('vendors', []))}; "
          f"seed {health.get('seed')}; store {health.get('store')})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
