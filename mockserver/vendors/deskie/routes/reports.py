"""Deskie views of the Reports tag; the figures themselves are computed in deskie.reports.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

from mockserver.core.pagination import envelope, paginate

from .. import reports
from .common import page_envelope


def stats_leaderboard(ctx):
    """Reports page, Leaderboard: keyed `{"staff": row}` items, no count; `[]` when empty."""
    def compute():
        rows = reports.leaderboard(ctx)
        if not rows:
            return []
        return envelope(ctx.operation.pagination, paginate(rows, 1, len(rows)), rows, "staff")
    return reports.cached(ctx, compute)


def stats_staff_statuses(ctx):
    """Reports page, Agent statuses: 100 changes per page and a last_page flag."""
    rows = reports.staff_status_changes(ctx)
    return envelope(ctx.operation.pagination, paginate(rows, ctx.query.get("page", 1), 100),
                    rows[(ctx.query.get("page", 1) - 1) * 100:ctx.query.get("page", 1) * 100],
                    "status_change")


def stats_satisfaction(ctx):
    """Reports page, Satisfaction ratings: unwrapped rows plus total_count."""
    def compute():
        return page_envelope(ctx, reports.satisfaction(ctx), None)
    return reports.cached(ctx, compute)
