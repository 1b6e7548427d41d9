"""Deskie stored record shapes: one constructor per record kind, used by the views and the seed
factories alike, so that a record has every field whatever built it. Constructors take plain
values (no request context, no randomness) and only build; they neither check nor save.

Times are Unix seconds; schemas.py renders them in the account's zone.
"""
from __future__ import annotations

RATING_CODES = {"low": "1", "middle": "2", "high": "3"}  # reports page: stored as "1".."3"


def case(case_id: int, case_number: str, *, subject: str, user_id: int, created_at: int,
         updated_at: int | None = None, staff_id: int = 0, group_id: int = 0,
         status: str = "open", priority: str = "normal", channel: str = "email",
         recipient: str = "", recipient_cc: str = "", recipient_bcc: str = "",
         deleted: bool = False, spam: bool = False, closed_at: int | None = None,
         last_response_at: int | None = None, first_response_at: int | None = None,
         parent_case_id: int = 0, language_id: int = 0, custom_fields: dict | None = None,
         labels=(), locked_labels=()) -> dict:
    return {"case_id": case_id, "case_number": case_number, "subject": subject,
            "user_id": user_id, "staff_id": staff_id, "group_id": group_id, "status": status,
            "priority": priority, "channel": channel, "recipient": recipient,
            "recipient_cc": recipient_cc, "recipient_bcc": recipient_bcc, "deleted": deleted,
            "spam": spam, "created_at": created_at,
            "updated_at": created_at if updated_at is None else updated_at,
            "closed_at": closed_at, "last_response_at": last_response_at,
            "first_response_at": first_response_at, "parent_case_id": parent_case_id,
            "language_id": language_id, "custom_fields": dict(custom_fields or {}),
            "labels": list(labels), "locked_labels": list(locked_labels)}


def case_number(rnd) -> str:
    """`NNN-NNNNNN`, as the vendor's examples show (`123-456789`)."""
    return f"{rnd.randint(100, 999)}-{rnd.randint(100000, 999999)}"


def message(message_id: int, *, case_id: int, created_at: int, sent_at: int | None = None,
            user_id: int = 0, staff_id: int = 0, content: str = "", content_html: str = "",
            attachments=(), note: bool = False, sent_via_rule: bool = False) -> dict:
    """A customer message (user_id), an agent reply (staff_id) or a private note (note)."""
    return {"message_id": message_id, "case_id": case_id, "user_id": user_id,
            "staff_id": staff_id, "content": content, "content_html": content_html,
            "attachments": list(attachments), "note": note, "sent_via_rule": sent_via_rule,
            "created_at": created_at, "sent_at": created_at if sent_at is None else sent_at}


def rated(record: dict, rating: str, comment: str, rated_staff_id: int) -> dict:
    """A case or message as rated (`low` / `middle` / `high`); the record itself is changed."""
    record.update(rating=rating, rating_comment=comment, rated_staff_id=rated_staff_id)
    return record


def rating(rating_id: int, *, rating: str, case: dict, created_at: int,
           updated_at: int | None = None, rating_comment: str = "", rated_staff_id: int = 0,
           message_id: int = 0, staff_id: int | None = None, group_id: int | None = None,
           user_id: int | None = None) -> dict:
    """A stats_satisfaction row; `rating` is the stored code ("1".."3"). The case gives the
    agent, group and customer unless they are given."""
    return {"rating_id": rating_id, "rating": rating, "rating_comment": rating_comment,
            "rated_staff_id": rated_staff_id, "case_id": case["case_id"],
            "message_id": message_id,
            "staff_id": case.get("staff_id", 0) if staff_id is None else staff_id,
            "group_id": case.get("group_id", 0) if group_id is None else group_id,
            "user_id": case.get("user_id", 0) if user_id is None else user_id,
            "created_at": created_at,
            "updated_at": created_at if updated_at is None else updated_at}


