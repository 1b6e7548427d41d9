"""Deskie views, one per operationId: read validated parameters, apply the domain rules in
models/reports, write through the store, render with schemas. Section references are to
shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

import hashlib
import mimetypes
from operator import itemgetter

from flask import request

from mockserver.core.errors import SandboxError
from mockserver.core.memo import maintained, remembered
from mockserver.core.pagination import envelope, paginate
from mockserver.core.rendering import RecordRenderer, encode_json
from mockserver.core.search import caret_matcher

from . import models, reports
from .models import V, find, find_case, me, next_id, now_ts, save
from .schemas import (case_out, changelog_out, company_out, group_out, label_out, message_out,
                      staff_out, user_out)

__all__ = [
    "list_cases", "create_case", "get_case", "edit_case", "delete_case",
    "trash_case", "trash_cases_bulk", "spam_case", "spam_cases_bulk", "restore_case",
    "restore_cases_bulk", "rate_case", "get_case_changelog", "list_case_messages",
    "create_case_message", "edit_case_message", "delete_case_message", "rate_case_message",
    "create_case_note", "create_case_note_legacy", "edit_case_note", "delete_case_note",
    "create_user", "list_users", "get_user", "edit_user", "delete_user", "block_user",
    "disable_user", "restore_user", "link_user", "unlink_user", "identify_user",
    "create_staff", "list_staff", "get_staff", "edit_staff", "delete_staff", "disable_staff",
    "enable_staff", "list_staff_roles", "list_staff_statuses", "create_group", "list_groups",
    "get_group", "edit_group", "delete_group", "disable_group", "enable_group",
    "create_company", "list_companies", "get_company", "edit_company", "delete_company",
    "block_company", "disable_company", "restore_company", "create_label", "list_labels",
    "get_label", "edit_label", "delete_label", "list_custom_fields", "list_languages",
    "list_filters", "list_custom_channels", "list_client_emails", "list_macros",
    "stats_leaderboard", "stats_staff_statuses", "stats_satisfaction",
]

MAX_FILE, MAX_REQUEST = 25 * 1024 * 1024, 50 * 1024 * 1024  # §1: 25 MB per file, 50 MB total
MAX_BULK = 10                                               # §4.6: up to 10 ids
PRIORITY_ORDER = {"low": 0, "normal": 1, "high": 2, "critical": 3}
STATUS_ORDER = {"open": 0, "waiting": 1, "closed": 2}
EMPTY: list = []  # §4.6 / §7.2: deletions answer an empty body, sent as []


# -- helpers --------------------------------------------------------------------------------
def _page(ctx, rows: list, item_key: str | None):
    """§1.2–1.3: keyed envelope of one page; page/limit already validated (limit 1–100)."""
    page = paginate(rows, ctx.query.get("page", 1), ctx.query.get("limit", 100))
    return envelope(ctx.operation.pagination, page, list(page.items), item_key)


_case_rendering = RecordRenderer(case_out)


def _all(ctx, collection: str) -> list[dict]:
    return ctx.store.all(V, ctx.tenant, collection)


def _by_id(ctx, collection: str, key: str) -> list[dict]:
    return sorted(_all(ctx, collection), key=itemgetter(key))


def _tz(ctx):
    return models.zone(ctx)


def _matcher(ctx, name: str, raw: str):
    """§1 search: `^x^`, `^x`, `x^`, contains; the documented minimum counts the text only."""
    minimum = _min_length(ctx, name)
    try:
        return caret_matcher(raw, minimum)
    except ValueError as exc:
        raise SandboxError(400, "validation_error", f"{name}: {exc}") from None


def _min_length(ctx, name: str) -> int:
    for param in ctx.operation.spec.get("parameters", []):
        if param.get("name") == name:
            schema = param.get("schema", {})
            schema = schema.get("items", schema)
            return int(schema.get("minLength", 0))
    return 0


def _any(matchers, value) -> bool:
    return any(m(value) for m in matchers)


def _uploads(ctx, root: str) -> list[tuple]:
    """Multipart files (`case[attachments][1]`): 25 MB each, 50 MB per request (§1), as
    (file_name, size, mime) once checked; JSON `attachment_urls` become files of size 0."""
    out, total = [], 0
    files = ctx.uploads.items(multi=True) if ctx.uploads is not None else []
    for name, storage in files:
        if not name.startswith(f"{root}[attachments]"):
            continue
        storage.stream.seek(0, 2)
        size = storage.stream.tell()
        total += size
        if size > MAX_FILE:
            raise SandboxError(400, "attachment_too_large",
                               f"{storage.filename} is larger than 25 MB")
        if total > MAX_REQUEST:
            raise SandboxError(400, "attachment_too_large",
                               "the attachments of one request exceed 50 MB")
        out.append((storage.filename or "file", size, storage.mimetype or
                    "application/octet-stream"))
    body = (ctx.body or {}).get(root) or {}
    for url in body.get("attachment_urls") or []:
        file_name = url.rstrip("/").rsplit("/", 1)[-1] or "file"
        out.append((file_name, 0, mimetypes.guess_type(file_name)[0] or "application/octet-stream"))
    return out


def _attachments(ctx, files: list[tuple]) -> list[dict]:
    """The attachment metadata of checked uploads, each with a new file id."""
    attachments = []
    for file_name, size, mime in files:
        file_id = next_id(ctx, "files")
        attachments.append({"file_id": file_id, "file_name": file_name, "file_size": size,
                            "mime_type": mime,
                            "url": f"https://{ctx.tenant}.deskie.io/attachments/{file_id}/{file_name}"})
    return attachments


def _staff_check(ctx, staff_id: int, group_id: int) -> None:
    """§4.5: the assignee must be an active agent who can work in the case's group."""
    if not staff_id:
        return
    agent = ctx.store.get(V, ctx.tenant, "staff", staff_id)
    if agent is None:
        raise SandboxError(400, "staff_not_found", f"agent {staff_id} does not exist")
    if not agent["active"]:
        raise SandboxError(400, "staff_not_active", f"agent {staff_id} is deactivated")
    if agent["access"] != "full" and group_id not in agent.get("groups", []):
        raise SandboxError(400, "staff_has_not_access",
                           f"agent {staff_id} has no access to group {group_id}")


def _group_check(ctx, group_id: int) -> None:
    if group_id and ctx.store.get(V, ctx.tenant, "groups", group_id) is None:
        raise SandboxError(400, "group_not_found", f"group {group_id} does not exist")


def _change(ctx, collection: str, id_param: str, change) -> dict:
    """The record the path names, changed in place by `change` and saved, in one transaction."""
    record = find(ctx, collection, ctx.params[id_param])
    change(record)
    save(ctx, collection, record[id_param], record)
    return record


def _set_flags(ctx, collection: str, id_param: str, *, before=None, **flags) -> dict:
    """enable / disable / block / restore (§6.2, §7.2, §8, §9): `flags` plus updated_at;
    `before` runs first on the record. Who may: the spec's x-sandbox-access."""

    def change(record):
        if before is not None:
            before(record)
        record.update(flags, updated_at=now_ts(ctx))
    return _change(ctx, collection, id_param, change)


