"""What Deskwoot's views share: the account a path names (only the caller's own; any other is a
404, so another account's ids are never reachable), lookups that answer the page's 404, the
calling user, record writes, domain events, audit entries and notifications, pages of a list.

Sources: vendor-docs/deskwoot-api.txt ("Errors": `{"error": "…"}` with 400/401/403/404/409).
"""
from __future__ import annotations

from flask import Response

from mockserver.core.errors import SandboxError
from mockserver.core.pagination import paginate

from . import records
from .ids import V, new_id
from .models import now_iso

NOT_FOUND = "not_found"
INVALID = "validation_error"
CONFLICT = "conflict"
WHAT = {"conversations": "Conversation", "contacts": "Contact", "inboxes": "Inbox",
        "labels": "Label", "teams": "Team", "users": "Agent", "api_tokens": "API token",
        "messages": "Message", "custom_roles": "Custom role", "notifications": "Notification",
        "canned_responses": "Canned response", "macros": "Macro",
        "custom_attributes": "Custom attribute", "sla_policies": "SLA policy", "bots": "Bot",
        "webhooks": "Webhook", "automation_rules": "Automation rule", "campaigns": "Campaign"}


def bad(message: str) -> SandboxError:
    return SandboxError(400, INVALID, message)


def conflict(message: str) -> SandboxError:
    return SandboxError(409, CONFLICT, message)


def missing(collection: str, record_id, field: str | None = None) -> SandboxError:
    what = WHAT.get(collection, collection)
    where = f"{field}: " if field else ""
    return SandboxError(404, NOT_FOUND, f"{where}{what} {record_id} not found")


def account(ctx) -> dict:
    """The account of the path's {accountId}: the caller's own, else 404 (as if it did not
    exist: the sandbox never tells a caller that another account's id is real)."""
    wanted = ctx.path_params.get("accountId", ctx.tenant)
    if wanted != ctx.tenant:
        raise SandboxError(404, NOT_FOUND, f"Account {wanted} not found")
    return ctx.store.peek(V, ctx.tenant, "account", ctx.tenant)


def find(ctx, collection: str, record_id, *, field: str | None = None) -> dict:
    """A private copy of one of the account's records, or the page's 404."""
    record = ctx.store.get(V, ctx.tenant, collection, record_id) if record_id else None
    if record is None:
        raise missing(collection, record_id, field)
    return record


def peek(ctx, collection: str, record_id) -> dict | None:
    return ctx.store.peek(V, ctx.tenant, collection, record_id) if record_id else None


def rows(ctx, collection: str) -> list[dict]:
    return ctx.store.all(V, ctx.tenant, collection)


def save(ctx, collection: str, record: dict) -> dict:
    ctx.store.put(V, ctx.tenant, collection, record["id"], record)
    return record


def remove(ctx, collection: str, record_id) -> None:
    ctx.store.delete(V, ctx.tenant, collection, record_id)


def mint(ctx, collection: str) -> str:
    return new_id(ctx, collection)


def me(ctx) -> dict:
    return ctx.store.peek(V, ctx.tenant, "users", ctx.principal.attrs["user_id"])


def emit(ctx, event: str, **data) -> None:
    """A domain event (the webhook names of the page), handed on only if the request commits."""
    ctx.store.emit(event, V, ctx.tenant, **data)


def audit(ctx, action: str, **details) -> None:
    """One audit-log entry for an audited action (`inbox.created` and the like), by the caller."""
    save(ctx, "audit_logs", records.audit_log(mint(ctx, "audit_logs"), action=action,
                                              created_at=now_iso(ctx), actor=me(ctx),
                                              details=details))


def notify(ctx, user_id: str | None, kind: str, conversation: dict) -> None:
    """A notification for `user_id` (not for the caller's own actions)."""
    if not user_id or user_id == ctx.principal.attrs.get("user_id"):
        return
    who = peek(ctx, "contacts", conversation["contactId"])
    save(ctx, "notifications", records.notification(
        mint(ctx, "notifications"), user_id=user_id, type=kind, created_at=now_iso(ctx),
        conversation_id=conversation["id"], contact_name=who.get("name") if who else None))


def page_of(ctx, items: list, default_size: int = 25):
    page = ctx.query.get("page") or 1
    size = ctx.query.get("pageSize") or default_size
    return paginate(items, page, size)


def no_content() -> Response:
    return Response(status=204)


def notify_assignment(ctx, conversation: dict, assignee_id: str | None) -> None:
    """The notification an assignment gives its new assignee (`conversation_assigned`; none
    for assigning oneself or for unassigning)."""
    notify(ctx, assignee_id, "conversation_assigned", conversation)


def oldest_first(ctx, collection: str) -> list[dict]:
    """The account's records of a collection in creation order (ties by id): how the lists
    without a sort parameter answer."""
    return sorted(rows(ctx, collection), key=lambda r: (r["createdAt"], r["id"]))


def taken(ctx, collection: str, field: str, value, own_id=None, *, where=None) -> bool:
    """Whether another of the account's records (`where` narrows them) already holds `value`
    in `field`, compared case-insensitively."""
    folded = str(value).casefold()
    return any(r["id"] != own_id and str(r.get(field) or "").casefold() == folded
               and (where is None or where(r)) for r in rows(ctx, collection))


def unique(ctx, collection: str, field: str, value, own_id, message: str) -> None:
    """409 with `message` when another of the account's records holds `value` in `field`."""
    if taken(ctx, collection, field, value, own_id):
        raise conflict(message)


def changed(record: dict, body: dict, fields) -> dict:
    """`record` with the body's values for those of `fields` the body names."""
    record.update({k: body[k] for k in fields if k in body})
    return record
