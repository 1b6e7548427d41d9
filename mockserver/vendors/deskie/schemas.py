"""Deskie's shapes: the stored records in marshmallow (what the control API's state view accepts,
field by field) and the vendor's JSON renderings of them (dates as RFC 2822 in the account's
zone, "-" for unset, ids as integers; vendor-notes §4–§10)."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from .models import rfc2822

_ts = dict(strict=True, validate=validate.Range(min=0))
STATUSES = ("open", "waiting", "closed")
PRIORITIES = ("low", "normal", "high", "critical")
RATINGS = ("low", "middle", "high")


class _Record(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


def _int(**kw):
    return fields.Integer(strict=True, **kw)


def _ts_field(**kw):
    return fields.Integer(**_ts, **kw)


class AccountRecord(_Record):
    id = fields.String(required=True)
    domain = fields.String(required=True)
    plan = fields.String(required=True, validate=validate.OneOf(("Basic", "Standard", "Pro")))
    api_key = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{40}$"))
    key_generation = _int(load_default=0)
    timezone = fields.String(load_default="UTC")
    default_language_id = _int(load_default=1)


class StaffRecord(_Record):
    staff_id = _int(required=True)
    staff_email = fields.Email(required=True)
    staff_full_name = fields.String(load_default="")
    staff_signature = fields.String(load_default="")
    thumbnail = fields.String(load_default="")
    active = fields.Boolean(load_default=True)
    access = fields.String(load_default="full", validate=validate.OneOf(("full", "limited")))
    groups = fields.List(_int(), load_default=list)
    role_id = _int(load_default=0)
    status_id = _int(load_default=1)
    created_at = _ts_field(required=True)
    updated_at = _ts_field(required=True)


class GroupRecord(_Record):
    group_id = _int(required=True)
    group_title = fields.String(required=True)
    group_from_name = fields.String(load_default="")
    group_signature = fields.String(load_default="")
    active = fields.Boolean(load_default=True)
    created_at = _ts_field(required=True)
    updated_at = _ts_field(required=True)


class LabelRecord(_Record):
    label_id = _int(required=True)
    label_title = fields.String(required=True)


class CustomFieldRecord(_Record):
    field_id = _int(required=True)
    title = fields.String(required=True)
    field_type = fields.String(required=True, validate=validate.OneOf(
        ("text", "textarea", "checkbox", "select", "date")))
    field_level = fields.String(required=True, validate=validate.OneOf(("user", "case", "company")))
    active = fields.Boolean(load_default=True)
    field_data = fields.Raw(load_default="")


class LanguageRecord(_Record):
    language_id = _int(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    active = fields.Boolean(load_default=True)


class CustomChannelRecord(_Record):
    channel_id = _int(required=True)
    channel_api_key = fields.String(required=True, validate=validate.Regexp(r"^cch[0-9]+$"))
    title = fields.String(required=True)
    channel_type = fields.String(required=True, validate=validate.OneOf(("async", "sync")))
    icon = fields.String(load_default="")
    webhook_url = fields.String(load_default="")
    active = fields.Boolean(load_default=True)


class ClientEmailRecord(_Record):
    email_id = _int(required=True)
    email = fields.String(required=True)
    active = fields.Boolean(load_default=True)


class StaffRoleRecord(_Record):
    role_id = _int(required=True)
    role = fields.String(required=True)


class StaffStatusRecord(_Record):
    status_id = _int(required=True)
    status = fields.String(required=True)
    active = fields.Boolean(load_default=True)


class FilterRecord(_Record):
    filter_id = _int(required=True)
    filter_name = fields.String(required=True)
    is_custom = fields.Boolean(load_default=False)
    is_selected_by_default = fields.Boolean(load_default=False)
    owner_staff_id = _int(load_default=0)
    criteria = fields.Dict(load_default=dict)


class MacroCategoryRecord(_Record):
    id = _int(required=True)
    owner_staff_id = _int(load_default=0)
    title = fields.String(required=True)
    sort = _int(load_default=0)
    macros_category_id = _int(load_default=0)
    data = fields.Raw(load_default=dict)


class CompanyRecord(_Record):
    company_id = _int(required=True)
    company_name = fields.String(required=True)
    company_domains = fields.String(load_default="")
    company_default_group = _int(load_default=0)
    company_address = fields.String(load_default="")
    company_note = fields.String(load_default="")
    active = fields.Boolean(load_default=True)
    deleted = fields.Boolean(load_default=False)
    created_at = _ts_field(required=True)
    updated_at = _ts_field(required=True)


class UserRecord(_Record):
    user_id = _int(required=True)
    type = fields.String(required=True, validate=validate.OneOf(
        ("email", "phone", "whatsapp", "telegram", "custom")))
    user_email = fields.String()
    user_phone = fields.String()
    user_whatsapp_phone = fields.String()
    telegram_id = fields.String()
    telegram_data = fields.String()
    user_custom_id = fields.String()
    user_custom_channel = fields.String()
    user_full_name = fields.String(load_default="")
    company_id = _int(load_default=0)
    company_name = fields.String(load_default="")
    company_position = fields.String(load_default="")
    thumbnail = fields.String(load_default="")
    confirmed = fields.Boolean(load_default=False)
    active = fields.Boolean(load_default=True)
    deleted = fields.Boolean(load_default=False)
    created_at = _ts_field(required=True)
    updated_at = _ts_field(required=True)
    last_contact_at = _ts_field(load_default=None, allow_none=True)
    language_id = _int(load_default=0)
    custom_fields = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^cf_[0-9]+$")),
                                load_default=dict)
    linked_users = fields.List(_int(), load_default=list)
    user_note = fields.String(load_default="")
    password = fields.String()


class AttachmentRecord(_Record):
    file_id = _int(required=True)
    file_name = fields.String(required=True)
    file_size = _int(required=True)
    mime_type = fields.String(required=True)
    url = fields.String(required=True)


class CaseRecord(_Record):
    case_id = _int(required=True)
    case_number = fields.String(required=True, validate=validate.Regexp(r"^[0-9]+-[0-9]+$"))
    subject = fields.String(required=True)
    user_id = _int(required=True)
    staff_id = _int(load_default=0)
    group_id = _int(load_default=0)
    status = fields.String(load_default="open", validate=validate.OneOf(STATUSES))
    priority = fields.String(load_default="normal", validate=validate.OneOf(PRIORITIES))
    channel = fields.String(load_default="email",
                            validate=validate.Regexp(r"^(email|web|call|live_chat|telegram|wa_chat|cch[0-9]+)$"))
    recipient = fields.String(load_default="")
    recipient_cc = fields.String(load_default="")
    recipient_bcc = fields.String(load_default="")
    deleted = fields.Boolean(load_default=False)
    spam = fields.Boolean(load_default=False)
    created_at = _ts_field(required=True)
    updated_at = _ts_field(required=True)
    closed_at = _ts_field(load_default=None, allow_none=True)
    last_response_at = _ts_field(load_default=None, allow_none=True)
    first_response_at = _ts_field(load_default=None, allow_none=True)
    parent_case_id = _int(load_default=0)
    language_id = _int(load_default=0)
    custom_fields = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^cf_[0-9]+$")),
                                load_default=dict)
    labels = fields.List(_int(), load_default=list)
    locked_labels = fields.List(_int(), load_default=list)
    rating = fields.String(validate=validate.OneOf(RATINGS))
    rating_comment = fields.String()
    rated_staff_id = _int()


class MessageRecord(_Record):
    message_id = _int(required=True)
    case_id = _int(required=True)
    user_id = _int(load_default=0)
    staff_id = _int(load_default=0)
    content = fields.String(load_default="")
    content_html = fields.String(load_default="")
    attachments = fields.List(fields.Nested(AttachmentRecord), load_default=list)
    note = fields.Boolean(load_default=False)
    sent_via_rule = fields.Boolean(load_default=False)
    created_at = _ts_field(required=True)
    sent_at = _ts_field(required=True)
    rating = fields.String(validate=validate.OneOf(RATINGS))
    rating_comment = fields.String()
    rated_staff_id = _int()


class RatingRecord(_Record):
    rating_id = _int(required=True)
    rating = fields.String(required=True, validate=validate.OneOf(("1", "2", "3")))
    rating_comment = fields.String(load_default="")
    rated_staff_id = _int(load_default=0)
    case_id = _int(required=True)
    message_id = _int(load_default=0)
    staff_id = _int(load_default=0)
    group_id = _int(load_default=0)
    user_id = _int(load_default=0)
    created_at = _ts_field(required=True)
    updated_at = _ts_field(required=True)


# "from" is a Python keyword, so this record schema is built from a dict.
StatusChangeRecord = Schema.from_dict({
    "id": _int(required=True), "staff_id": _int(required=True),
    "timestamp": _ts_field(required=True), "from": _int(required=True), "to": _int(required=True),
}, name="StatusChangeRecord")


class ChangelogRecord(_Record):
    id = _int(required=True)
    case_id = _int(required=True)
    created_at = _ts_field(required=True)
    event = fields.String(required=True, validate=validate.OneOf(
        ("staff", "status", "subject", "group", "priority", "labels", "custom_fields", "rules",
         "chat_activation", "chat_completion", "fixed_chat_staff")))
    done_by = fields.String(required=True,
                            validate=validate.Regexp(r"^(staff_[0-9]+|user_[0-9]+|rule_[0-9]+|system)$"))
    old_value = fields.String(required=True)
    value = fields.String()


RECORD_SCHEMAS = {
    "account": AccountRecord, "staff": StaffRecord, "groups": GroupRecord, "labels": LabelRecord,
    "custom_fields": CustomFieldRecord, "languages": LanguageRecord,
    "custom_channels": CustomChannelRecord, "client_emails": ClientEmailRecord,
    "staff_roles": StaffRoleRecord, "staff_statuses": StaffStatusRecord,
    "filters": FilterRecord, "macros": MacroCategoryRecord, "companies": CompanyRecord,
    "users": UserRecord, "cases": CaseRecord, "messages": MessageRecord,
    "ratings": RatingRecord, "status_changes": StatusChangeRecord, "changelog": ChangelogRecord,
}


# -- renderings -----------------------------------------------------------------------------
def minutes_between(start, end):
    return "-" if start is None or end is None else max(0, int((end - start) // 60))


def case_out(case: dict, tz, first_response: bool = False) -> dict:
    out = {k: case[k] for k in ("case_id", "case_number", "subject", "user_id", "staff_id",
                                "group_id", "status", "priority", "channel", "recipient",
                                "recipient_cc", "recipient_bcc", "deleted", "spam")}
    out.update(cc_emails=case["recipient_cc"], bcc_emails=case["recipient_bcc"])  # Omnidesk
    out.update(created_at=rfc2822(case["created_at"], tz),
               updated_at=rfc2822(case["updated_at"], tz),
               closed_at=rfc2822(case.get("closed_at"), tz),
               last_response_at=rfc2822(case.get("last_response_at"), tz),
               closing_speed=minutes_between(case["created_at"], case.get("closed_at")))
    if first_response:
        out["first_response_speed"] = minutes_between(case["created_at"],
                                                      case.get("first_response_at"))
    out.update(parent_case_id=case.get("parent_case_id", 0),
               language_id=case.get("language_id", 0),
               custom_fields=dict(case.get("custom_fields") or {}),
               labels=list(case.get("labels", [])), locked_labels=list(case.get("locked_labels", [])))
    if case.get("rating"):
        out.update(rating=case["rating"], rating_comment=case.get("rating_comment", ""),
                   rated_staff_id=case.get("rated_staff_id", 0))
    return out


def message_out(msg: dict, tz) -> dict:
    out = {k: msg[k] for k in ("message_id", "user_id", "staff_id", "content", "content_html")}
    out.update(attachments=[dict(a) for a in msg.get("attachments", [])], note=msg["note"],
               sent_via_rule=msg.get("sent_via_rule", False),
               created_at=rfc2822(msg["created_at"], tz), sent_at=rfc2822(msg["sent_at"], tz))
    if msg.get("rating"):
        out.update(rating=msg["rating"], rating_comment=msg.get("rating_comment", ""),
                   rated_staff_id=msg.get("rated_staff_id", 0))
    return out


USER_IDENTITIES = ("user_email", "user_phone", "user_whatsapp_phone", "telegram_id",
                   "telegram_data", "user_custom_id", "user_custom_channel")


def user_out(user: dict, tz, *, amount_of_cases: int | None = None) -> dict:
    out = {k: user.get(k, d) for k, d in (
        ("user_id", 0), ("user_full_name", ""), ("company_name", ""), ("company_position", ""),
        ("thumbnail", ""), ("confirmed", False), ("active", True), ("deleted", False))}
    out.update(created_at=rfc2822(user["created_at"], tz),
               updated_at=rfc2822(user["updated_at"], tz),
               last_contact_at=rfc2822(user.get("last_contact_at"), tz), type=user["type"])
    for key in USER_IDENTITIES:
        if user.get(key):
            out[key] = user[key]
    out.update(language_id=user.get("language_id", 0),
               custom_fields=dict(user.get("custom_fields") or {}),
               linked_users=list(user.get("linked_users", [])), user_note=user.get("user_note", ""))
    if user.get("password"):
        out["password"] = user["password"]
    if amount_of_cases is not None:
        out["amount_of_cases"] = amount_of_cases
    return out


def staff_out(staff: dict, tz) -> dict:
    return {"staff_id": staff["staff_id"], "staff_email": staff["staff_email"],
            "staff_full_name": staff.get("staff_full_name", ""),
            "staff_signature": staff.get("staff_signature", ""),
            "thumbnail": staff.get("thumbnail", ""), "active": staff["active"],
            "status": "online" if staff.get("status_id") in (1, 3) else "offline",
            "status_id": staff.get("status_id", 1),
            "created_at": rfc2822(staff["created_at"], tz),
            "updated_at": rfc2822(staff["updated_at"], tz)}


def group_out(group: dict, tz) -> dict:
    return {"group_id": group["group_id"], "group_title": group["group_title"],
            "group_from_name": group.get("group_from_name", ""),
            "group_signature": group.get("group_signature", ""), "active": group["active"],
            "created_at": rfc2822(group["created_at"], tz),
            "updated_at": rfc2822(group["updated_at"], tz)}


def company_out(company: dict, tz, **extra) -> dict:
    out = {k: company[k] for k in ("company_id", "company_name", "company_domains",
                                   "company_default_group", "company_address", "company_note",
                                   "active", "deleted")}
    out.update(created_at=rfc2822(company["created_at"], tz),
               updated_at=rfc2822(company["updated_at"], tz))
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def label_out(label: dict) -> dict:
    return {"label_id": label["label_id"], "label_title": label["label_title"]}


def changelog_out(entry: dict, tz) -> dict:
    out = {"created_at": rfc2822(entry["created_at"], tz), "event": entry["event"],
           "done_by": entry["done_by"], "old_value": entry["old_value"]}
    if "value" in entry:
        out["value"] = entry["value"]
    return out
