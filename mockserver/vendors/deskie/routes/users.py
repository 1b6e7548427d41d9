"""Deskie views of the Users tag: end users (customers), their identities and links.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

import hashlib

from mockserver.core.errors import SandboxError
from mockserver.core.pagination import envelope, paginate

from .. import models, records
from ..models import V, find, next_id, now_ts, save, zone
from ..schemas import user_out
from .common import all_of, change_record, copy_fields, delete_record, search_matcher, set_flags


def _render_user(ctx, user, **kw):
    return {"user": user_out(user, zone(ctx), **kw)}


def _check_identity_free(ctx, user_id: int, email=None, phone=None) -> None:
    for other in all_of(ctx, "users"):
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
    user = records.user(user_id, type=kind, **identity,
                        user_full_name=body.get("user_full_name", ""),
                        company_name=body.get("company_name", ""),
                        company_position=body.get("company_position", ""), created_at=now,
                        language_id=body.get("language_id") or models.default_language(ctx),
                        custom_fields=models.custom_field_values(body.get("custom_fields")),
                        user_note=body.get("user_note", ""))
    save(ctx, "users", user_id, user)
    rnd = ctx.runtime.randomness().stream(V, ctx.tenant, "password", user_id)
    password = "".join(rnd.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))
    return _render_user(ctx, {**user, "password": password})


def list_users(ctx):
    """§6.2: blocked users are listed, deleted ones are not; newest first."""
    q = ctx.query
    search = {name: search_matcher(ctx, name, q[name]) for name in ("user_email", "user_phone")
              if q.get(name)}
    wanted_fields = models.custom_fields_query(ctx)
    kinds = models.field_kinds(ctx) if wanted_fields else {}
    bounds = [(field, models.time_bounds(ctx, f"from_{name}", f"to_{name}")) for field, name in (
        ("created_at", "time"), ("updated_at", "updated_time"),
        ("last_contact_at", "last_contact_time"))]
    rows = []
    for user in all_of(ctx, "users"):
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
        for case in all_of(ctx, "cases"):
            counts[case["user_id"]] = counts.get(case["user_id"], 0) + 1
    tz = zone(ctx)
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
        copy_fields(user, body, ("user_email", "user_phone", "user_full_name", "company_name",
                                 "company_position", "user_note", "language_id"))
        if "custom_fields" in body:
            user["custom_fields"] = {**user["custom_fields"],
                                     **models.custom_field_values(body["custom_fields"])}
        user["updated_at"] = now_ts(ctx)
    return _render_user(ctx, change_record(ctx, "users", "user_id", change))


def delete_user(ctx):
    user = delete_record(ctx, "users", "user_id",
                         after=lambda user: models.user_deleted(ctx, user["user_id"]))
    return _render_user(ctx, {**user, "deleted": True})


def block_user(ctx):
    return _render_user(ctx, set_flags(ctx, "users", "user_id", active=False))


def disable_user(ctx):
    return _render_user(ctx, set_flags(ctx, "users", "user_id", deleted=True))


def restore_user(ctx):
    return _render_user(ctx, set_flags(ctx, "users", "user_id", active=True, deleted=False))


def link_user(ctx):
    body = ctx.body
    user = find(ctx, "users", ctx.params["user_id"])
    users = all_of(ctx, "users")
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
    models.link_users(ctx, user, other)
    return _render_user(ctx, user)


def unlink_user(ctx):
    user = find(ctx, "users", ctx.params["user_id"])
    other_id = ctx.body["user_id"]
    if other_id not in user["linked_users"]:
        raise SandboxError(400, "validation_error", f"user {other_id} is not linked")
    models.unlink_users(ctx, user, other_id)
    return _render_user(ctx, user)


def identify_user(ctx):
    """§6.2: a widget identification code; the same contact data gives the same code."""
    body = ctx.body["user"]
    if body.get("user_email") is not None and not models.valid_email(body["user_email"]):
        raise SandboxError(400, "wrong_email", f"{body['user_email']!r} is not an e-mail address")
    digest = hashlib.sha256(repr((ctx.tenant, sorted(body.items()))).encode()).hexdigest()
    letters = "".join(chr(ord("a") + int(c, 16) % 26) for c in digest[6:8])
    return {"code": f"o_{digest[:6].upper()}_{letters}"}
