"""Messages of a conversation: list (with sender and attachments), send (private notes,
OUTGOING/INCOMING, the client's contentType, cc and bcc) and upload an attachment (multipart,
10 MB per file) — page "Messages"."""
from __future__ import annotations

from mockserver.core.errors import SandboxError

from .. import records, schemas
from .. import conversation_rules as rules
from ..desk import emit, find, me, mint, save
from ..models import now_iso

__all__ = ["list_messages", "send_message", "upload_attachment"]

MAX_FILE = 10 * 1024 * 1024  # page: "Max file size: 10 MB"


def list_messages(ctx):
    conv = find(ctx, "conversations", ctx.path_params["conversationId"])
    return [schemas.message(ctx.store, ctx.tenant, m)
            for m in schemas.messages_of(ctx.store, ctx.tenant, conv["id"])]


def _post(ctx, conv: dict, *, content, message_type="OUTGOING", private=False, **extra):
    now = now_iso(ctx)
    incoming = message_type == "INCOMING"
    record = save(ctx, "messages", records.message(
        mint(ctx, "messages"), conv["id"], content=content, message_type=message_type,
        created_at=now, sender_type="contact" if incoming else "user",
        sender_id=conv["contactId"] if incoming else me(ctx)["id"], private=private, **extra))
    rules.touch(ctx, conv, now)
    if incoming:  # the contact wrote: its activity (the contact segments read it)
        contact = find(ctx, "contacts", conv["contactId"])
        contact["lastActivityAt"] = now
        save(ctx, "contacts", contact)
    rendered = schemas.message(ctx.store, ctx.tenant, record)
    emit(ctx, "message.created", message=rendered, conversationId=conv["id"])
    return rendered, 201


def send_message(ctx):
    conv = find(ctx, "conversations", ctx.path_params["conversationId"])
    body = ctx.body
    return _post(ctx, conv, content=body["content"],
                 message_type=body.get("messageType") or "OUTGOING",
                 private=bool(body.get("private", False)),
                 content_type=body.get("contentType") or "TEXT",
                 cc=body.get("cc") or [], bcc=body.get("bcc") or [])


def upload_attachment(ctx):
    conv = find(ctx, "conversations", ctx.path_params["conversationId"])
    upload = (ctx.uploads or {}).get("file")
    if upload is None or not getattr(upload, "filename", ""):
        raise SandboxError(400, "validation_error", "file is required (multipart field `file`)")
    data = upload.read()
    if len(data) > MAX_FILE:
        raise SandboxError(413, "request_too_large",
                           f"file: {upload.filename} is larger than 10 MB")
    body = ctx.body or {}
    attachment = records.attachment(
        mint(ctx, "attachments"), file_name=upload.filename, file_size=len(data),
        content_type=upload.mimetype or "application/octet-stream", created_at=now_iso(ctx))
    return _post(ctx, conv, content=body.get("content") or None,
                 private=bool(body.get("private", False)), attachments=[attachment])