def _delete(ctx, collection: str, id_param: str, *, before=None, after=None) -> dict:
    """DELETE of the record the path names: `before` runs on it first (hand-overs, §7.2 / §8),
    `after` once it is gone (references to it, §6.2 / §10)."""
    record = find(ctx, collection, ctx.params[id_param])
    if before is not None:
        before(record)
    ctx.store.delete(V, ctx.tenant, collection, record[id_param])
    if after is not None:
        after(record)
    return record


def _copy_fields(record: dict, body: dict, keys: tuple[str, ...]) -> None:
    """Partial edits: only the keys the body gives replace the record's values."""
    for key in keys:
        if key in body:
            record[key] = body[key]


def _known_labels(ctx, ids) -> list[int]:
    known = {lab["label_id"] for lab in _all(ctx, "labels")}
    return [i for i in ids if i in known]


def _render_case(ctx, case, **kw):
    return {"case": case_out(case, _tz(ctx), **kw)}


# -- cases ----------------------------------------------------------------------------------
def _case_filter_from_saved(ctx, filter_id: int) -> dict:
    record = ctx.store.get(V, ctx.tenant, "filters", filter_id)
    if record is None or record.get("owner_staff_id") not in (0, me(ctx)):
        raise SandboxError(400, "wrong_filter", f"filter {filter_id} does not exist")
    return record["criteria"]


def list_cases(ctx):
    """§4.3. Trash and spam only through their filters; merged cases with show_merged_cases."""
    # The same list asked again over unchanged data is the same bytes (core.memo); another
    # page of it reuses the filtered, sorted cases.
    page = (_caller(ctx), _filters_given(), ctx.query["page"], ctx.query["limit"])
    return remembered(ctx, "case_pages", models.case_list_reads(ctx.query), page,
                      lambda: encode_json(_case_page(ctx)), size=64)


def _case_page(ctx) -> dict:
    q = ctx.query
    rows = _matching_cases(ctx, q)
    page = paginate(rows, q["page"], q["limit"])
    tz = _tz(ctx)
    first_response = q.get("show_first_response_time", False)
    return envelope(ctx.operation.pagination, page,
                    [_case_rendering.one(c, tz, first_response) for c in page.items], "case")


def _caller(ctx) -> tuple:
    attrs = ctx.principal.attrs
    return attrs["staff_id"], attrs["access"], tuple(attrs["groups"])


def _filters_given() -> tuple:
    """The query as sent, but for paging (filters are also read raw: custom_fields[cf_N])."""
    return tuple((k, v) for k, v in request.args.items(multi=True) if k not in ("page", "limit"))


def _matching_cases(ctx, q) -> list[dict]:
    """The cases the filters select, in the requested order: kept across writes (core.memo
    `maintained`), so a list after a write re-checks only the cases that changed."""
    checks = _case_checks(ctx, q)
    sort = q.get("sort", "created_at_desc")
    rows = maintained(ctx, "case_lists", "cases", models.case_list_reads(q)[1:],
                      (_caller(ctx), _filters_given()),
                      lambda case: all(check(case) for check in checks), _sort_key(sort))
    return rows[::-1] if sort.endswith("_desc") else rows


def _case_checks(ctx, q) -> list:
    """The tests a case must pass to be listed: only those of the filters given, built once per
    request and applied one after the other, the most selective (the query's) first."""
    criteria = _case_filter_from_saved(ctx, q["filter"]) if q.get("filter") is not None else {}
    checks = []
    for source in (q, criteria):
        for field in ("status", "user_id", "staff_id", "group_id", "priority"):
            if source is q or field == "status":
                _one_of(checks, field, source.get(field))
        if source.get("labels"):
            labels = set(source["labels"])
            checks.append(lambda c, labels=labels: not labels.isdisjoint(c["labels"]))
    deleted, spam = bool(criteria.get("deleted")), bool(criteria.get("spam"))
    checks.append(lambda c: c["deleted"] == deleted and c["spam"] == spam)
    if not q.get("show_merged_cases"):
        checks.append(lambda c: not c.get("parent_case_id"))
    if not models.is_full(ctx):
        checks.append(lambda c: models.can_see_case(ctx, c))
    want_staff = criteria.get("staff_id")
    if want_staff is not None:
        want_staff = [me(ctx)] if want_staff == "me" else want_staff
        checks.append(lambda c: c["staff_id"] in want_staff)
    if q.get("channel"):
        _one_of(checks, "channel", models.channel_set(ctx, q["channel"]))
    if q.get("subject"):
        subject = _matchers(ctx, q, "subject")
        checks.append(lambda c: _any(subject, c["subject"]))
    _user_checks(ctx, q, checks)
    wanted_fields = models.custom_fields_query(ctx)
    if wanted_fields:
        kinds = models.field_kinds(ctx)
        checks.append(lambda c: models.custom_field_match(c["custom_fields"], wanted_fields,
                                                          kinds))
    for field, (lo, hi) in (("created_at", models.time_bounds(ctx, "from_time", "to_time")),
                            ("updated_at", models.time_bounds(ctx, "from_updated_time",
                                                              "to_updated_time"))):
        if lo is not None or hi is not None:
            checks.append(lambda c, f=field, lo=lo, hi=hi: models.within(c[f], lo, hi))
    return checks


def _one_of(checks: list, field: str, allowed) -> None:
    if allowed:
        allowed = set(allowed)
        checks.append(lambda c: c[field] in allowed)


def _matchers(ctx, q, name: str) -> list:
    return [_matcher(ctx, name, v) for v in (q[name] if isinstance(q[name], list) else [q[name]])]


def _user_checks(ctx, q, checks: list) -> None:
    """Filters on the case's end user (§4.3): e-mail and phone with the search operators,
    custom id exactly."""
    names = [n for n in ("user_email", "user_phone") if q.get(n)]
    if not names and not q.get("user_custom_id"):
        return
    users = {u["user_id"]: u for u in _all(ctx, "users")}
    for name in names:
        found = _matchers(ctx, q, name)
        checks.append(lambda c, n=name, m=found: _any(m, users.get(c["user_id"], {}).get(n)))
    if q.get("user_custom_id"):
        ids = set(q["user_custom_id"])
        checks.append(lambda c: users.get(c["user_id"], {}).get("user_custom_id") in ids)


def _sort_key(sort: str):
    field = sort.rsplit("_", 1)[0]
    if field == "response":
        # never-answered cases sort last in both directions
        desc = sort.endswith("_desc")
        return lambda c: ((c.get("last_response_at") is not None) if desc else
                          (c.get("last_response_at") is None),
                          c.get("last_response_at") or 0, c["case_id"])
    if field == "priority":
        return lambda c: (PRIORITY_ORDER[c["priority"]], c["case_id"])
    if field == "status":
        return lambda c: (STATUS_ORDER[c["status"]], c["case_id"])
    return itemgetter(field, "case_id")


