"""Billing: the plan's seats and period (`activeAgents` counts the account's agents), the AI
conversation meter with its plan caps and overage, auto-recharge settings (the legacy
`addBalance` is 410 Gone), and the prepaid top-up (402 `upgradeRequired` on Hacker) — page
"Billing"."""
from __future__ import annotations

from datetime import datetime, timezone

from mockserver.core.clock import iso_z
from mockserver.core.errors import SandboxError

from .. import records
from ..desk import account, audit, bad, find, mint, peek, rows, save

__all__ = ["get_billing", "get_ai_billing", "update_ai_billing", "stripe_topup"]

# page: "Plan caps: Hacker 10/month (no overage), Startup 100 ($0.07/conv), Business 200
# ($0.05/conv), Enterprise 500 ($0.03/conv). topUpAllowed: false on Hacker."
AI_PLANS = {"HACKER": (10, None), "STARTUP": (100, 0.07), "BUSINESS": (200, 0.05),
            "ENTERPRISE": (500, 0.03)}


def _month(at: datetime, shift: int = 0) -> datetime:
    index = at.year * 12 + at.month - 1 + shift
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=timezone.utc)


def _upgrade_required(message: str) -> SandboxError:
    return SandboxError(402, "payment_required", message, extra={"upgradeRequired": True})


def get_billing(ctx):
    acc = account(ctx)
    return {"plan": acc["plan"], "status": "ACTIVE", "agentSeats": acc["maxAgents"],
            "activeAgents": len(rows(ctx, "users")), "trialEndsAt": None,
            "currentPeriodEnd": iso_z(_month(ctx.clock.now(), 1))}


def _meter(ctx) -> dict:
    """A private copy of the account's meter (a fresh one if the state has none)."""
    if peek(ctx, "ai_meter", ctx.tenant) is None:
        return records.ai_meter(ctx.tenant)
    return find(ctx, "ai_meter", ctx.tenant)


def _period(plan: str, start: str, used: int) -> dict:
    included, price = AI_PLANS[plan]
    over = max(0, used - included) if price is not None else 0
    begins = datetime.fromisoformat(start.replace("Z", "+00:00"))
    return {"periodStart": start, "periodEnd": iso_z(_month(begins, 1)),
            "conversationsUsed": used, "conversationsIncluded": included,
            "overageConversations": over, "overageCostUsd": round(over * (price or 0), 2)}


def _ai_billing(ctx, acc: dict, meter: dict) -> dict:
    """The calendar month of the sandbox clock is the current period; earlier months are the
    history (newest first)."""
    plan = acc["plan"]
    now = ctx.clock.now()
    current = iso_z(_month(now))
    used = {u["periodStart"]: u["conversations"] for u in meter["usage"]}
    period = _period(plan, current, used.get(current, 0))
    this_month = sum(1 for r in meter["recharges"] if r >= current)
    history = [_period(plan, start, n) for start, n in sorted(used.items(), reverse=True)
               if start < current]
    return {"plan": plan, "conversationsUsed": period["conversationsUsed"],
            "conversationsIncluded": period["conversationsIncluded"], "unlimited": False,
            "overageConversations": period["overageConversations"],
            "overagePrice": AI_PLANS[plan][1], "overageCostUsd": period["overageCostUsd"],
            "prepaidBalance": round(meter["prepaidBalance"], 2),
            "topUpAllowed": plan != "HACKER",
            "autoRecharge": {"enabled": meter["autoRechargeEnabled"],
                             "amount": meter["autoRechargeAmount"],
                             "maxPerMonth": meter["autoRechargeMaxPerMonth"],
                             "currentCount": this_month},
            "usageHistory": history}


def get_ai_billing(ctx):
    acc = account(ctx)
    return _ai_billing(ctx, acc, _meter(ctx))


def update_ai_billing(ctx):
    """Page: "The legacy addBalance field is rejected with 410 Gone, top-ups must go through
    /v1/stripe/topup". Auto-recharge tops up too, so Hacker cannot enable it (402)."""
    acc = account(ctx)
    body = ctx.body
    if "addBalance" in body:
        raise SandboxError(410, "gone", "addBalance is no longer supported: top up through "
                                        "POST /v1/stripe/topup")
    if body.get("autoRechargeEnabled") and acc["plan"] == "HACKER":
        raise _upgrade_required("autoRechargeEnabled: auto-recharge is not available on the "
                                "HACKER plan")
    meter = _meter(ctx)
    for key in ("autoRechargeEnabled", "autoRechargeAmount", "autoRechargeMaxPerMonth"):
        if key in body:
            meter[key] = body[key]
    save(ctx, "ai_meter", meter)
    audit(ctx, "ai_billing.updated", autoRechargeEnabled=meter["autoRechargeEnabled"],
          autoRechargeAmount=meter["autoRechargeAmount"],
          autoRechargeMaxPerMonth=meter["autoRechargeMaxPerMonth"])
    return _ai_billing(ctx, acc, meter)


def stripe_topup(ctx):
    """The sandbox books the amount at once (there is no payment to wait for) and answers a
    checkout URL of the same shape a real one has. Another account's id is a 404; a Hacker
    account is 402 with `upgradeRequired: true` (page)."""
    body = ctx.body
    if body["accountId"] != ctx.tenant:
        raise SandboxError(404, "not_found", f"accountId: Account {body['accountId']} not found")
    acc = account(ctx)
    if acc["plan"] == "HACKER":
        raise _upgrade_required("Top-ups are not available on the HACKER plan: upgrade to buy "
                                "AI conversations")
    if round(body["amount"], 2) != body["amount"]:
        raise bad("amount: at most two decimal places")
    meter = _meter(ctx)
    meter["prepaidBalance"] = round(meter["prepaidBalance"] + body["amount"], 2)
    save(ctx, "ai_meter", meter)
    session = mint(ctx, "topups")
    audit(ctx, "billing.topup", amount=body["amount"])
    return {"accountId": ctx.tenant, "amount": body["amount"],
            "prepaidBalance": meter["prepaidBalance"],
            "checkoutUrl": f"https://checkout.stripe.com/c/pay/cs_test_{session}"}
