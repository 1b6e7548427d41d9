"""The stored webhook, automation-rule, bot and campaign records in marshmallow (what the control API's state
view accepts); registered in schemas.RECORD_SCHEMAS."""
from __future__ import annotations

from marshmallow import fields, validate

from .records_bots import BotRecord
from .records_campaigns import CampaignRecord
from .records_hooks import ACTIONS, EVENT_NAMES, OPERATORS
from .schemas import _date, _id, _opt_str, _Record
from .webhook_style import EVENTS


class WebhookRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    url = fields.String(required=True)
    subscriptions = fields.List(fields.String(validate=validate.OneOf(list(EVENTS))),
                                load_default=lambda: list(EVENTS))
    secret = fields.String(required=True, validate=validate.Regexp(r"^whsec_"))
    active = fields.Boolean(load_default=True)
    createdAt = _date(required=True)


class ConditionRecord(_Record):
    attribute = fields.String(required=True)
    operator = fields.String(required=True, validate=validate.OneOf(OPERATORS))
    value = fields.Raw(allow_none=True, load_default=None)


class ActionRecord(_Record):
    type = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    value = fields.Raw(allow_none=True, load_default=None)


class AutomationRuleRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    name = fields.String(required=True)
    description = _opt_str()
    eventName = fields.String(required=True, validate=validate.OneOf(EVENT_NAMES))
    conditions = fields.List(fields.Nested(ConditionRecord), load_default=list)
    actions = fields.List(fields.Nested(ActionRecord), load_default=list)
    active = fields.Boolean(load_default=True)
    createdAt = _date(required=True)


RECORD_SCHEMAS = {"webhooks": WebhookRecord, "automation_rules": AutomationRuleRecord,
                  "bots": BotRecord, "campaigns": CampaignRecord}
