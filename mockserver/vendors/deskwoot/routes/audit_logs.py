"""Audit logs: the account's audited actions, newest first, 25 a page (page "Audit Logs";
Enterprise and admin only, spec gates). Every audited view writes one through desk.audit."""
from __future__ import annotations

import math

from .. import schemas
from ..desk import account, page_of, rows

__all__ = ["list_audit_logs"]


def list_audit_logs(ctx):
    account(ctx)
    found = sorted(rows(ctx, "audit_logs"), key=lambda r: (r["createdAt"], r["id"]),
                   reverse=True)
    page = page_of(ctx, found, default_size=25)
    return {"data": [schemas.audit_log(r) for r in page.items],
            "meta": {"page": page.page, "pageSize": page.limit, "total": page.total,
                     "totalPages": math.ceil(page.total / page.limit)}}
