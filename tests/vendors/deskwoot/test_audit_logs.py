"""Audit logs through HTTP: newest first, 25 a page with totalPages; written by audited
actions; Enterprise only, administrators only, session only."""
from __future__ import annotations

import math

from .conftest import session


def test_pages(dw, ent, state):
    total = len(state("audit_logs"))
    status, got = dw("/accounts/{acc}/audit-logs", headers=session(ent))
    assert status == 200 and len(got["data"]) == 25
    assert got["meta"] == {"page": 1, "pageSize": 25, "total": total,
                           "totalPages": math.ceil(total / 25)}
    stamps = [e["createdAt"] for e in got["data"]]
    assert stamps == sorted(stamps, reverse=True)
    _, last = dw(f"/accounts/{{acc}}/audit-logs?page={got['meta']['totalPages']}",
                 headers=session(ent))
    assert len(last["data"]) == total - 25 * (got["meta"]["totalPages"] - 1)


def test_audited_actions_are_written_by_their_actor(dw, ent):
    admin = next(u for u in ent["users"] if u["role"] == "ADMINISTRATOR")
    assert dw("/accounts/{acc}/inboxes", method="POST", headers=session(ent),
              json={"name": "WhatsApp", "channelType": "WHATSAPP"})[0] == 201
    assert dw("/accounts/{acc}/labels", method="POST", headers=session(ent),
              json={"title": "audited"})[0] == 201
    _, got = dw("/accounts/{acc}/audit-logs", headers=session(ent))
    newest = {e["action"]: e for e in got["data"][:2]}
    assert set(newest) == {"inbox.created", "label.created"}
    assert newest["inbox.created"]["details"]["inboxName"] == "WhatsApp"
    assert newest["inbox.created"]["actor"]["email"] == admin["email"]


def test_gates(dw, ent, creds):
    assert dw("/accounts/{acc}/audit-logs", headers=session(ent, "AGENT", 0))[0] == 403
    assert dw("/accounts/{acc}/audit-logs")[0] == 403  # a token
    business = creds["BUSINESS"]
    status, answer = dw(f"/accounts/{business['id']}/audit-logs", headers=session(business))
    assert status == 403 and "ENTERPRISE" in answer["error"]


def test_another_accounts_log_is_unreachable(dw, ent, creds):
    other = creds["BUSINESS"]
    status, answer = dw(f"/accounts/{other['id']}/audit-logs", headers=session(ent))
    assert status == 404 and other["id"] in answer["error"]
