"""Chime domain rules: who a key belongs to and what they may see, the report window, and the
per-session facts (wait, duration, outcome) every report is computed from.

Design references are to vendor-notes/chime.md: §2 auth and ACL, §3 query parameters, §6.3 the
session, §8 errors. Nothing derived is stored: each request reads the session records and works
the figures out from them.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from mockserver.core import keys
from mockserver.core.errors import SandboxError
from mockserver.core.rng import guid
from mockserver.core.vendor import PRINCIPAL_KINDS, Principal

V = "chime"
TENANT = "default"
ANSWERED = frozenset({"Connected", "Completed"})
MAX_SPAN = timedelta(days=366)
DEFAULT_SPAN = timedelta(days=7)
UNAUTHORIZED = "A valid API key is required: Authorization: Bearer <guid>."


# -- keys and users (notes §2) -----------------------------------------------------------------
def users(store) -> list[dict]:
    return store.all(V, TENANT, "users")


def users_by_id(store) -> dict[int, dict]:
    return {u["id"]: u for u in users(store)}


def queues_by_id(store) -> dict[int, dict]:
    return {q["id"]: q for q in store.all(V, TENANT, "queues")}


def _refuse() -> SandboxError:
    return SandboxError(401, "Unauthorized", UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})


def authenticate(credential, runtime) -> Principal:
    """Bearer GUID bound to one user; every failure is the same 401 (notes §8)."""
    if not credential.present or credential.malformed:
        raise _refuse()
    try:
        key = str(uuid.UUID(credential.value or ""))
    except ValueError:
        raise _refuse() from None
    if len(credential.value or "") != 36:  # only the hyphenated 8-4-4-4-12 form is a Chime key
        raise _refuse()
    for user in users(runtime.store):
        if user.get("api_key") and user["api_key"].lower() == key:
            return Principal(TENANT, str(user["id"]), {"user_id": user["id"]})
    raise _refuse()


def scope(user: dict, queue_ids) -> list[int]:
    """The queues a user's key may report on: all for an administrator, else Manager/Reviewer."""
    if user.get("admin"):
        return sorted(queue_ids)
    return sorted(int(q) for q, roles in (user.get("roles") or {}).items()
                  if int(q) in queue_ids and ({"Manager", "Reviewer"} & set(roles)))


def agents_of(users_map: dict[int, dict], queue_id: int) -> list[int]:
    return sorted(uid for uid, u in users_map.items()
                  if "Agent" in (u.get("roles") or {}).get(str(queue_id), ())
                  or "Agent" in (u.get("roles") or {}).get(queue_id, ()))


def caller(ctx) -> dict:
    user = ctx.store.get(V, TENANT, "users", ctx.principal.attrs["user_id"])
    if user is None:  # removed through the state API after authentication
        raise _refuse()
    return user


def check_queue(queue_id: int, queues: dict[int, dict], user: dict) -> dict:
    """Existence (404) before access (403), as notes §8 orders them."""
    queue = queues.get(queue_id)
    if queue is None:
        raise SandboxError(404, "QueueNotFound", f"Queue {queue_id} does not exist.")
    visible = scope(user, queues)
    if not visible:
        raise SandboxError(403, "NoReportingScope", "Reports need the Administrator flag or a "
                           "Manager or Reviewer role on a queue.")
    if queue_id not in visible:
        raise SandboxError(403, "QueueForbidden", f"You do not have access to queue {queue_id}.")
    return queue


def credentials_section(runtime, base_url: str) -> dict:
    queues = queues_by_id(runtime.store)
    return {"base_url": base_url,
            "queues": [{"id": q["id"], "name": q["name"]} for q in queues.values()],
            "users": [{"id": str(u["id"]), "email": u["email"], "api_key": u["api_key"],
                       "queue_ids": scope(u, queues), "admin": bool(u.get("admin"))}
                      for u in users(runtime.store) if u.get("api_key")]}


def sample_headers(runtime) -> dict:
    admin = next(u for u in users(runtime.store) if u.get("admin") and u.get("api_key"))
    return {"Authorization": f"Bearer {admin['api_key']}"}


