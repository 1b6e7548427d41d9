"""The stored shape of a campaign (one constructor) and its record schema."""
from __future__ import annotations

from marshmallow import fields, validate

from .schemas import _date, _id, _opt_str, _Record

TYPES = ("ONGOING", "ONE_OFF")


def campaign(id: str, account_id: str, *, title: str, message: str, created_at: str,
             campaign_type: str = "ONGOING", inbox_id: str | None = None,
             scheduled_at: str | None = None, audience: dict | None = None) -> dict:
    """ONGOING by default (the page); `sentAt` and the conversations it made once sent."""
    return {"id": id, "accountId": account_id, "title": title, "message": message,
            "campaignType": campaign_type, "inboxId": inbox_id, "scheduledAt": scheduled_at,
            "audience": audience, "sentAt": None, "sentConversationIds": [],
            "createdAt": created_at}


class CampaignRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    title = fields.String(required=True)
    message = fields.String(required=True)
    campaignType = fields.String(load_default="ONGOING", validate=validate.OneOf(TYPES))
    inboxId = _opt_str()
    scheduledAt = fields.String(allow_none=True, load_default=None)
    audience = fields.Dict(allow_none=True, load_default=None)
    sentAt = fields.String(allow_none=True, load_default=None)
    sentConversationIds = fields.List(fields.String(), load_default=list)
    createdAt = _date(required=True)
