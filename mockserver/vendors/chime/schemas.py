"""Chime's stored record shapes in marshmallow (RECORD_SCHEMAS): what the control API's state view
accepts for queues, users, topics, the sandbox config and chat sessions, with the rules that keep
the reports consistent (a session's state decides which of its times and its agent are set;
notes §6.3)."""
from __future__ import annotations

import uuid

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from mockserver.core.fields import Instant

from .factories import CHANNELS, SENDER_TYPES, STATES
from .presence import WEEKDAYS

_hhmm = validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))


class _Record(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class _Zone(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        from .models import zone_info
        try:
            zone_info(text)
        except Exception:
            raise ValidationError("Not an IANA time zone.") from None
        return text


class _Guid(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if len(text) != 36:
                raise ValueError
            return str(uuid.UUID(text))
        except ValueError:
            raise ValidationError("Not a GUID (8-4-4-4-12 hex).") from None


class ShiftRecord(_Record):
    start = fields.String(required=True, validate=_hhmm)
    end = fields.String(required=True, validate=_hhmm)
    days = fields.List(fields.String(validate=validate.OneOf(WEEKDAYS)), load_default=list(WEEKDAYS[:5]))


class QueueRecord(_Record):
    id = _id
    name = fields.String(required=True, validate=validate.Length(min=1))
    timezone = _Zone(load_default="UTC")
    dispatcher_name = fields.String(required=True, validate=validate.Length(min=1))
    bot_enabled = fields.Boolean(load_default=False)
    faqs = fields.List(fields.String(), load_default=list)
    max_concurrent_chats = fields.Integer(load_default=2, strict=True,
                                          validate=validate.Range(min=1))


class UserRecord(_Record):
    id = _id
    email = fields.Email(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1))
    api_key = _Guid(load_default=None, allow_none=True)
    key_generation = fields.Integer(load_default=0, strict=True)
    admin = fields.Boolean(load_default=False)
    roles = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^[1-9][0-9]*$")),
                        values=fields.List(fields.String(validate=validate.OneOf(
                            ("Agent", "Manager", "Reviewer")))), load_default=dict)
    timezone = _Zone(load_default="UTC")
    shift = fields.Nested(ShiftRecord, load_default=None, allow_none=True)


class TopicRecord(_Record):
    id = fields.String(required=True, validate=validate.Length(min=1))
    keywords = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    questions = fields.List(fields.String(), load_default=list)
    faq = fields.String(load_default=None, allow_none=True)
    resolutions = fields.List(fields.String(), load_default=list)


class ConfigRecord(_Record):
    id = fields.String(required=True, validate=validate.Equal("default"))
    presence = fields.Dict(required=True)
    messages = fields.Dict(required=True)


class GuestRecord(_Record):
    id = fields.String(required=True, validate=validate.Length(min=1))
    name = fields.String(required=True, validate=validate.Length(min=1))
    given_name = fields.String(load_default="")
    surname = fields.String(load_default="")
    email = fields.String(load_default=None, allow_none=True)
    user_principal_name = fields.String(load_default=None, allow_none=True)
    locale = fields.String(load_default="en-US")
    timezone = fields.String(load_default="UTC")
    country = fields.String(load_default=None, allow_none=True)
    platform = fields.String(load_default="Windows")
    is_new = fields.Boolean(load_default=False)


class StatusRecord(_Record):
    is_resolved = fields.Boolean(load_default=False)
    resolution_notes = fields.String(load_default=None, allow_none=True)
    resolved_by_type = fields.String(load_default=None, allow_none=True,
                                     validate=validate.OneOf(("Agent", "Bot")))


class FaqOfferRecord(_Record):
    title = fields.String(required=True, validate=validate.Length(min=1))
    accepted = fields.Boolean(required=True)


class TransferRecord(_Record):
    timestamp_utc = Instant(required=True)
    from_queue_id = _id
    from_agent_name = fields.String(load_default=None, allow_none=True)
    to_queue_id = _id
    to_agent_name = fields.String(load_default=None, allow_none=True)


class MessageRecord(_Record):
    sequence = _id
    timestamp_utc = Instant(required=True)
    sender_type = fields.String(required=True, validate=validate.OneOf(SENDER_TYPES))
    sender_name = fields.String(required=True, validate=validate.Length(min=1))
    text = fields.String(required=True)


_SEEKER_VALUE = (str, int, float, bool, type(None))


class SessionRecord(_Record):
    id = _id
    queue_id = _id
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    channel_id = fields.String(load_default="msteams", validate=validate.OneOf(CHANNELS))
    started_utc = Instant(required=True)
    accepted_utc = Instant(load_default=None, allow_none=True)
    ended_utc = Instant(load_default=None, allow_none=True)
    question = fields.String(load_default="")
    agent_id = fields.Integer(load_default=None, allow_none=True, strict=True,
                              validate=validate.Range(min=1))
    dropped_while_connected = fields.Boolean(load_default=False)
    bot_handled = fields.Boolean(load_default=False)
    faq_offer = fields.Nested(FaqOfferRecord, load_default=None, allow_none=True)
    missed_offers = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1)),
                                load_default=list)
    guest = fields.Nested(GuestRecord, required=True)
    status = fields.Nested(StatusRecord, load_default=lambda: {
        "is_resolved": False, "resolution_notes": None, "resolved_by_type": None})
    seeker_data = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=dict)
    skill_tags = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    transfers = fields.List(fields.Nested(TransferRecord), load_default=list)
    messages = fields.List(fields.Nested(MessageRecord), load_default=None, allow_none=True)

    @validates_schema
    def _consistent(self, data, **kwargs):
        state = data["state"]
        has = {k: data.get(k) is not None for k in ("accepted_utc", "ended_utc", "agent_id")}
        wanted = {"Waiting": (False, False, False), "Connected": (True, False, True),
                  "Completed": (True, True, True), "Abandoned": (False, True, False),
                  "Deflected": (False, True, False)}[state]
        for (name, present), want in zip(has.items(), wanted):
            if present != want:
                raise ValidationError(f"a {state} session {'needs' if want else 'has no'} "
                                      f"{name}", name)
        times = [data.get(k) for k in ("started_utc", "accepted_utc", "ended_utc")]
        times = [t for t in times if t is not None]
        if times != sorted(times):
            raise ValidationError("started_utc <= accepted_utc <= ended_utc", "ended_utc")
        offer = data.get("faq_offer")
        if state == "Deflected" and not (data.get("bot_handled") and offer and offer["accepted"]):
            raise ValidationError("a Deflected session was handled by the bot "
                                  "(bot_handled true) and its guest accepted faq_offer",
                                  "faq_offer")
        if offer and offer["accepted"] and state != "Deflected":
            raise ValidationError("an accepted faq_offer ends the chat: state Deflected",
                                  "faq_offer")
        if offer and not data.get("bot_handled"):
            raise ValidationError("only the bot offers FAQ items: bot_handled true", "faq_offer")
        if data.get("dropped_while_connected") and state not in ("Completed",):
            raise ValidationError("only a Completed session can have dropped while connected",
                                  "dropped_while_connected")
        status = data.get("status") or {}
        if status.get("resolved_by_type") == "Agent" and data.get("agent_id") is None:
            raise ValidationError("resolved by Agent needs agent_id", "status")
        if bool(status.get("resolved_by_type")) != bool(status.get("is_resolved")):
            raise ValidationError("resolved_by_type is set exactly when is_resolved", "status")
        for key, value in (data.get("seeker_data") or {}).items():
            if not isinstance(value, _SEEKER_VALUE):
                raise ValidationError("seeker_data values are strings, numbers, booleans or "
                                      "null", "seeker_data")
        sequences = [m["sequence"] for m in data.get("messages") or []]
        if sequences != list(range(1, len(sequences) + 1)):
            raise ValidationError("messages are numbered 1, 2, 3 ... in order", "messages")


RECORD_SCHEMAS = {
    "config": ConfigRecord, "topics": TopicRecord, "queues": QueueRecord, "users": UserRecord,
    "sessions": SessionRecord,
}
