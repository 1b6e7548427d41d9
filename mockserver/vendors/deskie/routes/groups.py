"""Deskie views of the Groups tag: groups, and moving their cases on disable/delete.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

from .. import models, records
from ..models import find, now_ts, zone
from ..schemas import group_out
from .common import EMPTY, change_record, listing, retire, set_flags


def _render_group(ctx, group):
    return {"group": group_out(group, zone(ctx))}


def create_group(ctx):
    body = ctx.body["group"]
    return _render_group(ctx, models.create(ctx, "groups", lambda group_id: records.group(
        group_id, group_title=body["group_title"],
        group_from_name=body.get("group_from_name", ""),
        group_signature=body.get("group_signature", ""), created_at=now_ts(ctx))))


def list_groups(ctx):
    return listing(ctx, "groups", "group_id", group_out, "group")


def get_group(ctx):
    return _render_group(ctx, find(ctx, "groups", ctx.params["group_id"]))


def edit_group(ctx):
    return _render_group(ctx, change_record(ctx, "groups", "group_id", lambda group: group.update(
        ctx.body["group"], updated_at=now_ts(ctx))))


def delete_group(ctx):
    """§8: replace_group_id takes over all the group's cases (and company defaults)."""
    retire(ctx, "group", "groups", delete=True)
    return EMPTY


def disable_group(ctx):
    """§8: replace_group_id takes over the open and waiting cases (and company defaults)."""
    return _render_group(ctx, retire(ctx, "group", "groups", delete=False))


def enable_group(ctx):
    return _render_group(ctx, set_flags(ctx, "groups", "group_id", active=True))
