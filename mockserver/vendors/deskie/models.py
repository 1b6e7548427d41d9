"""Deskie domain rules: who is calling (Basic `staff_email:api_key`), what that agent may see and
change, the plan's rate limit, dates in and out, and the lookups and cascades views share.

Sources: vendor-docs/deskie-api-overview.txt ("Access to data", rate limits), vendor-notes §1–§10.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from mockserver.core import keys
from mockserver.core.errors import SandboxError
from mockserver.core.rng import HEX, token
from mockserver.core.vendor import PRINCIPAL_KINDS, Principal

from . import records

V = "deskie"

# Plan -> (RPM per enabled agent, floor, cap): overview "API rate limits depend on your plan".
PLAN_LIMITS = {"Basic": (5, 20, 50), "Standard": (5, 1, 750), "Pro": (10, 1, 1500)}


# -- accounts and authentication ------------------------------------------------------------
def accounts(store) -> list[dict]:
    return [a for t in store.tenants(V) for a in store.all(V, t, "account")]


def account(store, tenant: str) -> dict:
    return store.get(V, tenant, "account", tenant)


def authenticate(credential, runtime) -> Principal:
    """Overview: the API key plus the e-mail of an *active* agent of the key's account.
    Each refusal has its own code (the sandbox's names; the vendor documents none)."""
    if not credential.present or credential.malformed:
        raise SandboxError(401, "invalid_credentials",
                           "send HTTP Basic authentication: staff_email:api_key")
    store = runtime.store
    owner = next((a for a in accounts(store) if a["api_key"] == credential.password), None)
    if owner is None:
        raise SandboxError(401, "wrong_api_key", "the API key does not belong to any account")
    email = (credential.username or "").strip().casefold()
    agent = next((s for s in store.all(V, owner["domain"], "staff")
                  if s["staff_email"].casefold() == email), None)
    if agent is None:
        raise SandboxError(401, "staff_not_found",
                           "no agent of this account has that e-mail address")
    if not agent["active"]:
        raise SandboxError(401, "staff_not_active", "the agent account is deactivated")
    return Principal(owner["domain"], str(agent["staff_id"]), {
        "staff_id": agent["staff_id"], "access": agent["access"],
        "groups": tuple(agent.get("groups", ()))})


def rate_limit_for(runtime, tenant: str) -> int:
    """5 or 10 RPM per enabled agent within the plan's floor and cap, recomputed from the staff
    records, so enabling or disabling an agent moves the limit at once."""
    acc = account(runtime.store, tenant)
    per, floor, cap = PLAN_LIMITS[acc["plan"]]
    enabled = sum(1 for s in runtime.store.all(V, tenant, "staff") if s["active"])
    return max(1, min(cap, max(floor, per * enabled)))


def credentials_section(runtime, base_url: str) -> dict:
    out = []
    for acc in accounts(runtime.store):
        staff = sorted(runtime.store.all(V, acc["domain"], "staff"),
                       key=lambda s: (s["access"] != "full", not s["active"], s["staff_id"]))
        out.append({"domain": acc["domain"], "plan": acc["plan"], "api_key": acc["api_key"],
                    "agents": [{"staff_id": s["staff_id"], "email": s["staff_email"],
                                "access": s["access"], "active": s["active"]} for s in staff]})
    return {"base_url": base_url, "accounts": out}


def _basic(email: str, api_key: str) -> dict:
    import base64
    raw = f"{email}:{api_key}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def _agent(store, acc: dict, *, active: bool, access: str | None) -> dict | None:
    """The account's agent of lowest id that is (in)active, and of that access if given."""
    return next((s for s in sorted(store.all(V, acc["domain"], "staff"),
                                   key=lambda s: s["staff_id"])
                 if s["active"] == active and access in (None, s["access"])), None)


def sample_headers(runtime) -> dict:
    """Basic auth of the first account's first active full-access agent."""
    acc = accounts(runtime.store)[0]
    agent = _agent(runtime.store, acc, active=True, access="full")
    return _basic(agent["staff_email"], acc["api_key"])


def principal_headers(runtime, kind: str) -> dict | None:
    """Callers of each kind of core.vendor.PRINCIPAL_KINDS, from the store. Overview "Access to
    data": the key plus an active agent's e-mail; a limited agent is refused what needs full
    access (the spec's x-sandbox-access: full), a deactivated agent is refused (401
    staff_not_active). bad: the first agent's e-mail with a 40-hex key of no account."""
    store = runtime.store
    first, *others = accounts(store)
    if kind == "valid":
        return sample_headers(runtime)
    if kind == "bad":
        taken = {a["api_key"] for a in accounts(store)}
        rnd = runtime.randomness().stream(V, "principal", kind)
        key = next(k for k in iter(lambda: token(rnd, 40, HEX), None) if k not in taken)
        return _basic(_agent(store, first, active=True, access="full")["staff_email"], key)
    if kind == "deactivated":
        agent = (_agent(store, first, active=False, access="full")
                 or _agent(store, first, active=False, access=None))
        return None if agent is None else _basic(agent["staff_email"], first["api_key"])
    if kind == "weak":
        agent = _agent(store, first, active=True, access="limited")
        return None if agent is None else _basic(agent["staff_email"], first["api_key"])
    if kind == "other_tenant":
        for acc in others:
            agent = _agent(store, acc, active=True, access="full")
            if agent is not None:
                return _basic(agent["staff_email"], acc["api_key"])
        return None
    if kind in PRINCIPAL_KINDS:  # the kinds of spec-compiled access, which it does not use
        return None
    raise ValueError(f"unknown principal kind {kind!r}")


def rotate_key(runtime, ident: str) -> dict:
    """A new 40-hex API key for the account; the old one stops working at once."""
    acc = keys.rotate(runtime, V, ident, "account", ident, field="api_key",
                      mint=lambda rnd: token(rnd, 40, HEX),
                      missing=SandboxError(404, "unknown_account", f"no Deskie account {ident!r}"))
    return {"id": ident, "api_key": acc["api_key"]}


# -- access ---------------------------------------------------------------------------------
def is_full(ctx) -> bool:
    return ctx.principal.attrs["access"] == "full"


def me(ctx) -> int:
    return ctx.principal.attrs["staff_id"]


def authorize(ctx, requirement: str) -> None:
    """The spec's `x-sandbox-access: full` (overview "Access to data"): a limited agent cannot
    do what needs full access (403)."""
    if requirement != "full":
        raise ValueError(f"unknown access requirement {requirement!r}")
    if not is_full(ctx):
        action = ctx.operation.spec.get("summary", ctx.operation.operation_id)
        raise SandboxError(403, "staff_has_not_access",
                           f"{action!r} needs an agent with full access")


def can_see_case(ctx, case: dict) -> bool:
    """A limited agent sees the cases of its groups and the cases assigned to it."""
    return is_full(ctx) or case["group_id"] in ctx.principal.attrs["groups"] \
        or case["staff_id"] == me(ctx)


# -- records --------------------------------------------------------------------------------
NOT_FOUND = {"cases": "case_not_found", "users": "user_not_found", "staff": "staff_not_found",
             "groups": "group_not_found", "companies": "company_not_found",
             "labels": "label_not_found", "messages": "message_not_found"}


def find(ctx, collection: str, record_id) -> dict:
    record = ctx.store.get(V, ctx.tenant, collection, record_id)
    if record is None:
        label = collection.rstrip("s") if collection != "staff" else "agent"
        raise SandboxError(404, NOT_FOUND[collection], f"{label} {record_id} was not found")
    return record


def find_case(ctx, ref, *, for_change: bool = False) -> dict:
    """A case by id or (message URLs) by case_number; refused if the agent may not see it."""
    text = str(ref)
    if "-" in text:
        case = next((c for c in ctx.store.all(V, ctx.tenant, "cases")
                     if c["case_number"] == text), None)
        if case is None:
            raise SandboxError(404, "case_not_found", f"case {text} was not found")
    else:
        case = find(ctx, "cases", int(text))
    if not can_see_case(ctx, case):
        raise SandboxError(403, "staff_has_not_access",
                           f"the agent has no access to case {case['case_id']}")
    return case


def save(ctx, collection: str, record_id, record: dict) -> dict:
    ctx.store.put(V, ctx.tenant, collection, record_id, record)
    return record


def next_id(ctx, collection: str) -> int:
    return ctx.store.next_id(V, ctx.tenant, collection)


def create(ctx, collection: str, build) -> dict:
    """A new record: `build(new_id)` makes it (a records constructor), and it is saved."""
    record_id = next_id(ctx, collection)
    return save(ctx, collection, record_id, build(record_id))


def now_ts(ctx) -> int:
    return int(ctx.clock.timestamp())


def log_change(ctx, case_id: int, event: str, old, new, by: str | None = None) -> None:
    """A changelog entry (vendor-notes §4.8), recorded as the authenticating agent."""
    entry_id = next_id(ctx, "changelog")
    save(ctx, "changelog", entry_id, records.changelog(
        entry_id, case_id=case_id, created_at=now_ts(ctx), event=event,
        done_by=by or f"staff_{me(ctx)}", old_value=old, value=str(new)))


def attachments(ctx, files: list[tuple]) -> list[dict]:
    """The attachment records of checked uploads (file_name, size, mime), each with a new id."""
    return [records.attachment(next_id(ctx, "files"), ctx.tenant, file_name=file_name,
                               file_size=size, mime_type=mime) for file_name, size, mime in files]


def custom_field_values(given: dict | None) -> dict:
    """Custom field values as stored: text and checkbox values as sent, anything else as text."""
    return {k: v if isinstance(v, (str, bool)) else str(v) for k, v in (given or {}).items()}


def default_language(ctx) -> int:
    return account(ctx.store, ctx.tenant)["default_language_id"]


def customer_for_case(ctx, body: dict) -> dict:
    """§4.2: the customer of a new case by user_email, user_phone or user_custom_id; an unknown
    one is built here (with a new id) and saved by the caller with the case."""
    users = ctx.store.all(V, ctx.tenant, "users")
    email, phone = body.get("user_email"), body.get("user_phone")
    if email is not None:
        if not valid_email(email):
            raise SandboxError(400, "incorrect_user_email", f"{email!r} is not an e-mail address")
        match = next((u for u in users
                      if (u.get("user_email") or "").casefold() == email.casefold()), None)
        kind, identity = "email", {"user_email": email}
    elif phone is not None:
        match = next((u for u in users if u.get("user_phone") == phone), None)
        kind, identity = "phone", {"user_phone": phone}
    else:
        channel, custom = body.get("channel") or "", body.get("user_custom_id")
        if not channel.startswith("cch"):
            raise SandboxError(400, "validation_error",
                               "user_custom_id needs a custom channel (channel: cchN)")
        match = next((u for u in users if u.get("user_custom_id") == custom
                      and u.get("user_custom_channel") == channel), None)
        kind, identity = "custom", {"user_custom_id": custom, "user_custom_channel": channel}
    if match is not None:
        return match
    return records.user(next_id(ctx, "users"), type=kind, **identity,
                        user_full_name=body.get("user_full_name", ""), created_at=now_ts(ctx),
                        language_id=body.get("language_id") or default_language(ctx))


def customer_blocked(ctx, user: dict) -> bool:
    """§6.2, §9: a blocked user, or a user of a blocked company: their new cases go to spam."""
    company = user.get("company_id") and ctx.store.get(V, ctx.tenant, "companies",
                                                       user["company_id"])
    return not user["active"] or bool(company and not company["active"])


def upsert_rating(ctx, case: dict, message_id: int, rating: str, comment: str,
                  rated_staff_id: int) -> None:
    """A rating of the case (message_id 0) or of a reply also becomes, or replaces, a
    stats_satisfaction row (reports page)."""
    existing = next((r for r in ctx.store.all(V, ctx.tenant, "ratings")
                     if r["case_id"] == case["case_id"] and r.get("message_id", 0) == message_id),
                    None)
    now = now_ts(ctx)
    rating_id = existing["rating_id"] if existing else next_id(ctx, "ratings")
    save(ctx, "ratings", rating_id, records.rating(
        rating_id, rating=records.RATING_CODES[rating], case=case, rating_comment=comment,
        rated_staff_id=rated_staff_id, message_id=message_id,
        created_at=existing["created_at"] if existing else now, updated_at=now))


# -- cascades -------------------------------------------------------------------------------
# What a change to one record does to others. Each checks all it refuses before its first write.
def hand_over(ctx, kind: str, old: dict, statuses, replace) -> None:
    """§7.2 / §8: `replace` (replace_staff_id / replace_group_id) takes over the cases of the
    agent or group (kind "staff" / "group") that is disabled (open and waiting cases, `statuses`)
    or deleted (all, None), and for a group the companies that default to it. Required only
    when something must move, and then another active agent or group."""
    field = f"{kind}_id"
    old_id = old[field]
    cases = [c for c in ctx.store.all(V, ctx.tenant, "cases")
             if c[field] == old_id and (statuses is None or c["status"] in statuses)]
    companies = [c for c in ctx.store.all(V, ctx.tenant, "companies")
                 if c["company_default_group"] == old_id] if kind == "group" else []
    if not (cases or companies) and not replace:
        return
    label = "agent" if kind == "staff" else "group"
    if not replace:
        raise SandboxError(400, f"replace_{field}_required",
                           f"{label} {old_id} still has cases"
                           f"{' or companies' if kind == 'group' else ''}: "
                           f"give {kind}.replace_{field}")
    other = ctx.store.get(V, ctx.tenant, "staff" if kind == "staff" else "groups", replace)
    if other is None or not other["active"] or replace == old_id:
        raise SandboxError(400, f"wrong_replace_{field}",
                           f"replace_{field} must be another active {label}")
    for case in cases:
        save(ctx, "cases", case["case_id"], {**case, field: replace, "updated_at": now_ts(ctx)})
        log_change(ctx, case["case_id"], kind, old_id, replace)
    for company in companies:
        save(ctx, "companies", company["company_id"],
             {**company, "company_default_group": replace})


def delete_case(ctx, case_id: int) -> None:
    """A case goes with its messages, changelog and ratings."""
    ctx.store.delete(V, ctx.tenant, "cases", case_id)
    for collection, key in (("messages", "message_id"), ("changelog", "id"),
                            ("ratings", "rating_id")):
        for record in [r for r in ctx.store.all(V, ctx.tenant, collection)
                       if r["case_id"] == case_id]:
            ctx.store.delete(V, ctx.tenant, collection, record[key])


def message_added(ctx, case: dict, msg: dict) -> None:
    """§5.2: an agent's reply sets the case waiting and counts as a response; a customer's
    message reopens it and is the customer's last contact. The case is saved."""
    staff_id, created = msg["staff_id"], msg["created_at"]
    new_status = "waiting" if staff_id else "open"
    if case["status"] != new_status:
        log_change(ctx, case["case_id"], "status", case["status"], new_status,
                   by=f"staff_{me(ctx)}")
        case["status"], case["closed_at"] = new_status, None
    if staff_id:
        case["last_response_at"] = created
        case["first_response_at"] = case.get("first_response_at") or created
    else:
        contacted(ctx, ctx.store.get(V, ctx.tenant, "users", msg["user_id"]), created)
    case["updated_at"] = max(case["updated_at"], now_ts(ctx))
    save(ctx, "cases", case["case_id"], case)


def contacted(ctx, user: dict, at: int) -> None:
    """The customer wrote at `at` (a new case or a message): their last_contact_at."""
    save(ctx, "users", user["user_id"], {**user, "last_contact_at": at})


def link_users(ctx, user: dict, other: dict) -> None:
    """§6.2: linking is mutual; both users are saved."""
    for a, b in ((user, other), (other, user)):
        if b["user_id"] not in a["linked_users"]:
            a["linked_users"] = [*a["linked_users"], b["user_id"]]
        a["updated_at"] = now_ts(ctx)
        save(ctx, "users", a["user_id"], a)


def unlink_users(ctx, user: dict, other_id: int) -> None:
    """Unlinking is mutual too; the other user may be gone already."""
    user["linked_users"] = [i for i in user["linked_users"] if i != other_id]
    save(ctx, "users", user["user_id"], user)
    other = ctx.store.get(V, ctx.tenant, "users", other_id)
    if other is not None:
        other["linked_users"] = [i for i in other["linked_users"] if i != user["user_id"]]
        save(ctx, "users", other_id, other)


def user_deleted(ctx, user_id: int) -> None:
    """A deleted user is no longer linked to anyone."""
    for other in ctx.store.all(V, ctx.tenant, "users"):
        if user_id in other.get("linked_users", []):
            save(ctx, "users", other["user_id"], {**other, "linked_users": [
                i for i in other["linked_users"] if i != user_id]})


def label_deleted(ctx, label_id: int) -> None:
    """A deleted label leaves every case's labels and locked labels."""
    for case in ctx.store.all(V, ctx.tenant, "cases"):
        if label_id in case["labels"] or label_id in case["locked_labels"]:
            save(ctx, "cases", case["case_id"], {
                **case, "labels": [i for i in case["labels"] if i != label_id],
                "locked_labels": [i for i in case["locked_labels"] if i != label_id]})


def check_users(ctx, user_ids: list[int]) -> None:
    for user_id in user_ids:
        if ctx.store.get(V, ctx.tenant, "users", user_id) is None:
            raise SandboxError(400, "user_not_found", f"user {user_id} does not exist")


def move_members(ctx, company: dict, add: list[int], remove: list[int]) -> None:
    """§9: users (already checked by check_users) join or leave the company; a user who is in
    another company leaves it by joining, one not in this company is left as is."""
    for user_id in add:
        user = ctx.store.get(V, ctx.tenant, "users", user_id)
        save(ctx, "users", user_id, {**user, "company_id": company["company_id"],
                                     "company_name": company["company_name"]})
    for user_id in remove:
        user = ctx.store.get(V, ctx.tenant, "users", user_id)
        if user.get("company_id") == company["company_id"]:
            save(ctx, "users", user_id, {**user, "company_id": 0, "company_name": ""})


# -- both names --------------------------------------------------------------------------------
# Deskie's field -> Omnidesk's name of the same field (vendor-notes §12): answered under both,
# accepted under either.
ALIASES = {"recipient_cc": "cc_emails", "recipient_bcc": "bcc_emails"}


def aliased(body: dict) -> dict:
    """The aliased fields a write body gives, under Deskie's names (Deskie's wins if both)."""
    return {name: body[name] if name in body else body[other]
            for name, other in ALIASES.items() if name in body or other in body}


# -- dates ----------------------------------------------------------------------------------
def zone(ctx) -> ZoneInfo:
    return ZoneInfo(ctx.store.peek(V, ctx.tenant, "account", ctx.tenant).get("timezone", "UTC"))


def rfc2822(ts, tz) -> str:
    """Vendor-notes §1: `Mon, 05 May 2014 00:15:17 +0300` in the account's zone; `-` if unset."""
    if ts is None:
        return "-"
    return datetime.fromtimestamp(ts, tz).strftime("%a, %d %b %Y %H:%M:%S %z")


_TIME = re.compile(
    r"^(?:(?P<epoch>\d{1,10})|(?P<iso>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"|(?P<dd>\d{2})\.(?P<mm>\d{2})\.(?P<yyyy>\d{4}))"
    r"(?:[ T](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
    r"(?: (?P<sign>[+-]| ?)(?P<off>\d{4}))?$")