def _find_or_create_user(ctx, body: dict) -> dict:
    """§4.2: the customer by user_email, user_phone or user_custom_id; an unknown one is built
    here and saved by the caller with the case (nothing is written here)."""
    users = _all(ctx, "users")
    email, phone, custom = body.get("user_email"), body.get("user_phone"), body.get("user_custom_id")
    if email is not None:
        if not models.valid_email(email):
            raise SandboxError(400, "incorrect_user_email", f"{email!r} is not an e-mail address")
        match = next((u for u in users if (u.get("user_email") or "").casefold() == email.casefold()), None)
        kind, fields = "email", {"user_email": email}
    elif phone is not None:
        match = next((u for u in users if u.get("user_phone") == phone), None)
        kind, fields = "phone", {"user_phone": phone}
    else:
        channel = body.get("channel") or ""
        if not channel.startswith("cch"):
            raise SandboxError(400, "validation_error",
                               "user_custom_id needs a custom channel (channel: cchN)")
        match = next((u for u in users if u.get("user_custom_id") == custom
                      and u.get("user_custom_channel") == channel), None)
        kind, fields = "custom", {"user_custom_id": custom, "user_custom_channel": channel}
    if match is not None:
        return match
    now = now_ts(ctx)
    user_id = next_id(ctx, "users")
    user = {"user_id": user_id, "type": kind, **fields,
            "user_full_name": body.get("user_full_name", ""), "company_id": 0,
            "company_name": "", "company_position": "", "thumbnail": "", "confirmed": False,
            "active": True, "deleted": False, "created_at": now, "updated_at": now,
            "last_contact_at": None, "language_id": body.get("language_id") or
            models.account(ctx.store, ctx.tenant)["default_language_id"], "custom_fields": {},
            "linked_users": [], "user_note": ""}
    return user


def create_case(ctx):
    body = ctx.body["case"]
    group_id = body.get("group_id", 0)
    _group_check(ctx, group_id)
    _staff_check(ctx, body.get("staff_id", 0), group_id)
    files = _uploads(ctx, "case")
    now = now_ts(ctx)
    created = models.parse_time(body["created_at"], _tz(ctx))[0] if body.get("created_at") else now
    user = _find_or_create_user(ctx, body)
    attachments = _attachments(ctx, files)
    channel = body.get("channel") or {"email": "email", "phone": "call"}.get(user["type"], "web")
    case_id = next_id(ctx, "cases")
    rnd = ctx.runtime.randomness().stream(V, ctx.tenant, "case_number", case_id)
    case = {"case_id": case_id,
            "case_number": f"{rnd.randint(100, 999)}-{rnd.randint(100000, 999999)}",
            "subject": body["subject"], "user_id": user["user_id"],
            "staff_id": body.get("staff_id", 0), "group_id": group_id, "status": "open",
            "priority": body.get("priority", "normal"), "channel": channel,
            "recipient": "", "recipient_cc": "", "recipient_bcc": "", **models.aliased(body),
            "deleted": False,
            "spam": False, "created_at": created, "updated_at": max(created, now),
            "closed_at": None, "last_response_at": None, "first_response_at": None,
            "parent_case_id": 0, "language_id": body.get("language_id") or user.get("language_id") or 0,
            "custom_fields": {k: v if isinstance(v, (str, bool)) else str(v)
                              for k, v in (body.get("custom_fields") or {}).items()},
            "labels": _known_labels(ctx, body.get("labels") or []), "locked_labels": []}
    save(ctx, "cases", case_id, case)
    message_id = next_id(ctx, "messages")
    save(ctx, "messages", message_id, {
        "message_id": message_id, "case_id": case_id, "user_id": user["user_id"],
        "staff_id": 0, "content": body.get("content", ""),
        "content_html": body.get("content_html", ""), "attachments": attachments,
        "note": False, "sent_via_rule": False, "created_at": created, "sent_at": created})
    save(ctx, "users", user["user_id"], {**user, "last_contact_at": created})
    return _render_case(ctx, case)


def get_case(ctx):
    return _render_case(ctx, find_case(ctx, ctx.params["case_id"]), first_response=True)


def edit_case(ctx):
    """§4.5: partial edit; labels replace, add_labels / delete_labels (remove_labels) adjust."""
    body = ctx.body["case"]
    case = find_case(ctx, ctx.params["case_id"])
    before = dict(case)
    group_id = body.get("group_id", case["group_id"])
    _group_check(ctx, group_id)
    if "staff_id" in body or "group_id" in body:
        _staff_check(ctx, body.get("staff_id", case["staff_id"]), group_id)
    for key in ("subject", "staff_id", "group_id", "priority", "language_id"):
        if key in body:
            case[key] = body[key]
    case.update(models.aliased(body))
    if "status" in body and body["status"] != case["status"]:
        case["status"] = body["status"]
        case["closed_at"] = now_ts(ctx) if body["status"] == "closed" else None
    if "custom_fields" in body:
        case["custom_fields"] = {**case["custom_fields"], **{
            k: v if isinstance(v, (str, bool)) else str(v)
            for k, v in body["custom_fields"].items()}}
    labels = list(body["labels"]) if "labels" in body else list(case["labels"])
    labels += [i for i in body.get("add_labels") or [] if i not in labels]
    removed = set(body.get("delete_labels") or []) | set(body.get("remove_labels") or [])
    case["labels"] = _known_labels(ctx, [i for i in labels if i not in removed])
    for event in ("staff", "status", "subject", "group", "priority", "labels", "custom_fields"):
        key = {"staff": "staff_id", "group": "group_id"}.get(event, event)
        if before[key] != case[key]:
            fmt = (lambda v: ",".join(map(str, v))) if event == "labels" else (
                lambda v: ",".join(f"{k}={x}" for k, x in sorted(v.items()))
                if isinstance(v, dict) else str(v))
            models.log_change(ctx, case["case_id"], event, fmt(before[key]), fmt(case[key]))
    case["updated_at"] = now_ts(ctx)
    save(ctx, "cases", case["case_id"], case)
    return _render_case(ctx, case)


def _bulk_ids(ctx) -> list[int]:
    raw = ",".join(str(ctx.params[k]) for k in ("case_ids", "more_case_ids", "case_id")
                   if k in ctx.params)
    ids = [int(x) for x in raw.split(",") if x]
    if len(ids) > MAX_BULK:
        raise SandboxError(400, "too_many_ids", f"at most {MAX_BULK} case ids per request")
    return ids


def _bulk(ctx, change) -> list[int]:
    """§4.6 bulk: ids the agent may change, in the order given; 404 when none qualifies."""
    done = []
    for case_id in dict.fromkeys(_bulk_ids(ctx)):
        case = ctx.store.get(V, ctx.tenant, "cases", case_id)
        if case is None or not models.can_see_case(ctx, case):
            continue
        change(case)
        done.append(case_id)
    if not done:
        raise SandboxError(404, "case_not_found", "none of the cases was found")
    return done


def _flag(ctx, deleted=None, spam=None):
    def change(case):
        if deleted is not None:
            case["deleted"] = deleted
        if spam is not None:
            case["spam"] = spam
        case["updated_at"] = now_ts(ctx)
        save(ctx, "cases", case["case_id"], case)
    return change


def _single_or_bulk(ctx, change):
    ids = _bulk_ids(ctx)
    if len(ids) == 1:
        case = find_case(ctx, ids[0])
        change(case)
        return _render_case(ctx, case)
    return {"case_success_id": _bulk(ctx, change)}


def delete_case(ctx):
    ids = _bulk_ids(ctx)
    if len(ids) == 1:
        find_case(ctx, ids[0])
        _delete_case_records(ctx, ids[0])
        return EMPTY
    _bulk(ctx, lambda case: _delete_case_records(ctx, case["case_id"]))
    return EMPTY


