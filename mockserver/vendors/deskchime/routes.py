"""DeskChime views, one per operationId. Thin: read validated params, ask models, render."""
from __future__ import annotations

from operator import itemgetter

from mockserver.core.memo import remembered
from mockserver.core.pagination import envelope, paginate
from mockserver.core.rendering import RecordRenderer

from . import models
from .models import V
from .schemas import (FeedbackDetailOut, FeedbackSummaryOut, GoalDetailOut, GoalSummaryOut,
                      MeetingOut, OneOnOneOut, UserOut, user_ref, with_users)

__all__ = ["get_workspace_stats", "get_user_workspace_stats", "list_users", "list_feedback",
           "get_feedback", "list_goals", "get_goal", "list_meetings", "list_one_on_ones",
           "get_user_activity"]

# Renderings that depend on the record alone are remembered per record (core.rendering).
_users_out = RecordRenderer(UserOut)
_feedback_out = RecordRenderer(FeedbackSummaryOut)
_meetings_out = RecordRenderer(MeetingOut)
_feedback_detail = FeedbackDetailOut()
_goal_detail = GoalDetailOut()


def _page(ctx, records, render):
    page = paginate(records, ctx.query["page"], ctx.query["limit"])
    return envelope(ctx.operation.pagination, page, render(page.items))


def _listed(ctx, collection: str, order: str, newest_first: bool, **wanted) -> list[dict]:
    """The collection's records equal to `wanted` (None = any), by `order` then id; kept until
    the collection changes (core.memo)."""
    return remembered(ctx, "lists", (collection,),
                      (collection, order, newest_first, tuple(sorted(wanted.items()))),
                      lambda: sorted(_where(ctx.store.all(V, ctx.tenant, collection), **wanted),
                                     key=itemgetter(order, "id"), reverse=newest_first))


def _where(records, **wanted):
    wanted = {k: v for k, v in wanted.items() if v is not None}
    if not wanted:
        return records
    return [r for r in records if all(r.get(k) == v for k, v in wanted.items())]


def get_workspace_stats(ctx):
    org = ctx.store.get(V, ctx.tenant, "organization", ctx.tenant)
    return {"success": True,
            "organization": {"id": org["id"], "name": org["name"], "slug": org["slug"]},
            "stats": models.workspace_counts(ctx.store, ctx.tenant)}


def get_user_workspace_stats(ctx):
    user = models.find_user_by_email(ctx.store, ctx.tenant, ctx.body["email"])
    stats = models.user_activity(ctx.store, ctx.tenant, user["id"])
    return {"success": True, "user": user_ref(user), "stats": {
        "feedbacksGiven": stats["feedback"]["given"],
        "feedbacksReceived": stats["feedback"]["received"],
        "totalGoals": stats["goals"]["total"],
        "completedGoals": stats["goals"]["completed"],
        "oneOnOnes": stats["oneOnOnes"]}}


def list_users(ctx):
    users = _listed(ctx, "users", "joinedAt", False, role=ctx.query.get("role"))
    return _page(ctx, users, _users_out.many)


def list_feedback(ctx):
    forms = _listed(ctx, "feedback", "createdAt", True, status=ctx.query.get("status"))
    return _page(ctx, forms, _feedback_out.many)


def get_feedback(ctx):
    form = models.find(ctx.store, ctx.tenant, "feedback", ctx.params["id"], "feedback")
    return {"data": _feedback_detail.dump(form)}


def list_goals(ctx):
    goals = _listed(ctx, "goals", "createdAt", True, status=ctx.query.get("status"),
                    type=ctx.query.get("type"))
    users = models.users_by_id(ctx.store, ctx.tenant)
    return _page(ctx, goals, with_users(GoalSummaryOut, users, many=True).dump)


def get_goal(ctx):
    goal = models.find(ctx.store, ctx.tenant, "goals", ctx.params["id"], "goal")
    return {"data": _goal_detail.dump(goal)}


def _meetings(ctx, kind):
    start = models.parse_bound("from", ctx.query.get("from"), end=False)
    stop = models.parse_bound("to", ctx.query.get("to"), end=True)
    return models.in_range(_listed(ctx, "meetings", "scheduledAt", True, type=kind),
                           "scheduledAt", start, stop)


def list_meetings(ctx):
    return _page(ctx, _meetings(ctx, ctx.query.get("type")), _meetings_out.many)


def list_one_on_ones(ctx):
    users = models.users_by_id(ctx.store, ctx.tenant)
    return _page(ctx, _meetings(ctx, "ONE_ON_ONE"),
                 with_users(OneOnOneOut, users, many=True).dump)


def get_user_activity(ctx):
    user = models.find_user_by_email(ctx.store, ctx.tenant, ctx.body["email"])
    stats = models.user_activity(ctx.store, ctx.tenant, user["id"])
    return {"user": {"id": user["id"], "name": user["name"], "email": user["email"]},
            "stats": stats, "responsiveness": models.responsiveness(stats)}
