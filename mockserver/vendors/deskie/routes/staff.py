"""Deskie views of the Staff tag: agents, their roles and statuses, hand-over on disable/delete.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

from mockserver.core.errors import SandboxError

from .. import models, records
from ..models import V, find, me, next_id, now_ts, save, zone
from ..schemas import staff_out
from .common import (EMPTY, all_of, change_record, copy_fields, delete_record, lookup_list,
                     page_envelope, set_flags, sorted_by)


def _render_staff(ctx, agent):
    return {"staff": staff_out(agent, zone(ctx))}


def create_staff(ctx):
    """§7.2: the invited agent is inactive until enabled (docs example shows active: false)."""
    body = ctx.body["staff"]
    if not models.valid_email(body["staff_email"]):
        raise SandboxError(400, "wrong_email", f"{body['staff_email']!r} is not an e-mail address")
    _staff_email_free(ctx, 0, body["staff_email"])
    staff_id = next_id(ctx, "staff")
    agent = records.staff(staff_id, staff_email=body["staff_email"],
                          staff_full_name=body.get("staff_full_name", ""),
                          staff_signature=body.get("staff_signature", ""),
                          created_at=now_ts(ctx))
    save(ctx, "staff", staff_id, agent)
    return _render_staff(ctx, agent)


def _staff_email_free(ctx, staff_id: int, email: str) -> None:
    if any(s["staff_email"].casefold() == email.casefold() and s["staff_id"] != staff_id
           for s in all_of(ctx, "staff")):
        raise SandboxError(400, "email_already_exist", f"{email} is already an agent's e-mail")


def list_staff(ctx):
    tz = zone(ctx)
    return page_envelope(ctx, [staff_out(s, tz) for s in sorted_by(ctx, "staff", "staff_id")], "staff")


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


def _hand_over(ctx, agent: dict, statuses) -> None:
    """§7.2: replace_staff_id takes over the agent's cases (and rules/templates, not emulated);
    it is required only when there are cases to hand over."""
    staff_id = agent["staff_id"]
    cases = [c for c in all_of(ctx, "cases")
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
    delete_record(ctx, "staff", "staff_id", before=hand_over)
    return EMPTY


def disable_staff(ctx):
    """§7.2: replace_staff_id takes over the agent's open and waiting cases."""
    def hand_over(agent):
        _hand_over(ctx, agent, ("open", "waiting"))
    return _render_staff(ctx, set_flags(ctx, "staff", "staff_id",
                                         before=hand_over, active=False))


def enable_staff(ctx):
    return _render_staff(ctx, set_flags(ctx, "staff", "staff_id",
                                         active=True))


def list_staff_roles(ctx):
    return lookup_list(ctx, "staff_roles", "role_id", "staff_roles", ("role_id", "role"))


def list_staff_statuses(ctx):
    return lookup_list(ctx, "staff_statuses", "status_id", "staff_statuses",
                   ("status_id", "status", "active"))
