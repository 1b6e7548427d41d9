"""GET /api/v1/me: the caller, from a token or a session (page "Finding your account ID")."""
from __future__ import annotations

from .. import schemas
from ..desk import me

__all__ = ["get_me"]


def get_me(ctx):
    attrs = ctx.principal.attrs
    token = attrs["scheme"] == "bearer"
    return {"user": schemas.user_brief(me(ctx)), "accountId": ctx.tenant,
            "accountIds": [ctx.tenant], "authMethod": "api_token" if token else "session",
            "scopes": list(attrs["scopes"]) if token else []}
