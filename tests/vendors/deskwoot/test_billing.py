"""Billing through HTTP: seats and activeAgents (counting the agents), the AI meter with the
plan caps, overage prices and history on the clock, auto-recharge settings (410 Gone for the
legacy addBalance), and the prepaid top-up (402 upgradeRequired on Hacker)."""
from __future__ import annotations

import pytest

from .conftest import session


def test_billing_counts_the_agents(dw, ent, state):
    status, got = dw("/accounts/{acc}/billing", headers=session(ent))
    assert status == 200 and got["plan"] == "ENTERPRISE" and got["agentSeats"] == 10
    assert got["activeAgents"] == len(state("users")) == 5
    assert got["currentPeriodEnd"] == "2026-07-01T00:00:00Z"  # the clock is 2026-06-15
    assert dw("/accounts/{acc}/agents", method="POST", headers=session(ent),
              json={"name": "New", "email": "new@acme-support.example.com"})[0] == 201
    assert dw("/accounts/{acc}/billing", headers=session(ent))[1]["activeAgents"] == 6
    assert dw("/accounts/{acc}/billing", headers=session(ent, "AGENT", 0))[0] == 403
    assert dw("/accounts/{acc}/billing")[0] == 403  # a token


@pytest.mark.parametrize("plan,included,price,used", [
    ("HACKER", 10, None, 7), ("STARTUP", 100, 0.07, 64), ("BUSINESS", 200, 0.05, 231),
    ("ENTERPRISE", 500, 0.03, 499)])
def test_ai_meter_caps_and_overage(dw, creds, plan, included, price, used):
    account = creds[plan]
    status, got = dw(f"/accounts/{account['id']}/ai-billing", headers=session(account))
    assert status == 200 and got["plan"] == plan
    assert (got["conversationsIncluded"], got["overagePrice"], got["conversationsUsed"]) == \
        (included, price, used)
    over = max(0, used - included)
    assert got["overageConversations"] == over
    assert got["overageCostUsd"] == round(over * (price or 0), 2)
    assert got["topUpAllowed"] is (plan != "HACKER")
    assert got["usageHistory"][0]["periodStart"] == "2026-05-01T00:00:00Z"
    assert got["usageHistory"][0]["periodEnd"] == "2026-06-01T00:00:00Z"


def test_history_follows_the_clock(dw, ent, control):
    _, before = dw("/accounts/{acc}/ai-billing", headers=session(ent))
    assert [p["conversationsUsed"] for p in before["usageHistory"]] == [487, 512]
    april = before["usageHistory"][1]  # 512 used of 500, at $0.03 each beyond
    assert april["overageConversations"] == 12 and april["overageCostUsd"] == 0.36
    control.post("/clock", json={"now": "2026-07-02T09:00:00Z"})
    _, after = dw("/accounts/{acc}/ai-billing", headers=session(ent))
    assert after["conversationsUsed"] == 0
    assert after["usageHistory"][0]["conversationsUsed"] == before["conversationsUsed"]


def test_auto_recharge_settings_and_the_legacy_add_balance(dw, ent, creds):
    path = "/accounts/{acc}/ai-billing"
    status, got = dw(path, method="PATCH", headers=session(ent),
                     json={"autoRechargeEnabled": False, "autoRechargeAmount": 50,
                           "autoRechargeMaxPerMonth": 2})
    assert status == 200
    assert got["autoRecharge"] == {"enabled": False, "amount": 50, "maxPerMonth": 2,
                                   "currentCount": 0}
    assert dw(path, headers=session(ent))[1]["autoRecharge"] == got["autoRecharge"]
    status, answer = dw(path, method="PATCH", headers=session(ent),
                        json={"addBalance": 20, "autoRechargeAmount": 70})
    assert status == 410 and "/v1/stripe/topup" in answer["error"]
    assert dw(path, headers=session(ent))[1]["autoRecharge"]["amount"] == 50
    status, answer = dw(path, method="PATCH", headers=session(ent),
                        json={"autoRechargeAmount": 5})
    assert status == 400 and "autoRechargeAmount" in answer["error"]
    assert dw(path, method="PATCH", headers=session(ent, "AGENT", 1),
              json={"autoRechargeEnabled": True})[0] == 403
    hacker = creds["HACKER"]
    status, answer = dw(f"/accounts/{hacker['id']}/ai-billing", method="PATCH",
                        headers=session(hacker), json={"autoRechargeEnabled": True})
    assert status == 402 and answer["upgradeRequired"] is True
    # any member reads the meter
    assert dw(path, headers=session(ent, "AGENT", 0))[0] == 200


def test_topup(dw, ent, creds):
    _, before = dw("/accounts/{acc}/ai-billing", headers=session(ent))
    status, got = dw("/stripe/topup", method="POST", headers=session(ent),
                     json={"accountId": ent["id"], "amount": 25})
    assert status == 200 and got["accountId"] == ent["id"] and got["amount"] == 25
    assert got["prepaidBalance"] == round(before["prepaidBalance"] + 25, 2)
    assert got["checkoutUrl"].startswith("https://")
    assert dw("/accounts/{acc}/ai-billing", headers=session(ent))[1]["prepaidBalance"] == \
        got["prepaidBalance"]


def test_topup_refusals(dw, ent, creds):
    hacker = creds["HACKER"]
    status, answer = dw("/stripe/topup", method="POST", headers=session(hacker),
                        json={"accountId": hacker["id"], "amount": 25})
    assert status == 402 and answer["upgradeRequired"] is True and answer["error"]
    other = creds["BUSINESS"]
    status, answer = dw("/stripe/topup", method="POST", headers=session(ent),
                        json={"accountId": other["id"], "amount": 25})
    assert status == 404 and answer["error"].startswith("accountId:")
    status, answer = dw("/stripe/topup", method="POST", headers=session(ent),
                        json={"accountId": ent["id"], "amount": 1})
    assert status == 400 and "amount" in answer["error"]
    assert dw("/stripe/topup", method="POST",
              json={"accountId": ent["id"], "amount": 25})[0] == 403  # a token
    assert dw("/stripe/topup", method="POST", headers=session(ent, "AGENT", 0),
              json={"accountId": ent["id"], "amount": 25})[0] == 403
    _, theirs = dw(f"/accounts/{other['id']}/ai-billing", headers=session(other))
    assert theirs["prepaidBalance"] == 12.5
