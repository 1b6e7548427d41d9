"""Agents: list (with maxAgents and plan), invite within the plan's seats, change a role or
custom role, remove (their conversations become unassigned) — page "Agents"."""
from __future__ import annotations

from mockserver.core.errors import SandboxError

from .. import records, schemas
from .. import conversation_rules as rules
from ..desk import (account, audit, bad, conflict, find, me, mint, no_content, oldest_first, peek,
                    remove, rows, save)
from ..ids import session_value
from ..models import now_iso

__all__ = ["list_agents", "invite_agent", "update_agent", "remove_agent"]


def _entry(ctx, user: dict) -> dict:
    return schemas.agent(user, peek(ctx, "custom_roles", user.get("customRoleId")))


def list_agents(ctx):
    acc = account(ctx)
    users = oldest_first(ctx, "users")
    return {"agents": [_entry(ctx, u) for u in users], "maxAgents": acc["maxAgents"],
            "plan": acc["plan"]}


def invite_agent(ctx):
    """Within `maxAgents` (403 beyond, as a plan limit); 409 on an email already in the
    account. The page requires name; the official client sends only email and role, so a
    missing name is taken from the email's local part."""
    acc = account(ctx)
    body = ctx.body
    email = body["email"]
    if any(u["email"].casefold() == email.casefold() for u in rows(ctx, "users")):
        raise conflict(f"email: an agent with the email {email} already exists")
    if len(rows(ctx, "users")) >= acc["maxAgents"]:
        raise SandboxError(403, "forbidden", f"Agent limit reached: the {acc['plan']} plan "
                                             f"allows {acc['maxAgents']} agents (maxAgents)")
    role_id = body.get("customRoleId")
    if role_id is not None:
        find(ctx, "custom_roles", role_id, field="customRoleId")
    user_id = mint(ctx, "users")
    name = (body.get("name") or "").strip() or email.split("@")[0]
    user = save(ctx, "users", records.user(
        user_id, ctx.tenant, name=name, email=email, role=body.get("role") or "AGENT",
        created_at=now_iso(ctx), session=session_value(ctx.runtime.randomness(), user_id),
        custom_role_id=role_id, availability="OFFLINE"))
    audit(ctx, "agent.invited", agentId=user_id, email=email, role=user["role"])
    return _entry(ctx, user), 201


def _admins(ctx) -> list:
    return [u for u in rows(ctx, "users") if u["role"] == "ADMINISTRATOR"]


def update_agent(ctx):
    account(ctx)
    user = find(ctx, "users", ctx.path_params["agentId"])
    body = ctx.body
    if body.get("role") == "AGENT" and user["role"] == "ADMINISTRATOR" \
            and len(_admins(ctx)) == 1:
        raise bad("role: the account keeps at least one ADMINISTRATOR")
    if "customRoleId" in body and body["customRoleId"] is not None:
        find(ctx, "custom_roles", body["customRoleId"], field="customRoleId")
    before = (user["role"], user["customRoleId"])
    user.update({k: body[k] for k in ("role", "customRoleId") if k in body})
    save(ctx, "users", user)
    if before != (user["role"], user["customRoleId"]):
        audit(ctx, "agent.updated", agentId=user["id"], role=user["role"],
              customRoleId=user["customRoleId"])
    return _entry(ctx, user)


def remove_agent(ctx):
    """The agent leaves the account: their conversations become unassigned, they leave every
    team, their notifications, personal macros and API tokens go with them."""
    account(ctx)
    user = find(ctx, "users", ctx.path_params["agentId"])
    if user["role"] == "ADMINISTRATOR" and len(_admins(ctx)) == 1:
        raise bad("agentId: the account's last ADMINISTRATOR cannot be removed")
    if user["id"] == me(ctx)["id"]:
        raise bad("agentId: you cannot remove yourself")
    unassigned = 0
    for conv in rows(ctx, "conversations"):
        if conv["assigneeId"] == user["id"]:
            rules.apply(ctx, find(ctx, "conversations", conv["id"]), {"assigneeId": None})
            unassigned += 1
    for team in rows(ctx, "teams"):
        if user["id"] in team["memberIds"]:
            team = find(ctx, "teams", team["id"])
            team["memberIds"].remove(user["id"])
            save(ctx, "teams", team)
    for collection, owner in (("notifications", "userId"), ("api_tokens", "userId"),
                              ("macros", "createdById")):
        for r in rows(ctx, collection):
            if r.get(owner) == user["id"] and (collection != "macros"
                                                or r["visibility"] == "PERSONAL"):
                remove(ctx, collection, r["id"])
    remove(ctx, "users", user["id"])
    audit(ctx, "agent.removed", agentId=user["id"], email=user["email"],
          conversationsUnassigned=unassigned)
    return no_content()
