"""Deskie views of the Groups tag: groups, and moving their cases on disable/delete.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

from mockserver.core.errors import SandboxError

from .. import models, records
from ..models import V, find, next_id, now_ts, save, zone
from ..schemas import group_out
from .common import (EMPTY, all_of, change_record, delete_record, page_envelope, set_flags,
                     sorted_by)


def _render_group(ctx, group):
    return {"group": group_out(group, zone(ctx))}


def create_group(ctx):
    body = ctx.body["group"]
    group_id = next_id(ctx, "groups")
    group = records.group(group_id, group_title=body["group_title"],
                          group_from_name=body.get("group_from_name", ""),
                          group_signature=body.get("group_signature", ""),
                          created_at=now_ts(ctx))
    save(ctx, "groups", group_id, group)
    return _render_group(ctx, group)


def list_groups(ctx):
    tz = zone(ctx)
    return page_envelope(ctx, [group_out(g, tz) for g in sorted_by(ctx, "groups", "group_id")], "group")


def get_group(ctx):
    return _render_group(ctx, find(ctx, "groups", ctx.params["group_id"]))


def edit_group(ctx):
    return _render_group(ctx, change_record(ctx, "groups", "group_id", lambda group: group.update(
        ctx.body["group"], updated_at=now_ts(ctx))))


def _move_group(ctx, group: dict, statuses, *, for_delete: bool) -> None:
    """§8: replace_group_id takes over the group's cases (and company defaults)."""
    gid = group["group_id"]
    cases = [c for c in all_of(ctx, "cases") if c["group_id"] == gid
             and (statuses is None or c["status"] in statuses)]
    companies = [c for c in all_of(ctx, "companies") if c["company_default_group"] == gid]
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
    delete_record(ctx, "groups", "group_id", before=move)
    return EMPTY


def disable_group(ctx):
    """§8: replace_group_id takes over the open and waiting cases (and company defaults)."""
    def move(group):
        _move_group(ctx, group, ("open", "waiting"), for_delete=False)
    return _render_group(ctx, set_flags(ctx, "groups", "group_id",
                                         before=move, active=False))


def enable_group(ctx):
    return _render_group(ctx, set_flags(ctx, "groups", "group_id",
                                         active=True))
