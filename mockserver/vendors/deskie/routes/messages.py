"""Deskie views of the Messages tag: a case's messages and private notes.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

from flask import request

from mockserver.core.errors import SandboxError
from mockserver.core.pagination import envelope, paginate

from .. import models, records
from ..models import V, find_case, me, next_id, now_ts, save, zone
from ..schemas import message_out
from .common import EMPTY, all_of, check_active_agent, uploaded_files


def _case_messages(ctx, case_id: int) -> list[dict]:
    return sorted((m for m in all_of(ctx, "messages") if m["case_id"] == case_id),
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
    tz = zone(ctx)
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
        check_active_agent(ctx, staff_id)
    if not user_id and not staff_id:
        staff_id = me(ctx)
    files = uploaded_files(ctx, "message")
    tz, now = zone(ctx), now_ts(ctx)
    created = models.parse_time(body["created_at"], tz)[0] if body.get("created_at") else now
    sent = models.parse_time(body["send_at"], tz)[0] if body.get("send_at") else created
    attachments = models.attachments(ctx, files)
    message_id = next_id(ctx, "messages")
    msg = records.message(message_id, case_id=case["case_id"], user_id=user_id,
                          staff_id=staff_id, content=body.get("content", ""),
                          content_html=body.get("content_html", ""), attachments=attachments,
                          created_at=created, sent_at=max(sent, created))
    save(ctx, "messages", message_id, msg)
    models.message_added(ctx, case, msg)
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
    return {"message": message_out(msg, zone(ctx))}


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
    records.rated(msg, body["rating"], body.get("rating_comment", ""), msg["staff_id"])
    save(ctx, "messages", msg["message_id"], msg)
    models.upsert_rating(ctx, case, msg["message_id"], body["rating"], msg["rating_comment"],
                         msg["staff_id"])
    return {"message": message_out(msg, zone(ctx))}


def create_case_note(ctx):
    """§5.2: a private note by the authenticating agent; the case status is unchanged."""
    body = ctx.body["note"]
    case = find_case(ctx, ctx.params["case_id"])
    attachments = models.attachments(ctx, uploaded_files(ctx, "note"))
    message_id = next_id(ctx, "messages")
    msg = records.message(message_id, case_id=case["case_id"], staff_id=me(ctx),
                          content=body.get("content", ""),
                          content_html=body.get("content_html", ""), attachments=attachments,
                          note=True, created_at=now_ts(ctx))
    save(ctx, "messages", message_id, msg)
    return {"message": message_out(msg, zone(ctx))}


def create_case_note_legacy(ctx):
    return create_case_note(ctx)


def edit_case_note(ctx):
    return _edit_message(ctx, "note", True)


def delete_case_note(ctx):
    return _delete_message(ctx, True)