def _delete_case_records(ctx, case_id: int) -> None:
    ctx.store.delete(V, ctx.tenant, "cases", case_id)
    for collection in ("messages", "changelog", "ratings"):
        key = {"messages": "message_id", "changelog": "id", "ratings": "rating_id"}[collection]
        for record in [r for r in _all(ctx, collection) if r["case_id"] == case_id]:
            ctx.store.delete(V, ctx.tenant, collection, record[key])


def trash_case(ctx):
    return _single_or_bulk(ctx, _flag(ctx, deleted=True))


def trash_cases_bulk(ctx):
    return {"case_success_id": _bulk(ctx, _flag(ctx, deleted=True))}


def spam_case(ctx):
    return _single_or_bulk(ctx, _flag(ctx, spam=True))


def spam_cases_bulk(ctx):
    return {"case_success_id": _bulk(ctx, _flag(ctx, spam=True))}


def restore_case(ctx):
    return _single_or_bulk(ctx, _flag(ctx, deleted=False, spam=False))


def restore_cases_bulk(ctx):
    return {"case_success_id": _bulk(ctx, _flag(ctx, deleted=False, spam=False))}


def _upsert_rating(ctx, case: dict, message_id: int, rating: str, comment: str,
                   rated_staff_id: int) -> None:
    """A rating also becomes a stats_satisfaction row (reports page)."""
    existing = next((r for r in _all(ctx, "ratings")
                     if r["case_id"] == case["case_id"] and r.get("message_id", 0) == message_id),
                    None)
    now = now_ts(ctx)
    rating_id = existing["rating_id"] if existing else next_id(ctx, "ratings")
    save(ctx, "ratings", rating_id, {
        "rating_id": rating_id, "rating": reports.RATING_CODES[rating], "rating_comment": comment,
        "rated_staff_id": rated_staff_id, "case_id": case["case_id"], "message_id": message_id,
        "staff_id": case["staff_id"], "group_id": case["group_id"], "user_id": case["user_id"],
        "created_at": existing["created_at"] if existing else now, "updated_at": now})


def rate_case(ctx):
    body = ctx.body["rate"]
    case = find_case(ctx, ctx.params["case_id"])
    case.update(rating=body["rating"], rating_comment=body.get("rating_comment", ""),
                rated_staff_id=body.get("rated_staff_id", 0), updated_at=now_ts(ctx))
    save(ctx, "cases", case["case_id"], case)
    _upsert_rating(ctx, case, 0, body["rating"], case["rating_comment"],
                   case["rated_staff_id"])
    return _render_case(ctx, case)


def get_case_changelog(ctx):
    """§4.8: `{"changelog": [...]}`, oldest first; the value filters keep matching events."""
    q = ctx.query
    case = find_case(ctx, ctx.params["case_id"])
    wanted = []
    if q.get("staff") is not None:
        wanted.append(lambda e: e["event"] == "staff" and e.get("value") == str(q["staff"]))
    if q.get("status"):
        wanted.append(lambda e: e["event"] == "status" and e.get("value") == q["status"])
    if q.get("subject"):
        wanted.append(lambda e: e["event"] == "subject"
                      and q["subject"].casefold() in e.get("value", "").casefold())
    if q.get("group") is not None:
        wanted.append(lambda e: e["event"] == "group" and e.get("value") == str(q["group"]))
    if q.get("priority"):
        wanted.append(lambda e: e["event"] == "priority" and e.get("value") == q["priority"])
    if q.get("labels"):
        wanted.append(lambda e: e["event"] == "labels" and any(
            str(i) in (e.get("value", "") + "," + e["old_value"]).split(",") for i in q["labels"]))
    if q.get("custom_fields"):
        wanted.append(lambda e: e["event"] == "custom_fields" and any(
            k in e.get("value", "") for k in q["custom_fields"]))
    if q.get("rules"):
        wanted.append(lambda e: e["done_by"] in {f"rule_{r}" for r in q["rules"]})
    for flag in ("chat_activation", "chat_completion", "fixed_chat_staff"):
        if q.get(f"show_{flag}" if flag != "fixed_chat_staff" else flag):
            wanted.append(lambda e, f=flag: e["event"] == f)
    hidden = {"chat_activation", "chat_completion", "fixed_chat_staff"}
    entries = sorted((e for e in _all(ctx, "changelog") if e["case_id"] == case["case_id"]),
                     key=lambda e: (e["created_at"], e["id"]))
    if wanted:
        entries = [e for e in entries if any(w(e) for w in wanted)]
    else:
        entries = [e for e in entries if e["event"] not in hidden]
    tz = _tz(ctx)
    return {"changelog": [changelog_out(e, tz) for e in entries]}


# -- messages and notes ---------------------------------------------------------------------
def _case_messages(ctx, case_id: int) -> list[dict]:
    return sorted((m for m in _all(ctx, "messages") if m["case_id"] == case_id),
                  key=lambda m: (m["created_at"], m["message_id"]))


def list_case_messages(ctx):
    """§5.2: oldest first by default; without page and limit, the last 100 messages."""
    case = find_case(ctx, ctx.params["case_id"])
    rows = _case_messages(ctx, case["case_id"])
    explicit = "page" in request.args or "limit" in request.args
    if not explicit and len(rows) > 100:
        rows = rows[-100:]
    if ctx.query.get("order") == "desc":
        rows = rows[::-1]
    tz = _tz(ctx)
    page = paginate(rows, ctx.query["page"], ctx.query["limit"])
    body = envelope(ctx.operation.pagination, page,
                    [message_out(m, tz) for m in page.items], "message")
    body["total_count"] = len(_case_messages(ctx, case["case_id"])) if not explicit else page.total
    return body


def create_case_message(ctx):
    """§5.2: an agent reply (default: the authenticating agent) or a customer message."""
    body = ctx.body["message"]
    case = find_case(ctx, ctx.params["case_id"])
    user_id, staff_id = body.get("user_id", 0), body.get("staff_id", 0)
    if user_id and ctx.store.get(V, ctx.tenant, "users", user_id) is None:
        raise SandboxError(400, "user_not_found", f"user {user_id} does not exist")
    if staff_id:
        agent = ctx.store.get(V, ctx.tenant, "staff", staff_id)
        if agent is None:
            raise SandboxError(400, "staff_not_found", f"agent {staff_id} does not exist")
        if not agent["active"]:
            raise SandboxError(400, "staff_not_active", f"agent {staff_id} is deactivated")
    if not user_id and not staff_id:
        staff_id = me(ctx)
    files = _uploads(ctx, "message")
    tz, now = _tz(ctx), now_ts(ctx)
    created = models.parse_time(body["created_at"], tz)[0] if body.get("created_at") else now
    sent = models.parse_time(body["send_at"], tz)[0] if body.get("send_at") else created
    attachments = _attachments(ctx, files)
    message_id = next_id(ctx, "messages")
    msg = {"message_id": message_id, "case_id": case["case_id"], "user_id": user_id,
           "staff_id": staff_id, "content": body.get("content", ""),
           "content_html": body.get("content_html", ""), "attachments": attachments,
           "note": False, "sent_via_rule": False, "created_at": created,
           "sent_at": max(sent, created)}
    save(ctx, "messages", message_id, msg)
    new_status = "waiting" if staff_id else "open"
    if case["status"] != new_status:
        models.log_change(ctx, case["case_id"], "status", case["status"], new_status,
                          by=f"staff_{me(ctx)}")
        case["status"], case["closed_at"] = new_status, None
    if staff_id:
        case["last_response_at"] = created
        case["first_response_at"] = case.get("first_response_at") or created
    else:
        user = ctx.store.get(V, ctx.tenant, "users", user_id)
        save(ctx, "users", user_id, {**user, "last_contact_at": created})
    case["updated_at"] = max(case["updated_at"], now)
    save(ctx, "cases", case["case_id"], case)
    return {"message": message_out(msg, tz)}


