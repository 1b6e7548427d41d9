"""Deskwoot's shapes: the stored records in marshmallow (what the control API's state view
accepts, field by field) and the vendor's JSON renderings of them (records.py builds the stored
shapes; the renderings join linked records and drop what is stored but never shown, such as
token digests and session values)."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from .ids import CUID, V

PLANS = ("HACKER", "STARTUP", "BUSINESS", "ENTERPRISE")
ROLES = ("ADMINISTRATOR", "AGENT")
STATUSES = ("OPEN", "PENDING", "RESOLVED", "SNOOZED")
PRIORITIES = ("URGENT", "HIGH", "MEDIUM", "LOW")
CHANNELS = ("WEB", "EMAIL", "TELEGRAM", "WHATSAPP", "SMS", "LINE", "TWITTER", "FACEBOOK",
            "INSTAGRAM")


class _Record(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


def _id(**kw):
    return fields.String(validate=validate.Regexp(CUID), **kw)


def _ref(**kw):
    return fields.String(allow_none=True, load_default=None, **kw)


def _date(**kw):
    return fields.String(validate=validate.Regexp(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"),
                         **kw)


def _opt_str():
    return fields.String(allow_none=True, load_default=None)


class AccountRecord(_Record):
    id = _id(required=True)
    name = fields.String(required=True)
    plan = fields.String(required=True, validate=validate.OneOf(PLANS))
    locale = fields.String(load_default="en")
    timezone = fields.String(load_default="UTC")
    maxAgents = fields.Integer(strict=True, required=True)
    autoResolveEnabled = fields.Boolean(load_default=False)
    autoResolveDuration = fields.Float(load_default=48)
    brandColor = _opt_str()
    liveTranslateEnabled = fields.Boolean(load_default=False)
    liveTranslateTargetLang = _opt_str()
    createdAt = _date(required=True)


class UserRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    name = fields.String(required=True)
    email = fields.Email(required=True)
    avatarUrl = _opt_str()
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    customRoleId = _ref()
    availability = fields.String(load_default="ONLINE",
                                 validate=validate.OneOf(("ONLINE", "BUSY", "OFFLINE")))
    session = fields.String(required=True)
    sessionGeneration = fields.Integer(strict=True, load_default=0)
    createdAt = _date(required=True)


class CustomRoleRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    name = fields.String(required=True)
    description = _opt_str()
    permissions = fields.Dict(keys=fields.String(), values=fields.Boolean(), load_default=dict)
    createdAt = _date(required=True)


class ApiTokenRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    userId = _id(required=True)
    name = _opt_str()
    scopes = fields.List(fields.String(), required=True)
    tokenHash = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    generation = fields.Integer(strict=True, load_default=0)
    expiresAt = fields.String(allow_none=True, load_default=None)
    createdAt = _date(required=True)


class InboxRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    name = fields.String(required=True)
    channelType = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    emailAddress = _opt_str()
    enabled = fields.Boolean(load_default=True)
    greeting = _opt_str()
    greetingEnabled = fields.Boolean(load_default=False)
    enableAutoAssign = fields.Boolean(load_default=True)
    autoAssignMode = fields.String(load_default="round_robin")
    businessHoursEnabled = fields.Boolean(load_default=False)
    botEnabled = fields.Boolean(load_default=False)
    agentBotId = _ref()
    csatEnabled = fields.Boolean(load_default=False)
    csatRatingStyle = fields.String(load_default="STARS",
                                    validate=validate.OneOf(("STARS", "HEARTS", "FIRE", "SMILEYS")))
    csatPromptText = fields.String(allow_none=True, load_default=None,
                                   validate=validate.Length(max=240))
    widgetColor = _opt_str()
    createdAt = _date(required=True)


class LabelRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    title = fields.String(required=True)
    description = _opt_str()
    color = fields.String(load_default="#6366F1")
    showOnSidebar = fields.Boolean(load_default=True)
    createdAt = _date(required=True)


class TeamRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    name = fields.String(required=True)
    description = _opt_str()
    allowAutoAssign = fields.Boolean(load_default=True)
    memberIds = fields.List(_id(), load_default=list)
    createdAt = _date(required=True)


class ContactRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    name = _opt_str()
    email = _opt_str()
    phone = _opt_str()
    avatarUrl = _opt_str()
    company = _opt_str()
    location = _opt_str()
    description = _opt_str()
    identifier = _opt_str()
    customAttributes = fields.Dict(load_default=dict)
    lastActivityAt = fields.String(allow_none=True, load_default=None)
    createdAt = _date(required=True)
    updatedAt = _date(required=True)


class ConversationRecord(_Record):
    id = _id(required=True)
    displayId = fields.Integer(strict=True, required=True)
    accountId = _id(required=True)
    inboxId = _id(required=True)
    contactId = _id(required=True)
    assigneeId = _ref()
    teamId = _ref()
    status = fields.String(load_default="OPEN", validate=validate.OneOf(STATUSES))
    priority = fields.String(allow_none=True, load_default=None,
                             validate=validate.OneOf(PRIORITIES))
    subject = _opt_str()
    muted = fields.Boolean(load_default=False)
    unread = fields.Boolean(load_default=False)
    snoozedUntil = fields.String(allow_none=True, load_default=None)
    labelIds = fields.List(_id(), load_default=list)
    lastActivityAt = _date(required=True)
    createdAt = _date(required=True)
    updatedAt = _date(required=True)


class AttachmentRecord(_Record):
    id = _id(required=True)
    fileUrl = fields.String(required=True)
    fileName = fields.String(required=True)
    fileSize = fields.Integer(strict=True, required=True)
    contentType = fields.String(required=True)
    fileType = fields.String(required=True, validate=validate.OneOf(("IMAGE", "AUDIO", "VIDEO",
                                                                      "FILE")))
    createdAt = _date(required=True)


class MessageRecord(_Record):
    id = _id(required=True)
    conversationId = _id(required=True)
    content = _opt_str()
    messageType = fields.String(required=True,
                                validate=validate.OneOf(("INCOMING", "OUTGOING", "ACTIVITY")))
    contentType = fields.String(load_default="TEXT", validate=validate.OneOf(("TEXT", "HTML")))
    private = fields.Boolean(load_default=False)
    sourceId = _opt_str()
    senderType = fields.String(required=True,
                               validate=validate.OneOf(("contact", "user", "bot", "system")))
    senderId = _ref()
    cc = fields.List(fields.String(), load_default=list)
    bcc = fields.List(fields.String(), load_default=list)
    attachments = fields.List(fields.Nested(AttachmentRecord), load_default=list)
    createdAt = _date(required=True)


class NotificationRecord(_Record):
    id = _id(required=True)
    userId = _id(required=True)
    type = fields.String(required=True)
    read = fields.Boolean(load_default=False)
    conversationId = _ref()
    contactName = _opt_str()
    createdAt = _date(required=True)


class AuditLogRecord(_Record):
    id = _id(required=True)
    action = fields.String(required=True)
    actorId = _ref()
    actorName = _opt_str()
    actorEmail = _opt_str()
    details = fields.Dict(load_default=dict)
    createdAt = _date(required=True)


RECORD_SCHEMAS = {
    "account": AccountRecord, "users": UserRecord, "custom_roles": CustomRoleRecord,
    "api_tokens": ApiTokenRecord, "inboxes": InboxRecord, "labels": LabelRecord,
    "teams": TeamRecord, "contacts": ContactRecord, "conversations": ConversationRecord,
    "messages": MessageRecord, "notifications": NotificationRecord,
    "audit_logs": AuditLogRecord,
}
from .schemas_hooks import RECORD_SCHEMAS as _HOOK_RECORDS  # noqa: E402 (needs the above)
RECORD_SCHEMAS.update(_HOOK_RECORDS)


# -- renderings -------------------------------------------------------------------------------
def user_brief(record: dict | None) -> dict | None:
    if record is None:
        return None
    return {"id": record["id"], "name": record["name"], "email": record["email"],
            "avatarUrl": record.get("avatarUrl")}


def contact(record: dict) -> dict:
    return {k: v for k, v in record.items()}


def contact_brief(record: dict) -> dict:
    return {k: record.get(k) for k in ("id", "name", "email", "phone", "avatarUrl")}


def label(record: dict) -> dict:
    return dict(record)


def label_brief(record: dict) -> dict:
    return {k: record[k] for k in ("id", "title", "color")}


def inbox(record: dict) -> dict:
    """The page's fields, and the official client's name for the greeting beside them."""
    return {**record, "greetingMessage": record["greeting"]}


def inbox_brief(record: dict) -> dict:
    return {k: record[k] for k in ("id", "name", "channelType")}


def team(record: dict) -> dict:
    out = {k: v for k, v in record.items() if k != "memberIds"}
    out["memberCount"] = len(record["memberIds"])
    return out


def api_token(record: dict, last_used_at: str | None) -> dict:
    return {"id": record["id"], "name": record["name"], "scopes": list(record["scopes"]),
            "lastUsedAt": last_used_at, "expiresAt": record["expiresAt"],
            "createdAt": record["createdAt"]}


def message(store, tenant: str, record: dict) -> dict:
    out = {k: v for k, v in record.items() if k not in ("senderType", "senderId")}
    out["sender"] = sender(store, tenant, record)
    return out


def sender(store, tenant: str, record: dict) -> dict | None:
    kind, ident = record["senderType"], record["senderId"]
    if kind == "system" or ident is None:
        return None
    collection = "contacts" if kind == "contact" else "users"
    other = store.peek(V, tenant, collection, ident)
    return {"id": ident, "name": other.get("name") if other else None, "type": kind}


def conversation(store, tenant: str, record: dict, *, detail: bool = False) -> dict:
    """The client's Conversation, with the page's joined records: contact, inbox, assignee,
    team and labels always; messages when `detail` (GET /v1/conversations/{id})."""
    out = {k: v for k, v in record.items() if k != "labelIds"}
    peek = store.peek
    found = peek(V, tenant, "contacts", record["contactId"])
    out["contact"] = contact_brief(found) if found else {"id": record["contactId"]}
    found = peek(V, tenant, "inboxes", record["inboxId"])
    out["inbox"] = inbox_brief(found) if found else {"id": record["inboxId"], "name": "",
                                                     "channelType": ""}
    out["assignee"] = user_brief(peek(V, tenant, "users", record["assigneeId"])) \
        if record["assigneeId"] else None
    found = peek(V, tenant, "teams", record["teamId"]) if record["teamId"] else None
    out["team"] = {"id": found["id"], "name": found["name"]} if found else None
    out["labels"] = [label_brief(lab) for lab in
                     (peek(V, tenant, "labels", i) for i in record["labelIds"]) if lab]
    if detail:
        out["messages"] = [message(store, tenant, m) for m in messages_of(store, tenant,
                                                                          record["id"])]
    return out


def messages_of(store, tenant: str, conversation_id: str) -> list[dict]:
    found = [m for m in store.all(V, tenant, "messages")
             if m["conversationId"] == conversation_id]
    return sorted(found, key=lambda m: m["createdAt"])  # stable: ties keep insertion order


# -- the account's settings records (records.py builds them) -----------------------------------
class CannedResponseRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    shortCode = fields.String(required=True, validate=validate.Regexp(r"^\S+$"))
    content = fields.String(required=True)
    createdAt = _date(required=True)


class MacroAction(Schema):
    type = fields.String(required=True)
    value = fields.Raw(allow_none=True, load_default=None)


class MacroRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    name = fields.String(required=True)
    visibility = fields.String(load_default="PERSONAL",
                               validate=validate.OneOf(("PERSONAL", "PUBLIC")))
    actions = fields.List(fields.Nested(MacroAction), load_default=list)
    createdById = _ref()
    createdAt = _date(required=True)


ATTRIBUTE_TYPES = ("TEXT", "NUMBER", "LINK", "DATE", "LIST", "CHECKBOX")


class CustomAttributeRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    attributeDisplayName = fields.String(required=True)
    attributeKey = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]*$"))
    attributeDisplayType = fields.String(load_default="TEXT",
                                         validate=validate.OneOf(ATTRIBUTE_TYPES))
    attributeModel = fields.String(load_default="CONVERSATION",
                                   validate=validate.OneOf(("CONVERSATION", "CONTACT")))
    attributeValues = fields.List(fields.String(), load_default=list)
    createdAt = _date(required=True)


class SlaPolicyRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    name = fields.String(required=True)
    description = _opt_str()
    firstResponseTimeThreshold = fields.Float(allow_none=True, load_default=None)
    nextResponseTimeThreshold = fields.Float(allow_none=True, load_default=None)
    resolutionTimeThreshold = fields.Float(allow_none=True, load_default=None)
    onlyDuringBusinessHours = fields.Boolean(load_default=False)
    conversationIds = fields.List(_id(), load_default=list)
    createdAt = _date(required=True)


class ScheduleDayRecord(Schema):
    day = fields.String(required=True, validate=validate.OneOf(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")))
    enabled = fields.Boolean(required=True)
    openHour = fields.Integer(strict=True, required=True, validate=validate.Range(0, 23))
    openMinute = fields.Integer(strict=True, required=True, validate=validate.Range(0, 59))
    closeHour = fields.Integer(strict=True, required=True, validate=validate.Range(0, 24))
    closeMinute = fields.Integer(strict=True, required=True, validate=validate.Range(0, 59))


class BusinessHoursRecord(_Record):
    id = _id(required=True)
    enabled = fields.Boolean(required=True)
    timezone = fields.String(required=True)
    schedule = fields.List(fields.Nested(ScheduleDayRecord), required=True)


class AiUsageRecord(Schema):
    periodStart = _date(required=True)
    conversations = fields.Integer(strict=True, required=True, validate=validate.Range(min=0))


class AiMeterRecord(_Record):
    id = _id(required=True)
    prepaidBalance = fields.Float(required=True)
    usage = fields.List(fields.Nested(AiUsageRecord), load_default=list)
    autoRechargeEnabled = fields.Boolean(load_default=False)
    autoRechargeAmount = fields.Float(load_default=100)
    autoRechargeMaxPerMonth = fields.Integer(strict=True, load_default=5)
    recharges = fields.List(_date(), load_default=list)


RECORD_SCHEMAS.update({
    "canned_responses": CannedResponseRecord, "macros": MacroRecord,
    "custom_attributes": CustomAttributeRecord, "sla_policies": SlaPolicyRecord,
    "business_hours": BusinessHoursRecord, "ai_meter": AiMeterRecord,
})


def agent(record: dict, role: dict | None) -> dict:
    """The page's agent entry ({user, role, customRole}) with the client's flat id, name,
    email, availability and createdAt beside it."""
    return {"user": user_brief(record), "role": record["role"],
            "customRole": {"id": role["id"], "name": role["name"]} if role else None,
            "availability": record["availability"], "id": record["id"],
            "name": record["name"], "email": record["email"], "createdAt": record["createdAt"]}


def team_detail(store, tenant: str, record: dict) -> dict:
    out = team(record)
    out["members"] = [user_brief(u) for u in
                      (store.peek(V, tenant, "users", i) for i in record["memberIds"]) if u]
    return out


def custom_role(record: dict) -> dict:
    return dict(record)


def sla_policy(record: dict, conversation_count: int) -> dict:
    out = {k: v for k, v in record.items() if k != "conversationIds"}
    out["conversationCount"] = conversation_count
    return out


def business_hours(record: dict) -> dict:
    return {"enabled": record["enabled"], "timezone": record["timezone"],
            "schedule": [dict(d) for d in record["schedule"]]}


SETTINGS_FIELDS = ("id", "name", "locale", "timezone", "plan", "autoResolveEnabled",
                   "autoResolveDuration", "brandColor", "liveTranslateEnabled",
                   "liveTranslateTargetLang", "createdAt")


def account_settings(record: dict) -> dict:
    return {k: record[k] for k in SETTINGS_FIELDS}


def notification(record: dict) -> dict:
    conv = {"id": record["conversationId"], "contactName": record["contactName"]} \
        if record["conversationId"] else None
    return {"id": record["id"], "type": record["type"], "read": record["read"],
            "createdAt": record["createdAt"], "conversation": conv}


def audit_log(record: dict) -> dict:
    return {"id": record["id"], "action": record["action"],
            "actor": {"name": record["actorName"], "email": record["actorEmail"]},
            "details": dict(record["details"]), "createdAt": record["createdAt"]}
from .schemas_help_center import RECORD_SCHEMAS as _HELP_CENTER  # noqa: E402
RECORD_SCHEMAS.update(_HELP_CENTER)
