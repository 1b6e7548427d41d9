"""Settings: defaults < MOCKSERVER_* environment variables < command-line flags. A bad value is
refused with a message naming where it came from (the flag or the variable) and what it takes."""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Mapping

from .core.clock import parse_instant

_INTEGERS = ("port", "seed", "journal_size", "threads", "workers", "keepalive", "max_body_mb",
             "max_depth")
_SWITCHES = ("allow_open_control", "cors")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


class SettingError(ValueError):
    """One setting's value is refused; `Settings.load` says which flag or variable gave it."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"{flag_name(name)}: {problem}")
        self.name, self.problem = name, problem


def flag_name(name: str) -> str:
    return "--vendor" if name == "vendors" else "--" + name.replace("_", "-")


def env_name(name: str) -> str:
    return f"MOCKSERVER_{name.upper()}"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080                       # 0: the system picks a free port
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
    cors: bool = False                     # answer browsers of any origin (see mockserver.cors)
    webhook_allow: tuple[str, ...] = ()    # hosts beyond loopback that may receive webhooks
    # where each value came from, for messages: {"port": "MOCKSERVER_PORT='x'"}
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, flags: Mapping[str, Any] | None = None,
             environ: Mapping[str, str] | None = None) -> "Settings":
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        origins: dict[str, str] = {}
        for f in fields(cls):
            raw = environ.get(env_name(f.name))
            if f.name != "origins" and raw not in (None, ""):
                values[f.name] = raw
                origins[f.name] = f"{env_name(f.name)}={raw!r}"
        for name, value in (flags or {}).items():
            if value not in (None, (), []):
                values[name] = value
                origins[name] = flag_name(name) if value is True else \
                    f"{flag_name(name)} {' '.join(value) if isinstance(value, list) else value}"
        try:
            return replace(cls(), **{k: _coerce(k, v) for k, v in values.items()},
                           origins=origins)
        except SettingError as exc:
            raise ValueError(f"{origins.get(exc.name, flag_name(exc.name))}: {exc.problem}") \
                from None

    def origin(self, name: str) -> str:
        """How the user named this setting: the flag or variable that gave it, else the flag."""
        return self.origins.get(name, flag_name(name))

    def __post_init__(self):
        if not self.control_token and not self.allow_open_control and not is_loopback(self.host):
            raise SettingError("host", f"{self.host} serves the control API (every tenant's "
                               "secrets, state writes, reset) to the network: give "
                               "--control-token TOKEN, or say --allow-open-control to expose it "
                               "on purpose")
        if not 0 <= self.port <= 65535:
            raise SettingError("port", "must be from 0 to 65535 (0: the system picks a free one)")
        choices = {"worker_class": ("gevent", "gthread"), "rate_limits": ("documented", "off"),
                   "log_level": LOG_LEVELS}
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise SettingError(name, f"must be one of {', '.join(allowed)}")
        minimum = {"max_body_mb": 1, "max_depth": 2, "keepalive": 1, "workers": 1,
                   "threads": 1, "journal_size": 1}
        for name, least in minimum.items():
            if getattr(self, name) < least:
                raise SettingError(name, f"must be {least} or more")
        if self.workers != 1 and self.store.split(":", 1)[0] in ("memory", ""):
            raise SettingError("workers", (
                "the in-memory store lives in one process: several workers would each hold their "
                "own data, and a client would see records appear and vanish. Run one worker and "
                "raise --threads, or give a shared store (--store redis://host:port/db)."))


def is_loopback(host: str) -> bool:
    if host in ("localhost", "") or host.endswith(".localhost"):
        return host != ""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _coerce(name: str, value: Any) -> Any:
    if name in _SWITCHES and isinstance(value, str):
        word = value.strip().lower()
        if word not in _TRUE + _FALSE:
            raise SettingError(name, f"must be one of {', '.join(_TRUE)} or "
                               f"{', '.join(_FALSE[:-1])}")
        return word in _TRUE
    if name in _INTEGERS:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise SettingError(name, "must be a whole number") from None
    if name in ("vendors", "webhook_allow"):
        if isinstance(value, str):
            value = [v for v in value.replace(",", " ").split() if v]
        return tuple(value)
    if name == "freeze_time" and isinstance(value, str):
        try:
            return parse_instant(value)
        except ValueError:
            raise SettingError(name, "must be an ISO-8601 instant, e.g. 2026-06-15T12:00:00Z") \
                from None
    if name == "log_level":
        return str(value).lower()
    return value
