"""The request journal: the last N vendor requests, newest last, for tests to inspect and count.

A bounded list in the store, so the journal of a shared sandbox shows every process's requests.
Recording is on every request's path, so it keeps the raw values; `time` (Unix seconds on the
sandbox clock) is written as ISO-8601 and a complete JSON body as JSON (core.capture) only when
the journal is read, and only for the entries a reader gets.

Filters (`Filters.parse`, the control API's query parameters): `vendor`, `operation`, `tenant`,
`method` (exact; a name given twice matches either value), `status` (`404`, or a class `4xx`),
`path` (an fnmatch glob over the request path, with or without the vendor's prefix) and `since`
(an ISO-8601 instant: entries at or after it on the sandbox clock; or a journal id `req_N`: the
entries after that one).
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Mapping

from .capture import present_body
from .clock import iso_z, parse_instant

FILTERS = ("vendor", "operation", "tenant", "status", "method", "path", "since")
_STATUS = re.compile(r"^([1-5])(?:xx|XX)$|^([1-5][0-9][0-9])$")
_ID = re.compile(r"^req_([0-9]+)$")


class FilterError(ValueError):
    """A filter the journal does not know, or a value it cannot read; names the filter."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"filter '{name}': {problem}")
        self.name = name


@dataclass
class Filters:
    exact: dict[str, frozenset] = field(default_factory=dict)  # vendor, operation, tenant, method
    statuses: tuple[tuple[int, int], ...] = ()  # inclusive ranges
    paths: tuple[str, ...] = ()
    since_time: float | None = None
    since_seq: int | None = None

    @classmethod
    def parse(cls, args: Mapping[str, list[str]], *, vendors: Iterable[str] = (),
              operations: Iterable[str] = ()) -> "Filters":
        """Filters from query parameters (name -> values); FilterError for an unknown name or
        a bad value. `vendors` and `operations`, when given, are the only ones accepted."""
        unknown = sorted(set(args) - set(FILTERS))
        if unknown:
            raise FilterError(unknown[0], f"unknown filter; the journal filters by "
                              f"{', '.join(FILTERS)}")
        out = cls()
        known = {"vendor": set(vendors), "operation": set(operations)}
        for name in ("vendor", "operation", "tenant", "method"):
            values = [v for v in args.get(name, ()) if v != ""]
            if not values:
                continue
            if name == "method":
                bad = [v for v in values if not v.isalpha()]
                if bad:
                    raise FilterError(name, f"{bad[0]!r} is not an HTTP method")
                values = [v.upper() for v in values]
            if known.get(name):
                bad = sorted(set(values) - known[name])
                if bad:
                    raise FilterError(name, f"{bad[0]!r} is not served here")
            out.exact[name] = frozenset(values)
        ranges = []
        for value in args.get("status", ()):
            match = _STATUS.match(value.strip())
            if not match:
                raise FilterError("status", f"{value!r} is not a status (404) or a class (4xx)")
            if match.group(1):
                ranges.append((int(match.group(1)) * 100, int(match.group(1)) * 100 + 99))
            else:
                ranges.append((int(match.group(2)),) * 2)
        out.statuses = tuple(ranges)
        out.paths = tuple(p for p in args.get("path", ()) if p)
        since = [v for v in args.get("since", ()) if v]
        if len(since) > 1:
            raise FilterError("since", "give it once")
        if since:
            match = _ID.match(since[0].strip())
            if match:
                out.since_seq = int(match.group(1))
            else:
                try:
                    out.since_time = parse_instant(since[0].strip()).timestamp()
                except ValueError:
                    raise FilterError("since", f"{since[0]!r} is neither an ISO-8601 instant "
                                      "nor a journal id (req_N)") from None
        return out

    @property
    def empty(self) -> bool:
        return not (self.exact or self.statuses or self.paths or self.since_time is not None
                    or self.since_seq is not None)

    def matches(self, entry: Mapping) -> bool:
        for name, values in self.exact.items():
            if entry.get(name) not in values:
                return False
        if self.statuses and not any(lo <= (entry.get("status") or 0) <= hi
                                     for lo, hi in self.statuses):
            return False
        if self.since_seq is not None and (entry.get("seq") or 0) <= self.since_seq:
            return False
        if self.since_time is not None and (entry.get("time") or 0) < self.since_time:
            return False
        if self.paths:
            path = entry.get("path") or ""
            prefix = f"/{entry.get('vendor')}"
            paths = (path, path[len(prefix):] or "/") if path.startswith(prefix + "/") \
                else (path,)
            if not any(fnmatch.fnmatchcase(p, glob) for p in paths for glob in self.paths):
                return False
        return True


class Journal:
    LIST = "journal"

    def __init__(self, store, size: int = 1000):
        self._store = store
        self._size = max(1, int(size))

    def record(self, entry: dict) -> None:
        self._store.append(self.LIST, entry, self._size)

    def _select(self, where: Filters | None, vendor: str | None,
                limit: int | None) -> list[dict]:
        plain = (where is None or where.empty) and vendor is None
        items = self._store.items(self.LIST, limit if limit and plain else None)
        if not plain:
            items = [e for e in items if (vendor is None or e.get("vendor") == vendor)
                     and (where is None or where.matches(e))]
        return items[-limit:] if limit else items

    def entries(self, vendor: str | None = None, limit: int | None = None,
                where: Filters | None = None) -> list[dict]:
        """The entries `where` matches (of `vendor`, when given), the newest `limit` of them."""
        return [present(e) for e in self._select(where, vendor, limit)]

    def count(self, where: Filters | None = None) -> int:
        return len(self._select(where, None, None))

    def clear(self) -> None:
        self._store.clear_list(self.LIST)


def present(entry: Mapping) -> dict:
    """An entry as a reader sees it (a new dict: a store's own entries are never changed)."""
    shown = {**entry, "time": iso_z(datetime.fromtimestamp(entry["time"], timezone.utc))}
    for side in ("request", "response"):
        part = entry.get(side)
        if isinstance(part, dict) and part.get("body"):
            shown[side] = {**part, "body": present_body(part["body"])}
    return shown
