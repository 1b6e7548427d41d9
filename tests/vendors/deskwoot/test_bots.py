"""Deskwoot AI bots through HTTP: CRUD with the provider key masked in every answer, the
page's defaults and ranges, `bots.manage`, and a test answer that is deterministic and comes
from the bot's settings and the help center, never from an outside provider."""
from __future__ import annotations

from .conftest import bearer, session

BOTS = "/accounts/{acc}/bots"
KEY = "sk-live-1234567890abcdWXYZ"


def _make(dw, ent, **fields):
    status, made = dw(BOTS, method="POST", headers=session(ent), json={"name": "Helper", **fields})
    assert status == 201, made
    return made


def test_create_list_update_delete_with_the_key_masked(dw, ent):
    made = _make(dw, ent, aiProvider="anthropic", aiApiKey=KEY, aiModel="claude-sonnet-4-20250514",
                 systemPrompt="Be brief.", useHelpCenter=True)
    assert made["aiApiKey"] == "****WXYZ" and made["aiProvider"] == "anthropic"
    assert made["temperature"] == 0.3 and made["maxTokens"] == 500  # the page's defaults
    status, listed = dw(BOTS)  # a read token lists them
    assert status == 200 and [b["id"] for b in listed] == [made["id"]]
    assert listed[0]["aiApiKey"] == "****WXYZ" and KEY not in str(listed)
    status, changed = dw(f"{BOTS}/{made['id']}", method="PATCH", headers=session(ent),
                         json={"temperature": 0.9, "maxTokens": 2000, "aiApiKey": "short"})
    assert status == 200 and changed["temperature"] == 0.9 and changed["maxTokens"] == 2000
    assert changed["aiApiKey"] == "****" and changed["systemPrompt"] == "Be brief."
    status, changed = dw(f"{BOTS}/{made['id']}", method="PATCH", headers=session(ent),
                         json={"aiApiKey": None})
    assert status == 200 and changed["aiApiKey"] is None and changed["temperature"] == 0.9
    status, answer = dw(f"{BOTS}/{made['id']}", method="PATCH", headers=session(ent),
                        json={"temperature": None})
    assert status == 400 and "temperature" in answer["error"]
    assert dw(f"{BOTS}/{made['id']}", method="DELETE", headers=session(ent))[0] == 204
    assert dw(BOTS) == (200, [])
    assert dw(f"{BOTS}/{made['id']}", method="DELETE", headers=session(ent))[0] == 404


def test_ranges_and_required_fields_are_400_naming_the_field(dw, ent):
    for payload, field in (({"name": "b", "temperature": 1.5}, "temperature"),
                           ({"name": "b", "temperature": -0.1}, "temperature"),
                           ({"name": "b", "maxTokens": 99}, "maxTokens"),
                           ({"name": "b", "maxTokens": 2001}, "maxTokens"),
                           ({"name": "b", "aiProvider": "skynet"}, "aiProvider"),
                           ({"temperature": 0.5}, "name")):
        status, answer = dw(BOTS, method="POST", json=payload, headers=session(ent))
        assert status == 400 and field in answer["error"], (payload, answer)
    assert dw(BOTS) == (200, [])


def test_bots_manage_and_session_only(dw, ent, state, control):
    body = {"name": "b"}
    status, answer = dw(BOTS, method="POST", json=body, headers=bearer(ent))
    assert status == 403 and "session" in answer["error"]
    agent = next(u for u in state("users") if u["customRoleId"])
    role = next(r for r in state("custom_roles") if r["id"] == agent["customRoleId"])
    as_agent = {"Cookie": f"deskwoot_session={agent['session']}"}
    role["permissions"]["bots.manage"] = False
    control.put(f"/state/deskwoot/{ent['id']}/custom_roles/{role['id']}", json=role)
    status, answer = dw(BOTS, method="POST", json=body, headers=as_agent)
    assert status == 403 and "permission" in answer["error"]
    role["permissions"]["bots.manage"] = True
    control.put(f"/state/deskwoot/{ent['id']}/custom_roles/{role['id']}", json=role)
    assert dw(BOTS, method="POST", json=body, headers=as_agent)[0] == 201


def test_the_test_answer_is_deterministic_from_the_settings(dw, ent):
    bot = _make(dw, ent, aiModel="gpt-4o", temperature=0.5, maxTokens=100)
    ask = {"botId": bot["id"], "message": "Where is my order?"}
    status, first = dw(BOTS + "/test", method="POST", json=ask, headers=session(ent))
    assert status == 200 and first["botId"] == bot["id"] and first["sources"] == []
    assert first["reply"] == "Helper (gpt-4o, temperature 0.5) received: Where is my order?"
    assert dw(BOTS + "/test", method="POST", json=ask, headers=session(ent)) == (200, first)
    long = dw(BOTS + "/test", method="POST", headers=session(ent),
              json={"botId": bot["id"], "message": "x" * 1000})[1]
    assert len(long["reply"]) == 400  # maxTokens 100, about four characters a token
    status, answer = dw(BOTS + "/test", method="POST", headers=session(ent),
                        json={"botId": "cnothere000000000000000000", "message": "hi"})
    assert status == 404 and "botId" in answer["error"]


def test_the_help_center_answers_from_the_best_published_article(dw, ent, runtime):
    articles = [("c" + "a" * 24, "Tracking your order", "Open Orders and click Track.",
                 "PUBLISHED"),
                ("c" + "b" * 24, "Order refunds", "Refunds take five days.", "PUBLISHED"),
                ("c" + "c" * 24, "Where is my order secret draft", "Not public.", "DRAFT")]

    def seed():
        for ident, title, content, status in articles:
            runtime.store.put("deskwoot", ent["id"], "articles", ident,
                              {"id": ident, "title": title, "content": content,
                               "slug": title.lower().replace(" ", "-"), "status": status})
    runtime.transact(seed, scope=ent["id"], writes=True)
    bot = _make(dw, ent, useHelpCenter=True)
    status, got = dw(BOTS + "/test", method="POST", headers=session(ent),
                     json={"botId": bot["id"], "message": "how do I track my order"})
    assert status == 200
    assert got["sources"] == [{"id": "c" + "a" * 24, "title": "Tracking your order",
                               "slug": "tracking-your-order"}]
    assert "Open Orders and click Track." in got["reply"]
    none = dw(BOTS + "/test", method="POST", headers=session(ent),
              json={"botId": bot["id"], "message": "zzz qqq"})[1]
    assert none["sources"] == [] and "no help center article matches" in none["reply"]
