"""Deskwoot's stored record shapes, each built in exactly one place (the seed and the views both
call these). Records are the vendor's camelCase fields; dates are ISO-8601 UTC strings with `Z`.
Links are ids (`contactId`, `labelIds`, `memberIds`); renderings (schemas.py) join them."""
from __future__ import annotations

from typing import Any

PLAN_MAX_AGENTS = {"HACKER": 2, "STARTUP": 3, "BUSINESS": 8, "ENTERPRISE": 10}


def account(id: str, *, name: str, plan: str, created_at: str, timezone: str = "UTC",
            locale: str = "en", max_agents: int | None = None) -> dict:
    return {"id": id, "name": name, "plan": plan, "locale": locale, "timezone": timezone,
            "maxAgents": max_agents if max_agents is not None else PLAN_MAX_AGENTS[plan],
            "autoResolveEnabled": False, "autoResolveDuration": 48, "brandColor": "#2563EB",
            "liveTranslateEnabled": False, "liveTranslateTargetLang": None,
            "createdAt": created_at}


def user(id: str, account_id: str, *, name: str, email: str, role: str, created_at: str,
         session: str, custom_role_id: str | None = None, availability: str = "ONLINE") -> dict:
    return {"id": id, "accountId": account_id, "name": name, "email": email, "avatarUrl": None,
            "role": role, "customRoleId": custom_role_id, "availability": availability,
            "session": session, "sessionGeneration": 0, "createdAt": created_at}


def custom_role(id: str, account_id: str, *, name: str, created_at: str,
                description: str | None = None, permissions: dict | None = None) -> dict:
    return {"id": id, "accountId": account_id, "name": name, "description": description,
            "permissions": dict(permissions or {}), "createdAt": created_at}


def api_token(id: str, account_id: str, *, user_id: str, name: str | None, scopes: list,
              token_hash: str, created_at: str, expires_at: str | None = None) -> dict:
    return {"id": id, "accountId": account_id, "userId": user_id, "name": name,
            "scopes": list(scopes), "tokenHash": token_hash, "generation": 0,
            "expiresAt": expires_at, "createdAt": created_at}


def inbox(id: str, account_id: str, *, name: str, channel_type: str, created_at: str,
          **settings: Any) -> dict:
    record = {"id": id, "accountId": account_id, "name": name, "channelType": channel_type,
              "emailAddress": None, "enabled": True, "greeting": None, "greetingEnabled": False,
              "enableAutoAssign": True, "autoAssignMode": "round_robin", "botEnabled": False,
              "agentBotId": None, "businessHoursEnabled": False,
              "csatEnabled": False, "csatRatingStyle": "STARS", "csatPromptText": None,
              "widgetColor": None, "createdAt": created_at}
    record.update({k: v for k, v in settings.items() if k in record})
    return record


def label(id: str, account_id: str, *, title: str, created_at: str, color: str = "#6366F1",
          description: str | None = None, show_on_sidebar: bool = True) -> dict:
    return {"id": id, "accountId": account_id, "title": title, "description": description,
            "color": color, "showOnSidebar": show_on_sidebar, "createdAt": created_at}


def team(id: str, account_id: str, *, name: str, created_at: str, description: str | None = None,
         allow_auto_assign: bool = True, member_ids: list | None = None) -> dict:
    return {"id": id, "accountId": account_id, "name": name, "description": description,
            "allowAutoAssign": allow_auto_assign, "memberIds": list(member_ids or []),
            "createdAt": created_at}


CONTACT_FIELDS = ("name", "email", "phone", "avatarUrl", "company", "location", "description",
                  "identifier")


def contact(id: str, account_id: str, *, created_at: str, last_activity_at: str | None = None,
            custom_attributes: dict | None = None, **fields: Any) -> dict:
    record = {"id": id, "accountId": account_id}
    record.update({k: fields.get(k) for k in CONTACT_FIELDS})
    record.update({"customAttributes": dict(custom_attributes or {}),
                   "lastActivityAt": last_activity_at, "createdAt": created_at,
                   "updatedAt": created_at})
    return record


def conversation(id: str, account_id: str, *, display_id: int, inbox_id: str, contact_id: str,
                 created_at: str, status: str = "OPEN", priority: str | None = None,
                 assignee_id: str | None = None, team_id: str | None = None,
                 subject: str | None = None, label_ids: list | None = None,
                 last_activity_at: str | None = None) -> dict:
    return {"id": id, "displayId": display_id, "accountId": account_id, "inboxId": inbox_id,
            "contactId": contact_id, "assigneeId": assignee_id, "teamId": team_id,
            "status": status, "priority": priority, "subject": subject, "muted": False,
            "unread": False, "snoozedUntil": None, "labelIds": list(label_ids or []),
            "lastActivityAt": last_activity_at or created_at, "createdAt": created_at,
            "updatedAt": created_at}


