"""Deskie views of the Staff tag: agents, their roles and statuses, hand-over on disable/delete.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

from mockserver.core.errors import SandboxError

from .. import models, records
from ..models import find, me, now_ts, zone
from ..schemas import staff_out
from .common import (EMPTY, all_of, change_record, copy_fields, listing, lookup_list, retire,
                     set_flags)


def _render_staff(ctx, agent):
    return {"staff": staff_out(agent, zone(ctx))}


def create_staff(ctx):
    """§7.2: the invited agent is inactive until enabled (docs example shows active: false)."""
    body = ctx.body["staff"]
    if not models.valid_email(body["staff_email"]):
        raise SandboxError(400, "wrong_email", f"{body['staff_email']!r} is not an e-mail address")
    _staff_email_free(ctx, 0, body["staff_email"])
    return _render_staff(ctx, models.create(ctx, "staff", lambda staff_id: records.staff(
        staff_id, staff_email=body["staff_email"],
        staff_full_name=body.get("staff_full_name", ""),
        staff_signature=body.get("staff_signature", ""), created_at=now_ts(ctx))))


def _staff_email_free(ctx, staff_id: int, email: str) -> None:
    if any(s["staff_email"].casefold() == email.casefold() and s["staff_id"] != staff_id
           for s in all_of(ctx, "staff")):
        raise SandboxError(400, "email_already_exist", f"{email} is already an agent's e-mail")


def list_staff(ctx):
    return listing(ctx, "staff", "staff_id", staff_out, "staff")


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
        copy_fields(agent, body, ("staff_email", "staff_full_name", "staff_signature"))
        agent["updated_at"] = now_ts(ctx)
    return _render_staff(ctx, change_record(ctx, "staff", "staff_id", change))


def delete_staff(ctx):
    """§7.2: replace_staff_id takes over all the agent's cases."""
    def not_self(agent):
        if agent["staff_id"] == me(ctx):
            raise SandboxError(400, "validation_error", "an agent cannot delete itself")
    retire(ctx, "staff", "staff", delete=True, check=not_self)
    return EMPTY


def disable_staff(ctx):
    """§7.2: replace_staff_id takes over the agent's open and waiting cases."""
    return _render_staff(ctx, retire(ctx, "staff", "staff", delete=False))


def enable_staff(ctx):
    return _render_staff(ctx, set_flags(ctx, "staff", "staff_id", active=True))


def list_staff_roles(ctx):
    return lookup_list(ctx, "staff_roles", "role_id", "staff_roles", ("role_id", "role"))


def list_staff_statuses(ctx):
    return lookup_list(ctx, "staff_statuses", "status_id", "staff_statuses",
                       ("status_id", "status", "active"))
