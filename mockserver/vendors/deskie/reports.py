"""Deskie reports (vendor-docs/deskie-api-reports.txt): the period parameter and custom ranges in
the account's zone, the per-period cache lifetimes, and the leaderboard, satisfaction and
agent-status figures, all computed from the stored cases, messages, ratings and status changes."""
from __future__ import annotations

from datetime import datetime, timedelta

from mockserver.core.errors import SandboxError

from . import models
from .models import V
from .records import RATING_CODES

HOUR, DAY = 3600, 86400

# SLA thresholds the leaderboard's *_sla_violated figures use (the sandbox's choice; the page
# shows percentages only): first response 1 hour, any response 4 hours, resolution 2 days.
SLA = {"first_response": HOUR, "response": 4 * HOUR, "resolution": 2 * DAY}


def _month_start(moment: datetime, back: int) -> datetime:
    index = moment.year * 12 + (moment.month - 1) - back
    return moment.replace(year=index // 12, month=index % 12 + 1, day=1, hour=0, minute=0,
                          second=0, microsecond=0)


def add_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = index // 12, index % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][month - 1]
    return moment.replace(year=year, month=month, day=min(moment.day, days))


def period_range(name: str, now: datetime) -> tuple[int, int]:
    """[start, end) of a named period; `now` is in the account's zone (reports page, Period)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    ts = lambda d: int(d.timestamp())  # noqa: E731
    if name == "last_24_hours":
        return ts(now) - DAY, ts(now)
    if name.startswith("last_") and name.endswith("_days"):
        return ts(now) - int(name.split("_")[1]) * DAY, ts(now)
    if name == "today":
        return ts(midnight), ts(now)
    if name == "yesterday":
        return ts(midnight - timedelta(days=1)), ts(midnight)
    week = midnight - timedelta(days=midnight.weekday())
    if name == "this_week":
        return ts(week), ts(now)
    if name == "last_week":
        return ts(week - timedelta(days=7)), ts(week)
    if name == "this_month":
        return ts(_month_start(now, 0)), ts(now)
    if name == "last_month":
        return ts(_month_start(now, 1)), ts(_month_start(now, 0))
    if name.startswith("month_"):
        back = int(name.split("_")[1])
        return ts(_month_start(now, back)), ts(_month_start(now, back - 1))
    if name.endswith("_previous_months"):
        return ts(_month_start(now, int(name.split("_")[0]))), ts(_month_start(now, 0))
    year_start = midnight.replace(month=1, day=1)
    if name == "this_year":
        return ts(year_start), ts(now)
    if name == "last_year":
        return ts(year_start.replace(year=year_start.year - 1)), ts(year_start)
    raise SandboxError(400, "wrong_period", f"unknown period {name!r}")


def resolve_range(ctx, max_months: int) -> tuple[int, int, str]:
    """(start, end, cache class): `period`, or from_time + to_time between 1 hour and
    `max_months` calendar months; anything else is 400 wrong_period."""
    tz = models.zone(ctx)
    period = ctx.query.get("period")
    if period:
        start, end = period_range(period, datetime.fromtimestamp(ctx.clock.timestamp(), tz))
        return start, end, period
    lo, hi = ctx.query.get("from_time"), ctx.query.get("to_time")
    if not lo or not hi:
        raise SandboxError(400, "wrong_period", "give period, or both from_time and to_time")
    start, _ = models.parse_time(lo, tz)
    end_checked, date_only = models.parse_time(hi, tz)
    end = end_checked + DAY - 1 if date_only else end_checked
    # A date-only to_time covers its whole day (so one day is long enough) but counts from the
    # day's start against the maximum (so 01.09.2023 - 01.10.2023 is one month, as the page's
    # sample call has it).
    longest = int(add_months(datetime.fromtimestamp(start, tz), max_months).timestamp()) - start
    span = end - start
    if span < HOUR or end_checked - start > longest:
        raise SandboxError(400, "wrong_period", "the custom period must be from 1 hour to "
                           f"{max_months} month{'s' if max_months > 1 else ''}")
    return start, end, "custom_up_to_1_day" if span <= DAY else "custom_over_1_day"


def cached(ctx, compute):
    """The reports page's "Caching": the same query within its period's lifetime answers the
    figures computed first, even if the data changed since; the sandbox clock expires them."""
    lifetimes = ctx.operation.spec.get("x-sandbox-cache")
    if not lifetimes:
        return compute()
    _, _, kind = resolve_range(ctx, 3)
    # A behaviour of the service, not a derived cache: kept in the store (so every process of a
    # shared sandbox answers the same figures) and emptied by a reset.
    key = "/".join([V, "report", ctx.operation.operation_id, ctx.tenant,
                    *(f"{k}={v!r}" for k, v in sorted(ctx.query.items()))])
    now = ctx.clock.timestamp()
    hit = ctx.runtime.backend.kv_get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    body = compute()
    ctx.runtime.backend.kv_put(key, [now + lifetimes[kind], body])
    return body


def percent(part: int, whole: int) -> str:
    """`0.9%`, `21.9%`, `0%`: one decimal at most (reports page example)."""
    if not whole:
        return "0%"
    value = round(part * 100 / whole, 1)
    return f"{value:g}%"


def _avg(values) -> int:
    values = list(values)
    return int(round(sum(values) / len(values))) if values else 0


# -- filters shared by the leaderboard and satisfaction ---------------------------------------
def case_filter(ctx):
    q = ctx.query
    users = {u["user_id"]: u for u in ctx.store.all(V, ctx.tenant, "users")}
    kinds = models.field_kinds(ctx)
    wanted_fields = models.custom_fields_query(ctx)
    channels = models.channel_set(ctx, q["channel"]) if q.get("channel") else None
    roles = {s["staff_id"]: s.get("role_id") for s in ctx.store.all(V, ctx.tenant, "staff")}

    def keep(case, first_from_user: bool) -> bool:
        if q.get("group_id") and case["group_id"] not in q["group_id"]:
            return False
        if channels is not None and case["channel"] not in channels:
            return False
        if q.get("status") and case["status"] not in q["status"]:
            return False
        if q.get("priority") and case["priority"] not in q["priority"]:
            return False
        if q.get("labels") and not set(case.get("labels", [])) & set(q["labels"]):
            return False
        if q.get("user_id") and case["user_id"] not in q["user_id"]:
            return False
        if q.get("company_id") and users.get(case["user_id"], {}).get("company_id") \
                not in q["company_id"]:
            return False
        if q.get("assignee_role_id") and roles.get(case["staff_id"]) not in q["assignee_role_id"]:
            return False
        if q.get("initiator") and (q["initiator"] == "user") != first_from_user:
            return False
        if wanted_fields and not models.custom_field_match(
                case.get("custom_fields") or {}, wanted_fields, kinds):
            return False
        return True
    return keep


def _ids(values) -> set[int] | None:
    """`staff_id=all` (or absent) is everyone; otherwise the listed ids."""
    if not values or "all" in values:
        return None
    return {int(v) for v in values}


# -- leaderboard ----------------------------------------------------------------------------
def leaderboard(ctx) -> list[dict]:
    start, end, _ = resolve_range(ctx, 3)
    store, tenant = ctx.store, ctx.tenant
    by_case: dict[int, list[dict]] = {}
    for m in store.all(V, tenant, "messages"):
        by_case.setdefault(m["case_id"], []).append(m)
    for msgs in by_case.values():
        msgs.sort(key=lambda m: (m["created_at"], m["message_id"]))
    reopen: dict[int, list[int]] = {}
    for e in store.all(V, tenant, "changelog"):
        if e["event"] == "status" and e["old_value"] == "closed" and e.get("value") != "closed":
            reopen.setdefault(e["case_id"], []).append(e["created_at"])
    keep = case_filter(ctx)
    participants = _ids(ctx.query.get("participant_id"))
    part_roles = set(ctx.query.get("participant_role_id") or [])
    staff_all = sorted(store.all(V, tenant, "staff"), key=lambda s: s["staff_id"])
    roles = {s["staff_id"]: s.get("role_id") for s in staff_all}
    cases = []
    for case in store.all(V, tenant, "cases"):
        if case["deleted"] or case["spam"]:
            continue
        msgs = by_case.get(case["case_id"], [])
        first_from_user = bool(msgs) and msgs[0]["user_id"] != 0
        if not keep(case, first_from_user):
            continue
        repliers = {m["staff_id"] for m in msgs if m["staff_id"]}
        if participants is not None and not repliers & participants:
            continue
        if part_roles and not {roles.get(s) for s in repliers} & part_roles:
            continue
        cases.append((case, msgs, first_from_user))
    ratings = [r for r in store.all(V, tenant, "ratings") if start <= r["created_at"] < end]
    wanted = _ids(ctx.query.get("staff_id"))
    rows = []
    for agent in staff_all:
        sid = agent["staff_id"]
        if wanted is None and not agent["active"]:
            continue
        if wanted is not None and sid not in wanted:
            continue
        rows.append(_agent_row(agent, cases, reopen, ratings, start, end))
    return rows


def _agent_row(agent, cases, reopen, ratings, start, end) -> dict:
    sid = agent["staff_id"]
    inside = lambda t: t is not None and start <= t < end  # noqa: E731
    new_cases = new_user = reopened = handled = with_response = 0
    first_times, response_times, writing, resolution = [], [], [], []
    responses = notes = 0
    replies_for_resolution = []
    closed = 0
    for case, msgs, from_user in cases:
        mine = case["staff_id"] == sid
        if mine and inside(case["created_at"]):
            new_cases += 1
            new_user += from_user
        if mine:
            reopened += sum(1 for t in reopen.get(case["case_id"], []) if inside(t))
        my_replies = [m for m in msgs if m["staff_id"] == sid and not m["note"]
                      and inside(m["created_at"])]
        notes += sum(1 for m in msgs if m["staff_id"] == sid and m["note"]
                     and inside(m["created_at"]))
        if mine and (inside(case["created_at"]) or any(inside(m["created_at"]) for m in msgs)):
            handled += 1
        if my_replies:
            with_response += 1
            responses += len(my_replies)
            replies = [m for m in msgs if m["staff_id"] and not m["note"]]
            if replies and replies[0]["staff_id"] == sid and inside(replies[0]["created_at"]):
                first_times.append(replies[0]["created_at"] - case["created_at"])
            waiting_since = None
            for m in msgs:
                if m["note"]:
                    continue
                if m["user_id"]:
                    waiting_since = waiting_since or m["created_at"]
                elif waiting_since is not None:
                    if m["staff_id"] == sid and inside(m["created_at"]):
                        response_times.append(m["created_at"] - waiting_since)
                    waiting_since = None
            writing.extend(max(5, len(m["content"] or m["content_html"]) // 2)
                           for m in my_replies)
        if mine and case["status"] == "closed" and inside(case.get("closed_at")):
            closed += 1
            resolution.append(case["closed_at"] - case["created_at"])
            replies_for_resolution.append(sum(1 for m in msgs if m["staff_id"] and not m["note"]))
    mine_ratings = [r for r in ratings if (r["rated_staff_id"] or r["staff_id"]) == sid]
    good = sum(1 for r in mine_ratings if r["rating"] == "3")
    return {
        "staff_id": sid, "staff_name": agent.get("staff_full_name", ""),
        "new_cases_in_total": new_cases, "new_user_cases": new_user,
        "reopened_cases": reopened, "cases_being_handled": handled,
        "cases_with_a_response": with_response,
        "first_response_time": _avg(first_times),
        "first_response_sla_violated": percent(
            sum(1 for t in first_times if t > SLA["first_response"]), len(first_times)),
        "response_time": _avg(response_times),
        "response_sla_violated": percent(
            sum(1 for t in response_times if t > SLA["response"]), len(response_times)),
        "response_writing_time": _avg(writing),
        "total_number_of_responses": responses, "total_number_of_notes": notes,
        "number_of_responses_for_resolution": _avg(replies_for_resolution),
        "closed_cases": closed, "resolution_time": _avg(resolution),
        "resolution_sla_violated": percent(
            sum(1 for t in resolution if t > SLA["resolution"]), len(resolution)),
        "ratings_of_responses": percent(good, len(mine_ratings)) if mine_ratings else "-",
    }


# -- satisfaction ----------------------------------------------------------------------------
def satisfaction(ctx) -> list[dict]:
    from mockserver.core.search import caret_matcher
    start, end, _ = resolve_range(ctx, 3)
    q, store, tenant = ctx.query, ctx.store, ctx.tenant
    cases = {c["case_id"]: c for c in store.all(V, tenant, "cases")}
    users = {u["user_id"]: u for u in store.all(V, tenant, "users")}
    staff_roles = {s["staff_id"]: s.get("role_id") for s in store.all(V, tenant, "staff")}
    first_from_user: dict[int, bool] = {}
    repliers: dict[int, set] = {}
    for m in sorted(store.all(V, tenant, "messages"), key=lambda m: m["created_at"]):
        first_from_user.setdefault(m["case_id"], m["user_id"] != 0)
        if m["staff_id"] and not m["note"]:
            repliers.setdefault(m["case_id"], set()).add(m["staff_id"])
    keep = case_filter(ctx)
    email = caret_matcher(q["user_email"]) if q.get("user_email") else None
    phone = caret_matcher(q["user_phone"]) if q.get("user_phone") else None
    participants = _ids(q.get("participant_id"))
    rows = []
    for r in store.all(V, tenant, "ratings"):
        case = cases.get(r["case_id"])
        if not (start <= r["created_at"] < end) or case is None:
            continue
        if q.get("rating_id") and r["rating_id"] not in q["rating_id"]:
            continue
        if q.get("rating") and r["rating"] not in {RATING_CODES[x] for x in q["rating"]}:
            continue
        if q.get("rating_comment") is not None and bool(r["rating_comment"]) != q["rating_comment"]:
            continue
        if q.get("rated_staff_id") and r["rated_staff_id"] not in q["rated_staff_id"]:
            continue
        if q.get("rated_assignee_role_id") and staff_roles.get(r["rated_staff_id"] or r["staff_id"]) \
                not in q["rated_assignee_role_id"]:
            continue
        if participants is not None and not repliers.get(case["case_id"], set()) & participants:
            continue
        if q.get("participant_role_id") and not {staff_roles.get(s) for s in repliers.get(
                case["case_id"], set())} & set(q["participant_role_id"]):
            continue
        user = users.get(case["user_id"], {})
        if email and not email(user.get("user_email")):
            continue
        if phone and not phone(user.get("user_phone")):
            continue
        if not keep(case, first_from_user.get(case["case_id"], True)):
            continue
        rows.append((r, case))
    rows.sort(key=lambda rc: (rc[0]["created_at"], rc[0]["rating_id"]),
              reverse=q.get("sort", "added_at_desc") == "added_at_desc")
    tz = models.zone(ctx)
    return [{"rating_id": r["rating_id"], "rating": r["rating"],
             "rating_comment": r["rating_comment"], "rated_staff_id": r["rated_staff_id"],
             "case_id": r["case_id"], "case_number": case["case_number"],
             "user_id": case["user_id"], "staff_id": r["staff_id"], "group_id": r["group_id"],
             "created_at": models.rfc2822(r["created_at"], tz),
             "updated_at": models.rfc2822(r["updated_at"], tz)} for r, case in rows]


# -- agent statuses --------------------------------------------------------------------------
def staff_status_changes(ctx) -> list[dict]:
    start, end, _ = resolve_range(ctx, 1)
    store, tenant = ctx.store, ctx.tenant
    names = {s["status_id"]: s["status"] for s in store.all(V, tenant, "staff_statuses")}
    staff = {s["staff_id"]: s for s in store.all(V, tenant, "staff")}
    wanted = _ids(ctx.query.get("staff_id"))
    access = ctx.query.get("staff_access")
    rows = []
    for change in store.all(V, tenant, "status_changes"):
        if not start <= change["timestamp"] < end:
            continue
        if wanted is not None and change["staff_id"] not in wanted:
            continue
        if access and staff.get(change["staff_id"], {}).get("access") != access:
            continue
        rows.append(change)
    rows.sort(key=lambda c: (c["timestamp"], c["id"]))
    label = lambda sid: f"{names.get(sid, 'Status')} ({sid})"  # noqa: E731
    return [{"staff_id": c["staff_id"], "timestamp": c["timestamp"], "from": label(c["from"]),
             "to": label(c["to"])} for c in rows]