def parse_time(text: str, tz, *, end_of_day: bool = False) -> tuple[int, bool]:
    """(Unix seconds, date_only) for the request time formats of vendor-notes §1 and the reports
    page: a timestamp, `YYYY-MM-DD[ HH:MM[:SS]][ ±HHMM]` or `DD.MM.YYYY[ ...]`. A value without
    an offset is read in the account's zone. A date-only upper bound is the end of that day."""
    m = _TIME.match(text.strip())
    if m is None:
        raise SandboxError(400, "wrong_date", f"cannot read the time {text!r}")
    if m["epoch"]:
        return int(m["epoch"]), False
    if m["iso"]:
        year, month, day = int(m["iso"]), int(m["m"]), int(m["d"])
        if month > 12 and day <= 12:  # the page's own sample `2021-31-01` is YYYY-DD-MM
            month, day = day, month
    else:
        year, month, day = int(m["yyyy"]), int(m["mm"]), int(m["dd"])
    date_only = m["H"] is None
    hour, minute, second = (int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0))
    try:
        zone_ = tz
        if m["off"]:
            sign = -1 if m["sign"] == "-" else 1
            minutes = int(m["off"][:2]) * 60 + int(m["off"][2:])
            zone_ = timezone(sign * timedelta(minutes=minutes))
        moment = datetime(year, month, day, hour, minute, second, tzinfo=zone_)
        if date_only and end_of_day:
            moment = moment + timedelta(days=1, seconds=-1)
        return int(moment.timestamp()), date_only
    except (ValueError, OverflowError, OSError):
        raise SandboxError(400, "wrong_date", f"cannot read the time {text!r}") from None


