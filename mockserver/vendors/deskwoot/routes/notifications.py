"""Notifications of the signed-in user: a page of them with `unreadCount`, and marking one or
all read (page "Notifications"; session only, a spec gate). Assignments create them
(desk.notify_assignment)."""
from __future__ import annotations

from .. import schemas
from ..desk import account, bad, find, me, missing, page_of, rows, save

__all__ = ["list_notifications", "mark_notifications_read"]


def _mine(ctx) -> list:
    user_id = me(ctx)["id"]
    return [n for n in rows(ctx, "notifications") if n["userId"] == user_id]


def _unread(ctx) -> int:
    return sum(1 for n in _mine(ctx) if not n["read"])


def list_notifications(ctx):
    """Newest first, 20 a page unless `pageSize` says otherwise."""
    account(ctx)
    found = sorted(_mine(ctx), key=lambda n: (n["createdAt"], n["id"]), reverse=True)
    page = page_of(ctx, found, default_size=20)
    return {"data": [schemas.notification(n) for n in page.items],
            "meta": {"page": page.page, "pageSize": page.limit, "total": page.total,
                     "unreadCount": sum(1 for n in found if not n["read"])}}


def mark_notifications_read(ctx):
    """`markAllRead: true` marks every one of the caller's; `notificationId` one of them
    (another user's is a 404). Neither is 400."""
    account(ctx)
    body = ctx.body
    if body.get("markAllRead") is True:
        targets = [find(ctx, "notifications", n["id"]) for n in _mine(ctx) if not n["read"]]
    elif body.get("notificationId"):
        found = find(ctx, "notifications", body["notificationId"], field="notificationId")
        if found["userId"] != me(ctx)["id"]:
            raise missing("notifications", found["id"], "notificationId")
        targets = [found] if not found["read"] else []
    else:
        raise bad("markAllRead: send markAllRead: true or a notificationId")
    for n in targets:
        n["read"] = True
        save(ctx, "notifications", n)
    return {"updated": len(targets), "unreadCount": _unread(ctx)}
