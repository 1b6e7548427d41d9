"""API tokens (page "API Tokens": Enterprise, session, admin only; the spec's gates). The value
is `dw_` + 64 hex, minted from the seed, shown only in the create answer and stored as its
SHA-256 digest; revoking deletes the token, so the next request with it is a 401."""
from __future__ import annotations

from mockserver.core.clock import iso_z

from .. import records, schemas
from ..desk import account, audit, bad, find, mint, no_content, oldest_first, remove, save
from ..ids import digest, token_value
from ..models import instant, last_used, now_iso

__all__ = ["list_api_tokens", "create_api_token", "revoke_api_token"]


def list_api_tokens(ctx):
    account(ctx)
    found = oldest_first(ctx, "api_tokens")
    return [schemas.api_token(t, last_used(ctx.runtime, t["id"])) for t in found]


def create_api_token(ctx):
    account(ctx)
    body = ctx.body or {}
    expires = body.get("expiresAt")
    if expires is not None and instant(expires) <= ctx.clock.now():
        raise bad("expiresAt must be in the future")
    token_id = mint(ctx, "api_tokens")
    value = token_value(ctx.runtime.randomness(), token_id)
    record = save(ctx, "api_tokens", records.api_token(
        token_id, ctx.tenant, user_id=ctx.principal.attrs["user_id"], name=body.get("name"),
        scopes=body.get("scopes") or ["read", "write"], token_hash=digest(value),
        created_at=now_iso(ctx), expires_at=expires and iso_z(instant(expires))))
    audit(ctx, "api_token.created", tokenName=record["name"])
    return {**schemas.api_token(record, None), "token": value}, 201


def revoke_api_token(ctx):
    account(ctx)
    record = find(ctx, "api_tokens", ctx.path_params["tokenId"])
    remove(ctx, "api_tokens", record["id"])
    audit(ctx, "api_token.revoked", tokenName=record["name"])
    return no_content()
