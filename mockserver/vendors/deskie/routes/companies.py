"""Deskie views of the Companies tag: companies and their members.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

from mockserver.core.pagination import envelope, paginate

from .. import models, records
from ..models import find, now_ts, save, zone
from ..schemas import company_out
from .common import EMPTY, all_of, check_group, copy_fields, search_matcher, set_flags


def _render_company(ctx, company):
    return {"company": company_out(company, zone(ctx))}


def _id_list(text: str | None) -> list[int]:
    return [int(x) for x in (text or "").replace(" ", "").split(",") if x]


def create_company(ctx):
    body = ctx.body["company"]
    check_group(ctx, body.get("company_default_group", 0))
    members = _id_list(body.get("company_users"))
    models.check_users(ctx, members)
    company = models.create(ctx, "companies", lambda company_id: records.company(
        company_id, company_name=body["company_name"],
        company_domains=body.get("company_domains", ""),
        company_default_group=body.get("company_default_group", 0),
        company_address=body.get("company_address", ""),
        company_note=body.get("company_note", ""), created_at=now_ts(ctx)))
    models.move_members(ctx, company, members, [])
    return _render_company(ctx, company)


def list_companies(ctx):
    """§9: deleted companies are left out; the ^ operators apply to each listed domain."""
    q = ctx.query
    search = {name: search_matcher(ctx, name, q[name]) for name in
              ("company_name", "company_domains", "company_address", "company_note")
              if q.get(name)}
    rows = []
    for company in all_of(ctx, "companies"):
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
    users = all_of(ctx, "users") if q.get("amount_of_users") or q.get("amount_of_cases") else []
    members: dict[int, set[int]] = {}
    for user in users:
        if user.get("company_id"):
            members.setdefault(user["company_id"], set()).add(user["user_id"])
    case_users: dict[int, int] = {}
    if q.get("amount_of_cases"):
        for case in all_of(ctx, "cases"):
            case_users[case["user_id"]] = case_users.get(case["user_id"], 0) + 1
    tz = zone(ctx)
    rendered = [company_out(
        c, tz,
        amount_of_users=(len(members.get(c["company_id"], ())) if q.get("amount_of_users")
                         else None),
        amount_of_cases=sum(case_users.get(u, 0) for u in members.get(c["company_id"], ()))
        if q.get("amount_of_cases") else None) for c in page.items]
    return envelope(ctx.operation.pagination, page, rendered, "company")


def get_company(ctx):
    return _render_company(ctx, find(ctx, "companies", ctx.params["company_id"]))


def edit_company(ctx):
    body = ctx.body["company"]
    company = find(ctx, "companies", ctx.params["company_id"])
    if "company_default_group" in body:
        check_group(ctx, body["company_default_group"])
    add = _id_list(body.get("add_company_users"))
    remove = _id_list(body.get("remove_company_users"))
    models.check_users(ctx, add + remove)
    copy_fields(company, body, ("company_name", "company_default_group", "company_address",
                                "company_note"))
    domains = [d.strip() for d in company["company_domains"].split(",") if d.strip()]
    domains += [d.strip() for d in (body.get("add_company_domains") or "").split(",")
                if d.strip() and d.strip() not in domains]
    drop = {d.strip() for d in (body.get("remove_company_domains") or "").split(",")}
    company["company_domains"] = ",".join(d for d in domains if d not in drop)
    company["updated_at"] = now_ts(ctx)
    save(ctx, "companies", company["company_id"], company)
    models.move_members(ctx, company, add, remove)
    return _render_company(ctx, company)


def delete_company(ctx):
    set_flags(ctx, "companies", "company_id", deleted=True)
    return EMPTY


def block_company(ctx):
    return _render_company(ctx, set_flags(ctx, "companies", "company_id", active=False))


def disable_company(ctx):
    return _render_company(ctx, set_flags(ctx, "companies", "company_id", deleted=True))


def restore_company(ctx):
    return _render_company(ctx, set_flags(ctx, "companies", "company_id", active=True,
                                          deleted=False))
