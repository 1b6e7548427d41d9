"""Deskwoot's webhooks as a core style (core.webhooks), by data: the page's five events, raised
by the views as domain events after the change (desk.emit) and so delivered only when the
request commits; signed `X-Deskwoot-Signature` = hex HMAC-SHA256 of the raw body with the
webhook's `whsec_` secret; subscriptions from the account's `webhooks` collection (its
`subscriptions` list; the official client's `events` spelling is stored as the same list).

Sources: vendor-docs/deskwoot-api.txt "Webhooks" (signature, event types). The page shows no
payload: the sandbox sends {"event", "id" (the delivery's), "timestamp", "accountId", "data"}
with `data` the API's own record shape (docs/fidelity-deskwoot.md).
"""
from __future__ import annotations

from mockserver.core.rng import HEX, token
from mockserver.core.webhooks import WebhookStyle

from .ids import V

# the page's event types -> the field of the domain event holding the record they carry
EVENTS = {"message.created": "message", "conversation.updated": "conversation",
          "conversation.created": "conversation", "contact.created": "contact",
          "contact.updated": "contact"}
SECRET_PREFIX = "whsec_"


def webhook_events(event: dict):
    field = EVENTS.get(event.get("type"))
    if field is None or field not in event:
        return []
    return [(event["type"], event[field])]


def envelope(event: str, data, *, webhook: dict, delivery_id: str, time: str) -> dict:
    return {"event": event, "id": delivery_id, "timestamp": time,
            "accountId": webhook.get("accountId"), "data": data}


def secret(randomness, tenant: str, webhook_id: str) -> str:
    """`whsec_` + 32 hex, from the seeded randomness (a replayed run mints the same)."""
    return SECRET_PREFIX + token(randomness.stream(V, tenant, "webhook_secret", webhook_id),
                                 32, HEX)


STYLE = WebhookStyle(signature_header="X-Deskwoot-Signature", events=webhook_events,
                     envelope=envelope, collection="webhooks",
                     events_fields=("subscriptions", "events"), active_field="active",
                     user_agent="Deskwoot-Webhooks/1")