def _find_message(ctx, case: dict, note: bool) -> dict:
    msg = ctx.store.get(V, ctx.tenant, "messages", ctx.params["message_id"])
    if msg is None or msg["case_id"] != case["case_id"] or msg["note"] != note:
        raise SandboxError(404, "message_not_found",
                           f"{'note' if note else 'message'} {ctx.params['message_id']} was not "
                           f"found in case {case['case_id']}")
    return msg


def _edit_message(ctx, root: str, note: bool):
    body = ctx.body[root]
    case = find_case(ctx, ctx.params["case_id"])
    msg = _find_message(ctx, case, note)
    for key in ("content", "content_html"):
        if key in body:
            msg[key] = body[key]
    save(ctx, "messages", msg["message_id"], msg)
    return {"message": message_out(msg, _tz(ctx))}


def _delete_message(ctx, note: bool):
    case = find_case(ctx, ctx.params["case_id"])
    msg = _find_message(ctx, case, note)
    ctx.store.delete(V, ctx.tenant, "messages", msg["message_id"])
    return EMPTY


def edit_case_message(ctx):
    return _edit_message(ctx, "message", False)


def delete_case_message(ctx):
    return _delete_message(ctx, False)


def rate_case_message(ctx):
    body = ctx.body["rate"]
    case = find_case(ctx, ctx.params["case_id"])
    msg = _find_message(ctx, case, False)
    if not msg["staff_id"]:
        raise SandboxError(400, "validation_error", "only an agent's reply can be rated")
    msg.update(rating=body["rating"], rating_comment=body.get("rating_comment", ""),
               rated_staff_id=msg["staff_id"])
    save(ctx, "messages", msg["message_id"], msg)
    _upsert_rating(ctx, case, msg["message_id"], body["rating"], msg["rating_comment"],
                   msg["staff_id"])
    return {"message": message_out(msg, _tz(ctx))}


def create_case_note(ctx):
    """§5.2: a private note by the authenticating agent; the case status is unchanged."""
    body = ctx.body["note"]
    case = find_case(ctx, ctx.params["case_id"])
    attachments = _attachments(ctx, _uploads(ctx, "note"))
    now = now_ts(ctx)
    message_id = next_id(ctx, "messages")
    msg = {"message_id": message_id, "case_id": case["case_id"], "user_id": 0,
           "staff_id": me(ctx), "content": body.get("content", ""),
           "content_html": body.get("content_html", ""), "attachments": attachments,
           "note": True, "sent_via_rule": False, "created_at": now, "sent_at": now}
    save(ctx, "messages", message_id, msg)
    return {"message": message_out(msg, _tz(ctx))}


def create_case_note_legacy(ctx):
    return create_case_note(ctx)


def edit_case_note(ctx):
    return _edit_message(ctx, "note", True)


def delete_case_note(ctx):
    return _delete_message(ctx, True)


# -- users ----------------------------------------------------------------------------------
def _render_user(ctx, user, **kw):
    return {"user": user_out(user, _tz(ctx), **kw)}


def _check_identity_free(ctx, user_id: int, email=None, phone=None) -> None:
    for other in _all(ctx, "users"):
        if other["user_id"] == user_id:
            continue
        if email and (other.get("user_email") or "").casefold() == email.casefold():
            raise SandboxError(400, "email_already_exist", f"{email} belongs to another user")
        if phone and other.get("user_phone") == phone:
            raise SandboxError(400, "phone_already_exist", f"{phone} belongs to another user")


def create_user(ctx):
    """§6.2: one identity is required; a taken e-mail or phone is refused."""
    body = ctx.body["user"]
    email, phone = body.get("user_email"), body.get("user_phone")
    if email is not None and not models.valid_email(email):
        raise SandboxError(400, "wrong_email", f"{email!r} is not an e-mail address")
    _check_identity_free(ctx, 0, email, phone)
    now = now_ts(ctx)
    if email:
        kind, identity = "email", {"user_email": email}
    elif phone:
        kind, identity = "phone", {"user_phone": phone}
    elif body.get("user_whatsapp_phone"):
        kind, identity = "whatsapp", {"user_whatsapp_phone": body["user_whatsapp_phone"]}
    elif body.get("user_telegram_data"):
        kind, identity = "telegram", {"telegram_data": body["user_telegram_data"]}
    elif not body.get("user_custom_id") or not body.get("user_custom_channel"):
        raise SandboxError(400, "identity_required",
                           "give user_email, user_phone, user_whatsapp_phone, "
                           "user_telegram_data or user_custom_id with user_custom_channel")
    else:
        channel = body["user_custom_channel"]
        kind, identity = "custom", {"user_custom_id": body["user_custom_id"],
                                    "user_custom_channel": channel if channel.startswith(
                                        "cch") else f"cch{channel}"}
    user_id = next_id(ctx, "users")
    user = {"user_id": user_id, "type": kind, **identity,
            "user_full_name": body.get("user_full_name", ""), "company_id": 0,
            "company_name": body.get("company_name", ""),
            "company_position": body.get("company_position", ""), "thumbnail": "",
            "confirmed": False, "active": True, "deleted": False, "created_at": now,
            "updated_at": now, "last_contact_at": None,
            "language_id": body.get("language_id") or
            models.account(ctx.store, ctx.tenant)["default_language_id"],
            "custom_fields": {k: v if isinstance(v, (str, bool)) else str(v)
                              for k, v in (body.get("custom_fields") or {}).items()},
            "linked_users": [], "user_note": body.get("user_note", "")}
    save(ctx, "users", user_id, user)
    rnd = ctx.runtime.randomness().stream(V, ctx.tenant, "password", user_id)
    password = "".join(rnd.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))
    return _render_user(ctx, {**user, "password": password})


def list_users(ctx):
    """§6.2: blocked users are listed, deleted ones are not; newest first."""
    q = ctx.query
    search = {name: _matcher(ctx, name, q[name]) for name in ("user_email", "user_phone")
              if q.get(name)}
    wanted_fields = models.custom_fields_query(ctx)
    kinds = models.field_kinds(ctx) if wanted_fields else {}
    bounds = [(field, models.time_bounds(ctx, f"from_{name}", f"to_{name}")) for field, name in (
        ("created_at", "time"), ("updated_at", "updated_time"),
        ("last_contact_at", "last_contact_time"))]
    rows = []
    for user in _all(ctx, "users"):
        if user["deleted"]:
            continue
        if any(not m(user.get(name)) for name, m in search.items()):
            continue
        if q.get("user_custom_id") and user.get("user_custom_id") != q["user_custom_id"]:
            continue
        if q.get("user_custom_channel") and user.get("user_custom_channel") not in (
                q["user_custom_channel"], f"cch{q['user_custom_channel']}"):
            continue
        if q.get("company_id") and user.get("company_id") not in q["company_id"]:
            continue
        if q.get("language_id") and user.get("language_id") != q["language_id"]:
            continue
        if kinds and not models.custom_field_match(user["custom_fields"], wanted_fields, kinds):
            continue
        if any(not models.within(user.get(field), lo, hi) for field, (lo, hi) in bounds):
            continue
        rows.append(user)
    rows.sort(key=lambda u: u["user_id"], reverse=True)
    page = paginate(rows, q["page"], q["limit"])
    counts = None
    if q.get("amount_of_cases"):
        counts = {}
        for case in _all(ctx, "cases"):
            counts[case["user_id"]] = counts.get(case["user_id"], 0) + 1
    tz = _tz(ctx)
    rendered = [user_out(u, tz, amount_of_cases=counts.get(u["user_id"], 0)
                         if counts is not None else None) for u in page.items]
    return envelope(ctx.operation.pagination, page, rendered, "user")


