"""A client of a running sandbox's control API (`/__sandbox`), with the standard library only:
what `mockserver health`, `mockserver credentials --server` and the pytest plugin call."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class ControlError(RuntimeError):
    """The control API refused a call (`status` and its `{"error", "message"}` body), or the
    server could not be reached (`status` None)."""

    def __init__(self, message: str, status: int | None = None, body: Any = None):
        super().__init__(message)
        self.status, self.body = status, body


class ControlClient:
    def __init__(self, url: str, token: str | None = None, timeout: float = 10.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def call(self, method: str, path: str, body: dict | None = None, **query: Any) -> Any:
        """One control call; answers its decoded JSON (None for an empty answer)."""
        params = [(k, str(v).lower() if isinstance(v, bool) else str(v))
                  for k, v in query.items() if v is not None]
        target = f"{self.url}/__sandbox{path}" + (
            f"?{urllib.parse.urlencode(params)}" if params else "")
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(target, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                detail = json.loads(raw)
            except ValueError:
                detail = raw.decode("utf-8", "replace")
            message = detail.get("message", detail) if isinstance(detail, dict) else detail
            raise ControlError(f"{method} {target}: {exc.code} {message}", exc.code,
                               detail) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ControlError(f"{method} {target}: no answer ({reason})") from None
        return json.loads(raw) if raw else None

    # the calls tests and tools make most ---------------------------------------------------
    def health(self) -> dict:
        return self.call("GET", "/health")

    def credentials(self) -> dict:
        return self.call("GET", "/credentials")

    def reset(self, seed: int | None = None) -> dict:
        return self.call("POST", "/reset", {} if seed is None else {"seed": seed})

    def clock(self) -> dict:
        return self.call("GET", "/clock")

    def advance(self, seconds: float) -> dict:
        """Moves the sandbox clock forward; answers the clock."""
        return self.call("POST", "/clock", {"advance": seconds})

    def freeze(self, at: str | None = None) -> dict:
        """Stops the sandbox clock (at `at`, an ISO-8601 instant, when given)."""
        return self.call("POST", "/clock", {"frozen": True, **({"now": at} if at else {})})

    def requests(self, **filters: Any) -> list[dict]:
        """The request journal, newest last, narrowed by the journal's filters
        (e.g. `vendor="deskie", status=404`)."""
        return self.call("GET", "/requests", **filters)

    def deliveries(self, **filters: Any) -> list[dict]:
        """The webhook delivery log, oldest first, narrowed by its filters (`vendor`, `tenant`,
        `event`, `state`, `webhook`)."""
        return self.call("GET", "/webhooks/deliveries", **filters)

    def redeliver(self, delivery_id: str) -> dict:
        """One more attempt of a webhook delivery, now; answers the delivery after it."""
        return self.call("POST", f"/webhooks/deliveries/{delivery_id}/redeliver")

    def fault(self, path: str = "*", **rule: Any) -> dict:
        """Injects a fault and answers the rule: `status=503` (a 429 is the vendor's rate-limit
        refusal; `retry_after=` seconds), `kind="latency"|"reset"|"malformed"`,
        `latency_ms=200` (with any kind), `probability=0.5`, `vendor=`, `method=`, `times=`."""
        return self.call("POST", "/faults", {"path": path,
                                             **{k: v for k, v in rule.items() if v is not None}})

    def clear_faults(self) -> None:
        self.call("DELETE", "/faults")

    def snapshot(self, name: str) -> dict:
        """Saves the whole state (data, clock, limits, faults; not the journal) as `name`;
        answers its summary."""
        return self.call("POST", f"/snapshots/{urllib.parse.quote(name, safe='')}")

    def restore(self, name: str) -> dict:
        """Brings the snapshot `name` back (ControlError 404 when there is none)."""
        return self.call("POST", f"/snapshots/{urllib.parse.quote(name, safe='')}/restore")

    def snapshots(self) -> list[dict]:
        return self.call("GET", "/snapshots")

    def drop_snapshot(self, name: str) -> None:
        self.call("DELETE", f"/snapshots/{urllib.parse.quote(name, safe='')}")