def principal_headers(runtime, kind: str) -> dict | None:
    """Callers of each kind of core.vendor.PRINCIPAL_KINDS, from the store. One tenant, and keys
    are simply valid or not (notes §2), so there is no deactivated or other-tenant caller.
    weak: the non-administrator with the narrowest reporting scope (none at all when there is
    such a user), refused 403 on a queue outside it; bad: a GUID of no user (401)."""
    store = runtime.store
    keyed = [u for u in users(store) if u.get("api_key")]
    if kind == "valid":
        return sample_headers(runtime)
    if kind == "bad":
        taken = {u["api_key"].lower() for u in keyed}
        rnd = runtime.randomness().stream(V, "principal", kind)
        key = next(k for k in iter(lambda: guid(rnd), None) if k.lower() not in taken)
        return {"Authorization": f"Bearer {key}"}
    if kind == "weak":
        queues = queues_by_id(store)
        plain = sorted((u for u in keyed if not u.get("admin")),
                       key=lambda u: (len(scope(u, queues)), u["id"]))
        return {"Authorization": f"Bearer {plain[0]['api_key']}"} if plain else None
    if kind in ("deactivated", "other_tenant"):
        return None
    if kind in PRINCIPAL_KINDS:  # the kinds of spec-compiled access, which it does not use
        return None
    raise ValueError(f"unknown principal kind {kind!r}")


def rotate_key(runtime, ident: str) -> dict:
    """Admin > People > generate: a new GUID for the user; the old one fails at once (notes §2)."""
    user = keys.rotate(runtime, V, TENANT, "users", int(ident) if ident.isdigit() else None,
                       field="api_key", mint=guid,
                       missing=SandboxError(404, "unknown_user", f"no Chime user {ident!r}"))
    return {"id": str(user["id"]), "api_key": user["api_key"]}


# -- the window (notes §3) -------------------------------------------------------------------
_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?"
                    r"(Z|[+-]\d{2}(?::?\d{2})?)?)?$")


@dataclass(frozen=True)
class Window:
    start: datetime   # UTC, inclusive
    stop: datetime    # UTC, exclusive
    zone: str
    tz: ZoneInfo

    @property
    def first_ts(self) -> int:
        """The first whole second inside the window (stored instants are whole seconds)."""
        return -int(-self.start.timestamp() // 1)

    @property
    def end_ts(self) -> int:
        return -int(-self.stop.timestamp() // 1)

    def days(self) -> list[date]:
        first = self.start.astimezone(self.tz).date()
        last = (self.stop - timedelta(microseconds=1)).astimezone(self.tz).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def day_bounds(self, day: date) -> tuple[float, float]:
        """The part of a local date inside the window, as UTC timestamps."""
        lo = datetime.combine(day, time(0), self.tz).timestamp()
        hi = datetime.combine(day + timedelta(days=1), time(0), self.tz).timestamp()
        return max(lo, self.start.timestamp()), min(hi, self.stop.timestamp())


def _parse_stamp(name: str, text: str, tz: ZoneInfo) -> datetime:
    match = _STAMP.match(text)
    bad = SandboxError(400, "InvalidDate", f"{name} is not an ISO 8601 date or date-time: {text!r}.")
    if not match:
        raise bad
    y, mo, d, hh, mm, ss, frac, off = match.groups()
    try:
        moment = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0),
                          int((frac or "0")[:6].ljust(6, "0")))
    except ValueError:
        raise bad from None
    if off is None:
        moment = moment.replace(tzinfo=tz)  # no offset: read in zone (notes §3)
    elif off == "Z":
        moment = moment.replace(tzinfo=timezone.utc)
    else:
        digits = off[1:].replace(":", "")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        moment = moment.replace(tzinfo=timezone(delta if off[0] == "+" else -delta))
    return moment.astimezone(timezone.utc)