def get_user(ctx):
    return _render_user(ctx, find(ctx, "users", ctx.params["user_id"]))


def edit_user(ctx):
    """§6.2: e-mail editable only while unconfirmed, phone only for phone users."""
    body = ctx.body["user"]

    def change(user):
        email, phone = body.get("user_email"), body.get("user_phone")
        if email is not None:
            if not models.valid_email(email):
                raise SandboxError(400, "wrong_email", f"{email!r} is not an e-mail address")
            if user.get("confirmed") and email != user.get("user_email"):
                raise SandboxError(400, "validation_error",
                                   "the e-mail of a confirmed user cannot be changed")
        if phone is not None and user["type"] != "phone":
            raise SandboxError(400, "validation_error", "only a phone user's phone can change")
        _check_identity_free(ctx, user["user_id"], email, phone)
        _copy_fields(user, body, ("user_email", "user_phone", "user_full_name", "company_name",
                                  "company_position", "user_note", "language_id"))
        if "custom_fields" in body:
            user["custom_fields"] = {**user["custom_fields"], **{
                k: v if isinstance(v, (str, bool)) else str(v)
                for k, v in body["custom_fields"].items()}}
        user["updated_at"] = now_ts(ctx)
    return _render_user(ctx, _change(ctx, "users", "user_id", change))


def delete_user(ctx):
    def unlink(user):
        for other in _all(ctx, "users"):
            if user["user_id"] in other.get("linked_users", []):
                save(ctx, "users", other["user_id"], {**other, "linked_users": [
                    i for i in other["linked_users"] if i != user["user_id"]]})
    user = _delete(ctx, "users", "user_id", after=unlink)
    return _render_user(ctx, {**user, "deleted": True})


def block_user(ctx):
    return _render_user(ctx, _set_flags(ctx, "users", "user_id", active=False))


def disable_user(ctx):
    return _render_user(ctx, _set_flags(ctx, "users", "user_id", deleted=True))


def restore_user(ctx):
    return _render_user(ctx, _set_flags(ctx, "users", "user_id", active=True, deleted=False))


def link_user(ctx):
    body = ctx.body
    user = find(ctx, "users", ctx.params["user_id"])
    users = _all(ctx, "users")
    other = None
    if body.get("user_id"):
        other = ctx.store.get(V, ctx.tenant, "users", body["user_id"])
    elif body.get("user_email"):
        other = next((u for u in users if (u.get("user_email") or "").casefold()
                      == body["user_email"].casefold()), None)
    elif body.get("user_phone"):
        other = next((u for u in users if u.get("user_phone") == body["user_phone"]), None)
    if other is None or other["user_id"] == user["user_id"]:
        raise SandboxError(400, "user_not_found", "no other user matches the given identity")
    for a, b in ((user, other), (other, user)):
        if b["user_id"] not in a["linked_users"]:
            a["linked_users"] = [*a["linked_users"], b["user_id"]]
        a["updated_at"] = now_ts(ctx)
        save(ctx, "users", a["user_id"], a)
    return _render_user(ctx, user)


def unlink_user(ctx):
    user = find(ctx, "users", ctx.params["user_id"])
    other_id = ctx.body["user_id"]
    if other_id not in user["linked_users"]:
        raise SandboxError(400, "validation_error", f"user {other_id} is not linked")
    user["linked_users"] = [i for i in user["linked_users"] if i != other_id]
    save(ctx, "users", user["user_id"], user)
    other = ctx.store.get(V, ctx.tenant, "users", other_id)
    if other is not None:
        other["linked_users"] = [i for i in other["linked_users"] if i != user["user_id"]]
        save(ctx, "users", other_id, other)
    return _render_user(ctx, user)


def identify_user(ctx):
    """§6.2: a widget identification code; the same contact data gives the same code."""
    body = ctx.body["user"]
    if body.get("user_email") is not None and not models.valid_email(body["user_email"]):
        raise SandboxError(400, "wrong_email", f"{body['user_email']!r} is not an e-mail address")
    digest = hashlib.sha256(repr((ctx.tenant, sorted(body.items()))).encode()).hexdigest()
    letters = "".join(chr(ord("a") + int(c, 16) % 26) for c in digest[6:8])
    return {"code": f"o_{digest[:6].upper()}_{letters}"}


# -- staff ----------------------------------------------------------------------------------
def _render_staff(ctx, agent):
    return {"staff": staff_out(agent, _tz(ctx))}


def create_staff(ctx):
    """§7.2: the invited agent is inactive until enabled (docs example shows active: false)."""
    body = ctx.body["staff"]
    if not models.valid_email(body["staff_email"]):
        raise SandboxError(400, "wrong_email", f"{body['staff_email']!r} is not an e-mail address")
    _staff_email_free(ctx, 0, body["staff_email"])
    now = now_ts(ctx)
    staff_id = next_id(ctx, "staff")
    agent = {"staff_id": staff_id, "staff_email": body["staff_email"],
             "staff_full_name": body.get("staff_full_name", ""),
             "staff_signature": body.get("staff_signature", ""), "thumbnail": "",
             "active": False, "access": "limited", "groups": [], "role_id": 0,
             "status_id": 2, "created_at": now, "updated_at": now}
    save(ctx, "staff", staff_id, agent)
    return _render_staff(ctx, agent)


def _staff_email_free(ctx, staff_id: int, email: str) -> None:
    if any(s["staff_email"].casefold() == email.casefold() and s["staff_id"] != staff_id
           for s in _all(ctx, "staff")):
        raise SandboxError(400, "email_already_exist", f"{email} is already an agent's e-mail")


def list_staff(ctx):
    tz = _tz(ctx)
    return _page(ctx, [staff_out(s, tz) for s in _by_id(ctx, "staff", "staff_id")], "staff")


def get_staff(ctx):
    return _render_staff(ctx, find(ctx, "staff", ctx.params["staff_id"]))


def edit_staff(ctx):
    body = ctx.body["staff"]

    def change(agent):
        if "staff_email" in body:
            if not models.valid_email(body["staff_email"]):
                raise SandboxError(400, "wrong_email",
                                   f"{body['staff_email']!r} is not an e-mail address")
            _staff_email_free(ctx, agent["staff_id"], body["staff_email"])
        _copy_fields(agent, body, ("staff_email", "staff_full_name", "staff_signature"))
        agent["updated_at"] = now_ts(ctx)
    return _render_staff(ctx, _change(ctx, "staff", "staff_id", change))


