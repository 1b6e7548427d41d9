"""Contacts: list with search, segments and pages, merge (page "Contacts"), and the official
client's get, create, update and delete."""
from __future__ import annotations

import re
from datetime import timedelta

from .. import records, schemas
from .. import conversation_rules as rules
from ..desk import (account, audit, bad, conflict, emit, find, mint, no_content, page_of, remove,
                    rows, save)
from ..models import instant, now_iso

__all__ = ["list_contacts", "create_contact", "get_contact", "update_contact",
           "delete_contact", "merge_contacts"]

FIELDS = records.CONTACT_FIELDS + ("customAttributes",)


def _since(ctx, days: int):
    return ctx.clock.now() - timedelta(days=days)


def _segment(ctx, name: str | None):
    """Page: active-7d, active-30d, no-email, has-email, has-phone, new (created in the last 7
    days), all on the sandbox clock."""
    if name is None:
        return lambda c: True
    if name in ("active-7d", "active-30d"):
        since = _since(ctx, 7 if name == "active-7d" else 30)
        return lambda c: bool(c["lastActivityAt"]) and instant(c["lastActivityAt"]) >= since
    if name == "new":
        since = _since(ctx, 7)
        return lambda c: instant(c["createdAt"]) >= since
    if name == "no-email":
        return lambda c: not c["email"]
    if name == "has-email":
        return lambda c: bool(c["email"])
    return lambda c: bool(c["phone"])  # has-phone


def _digits(text) -> str:
    return re.sub(r"\D", "", text or "")


def _matches(term: str):
    """Search by name, email or phone (page): a case-insensitive substring; a phone also
    matches by its digits, so `1701234` finds `+49 170 1234567`."""
    needle, digits = term.casefold(), _digits(term)

    def match(c):
        if any(needle in (c[k] or "").casefold() for k in ("name", "email", "phone")):
            return True
        return len(digits) >= 3 and digits in _digits(c["phone"])
    return match


def list_contacts(ctx):
    account(ctx)
    segment = _segment(ctx, ctx.query.get("segment"))
    term = (ctx.query.get("search") or "").strip()
    search = _matches(term) if term else (lambda c: True)
    found = [c for c in rows(ctx, "contacts") if segment(c) and search(c)]
    found.sort(key=lambda c: (c["createdAt"], c["id"]), reverse=True)
    page = page_of(ctx, found)
    return {"contacts": [schemas.contact(c) for c in page.items], "total": page.total,
            "page": page.page, "pageSize": page.limit}


def _check_email(ctx, email, own_id=None):
    if not email:
        return
    folded = email.casefold()
    if any(c["id"] != own_id and (c["email"] or "").casefold() == folded
           for c in rows(ctx, "contacts")):
        raise conflict(f"email: a contact with the email {email} already exists")


def create_contact(ctx):
    account(ctx)
    body = ctx.body or {}
    if not any(body.get(k) for k in ("name", "email", "phone")):
        raise bad("name, email or phone is required")
    _check_email(ctx, body.get("email"))
    now = now_iso(ctx)
    record = save(ctx, "contacts", records.contact(
        mint(ctx, "contacts"), ctx.tenant, created_at=now, last_activity_at=None,
        custom_attributes=body.get("customAttributes"),
        **{k: body.get(k) for k in records.CONTACT_FIELDS}))
    emit(ctx, "contact.created", contact=schemas.contact(record))
    return schemas.contact(record), 201


def get_contact(ctx):
    account(ctx)
    return schemas.contact(find(ctx, "contacts", ctx.path_params["contactId"]))


def update_contact(ctx):
    account(ctx)
    record = find(ctx, "contacts", ctx.path_params["contactId"])
    body = ctx.body or {}
    _check_email(ctx, body.get("email"), record["id"])
    record.update({k: body[k] for k in FIELDS if k in body and k != "customAttributes"})
    if "customAttributes" in body:
        record["customAttributes"] = {**record["customAttributes"], **body["customAttributes"]}
    if not any(record.get(k) for k in ("name", "email", "phone")):
        raise bad("a contact keeps at least one of name, email or phone")
    record["updatedAt"] = now_iso(ctx)
    save(ctx, "contacts", record)
    emit(ctx, "contact.updated", contact=schemas.contact(record))
    return schemas.contact(record)


def delete_contact(ctx):
    account(ctx)
    record = find(ctx, "contacts", ctx.path_params["contactId"])
    for conv in rows(ctx, "conversations"):
        if conv["contactId"] == record["id"]:
            rules.delete_conversation(ctx, conv)
    remove(ctx, "contacts", record["id"])
    return no_content()


def merge_contacts(ctx):
    """The primary keeps its data and takes the secondary's where its own is empty; the
    secondary's conversations move to the primary and the secondary is deleted (page)."""
    account(ctx)
    body = ctx.body
    if body["primaryContactId"] == body["secondaryContactId"]:
        raise bad("secondaryContactId must differ from primaryContactId")
    primary = find(ctx, "contacts", body["primaryContactId"], field="primaryContactId")
    secondary = find(ctx, "contacts", body["secondaryContactId"], field="secondaryContactId")
    for key in records.CONTACT_FIELDS:
        if not primary.get(key) and secondary.get(key):
            primary[key] = secondary[key]
    primary["customAttributes"] = {**secondary["customAttributes"],
                                   **primary["customAttributes"]}
    stamps = [s for s in (primary["lastActivityAt"], secondary["lastActivityAt"]) if s]
    primary["lastActivityAt"] = max(stamps, key=instant) if stamps else None
    moved = 0
    for conv in rows(ctx, "conversations"):
        if conv["contactId"] == secondary["id"]:
            changed = find(ctx, "conversations", conv["id"])
            changed["contactId"] = primary["id"]
            save(ctx, "conversations", changed)
            moved += 1
    remove(ctx, "contacts", secondary["id"])
    primary["updatedAt"] = now_iso(ctx)
    save(ctx, "contacts", primary)
    audit(ctx, "contact.merged", primaryContactId=primary["id"],
          secondaryContactId=secondary["id"], conversationsMoved=moved)
    emit(ctx, "contact.updated", contact=schemas.contact(primary))
    return schemas.contact(primary)