def window(ctx) -> Window:
    zone = ctx.query.get("zone") or "UTC"
    tz = zone_info(zone)
    now = ctx.clock.now().replace(microsecond=0)
    stop = _parse_stamp("stop", ctx.query["stop"], tz) if ctx.query.get("stop") else now
    start = (_parse_stamp("start", ctx.query["start"], tz) if ctx.query.get("start")
             else stop - DEFAULT_SPAN)
    if stop <= start or stop - start > MAX_SPAN:
        raise SandboxError(400, "InvalidRange",
                           "stop must be later than start and at most 366 days after it.")
    return Window(start, stop, zone, tz)


@lru_cache(maxsize=None)
def zone_info(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):  # the spec's enum normally stops these first
        raise SandboxError(400, "InvalidZone", f"{name!r} is not an IANA time zone.") from None


def wants_csv(ctx) -> bool:
    return str(ctx.query.get("csv", "false")).lower() in ("true", "1")


def zoned(moment: datetime, tz) -> str:
    """ISO 8601 in zone with a ±hh:mm offset (historic second offsets round to the minute)."""
    moment = moment.astimezone(timezone.utc)
    minutes = round(moment.astimezone(tz).utcoffset().total_seconds() / 60)
    local = (moment + timedelta(minutes=minutes)).replace(tzinfo=None)
    text = local.isoformat(timespec="microseconds" if local.microsecond else "seconds")
    sign, (h, m) = ("+" if minutes >= 0 else "-"), divmod(abs(minutes), 60)
    return f"{text}{sign}{h:02d}:{m:02d}"


def utc_ts(text: str | None) -> int | None:
    return None if text is None else int(datetime.fromisoformat(text).timestamp())


def iso_ts(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ts_key(ts: int) -> str:
    """A timestamp in the stored `...Z` spelling, so stored instants compare as strings."""
    return iso_ts(ts)


# -- per-session facts (notes §5-§6.3) ---------------------------------------------------------
@dataclass(frozen=True)
class Facts:
    record: dict
    queue_id: int
    start: int
    accepted: int | None
    end: int | None       # ended, or now for a live session
    state: str
    wait: int
    duration: int

    @property
    def inbound(self) -> bool:
        return self.state != "Deflected"

    @property
    def answered(self) -> bool:
        return self.state in ANSWERED


def facts(record: dict, now: int) -> Facts:
    """Wait and duration as SessionDetails defines them: answered, abandoned, deflected, live."""
    start = utc_ts(record["started_utc"])
    accepted = utc_ts(record.get("accepted_utc"))
    ended = utc_ts(record.get("ended_utc"))
    state = record["state"]
    if state in ANSWERED:
        wait = accepted - start
        duration = (ended if ended is not None else now) - accepted
    elif state == "Abandoned":
        wait, duration = ended - start, 0
    elif state == "Deflected":
        wait, duration = 0, ended - start
    else:  # Waiting
        wait, duration = now - start, 0
    end = ended if ended is not None else max(now, start)
    return Facts(record, record["queue_id"], start, accepted, end, state, max(wait, 0),
                 max(duration, 0))


def sessions_in(store, win: Window, queue_ids, now: int) -> dict[int, list[Facts]]:
    """One pass over the session store: the window's sessions of these queues, per queue, in
    start order (then id)."""
    lo, hi = ts_key(win.first_ts), ts_key(win.end_ts)
    wanted = set(queue_ids)
    out: dict[int, list[Facts]] = {q: [] for q in wanted}
    for record in store.all(V, TENANT, "sessions"):
        if record["queue_id"] in wanted and lo <= record["started_utc"] < hi:
            out[record["queue_id"]].append(facts(record, now))
    for items in out.values():
        items.sort(key=lambda f: (f.start, f.record["id"]))
    return out


def half_up(part: int, whole: int) -> int:
    """round(part / whole) with halves up, 0 when whole is 0."""
    return (2 * part + whole) // (2 * whole) if whole else 0


def percent(part: int, whole: int, places: int = 1) -> float:
    """round(100 * part / whole, places) with halves up; 0.0 when whole is 0."""
    if not whole:
        return 0.0
    scale = 10 ** places
    return half_up(100 * scale * part, whole) / scale


def ratio(part: int, whole: int, places: int = 2) -> float:
    if not whole:
        return 0.0
    scale = 10 ** places
    return half_up(scale * part, whole) / scale
