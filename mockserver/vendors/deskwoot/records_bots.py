"""The stored shape of an AI bot (one constructor), its answer with the provider key masked,
and the record schema the control API's state view accepts."""
from __future__ import annotations

from marshmallow import fields, validate

from .schemas import _date, _id, _opt_str, _Record

PROVIDERS = ("openai", "anthropic", "google", "groq", "custom")


def bot(id: str, account_id: str, *, name: str, created_at: str, ai_provider: str = "openai",
        ai_api_key: str | None = None, ai_model: str | None = None,
        system_prompt: str | None = None, use_help_center: bool = False,
        temperature: float = 0.3, max_tokens: int = 500) -> dict:
    """The page's defaults: openai, temperature 0.3, maxTokens 500."""
    return {"id": id, "accountId": account_id, "name": name, "aiProvider": ai_provider,
            "aiApiKey": ai_api_key, "aiModel": ai_model, "systemPrompt": system_prompt,
            "useHelpCenter": use_help_center, "temperature": temperature,
            "maxTokens": max_tokens, "createdAt": created_at}


def mask(key: str | None) -> str | None:
    """The page: "API keys are masked in the response" — the last 4 characters after `****`
    (a key of 8 characters or fewer shows none of itself)."""
    if not key:
        return None
    return "****" + key[-4:] if len(key) > 8 else "****"


def bot_answer(record: dict) -> dict:
    return {**record, "aiApiKey": mask(record["aiApiKey"])}


class BotRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    name = fields.String(required=True)
    aiProvider = fields.String(load_default="openai", validate=validate.OneOf(PROVIDERS))
    aiApiKey = _opt_str()
    aiModel = _opt_str()
    systemPrompt = _opt_str()
    useHelpCenter = fields.Boolean(load_default=False)
    temperature = fields.Float(load_default=0.3, validate=validate.Range(0, 1))
    maxTokens = fields.Integer(load_default=500, validate=validate.Range(100, 2000))
    createdAt = _date(required=True)