def _hand_over(ctx, agent: dict, statuses) -> None:
    """§7.2: replace_staff_id takes over the agent's cases (and rules/templates, not emulated);
    it is required only when there are cases to hand over."""
    staff_id = agent["staff_id"]
    cases = [c for c in _all(ctx, "cases")
             if c["staff_id"] == staff_id and (statuses is None or c["status"] in statuses)]
    replace = ((ctx.body or {}).get("staff") or {}).get("replace_staff_id")
    if not cases and not replace:
        return
    if not replace:
        raise SandboxError(400, "replace_staff_id_required",
                           f"agent {staff_id} still has cases: give staff.replace_staff_id")
    other = ctx.store.get(V, ctx.tenant, "staff", replace)
    if other is None or not other["active"] or replace == staff_id:
        raise SandboxError(400, "wrong_replace_staff_id",
                           "replace_staff_id must be another active agent")
    for case in cases:
        save(ctx, "cases", case["case_id"], {**case, "staff_id": replace,
                                              "updated_at": now_ts(ctx)})
        models.log_change(ctx, case["case_id"], "staff", staff_id, replace)


def delete_staff(ctx):
    """§7.2: replace_staff_id takes over all the agent's cases."""
    def hand_over(agent):
        if agent["staff_id"] == me(ctx):
            raise SandboxError(400, "validation_error", "an agent cannot delete itself")
        _hand_over(ctx, agent, None)
    _delete(ctx, "staff", "staff_id", before=hand_over)
    return EMPTY


def disable_staff(ctx):
    """§7.2: replace_staff_id takes over the agent's open and waiting cases."""
    def hand_over(agent):
        _hand_over(ctx, agent, ("open", "waiting"))
    return _render_staff(ctx, _set_flags(ctx, "staff", "staff_id",
                                         before=hand_over, active=False))


def enable_staff(ctx):
    return _render_staff(ctx, _set_flags(ctx, "staff", "staff_id",
                                         active=True))


def list_staff_roles(ctx):
    return _lookup(ctx, "staff_roles", "role_id", "staff_roles", ("role_id", "role"))


def list_staff_statuses(ctx):
    return _lookup(ctx, "staff_statuses", "status_id", "staff_statuses",
                   ("status_id", "status", "active"))


# -- groups ---------------------------------------------------------------------------------
def _render_group(ctx, group):
    return {"group": group_out(group, _tz(ctx))}


def create_group(ctx):
    body = ctx.body["group"]
    now = now_ts(ctx)
    group_id = next_id(ctx, "groups")
    group = {"group_id": group_id, "group_title": body["group_title"],
             "group_from_name": body.get("group_from_name", ""),
             "group_signature": body.get("group_signature", ""), "active": True,
             "created_at": now, "updated_at": now}
    save(ctx, "groups", group_id, group)
    return _render_group(ctx, group)


def list_groups(ctx):
    tz = _tz(ctx)
    return _page(ctx, [group_out(g, tz) for g in _by_id(ctx, "groups", "group_id")], "group")


def get_group(ctx):
    return _render_group(ctx, find(ctx, "groups", ctx.params["group_id"]))


def edit_group(ctx):
    return _render_group(ctx, _change(ctx, "groups", "group_id", lambda group: group.update(
        ctx.body["group"], updated_at=now_ts(ctx))))


def _move_group(ctx, group: dict, statuses, *, for_delete: bool) -> None:
    """§8: replace_group_id takes over the group's cases (and company defaults)."""
    gid = group["group_id"]
    cases = [c for c in _all(ctx, "cases") if c["group_id"] == gid
             and (statuses is None or c["status"] in statuses)]
    companies = [c for c in _all(ctx, "companies") if c["company_default_group"] == gid]
    replace = (((ctx.body or {}).get("group")) or {}).get("replace_group_id")
    if not (cases or companies) and not replace:
        return
    if not replace:
        raise SandboxError(400, "replace_group_id_required",
                           f"group {gid} still has cases or companies: give replace_group_id")
    other = ctx.store.get(V, ctx.tenant, "groups", replace)
    if other is None or not other["active"] or replace == gid:
        raise SandboxError(400, "wrong_replace_group_id",
                           "replace_group_id must be another active group")
    for case in cases:
        save(ctx, "cases", case["case_id"], {**case, "group_id": replace,
                                              "updated_at": now_ts(ctx)})
        models.log_change(ctx, case["case_id"], "group", gid, replace)
    for company in companies:
        save(ctx, "companies", company["company_id"],
             {**company, "company_default_group": replace})


def delete_group(ctx):
    """§8: replace_group_id takes over all the group's cases (and company defaults)."""
    def move(group):
        _move_group(ctx, group, None, for_delete=True)
    _delete(ctx, "groups", "group_id", before=move)
    return EMPTY


def disable_group(ctx):
    """§8: replace_group_id takes over the open and waiting cases (and company defaults)."""
    def move(group):
        _move_group(ctx, group, ("open", "waiting"), for_delete=False)
    return _render_group(ctx, _set_flags(ctx, "groups", "group_id",
                                         before=move, active=False))


def enable_group(ctx):
    return _render_group(ctx, _set_flags(ctx, "groups", "group_id",
                                         active=True))


# -- companies ------------------------------------------------------------------------------
def _render_company(ctx, company):
    return {"company": company_out(company, _tz(ctx))}


def _id_list(text: str | None) -> list[int]:
    return [int(x) for x in (text or "").replace(" ", "").split(",") if x]


def _check_users(ctx, user_ids: list[int]) -> None:
    for user_id in user_ids:
        if ctx.store.get(V, ctx.tenant, "users", user_id) is None:
            raise SandboxError(400, "user_not_found", f"user {user_id} does not exist")


def _attach_users(ctx, company: dict, add: list[int], remove: list[int]) -> None:
    """Users already checked by _check_users join or leave the company."""
    for user_id in add:
        user = ctx.store.get(V, ctx.tenant, "users", user_id)
        save(ctx, "users", user_id, {**user, "company_id": company["company_id"],
                                     "company_name": company["company_name"]})
    for user_id in remove:
        user = ctx.store.get(V, ctx.tenant, "users", user_id)
        if user.get("company_id") == company["company_id"]:
            save(ctx, "users", user_id, {**user, "company_id": 0, "company_name": ""})


def create_company(ctx):
    body = ctx.body["company"]
    _group_check(ctx, body.get("company_default_group", 0))
    members = _id_list(body.get("company_users"))
    _check_users(ctx, members)
    now = now_ts(ctx)
    company_id = next_id(ctx, "companies")
    company = {"company_id": company_id, "company_name": body["company_name"],
               "company_domains": body.get("company_domains", ""),
               "company_default_group": body.get("company_default_group", 0),
               "company_address": body.get("company_address", ""),
               "company_note": body.get("company_note", ""), "active": True,
               "deleted": False, "created_at": now, "updated_at": now}
    save(ctx, "companies", company_id, company)
    _attach_users(ctx, company, members, [])
    return _render_company(ctx, company)