def time_bounds(ctx, lower: str, upper: str) -> tuple[int | None, int | None]:
    tz = zone(ctx)
    lo = ctx.query.get(lower)
    hi = ctx.query.get(upper)
    return (parse_time(lo, tz)[0] if lo else None,
            parse_time(hi, tz, end_of_day=True)[0] if hi else None)


def within(value, lo, hi) -> bool:
    if lo is None and hi is None:
        return True
    if value is None:
        return False
    return (lo is None or value >= lo) and (hi is None or value <= hi)


# -- channels -------------------------------------------------------------------------------
def channel_groups(ctx) -> dict[str, set[str]]:
    """The spec's ChannelFilter note: which channels the sync/async/messengers groups cover."""
    custom = ctx.store.all(V, ctx.tenant, "custom_channels")
    sync = {"live_chat"} | {c["channel_api_key"] for c in custom if c["channel_type"] == "sync"}
    asynchronous = {"email", "web", "call"} | {c["channel_api_key"] for c in custom
                                               if c["channel_type"] == "async"}
    return {"sync": sync, "async": asynchronous, "messengers": {"telegram", "wa_chat"},
            "social": set(), "idea": set()}


def channel_set(ctx, wanted) -> set[str]:
    groups = channel_groups(ctx)
    out: set[str] = set()
    for value in wanted:
        out |= groups.get(value, {value})
    return out


