"""Agent presence (Available / Away / Offline) per user and local date, rebuilt on demand from the
user's shift and the seed, never stored (seed_data/chime.yaml `presence`; AgentAvailability in
notes §5). The factories use the same function to route chats only to Available agents, so the
sessions and the AgentAvailability report tell one story.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from mockserver.core.rng import Randomness

from .models import zone_info

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _hm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@lru_cache(maxsize=65536)
def _day(seed: int, user_id: int, zone: str, start: str, end: str, days: tuple,
         away_min: int, away_max: int, absent: float, day: date) -> tuple:
    """(from_ts, to_ts, status) spells of one local date in the user's zone; the rest is Offline."""
    if WEEKDAYS[day.weekday()] not in days:
        return ()
    rnd = Randomness(seed).stream("chime", "presence", user_id, day.isoformat())
    if rnd.random() < absent:
        return ()
    tz = zone_info(zone)
    lo = datetime.combine(day, _hm(start), tz).timestamp()
    hi = datetime.combine(day, _hm(end), tz).timestamp()
    if hi <= lo:
        return ()
    away = min(rnd.randint(away_min, away_max) * 60, int(hi - lo) // 2)
    spells = rnd.randint(1, 3)
    spans, cursor = [], lo
    for i in range(spells):
        length = away // spells
        begin = rnd.uniform(cursor, cursor + (hi - cursor - length * (spells - i)) / 2)
        begin = int(begin)
        spans.append((begin, begin + length))
        cursor = begin + length
    out, cursor = [], int(lo)
    for begin, finish in spans:
        if begin > cursor:
            out.append((cursor, begin, "Available"))
        if finish > begin:
            out.append((begin, finish, "Away"))
        cursor = finish
    if hi > cursor:
        out.append((cursor, int(hi), "Available"))
    return tuple(out)


def spells(seed: int, user: dict, config: dict, day: date) -> tuple:
    shift = user.get("shift") or config["default_shift"]
    away = config.get("away_minutes_per_day", {"min": 15, "max": 90})
    return _day(int(seed), int(user["id"]), user.get("timezone") or "UTC", shift["start"],
                shift["end"], tuple(shift.get("days") or config["default_shift"]["days"]),
                int(away["min"]), int(away["max"]),
                float(config.get("absent_day_probability", 0.0)), day)


def spells_between(seed: int, user: dict, config: dict, lo: float, hi: float) -> list[tuple]:
    """Every spell of the user overlapping [lo, hi), clipped to it."""
    tz = zone_info(user.get("timezone") or "UTC")
    first = datetime.fromtimestamp(lo, tz).date() - timedelta(days=1)
    last = datetime.fromtimestamp(hi, tz).date() + timedelta(days=1)
    out = []
    for i in range((last - first).days + 1):
        for a, b, status in spells(seed, user, config, first + timedelta(days=i)):
            a, b = max(a, lo), min(b, hi)
            if b > a:
                out.append((a, b, status))
    return out


def minutes(seed: int, user: dict, config: dict, lo: float, hi: float) -> tuple[int, int, int]:
    """(Available, Away, Offline) whole minutes in [lo, hi); the three add up to its minutes."""
    available = away = 0.0
    for a, b, status in spells_between(seed, user, config, lo, hi):
        if status == "Available":
            available += b - a
        else:
            away += b - a
    total = int((hi - lo) // 60)
    avail_m, away_m = int(available // 60), int(away // 60)
    return avail_m, away_m, max(total - avail_m - away_m, 0)
