"""Webhooks: list, create (with its signing secret, shown in this answer only), update (URL,
subscriptions, active) and delete — page "Webhooks"; session, admin only (spec data). Delivery
is the core's (webhook_style)."""
from __future__ import annotations

from urllib.parse import urlsplit

from .. import records_hooks
from ..desk import account, bad, find, mint, no_content, oldest_first, remove, save
from ..models import now_iso
from ..webhook_style import EVENTS, secret

__all__ = ["list_webhooks", "create_webhook", "update_webhook", "delete_webhook"]


def _url(value: str) -> str:
    """http(s) with a host. The page asks for HTTPS; the sandbox also takes http:// so a local
    receiver can be used (deliveries go to loopback only unless --webhook-allow names a host)."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad("url: must be an http(s) URL with a host")
    return value


def _subscriptions(body: dict) -> list | None:
    """The page's `subscriptions` or the client's `events` (the same list; both given must
    agree); None when neither is."""
    given = [body[k] for k in ("subscriptions", "events") if body.get(k) is not None]
    if not given:
        return None
    if len(given) == 2 and set(given[0]) != set(given[1]):
        raise bad("subscriptions: `subscriptions` and `events` name different events")
    return list(dict.fromkeys(given[0]))


def list_webhooks(ctx):
    account(ctx)
    found = oldest_first(ctx, "webhooks")
    return [records_hooks.webhook_answer(w) for w in found]


def create_webhook(ctx):
    account(ctx)
    body = ctx.body
    ident = mint(ctx, "webhooks")
    chosen = _subscriptions(body)
    record = save(ctx, "webhooks", records_hooks.webhook(
        ident, ctx.tenant, url=_url(body["url"]),
        subscriptions=list(EVENTS) if chosen is None else chosen,  # omitted: every event
        secret=secret(ctx.runtime.randomness(), ctx.tenant, ident), created_at=now_iso(ctx),
        active=body.get("active", True)))
    return records_hooks.webhook_answer(record, with_secret=True), 201


def update_webhook(ctx):
    account(ctx)
    record = find(ctx, "webhooks", ctx.path_params["webhookId"])
    body = ctx.body
    if "url" in body:
        record["url"] = _url(body["url"])
    chosen = _subscriptions(body)
    if chosen is not None:
        record["subscriptions"] = chosen
    if "active" in body:
        record["active"] = body["active"]
    save(ctx, "webhooks", record)
    return records_hooks.webhook_answer(record)


def delete_webhook(ctx):
    account(ctx)
    find(ctx, "webhooks", ctx.path_params["webhookId"])
    remove(ctx, "webhooks", ctx.path_params["webhookId"])
    return no_content()
