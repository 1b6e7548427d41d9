"""AI bots: list (keys masked), create, update, delete and test (page "Bots"; `bots.manage` for
all but the list — spec data, as are the ranges of temperature 0-1 and maxTokens 100-2000).
The test answers deterministically from the bot's settings and, with `useHelpCenter`, the
best-matching published help-center article; no outside AI provider is ever called."""
from __future__ import annotations

import re

from .. import records_bots
from ..desk import account, find, mint, no_content, oldest_first, remove, rows, save
from ..models import now_iso

__all__ = ["list_bots", "create_bot", "update_bot", "delete_bot", "test_bot"]

FIELDS = {"aiProvider": "ai_provider", "aiApiKey": "ai_api_key", "aiModel": "ai_model",
          "systemPrompt": "system_prompt", "useHelpCenter": "use_help_center",
          "temperature": "temperature", "maxTokens": "max_tokens"}
WORD = re.compile(r"[a-z0-9]{3,}")


def list_bots(ctx):
    account(ctx)
    found = oldest_first(ctx, "bots")
    return [records_bots.bot_answer(b) for b in found]


def create_bot(ctx):
    account(ctx)
    body = ctx.body
    given = {FIELDS[k]: v for k, v in body.items() if k in FIELDS and v is not None}
    record = save(ctx, "bots", records_bots.bot(mint(ctx, "bots"), ctx.tenant, name=body["name"],
                                                created_at=now_iso(ctx), **given))
    return records_bots.bot_answer(record), 201


def update_bot(ctx):
    account(ctx)
    record = find(ctx, "bots", ctx.path_params["botId"])
    for field, value in ctx.body.items():
        if field == "name" or field in FIELDS:
            record[field] = value
    save(ctx, "bots", record)
    return records_bots.bot_answer(record)


def delete_bot(ctx):
    account(ctx)
    find(ctx, "bots", ctx.path_params["botId"])
    remove(ctx, "bots", ctx.path_params["botId"])
    return no_content()


def _words(text: str | None) -> set[str]:
    return set(WORD.findall((text or "").lower()))


def best_article(ctx, message: str) -> dict | None:
    """The published article sharing the most words (3+ letters) with the message, its title
    counting twice; ties go to the earliest id; none sharing a word is no match."""
    asked = _words(message)
    best, score = None, 0
    for art in sorted(rows(ctx, "articles"), key=lambda a: a["id"]):
        if str(art.get("status", "")).upper() != "PUBLISHED":
            continue
        points = 2 * len(asked & _words(art.get("title"))) + len(asked & _words(art.get("content")))
        if points > score:
            best, score = art, points
    return best


def test_bot(ctx):
    account(ctx)
    bot = find(ctx, "bots", ctx.body["botId"], field="botId")
    message = ctx.body["message"]
    model = bot["aiModel"] or bot["aiProvider"]
    reply = f"{bot['name']} ({model}, temperature {bot['temperature']:g}) received: {message}"
    sources = []
    if bot["useHelpCenter"]:
        art = best_article(ctx, message)
        if art is not None:
            excerpt = re.sub(r"<[^>]+>", " ", art.get("content") or "").split()
            reply += f" — from the help center, \"{art.get('title')}\": " + " ".join(excerpt[:40])
            sources.append({"id": art["id"], "title": art.get("title") or "",
                            "slug": art.get("slug") or ""})
        else:
            reply += " — no help center article matches."
    limit = bot["maxTokens"] * 4  # about four characters a token
    return {"botId": bot["id"], "reply": reply[:limit], "sources": sources}