def custom_field_match(record_fields: dict, wanted: dict, definitions: dict) -> bool:
    """`custom_fields[cf_N]=v`: text substring, checkbox true/false (or 1/0), select option key."""
    for key, value in wanted.items():
        have = record_fields.get(key)
        kind = definitions.get(key, "text")
        if kind == "checkbox":
            if bool(have) != (str(value).lower() in ("1", "true")):
                return False
        elif kind == "select":
            if str(have) != str(value):
                return False
        elif have is None or str(value).casefold() not in str(have).casefold():
            return False
    return True


_CF = re.compile(r"^custom_fields\[([^\]]*)\]$")


def custom_fields_query(ctx) -> dict[str, str]:
    """`custom_fields[cf_N]=value` from the raw query string (notes §1.1; see the spec's
    CustomFieldsFilter note for why it is not a declared parameter)."""
    from flask import request
    out = {}
    for name, value in request.args.items(multi=True):
        match = _CF.match(name)
        if match is None:
            continue
        if not re.fullmatch(r"cf_[0-9]+", match.group(1)):
            raise SandboxError(400, "validation_error",
                               f"custom field filter {name!r}: use custom_fields[cf_<id>]")
        out[match.group(1)] = value
    return out


def field_kinds(ctx) -> dict[str, str]:
    return {f"cf_{f['field_id']}": f["field_type"]
            for f in ctx.store.all(V, ctx.tenant, "custom_fields")}


def valid_email(text: str) -> bool:
    return bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text or ""))