def message(id: str, conversation_id: str, *, content: str | None, message_type: str,
            created_at: str, sender_type: str, sender_id: str | None,
            content_type: str = "TEXT", private: bool = False, cc: list | None = None,
            bcc: list | None = None, attachments: list | None = None) -> dict:
    return {"id": id, "conversationId": conversation_id, "content": content,
            "messageType": message_type, "contentType": content_type, "private": private,
            "sourceId": None, "senderType": sender_type, "senderId": sender_id,
            "cc": list(cc or []), "bcc": list(bcc or []), "attachments": list(attachments or []),
            "createdAt": created_at}


FILE_TYPES = (("image/", "IMAGE"), ("audio/", "AUDIO"), ("video/", "VIDEO"))


def attachment(id: str, *, file_name: str, file_size: int, content_type: str,
               created_at: str) -> dict:
    kind = next((t for prefix, t in FILE_TYPES if content_type.startswith(prefix)), "FILE")
    return {"id": id, "fileUrl": f"https://deskwoot.com/uploads/{id}/{file_name}",
            "fileName": file_name, "fileSize": file_size, "contentType": content_type,
            "fileType": kind, "createdAt": created_at}


def notification(id: str, *, user_id: str, type: str, created_at: str, read: bool = False,
                 conversation_id: str | None = None, contact_name: str | None = None) -> dict:
    return {"id": id, "userId": user_id, "type": type, "read": read,
            "conversationId": conversation_id, "contactName": contact_name,
            "createdAt": created_at}


def audit_log(id: str, *, action: str, created_at: str, actor: dict | None,
              details: dict | None = None) -> dict:
    actor = actor or {}
    return {"id": id, "action": action, "actorId": actor.get("id"),
            "actorName": actor.get("name"), "actorEmail": actor.get("email"),
            "details": dict(details or {}), "createdAt": created_at}


# -- the account's settings records: canned responses, macros, custom attributes, SLA policies,
#    business hours and the AI meter (one record each; built only here) ----------------------
def canned_response(id: str, account_id: str, *, short_code: str, content: str,
                    created_at: str) -> dict:
    return {"id": id, "accountId": account_id, "shortCode": short_code, "content": content,
            "createdAt": created_at}


def macro(id: str, account_id: str, *, name: str, created_at: str, created_by_id: str | None,
          visibility: str = "PERSONAL", actions: list | None = None) -> dict:
    return {"id": id, "accountId": account_id, "name": name, "visibility": visibility,
            "actions": [dict(a) for a in actions or []], "createdById": created_by_id,
            "createdAt": created_at}


def custom_attribute(id: str, account_id: str, *, display_name: str, key: str, created_at: str,
                     display_type: str = "TEXT", model: str = "CONVERSATION",
                     values: list | None = None) -> dict:
    return {"id": id, "accountId": account_id, "attributeDisplayName": display_name,
            "attributeKey": key, "attributeDisplayType": display_type, "attributeModel": model,
            "attributeValues": list(values or []), "createdAt": created_at}


def sla_policy(id: str, account_id: str, *, name: str, created_at: str,
               description: str | None = None, first_response: float | None = None,
               next_response: float | None = None, resolution: float | None = None,
               only_business_hours: bool = False, conversation_ids: list | None = None) -> dict:
    return {"id": id, "accountId": account_id, "name": name, "description": description,
            "firstResponseTimeThreshold": first_response,
            "nextResponseTimeThreshold": next_response, "resolutionTimeThreshold": resolution,
            "onlyDuringBusinessHours": only_business_hours,
            "conversationIds": list(conversation_ids or []), "createdAt": created_at}


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def schedule_day(day: str, *, enabled: bool, open_hour: int = 0, open_minute: int = 0,
                 close_hour: int = 0, close_minute: int = 0) -> dict:
    return {"day": day, "enabled": enabled, "openHour": open_hour, "openMinute": open_minute,
            "closeHour": close_hour, "closeMinute": close_minute}


def business_hours(account_id: str, *, timezone: str, enabled: bool = True,
                   schedule: list | None = None) -> dict:
    """Stored under the account's own id (one per account). Default: weekdays 9:00-17:00."""
    if schedule is None:
        schedule = [schedule_day(d, enabled=d not in ("saturday", "sunday"),
                                 open_hour=9 if d not in ("saturday", "sunday") else 0,
                                 close_hour=17 if d not in ("saturday", "sunday") else 0)
                    for d in WEEKDAYS]
    return {"id": account_id, "enabled": enabled, "timezone": timezone,
            "schedule": [dict(d) for d in schedule]}


def ai_meter(account_id: str, *, prepaid_balance: float = 0.0, usage: list | None = None,
             auto_recharge_enabled: bool = False, auto_recharge_amount: float = 100,
             auto_recharge_max_per_month: int = 5, recharges: list | None = None) -> dict:
    """Stored under the account's own id. `usage`: [{periodStart, conversations}] per calendar
    month (the month's AI-counted conversations); `recharges`: ISO instants of auto-recharges."""
    return {"id": account_id, "prepaidBalance": prepaid_balance,
            "usage": [dict(u) for u in usage or []],
            "autoRechargeEnabled": auto_recharge_enabled,
            "autoRechargeAmount": auto_recharge_amount,
            "autoRechargeMaxPerMonth": auto_recharge_max_per_month,
            "recharges": list(recharges or [])}