def list_companies(ctx):
    """§9: deleted companies are left out; the ^ operators apply to each listed domain."""
    q = ctx.query
    search = {name: _matcher(ctx, name, q[name]) for name in
              ("company_name", "company_domains", "company_address", "company_note")
              if q.get(name)}
    rows = []
    for company in _all(ctx, "companies"):
        if company["deleted"]:
            continue
        ok = True
        for name, match in search.items():
            value = company[name]
            if name == "company_domains":
                value = [d.strip() for d in value.split(",") if d.strip()]
            ok = ok and match(value)
        if ok:
            rows.append(company)
    rows.sort(key=lambda c: c["company_id"], reverse=True)
    page = paginate(rows, q["page"], q["limit"])
    users = _all(ctx, "users") if q.get("amount_of_users") or q.get("amount_of_cases") else []
    members: dict[int, set[int]] = {}
    for user in users:
        if user.get("company_id"):
            members.setdefault(user["company_id"], set()).add(user["user_id"])
    case_users: dict[int, int] = {}
    if q.get("amount_of_cases"):
        for case in _all(ctx, "cases"):
            case_users[case["user_id"]] = case_users.get(case["user_id"], 0) + 1
    tz = _tz(ctx)
    rendered = [company_out(
        c, tz,
        amount_of_users=len(members.get(c["company_id"], ())) if q.get("amount_of_users") else None,
        amount_of_cases=sum(case_users.get(u, 0) for u in members.get(c["company_id"], ()))
        if q.get("amount_of_cases") else None) for c in page.items]
    return envelope(ctx.operation.pagination, page, rendered, "company")


def get_company(ctx):
    return _render_company(ctx, find(ctx, "companies", ctx.params["company_id"]))


def edit_company(ctx):
    body = ctx.body["company"]
    company = find(ctx, "companies", ctx.params["company_id"])
    if "company_default_group" in body:
        _group_check(ctx, body["company_default_group"])
    add = _id_list(body.get("add_company_users"))
    remove = _id_list(body.get("remove_company_users"))
    _check_users(ctx, add + remove)
    _copy_fields(company, body, ("company_name", "company_default_group", "company_address",
                                 "company_note"))
    domains = [d.strip() for d in company["company_domains"].split(",") if d.strip()]
    domains += [d.strip() for d in (body.get("add_company_domains") or "").split(",")
                if d.strip() and d.strip() not in domains]
    drop = {d.strip() for d in (body.get("remove_company_domains") or "").split(",")}
    company["company_domains"] = ",".join(d for d in domains if d not in drop)
    company["updated_at"] = now_ts(ctx)
    save(ctx, "companies", company["company_id"], company)
    _attach_users(ctx, company, add, remove)
    return _render_company(ctx, company)


def delete_company(ctx):
    _set_flags(ctx, "companies", "company_id", deleted=True)
    return EMPTY


def block_company(ctx):
    return _render_company(ctx, _set_flags(ctx, "companies", "company_id", active=False))


def disable_company(ctx):
    return _render_company(ctx, _set_flags(ctx, "companies", "company_id", deleted=True))


def restore_company(ctx):
    return _render_company(ctx, _set_flags(ctx, "companies", "company_id", active=True,
                                           deleted=False))


# -- labels ---------------------------------------------------------------------------------
def _render_label(ctx, label):
    return {"label": label_out(label)}


def create_label(ctx):
    label_id = next_id(ctx, "labels")
    label = {"label_id": label_id, "label_title": ctx.body["label"]["label_title"]}
    save(ctx, "labels", label_id, label)
    return _render_label(ctx, label)


def list_labels(ctx):
    return _page(ctx, [label_out(lab) for lab in _by_id(ctx, "labels", "label_id")], "label")


def get_label(ctx):
    return _render_label(ctx, find(ctx, "labels", ctx.params["label_id"]))


def edit_label(ctx):
    """§10 Labels: only the title changes; labels carry no updated_at."""
    return _render_label(ctx, _change(ctx, "labels", "label_id", lambda label: label.update(
        label_title=ctx.body["label"]["label_title"])))


def delete_label(ctx):
    def untag(label):
        for case in _all(ctx, "cases"):
            if label["label_id"] in case["labels"] or label["label_id"] in case["locked_labels"]:
                save(ctx, "cases", case["case_id"], {
                    **case, "labels": [i for i in case["labels"] if i != label["label_id"]],
                    "locked_labels": [i for i in case["locked_labels"] if i != label["label_id"]]})
    _delete(ctx, "labels", "label_id", after=untag)
    return EMPTY


# -- lookups --------------------------------------------------------------------------------
def _lookup(ctx, collection: str, key: str, item_key: str, fields: tuple[str, ...]):
    return _page(ctx, [{f: r[f] for f in fields} for r in _by_id(ctx, collection, key)], item_key)


def list_custom_fields(ctx):
    return _lookup(ctx, "custom_fields", "field_id", "custom_field",
                   ("field_id", "title", "field_type", "field_level", "active", "field_data"))


def list_languages(ctx):
    return _lookup(ctx, "languages", "language_id", "language",
                   ("language_id", "code", "title", "active"))


def list_filters(ctx):
    """The account's built-in filters plus the authenticating agent's own."""
    rows = sorted((f for f in _all(ctx, "filters") if f.get("owner_staff_id", 0) in (0, me(ctx))),
                  key=lambda f: f["filter_id"])
    return _page(ctx, [{"filter_id": f["filter_id"], "filter_name": f["filter_name"],
                        "is_selected": f.get("is_selected_by_default", False),
                        "is_custom": f.get("is_custom", False)} for f in rows], "filter")


def list_custom_channels(ctx):
    return _lookup(ctx, "custom_channels", "channel_id", "custom_channel",
                   ("channel_id", "channel_api_key", "title", "channel_type", "icon",
                    "webhook_url", "active"))


def list_client_emails(ctx):
    return _lookup(ctx, "client_emails", "email_id", "client_emails", ("email_id", "email", "active"))


def list_macros(ctx):
    """§10: `{"common": [...], "personal": [...]}`; personal = the agent's own macros."""
    out = {"common": [], "personal": []}
    for cat in sorted(_all(ctx, "macros"), key=lambda c: (c.get("sort", 0), c["id"])):
        owner = cat.get("owner_staff_id", 0)
        if owner not in (0, me(ctx)):
            continue
        out["common" if owner == 0 else "personal"].append({
            "macros_category_id": cat["macros_category_id"], "title": cat["title"],
            "sort": cat["sort"], "data": cat.get("data") or []})
    return out


# -- reports --------------------------------------------------------------------------------
def stats_leaderboard(ctx):
    """Reports page, Leaderboard: keyed `{"staff": row}` items, no count; `[]` when empty."""
    def compute():
        rows = reports.leaderboard(ctx)
        if not rows:
            return []
        return envelope(ctx.operation.pagination, paginate(rows, 1, len(rows)), rows, "staff")
    return reports.cached(ctx, compute)


def stats_staff_statuses(ctx):
    """Reports page, Agent statuses: 100 changes per page and a last_page flag."""
    rows = reports.staff_status_changes(ctx)
    return envelope(ctx.operation.pagination, paginate(rows, ctx.query.get("page", 1), 100),
                    rows[(ctx.query.get("page", 1) - 1) * 100:ctx.query.get("page", 1) * 100],
                    "status_change")


def stats_satisfaction(ctx):
    """Reports page, Satisfaction ratings: unwrapped rows plus total_count."""
    def compute():
        return _page(ctx, reports.satisfaction(ctx), None)
    return reports.cached(ctx, compute)
