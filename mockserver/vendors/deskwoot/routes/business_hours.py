"""Business hours: the account's weekly schedule, read and set as a whole (page "Business
Hours": "Provide the full schedule")."""
from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from .. import records, schemas
from ..desk import account, audit, bad, peek, save

__all__ = ["get_business_hours", "set_business_hours"]


@cache
def _zones() -> frozenset:
    return frozenset(available_timezones())


def check_timezone(name: str, field: str = "timezone") -> None:
    """An IANA zone name (the page: "IANA timezone (e.g. Europe/Berlin)"), else 400."""
    if name not in _zones():
        shown = name if len(name) <= 64 else name[:61] + "..."
        raise bad(f"{field}: {shown!r} is not an IANA time zone name")


def _current(ctx, acc: dict) -> dict:
    return peek(ctx, "business_hours", ctx.tenant) or records.business_hours(
        ctx.tenant, timezone=acc["timezone"], enabled=False)


def get_business_hours(ctx):
    return schemas.business_hours(_current(ctx, account(ctx)))


def set_business_hours(ctx):
    """All seven days, each once (the spec holds the count and the ranges); on an enabled day
    the close time is after the open time (24:00 closes at midnight)."""
    account(ctx)
    body = ctx.body
    check_timezone(body["timezone"])
    days = [d["day"] for d in body["schedule"]]
    if sorted(days) != sorted(records.WEEKDAYS):
        raise bad("schedule: give each day monday..sunday exactly once")
    for d in body["schedule"]:
        if d["closeHour"] == 24 and d["closeMinute"]:
            raise bad(f"schedule: {d['day']} closes after 24:00")
        if d["enabled"] and (d["closeHour"], d["closeMinute"]) <= (d["openHour"],
                                                                    d["openMinute"]):
            raise bad(f"schedule: {d['day']} closes before it opens")
    order = {day: i for i, day in enumerate(records.WEEKDAYS)}
    schedule = [records.schedule_day(d["day"], enabled=d["enabled"], open_hour=d["openHour"],
                                     open_minute=d["openMinute"], close_hour=d["closeHour"],
                                     close_minute=d["closeMinute"])
                for d in sorted(body["schedule"], key=lambda d: order[d["day"]])]
    record = save(ctx, "business_hours", records.business_hours(
        ctx.tenant, timezone=body["timezone"], enabled=body["enabled"], schedule=schedule))
    audit(ctx, "business_hours.updated", enabled=record["enabled"],
          timezone=record["timezone"])
    return schemas.business_hours(record)
