"""Teams and their members (page "Teams"; Business plan or higher, a spec gate). Members are
named `userId` on the page and `agentId` by the official client: either is read."""
from __future__ import annotations

from .. import records, schemas
from ..desk import (account, audit, bad, changed, find, mint, missing, no_content, oldest_first,
                    remove, rows, save, unique)
from ..models import now_iso

__all__ = ["list_teams", "create_team", "get_team", "update_team", "delete_team",
           "add_team_member", "remove_team_member"]

FIELDS = ("name", "description", "allowAutoAssign")


def _unique(ctx, name: str, own_id=None) -> None:
    unique(ctx, "teams", "name", name, own_id, f"name: a team named {name} already exists")


def list_teams(ctx):
    account(ctx)
    found = oldest_first(ctx, "teams")
    return [schemas.team(t) for t in found]


def create_team(ctx):
    account(ctx)
    body = ctx.body
    _unique(ctx, body["name"])
    record = save(ctx, "teams", records.team(
        mint(ctx, "teams"), ctx.tenant, name=body["name"], created_at=now_iso(ctx),
        description=body.get("description"),
        allow_auto_assign=body.get("allowAutoAssign", True)))
    audit(ctx, "team.created", teamId=record["id"], teamName=record["name"])
    return schemas.team(record), 201


def get_team(ctx):
    account(ctx)
    record = find(ctx, "teams", ctx.path_params["teamId"])
    return schemas.team_detail(ctx.store, ctx.tenant, record)


def update_team(ctx):
    account(ctx)
    record = find(ctx, "teams", ctx.path_params["teamId"])
    if "name" in ctx.body:
        _unique(ctx, ctx.body["name"], record["id"])
    save(ctx, "teams", changed(record, ctx.body, FIELDS))
    audit(ctx, "team.updated", teamId=record["id"], teamName=record["name"])
    return schemas.team(record)


def delete_team(ctx):
    """Its conversations keep their assignee and lose the team."""
    account(ctx)
    record = find(ctx, "teams", ctx.path_params["teamId"])
    for conv in rows(ctx, "conversations"):
        if conv["teamId"] == record["id"]:
            conv = find(ctx, "conversations", conv["id"])
            conv["teamId"] = None
            conv["updatedAt"] = now_iso(ctx)
            save(ctx, "conversations", conv)
    remove(ctx, "teams", record["id"])
    audit(ctx, "team.deleted", teamId=record["id"], teamName=record["name"])
    return no_content()


def _member(ctx) -> tuple[str, dict]:
    body = ctx.body or {}
    field = "userId" if body.get("userId") else "agentId"
    if not body.get(field):
        raise bad("userId is required (the official client's agentId is read too)")
    return field, find(ctx, "users", body[field], field=field)


def add_team_member(ctx):
    """Adding a member the team has changes nothing."""
    account(ctx)
    record = find(ctx, "teams", ctx.path_params["teamId"])
    _, user = _member(ctx)
    if user["id"] not in record["memberIds"]:
        record["memberIds"].append(user["id"])
        save(ctx, "teams", record)
        audit(ctx, "team.member_added", teamId=record["id"], agentId=user["id"])
    return schemas.team_detail(ctx.store, ctx.tenant, record)


def remove_team_member(ctx):
    """The page: userId in the body; the official client: DELETE with {agentId}. An agent who
    is not a member is 404 naming the field."""
    account(ctx)
    record = find(ctx, "teams", ctx.path_params["teamId"])
    field, user = _member(ctx)
    if user["id"] not in record["memberIds"]:
        raise missing("users", f"{user['id']} in team", field)
    record["memberIds"].remove(user["id"])
    save(ctx, "teams", record)
    audit(ctx, "team.member_removed", teamId=record["id"], agentId=user["id"])
    return schemas.team_detail(ctx.store, ctx.tenant, record)
