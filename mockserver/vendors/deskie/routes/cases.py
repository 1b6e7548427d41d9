"""Deskie views of the Cases tag: the case list and its filters, create, edit, the trash / spam /
restore flags (one and bulk), delete, rating and the changelog.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

from operator import itemgetter

from flask import request

from mockserver.core.errors import SandboxError
from mockserver.core.memo import maintained, remembered
from mockserver.core.pagination import envelope, paginate
from mockserver.core.rendering import RecordRenderer, encode_json

from .. import models, records
from ..models import V, find_case, me, next_id, now_ts, save, zone
from ..schemas import case_out, changelog_out
from .common import (EMPTY, all_of, any_matches, check_assignee, check_group, known_labels,
                     search_matcher, uploaded_files)

MAX_BULK = 10  # §4.6: up to 10 ids
PRIORITY_ORDER = {"low": 0, "normal": 1, "high": 2, "critical": 3}
STATUS_ORDER = {"open": 0, "waiting": 1, "closed": 2}
_case_rendering = RecordRenderer(case_out)


def _render_case(ctx, case, **kw):
    return {"case": case_out(case, zone(ctx), **kw)}


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
    return remembered(ctx, "case_pages", _CASE_LIST_READS, page,
                      lambda: encode_json(_case_page(ctx)), size=64)


def _case_page(ctx) -> dict:
    q = ctx.query
    rows = _matching_cases(ctx, q)
    page = paginate(rows, q["page"], q["limit"])
    tz = zone(ctx)
    first_response = q.get("show_first_response_time", False)
    return envelope(ctx.operation.pagination, page,
                    [_case_rendering.one(c, tz, first_response) for c in page.items], "case")


# What a case list is computed from: kept until one of these collections changes.
_CASE_LIST_READS = ("cases", "users", "filters", "custom_fields", "custom_channels", "account")


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
    rows = maintained(ctx, "case_lists", "cases", _CASE_LIST_READS[1:],
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
        subject = search_matchers(ctx, q, "subject")
        checks.append(lambda c: any_matches(subject, c["subject"]))
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


def search_matchers(ctx, q, name: str) -> list:
    values = q[name] if isinstance(q[name], list) else [q[name]]
    return [search_matcher(ctx, name, v) for v in values]


def _user_checks(ctx, q, checks: list) -> None:
    """Filters on the case's end user (§4.3): e-mail and phone with the search operators,
    custom id exactly."""
    names = [n for n in ("user_email", "user_phone") if q.get(n)]
    if not names and not q.get("user_custom_id"):
        return
    users = {u["user_id"]: u for u in all_of(ctx, "users")}
    for name in names:
        found = search_matchers(ctx, q, name)
        checks.append(lambda c, n=name, m=found:
                      any_matches(m, users.get(c["user_id"], {}).get(n)))
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


def create_case(ctx):
    body = ctx.body["case"]
    group_id = body.get("group_id", 0)
    check_group(ctx, group_id)
    check_assignee(ctx, body.get("staff_id", 0), group_id)
    files = uploaded_files(ctx, "case")
    now = now_ts(ctx)
    created = (models.parse_time(body["created_at"], zone(ctx))[0] if body.get("created_at")
               else now)
    user = models.customer_for_case(ctx, body)
    attachments = models.attachments(ctx, files)
    channel = body.get("channel") or {"email": "email", "phone": "call"}.get(user["type"], "web")
    case_id = next_id(ctx, "cases")
    rnd = ctx.runtime.randomness().stream(V, ctx.tenant, "case_number", case_id)
    case = records.case(
        case_id, records.case_number(rnd), subject=body["subject"], user_id=user["user_id"],
        staff_id=body.get("staff_id", 0), group_id=group_id,
        priority=body.get("priority", "normal"), channel=channel, **models.aliased(body),
        spam=models.customer_blocked(ctx, user), created_at=created,
        updated_at=max(created, now),
        language_id=body.get("language_id") or user.get("language_id") or 0,
        custom_fields=models.custom_field_values(body.get("custom_fields")),
        labels=known_labels(ctx, body.get("labels") or []))
    save(ctx, "cases", case_id, case)
    message_id = next_id(ctx, "messages")
    save(ctx, "messages", message_id, records.message(
        message_id, case_id=case_id, user_id=user["user_id"], content=body.get("content", ""),
        content_html=body.get("content_html", ""), attachments=attachments,
        created_at=created))
    models.contacted(ctx, user, created)
    return _render_case(ctx, case)


def get_case(ctx):
    return _render_case(ctx, find_case(ctx, ctx.params["case_id"]), first_response=True)


def edit_case(ctx):
    """§4.5: partial edit; labels replace, add_labels / delete_labels (remove_labels) adjust."""
    body = ctx.body["case"]
    case = find_case(ctx, ctx.params["case_id"])
    before = dict(case)
    group_id = body.get("group_id", case["group_id"])
    check_group(ctx, group_id)
    if "staff_id" in body or "group_id" in body:
        check_assignee(ctx, body.get("staff_id", case["staff_id"]), group_id)
    for key in ("subject", "staff_id", "group_id", "priority", "language_id"):
        if key in body:
            case[key] = body[key]
    case.update(models.aliased(body))
    if "status" in body and body["status"] != case["status"]:
        case["status"] = body["status"]
        case["closed_at"] = now_ts(ctx) if body["status"] == "closed" else None
    if "custom_fields" in body:
        case["custom_fields"] = {**case["custom_fields"],
                                 **models.custom_field_values(body["custom_fields"])}
    labels = list(body["labels"]) if "labels" in body else list(case["labels"])
    labels += [i for i in body.get("add_labels") or [] if i not in labels]
    removed = set(body.get("delete_labels") or []) | set(body.get("remove_labels") or [])
    case["labels"] = known_labels(ctx, [i for i in labels if i not in removed])
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
        models.delete_case(ctx, ids[0])
        return EMPTY
    _bulk(ctx, lambda case: models.delete_case(ctx, case["case_id"]))
    return EMPTY


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


def rate_case(ctx):
    body = ctx.body["rate"]
    case = find_case(ctx, ctx.params["case_id"])
    records.rated(case, body["rating"], body.get("rating_comment", ""),
                  body.get("rated_staff_id", 0))
    case["updated_at"] = now_ts(ctx)
    save(ctx, "cases", case["case_id"], case)
    models.upsert_rating(ctx, case, 0, body["rating"], case["rating_comment"],
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
    entries = sorted((e for e in all_of(ctx, "changelog") if e["case_id"] == case["case_id"]),
                     key=lambda e: (e["created_at"], e["id"]))
    if wanted:
        entries = [e for e in entries if any(w(e) for w in wanted)]
    else:
        entries = [e for e in entries if e["event"] not in hidden]
    tz = zone(ctx)
    return {"changelog": [changelog_out(e, tz) for e in entries]}
