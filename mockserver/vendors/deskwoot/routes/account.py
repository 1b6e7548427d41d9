"""Account settings: read and update name, locale, timezone, auto-resolve, brand colour and
live translation (page "Account Settings")."""
from __future__ import annotations

from .. import schemas
from ..desk import account, audit, changed, find, save
from .business_hours import check_timezone

__all__ = ["get_account_settings", "update_account_settings"]

FIELDS = ("name", "locale", "timezone", "autoResolveEnabled", "autoResolveDuration",
          "brandColor", "liveTranslateEnabled", "liveTranslateTargetLang")


def get_account_settings(ctx):
    return schemas.account_settings(account(ctx))


def update_account_settings(ctx):
    account(ctx)
    body = ctx.body
    if "timezone" in body:
        check_timezone(body["timezone"])
    record = find(ctx, "account", ctx.tenant)
    save(ctx, "account", changed(record, body, FIELDS))
    audit(ctx, "settings.updated", fields=sorted(k for k in FIELDS if k in body))
    return schemas.account_settings(record)