def changelog(entry_id: int, *, case_id: int, created_at: int, event: str, done_by: str,
              old_value, value=None) -> dict:
    """A changelog entry (vendor-notes §4.8); an entry without a value leaves the key out."""
    entry = {"id": entry_id, "case_id": case_id, "created_at": created_at, "event": event,
             "done_by": done_by, "old_value": str(old_value)}
    if value is not None:
        entry["value"] = str(value)
    return entry


def attachment(file_id: int, tenant: str, *, file_name: str, file_size: int,
               mime_type: str) -> dict:
    return {"file_id": file_id, "file_name": file_name, "file_size": file_size,
            "mime_type": mime_type,
            "url": f"https://{tenant}.deskie.io/attachments/{file_id}/{file_name}"}


def user(user_id: int, *, type: str, created_at: int, updated_at: int | None = None,
         confirmed: bool = False, user_full_name: str = "", company_id: int = 0,
         company_name: str = "", company_position: str = "", thumbnail: str = "",
         active: bool = True, deleted: bool = False, last_contact_at: int | None = None,
         language_id: int = 0, custom_fields: dict | None = None, linked_users=(),
         user_note: str = "", **identity) -> dict:
    """An end user; `identity` holds what identifies them by `type` (user_email, user_phone,
    telegram_data, user_custom_id + user_custom_channel, ...)."""
    return {"user_id": user_id, "type": type, **identity, "user_full_name": user_full_name,
            "company_id": company_id, "company_name": company_name,
            "company_position": company_position, "thumbnail": thumbnail,
            "confirmed": confirmed, "active": active, "deleted": deleted,
            "created_at": created_at,
            "updated_at": created_at if updated_at is None else updated_at,
            "last_contact_at": last_contact_at, "language_id": language_id,
            "custom_fields": dict(custom_fields or {}), "linked_users": list(linked_users),
            "user_note": user_note}


def staff(staff_id: int, *, staff_email: str, created_at: int, updated_at: int | None = None,
          staff_full_name: str = "", staff_signature: str = "", thumbnail: str = "",
          active: bool = False, access: str = "limited", groups=(), role_id: int = 0,
          status_id: int = 2) -> dict:
    """An agent; an invited one is inactive, limited and offline (status 2) until changed."""
    return {"staff_id": staff_id, "staff_email": staff_email,
            "staff_full_name": staff_full_name, "staff_signature": staff_signature,
            "thumbnail": thumbnail, "active": active, "access": access, "groups": list(groups),
            "role_id": role_id, "status_id": status_id, "created_at": created_at,
            "updated_at": created_at if updated_at is None else updated_at}


def group(group_id: int, *, group_title: str, created_at: int, updated_at: int | None = None,
          group_from_name: str = "", group_signature: str = "", active: bool = True) -> dict:
    return {"group_id": group_id, "group_title": group_title,
            "group_from_name": group_from_name, "group_signature": group_signature,
            "active": active, "created_at": created_at,
            "updated_at": created_at if updated_at is None else updated_at}


def company(company_id: int, *, company_name: str, created_at: int,
            updated_at: int | None = None, company_domains: str = "",
            company_default_group: int = 0, company_address: str = "", company_note: str = "",
            active: bool = True, deleted: bool = False) -> dict:
    return {"company_id": company_id, "company_name": company_name,
            "company_domains": company_domains, "company_default_group": company_default_group,
            "company_address": company_address, "company_note": company_note,
            "active": active, "deleted": deleted, "created_at": created_at,
            "updated_at": created_at if updated_at is None else updated_at}


def label(label_id: int, *, label_title: str) -> dict:
    """Labels carry no dates (§10)."""
    return {"label_id": label_id, "label_title": label_title}


def status_change(change_id: int, *, staff_id: int, timestamp: int, from_: int, to: int) -> dict:
    """An agent's status change (reports page, Agent statuses)."""
    return {"id": change_id, "staff_id": staff_id, "timestamp": timestamp, "from": from_,
            "to": to}
