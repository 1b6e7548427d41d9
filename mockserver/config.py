"""Settings: defaults < MOCKSERVER_* environment variables < command-line flags."""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Mapping

from .core.clock import parse_instant


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    vendors: tuple[str, ...] = ()          # empty: every vendor
    seed: int = 1
    store: str = "memory://"
    rate_limits: str = "documented"        # documented | off
    freeze_time: datetime | None = None
    control_token: str | None = None
    allow_open_control: bool = False       # bind beyond loopback without a control token
    journal_size: int = 1000
    threads: int = 8                       # gthread only
    workers: int = 1
    worker_class: str = "gevent"           # gevent | gthread
    keepalive: int = 5                     # seconds an idle connection or a request head may take
    max_body_mb: int = 10                  # request bodies, unless a vendor documents more
    max_depth: int = 64                    # nesting of a JSON body
    log_level: str = "info"

    @classmethod
    def load(cls, flags: Mapping[str, Any] | None = None,
             environ: Mapping[str, str] | None = None) -> "Settings":
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f"MOCKSERVER_{f.name.upper()}")
            if raw not in (None, ""):
                values[f.name] = raw
        for name, value in (flags or {}).items():
            if value not in (None, (), []):
                values[name] = value
        return replace(cls(), **{k: _coerce(k, v) for k, v in values.items()})

    def __post_init__(self):
        if not self.control_token and not self.allow_open_control and not is_loopback(self.host):
            raise ValueError(
                f"--host {self.host} serves the control API (every tenant's secrets, state "
                "writes, reset) to the network: give --control-token TOKEN, or say "
                "--allow-open-control to expose it on purpose")
        if self.worker_class not in ("gevent", "gthread"):
            raise ValueError("--worker-class must be 'gevent' or 'gthread'")
        if self.max_body_mb < 1 or self.max_depth < 2:
            raise ValueError("--max-body-mb must be 1 or more and --max-depth 2 or more")
        if self.keepalive < 1:
            raise ValueError("--keepalive must be 1 second or more")
        if self.rate_limits not in ("documented", "off"):
            raise ValueError("rate limits must be 'documented' or 'off'")
        if self.workers < 1:
            raise ValueError("--workers must be 1 or more")
        if self.workers != 1 and self.store.split(":", 1)[0] in ("memory", ""):
            raise ValueError(
                "the in-memory store lives in one process: several workers would each hold their "
                "own data, and a client would see records appear and vanish. Run one worker and "
                "raise --threads, or give a shared store (--store redis://host:port/db).")


def is_loopback(host: str) -> bool:
    if host in ("localhost", "") or host.endswith(".localhost"):
        return host != ""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _coerce(name: str, value: Any) -> Any:
    if name == "allow_open_control" and isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    if name in ("port", "seed", "journal_size", "threads", "workers", "keepalive", "max_body_mb",
                "max_depth"):
        return int(value)
    if name == "vendors":
        if isinstance(value, str):
            value = [v for v in value.replace(",", " ").split() if v]
        return tuple(value)
    if name == "freeze_time" and isinstance(value, str):
        return parse_instant(value)
    return value
