"""Seed builders for Deskie: accounts, agents, lookups, companies, users, cases with their
messages, notes, ratings and changelog, and agent status changes.

Everything random comes from `rng.stream(...)` (Faker is not needed: names and e-mails are built
from the seed file's pools, which also keeps start-up fast). Seeded dates are Unix timestamps
relative to the anchor; the pinned records (vendor pages' and notes' examples) keep their dates.
"""
from __future__ import annotations

import random
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Iterator

from . import records
from .records import RATING_CODES

V = "deskie"
DAY = 86400

FIRST_NAMES = ("Anna", "Oleg", "Maria", "John", "Kate", "Alex", "Olga", "Mark", "Jo", "Liam", "Emma",
               "Sofia", "Ivan", "Nina", "Peter", "Chen", "Yuki", "Omar", "Dana", "Ines", "Raj", "Tom")
LAST_NAMES = ("Smith", "Smithson", "Lee", "Leeds", "Brown", "Browning", "Ivanov", "Ivanova",
              "Petrov", "Petrova", "Taylor", "Taylors", "Garcia", "Fischer", "Baker")
SUBJECTS = ("Refund request", "Cannot log in", "Order not delivered", "Invoice copy",
            "Robot stops working", "Change my plan", "Password reset", "Broken part",
            "Delivery address change", "Warranty question", "Bug in the app", "Feature idea",
            "Payment failed", "Account locked", "How to set up", "Question about pricing")
USER_LINES = ("Hello, I need help with my order.", "It still does not work, please advise.",
              "Thanks, but I have one more question.", "Could you check this again?",
              "The issue is back after the update.", "Please call me back.")
AGENT_LINES = ("Thank you for contacting us. We are looking into it.",
               "Please try restarting the device and let us know.",
               "We have refunded the order.", "Your ticket has been escalated to our team.",
               "Could you send us a screenshot?", "The fix is live now, please check.")
NOTE_LINES = ("Customer is a VIP, handle with care.", "Checked the logs, nothing unusual.",
              "Escalate to billing if this repeats.")
STATUS_NAMES_BUILTIN = {1: "Online", 2: "Offline", 3: "Without chats"}


def rfc_ts(text) -> int:
    """A pinned date: an RFC 2822 string (or already a timestamp) -> Unix seconds."""
    if isinstance(text, (int, float)):
        return int(text)
    return int(parsedate_to_datetime(text).timestamp())


def _pick(rnd: random.Random, shares: dict) -> str:
    keys = list(shares)
    return rnd.choices(keys, weights=[shares[k] for k in keys])[0]


def build_seed(doc: dict, rng, anchor: datetime) -> Iterator[tuple[str, str, object, dict]]:
    pools = doc.get("user_pools", {})
    for account in doc.get("accounts", []):
        yield from _account(account, pools, rng, int(anchor.timestamp()))


def _account(acc: dict, pools: dict, rng, now: int):
    tenant = acc["domain"]
    rnd = rng.stream(V, tenant)
    counts = acc.get("counts", {})
    pinned = acc.get("pinned") or {}
    start = dict(acc.get("id_start", {}))
    created_base = now - 400 * DAY

    def rows(collection, records, key):
        for record in records:
            yield tenant, collection, record[key], record

    yield tenant, "account", tenant, {
        "id": tenant, "domain": tenant, "plan": acc["plan"], "api_key": acc["api_key"],
        "key_generation": 0, "timezone": acc.get("timezone", "UTC"),
        "default_language_id": acc.get("default_language_id", 1)}

    staff = []
    for i, a in enumerate(acc.get("agents", [])):
        staff.append(records.staff(
            a["staff_id"], staff_email=a["email"], staff_full_name=a["full_name"],
            staff_signature=a.get("signature", ""), active=a["active"], access=a["access"],
            groups=a.get("groups", []), role_id=a.get("role_id", 0),
            status_id=a.get("status_id", 1),
            created_at=created_base - (len(acc["agents"]) - i) * 7 * DAY,
            updated_at=created_base))
    yield from rows("staff", staff, "staff_id")
    yield from rows("groups", [records.group(**{"created_at": created_base,
                                                "updated_at": created_base, **g})
                               for g in acc.get("groups", [])], "group_id")
    yield from rows("labels", [records.label(**lab) for lab in acc.get("labels", [])], "label_id")
    for collection, key in (("custom_fields", "field_id"), ("languages", "language_id"),
                            ("custom_channels", "channel_id"), ("client_emails", "email_id"),
                            ("staff_roles", "role_id"), ("staff_statuses", "status_id")):
        yield from rows(collection, [dict(r) for r in acc.get(collection, [])], key)
    filters = []
    for f in acc.get("filters", []):
        filters.append({"filter_id": f["filter_id"], "filter_name": f["filter_name"],
                        "is_custom": f.get("is_custom", False),
                        "is_selected_by_default": f.get("is_selected_by_default", False),
                        "owner_staff_id": f.get("owner_staff_id", 0),
                        "criteria": dict(f.get("criteria") or {})})
    yield from rows("filters", filters, "filter_id")
    macro_id = 0
    macros = acc.get("macros") or {}
    for owner, categories in [(0, macros.get("common") or [])] + [
            (int(k), v) for k, v in (macros.get("personal") or {}).items()]:
        for category in categories:
            macro_id += 1
            yield tenant, "macros", macro_id, {"id": macro_id, "owner_staff_id": owner,
                                               **category}

    groups = [g["group_id"] for g in acc.get("groups", []) if g.get("active", True)]
    labels = [lab["label_id"] for lab in acc.get("labels", [])]
    agents = [s for s in staff]
    active_agents = [s for s in staff if s["active"]]

    # companies ---------------------------------------------------------------------------
    companies = []
    for c in pinned.get("companies", []):
        companies.append(records.company(**{**c, "created_at": rfc_ts(c["created_at"]),
                                            "updated_at": rfc_ts(c.get("updated_at",
                                                                       c["created_at"]))}))
    stems, suffixes = pools.get("company_stems", ["Acme"]), pools.get("company_suffixes", ["Inc."])
    cid = start.get("company", 1)
    for i in range(counts.get("companies", 0)):
        stem = stems[i % len(stems)]
        name = f"{stem} {rnd.choice(suffixes)}" + (f" {i // len(stems) + 1}" if i >= len(stems) else "")
        slug = stem.lower().replace(" ", "-")
        made = now - rnd.randint(30, 700) * DAY
        companies.append(records.company(
            cid, company_name=name, company_domains=f"{slug}{i}.example.com",
            company_default_group=rnd.choice(groups) if groups else 0,
            company_address=f"{rnd.randint(1, 200)} {rnd.choice(LAST_NAMES)} Street",
            company_note=rnd.choice(("", "Key account", "Pays late", "Partner")),
            created_at=made, updated_at=made + rnd.randint(0, 20) * DAY))
        cid += 1
    generated = companies[len(pinned.get("companies", [])):]
    for c in generated[:counts.get("companies_blocked", 0)]:
        c["active"] = False
    for c in generated[counts.get("companies_blocked", 0):
                       counts.get("companies_blocked", 0) + counts.get("companies_deleted", 0)]:
        c["deleted"] = True
    yield from rows("companies", companies, "company_id")
    live_companies = [c for c in companies if not c["deleted"]]

    # users -------------------------------------------------------------------------------
    users = []
    for u in pinned.get("users", []):
        made = rfc_ts(u["created_at"])
        user = records.user(**{"confirmed": True, **u, "created_at": made,
                               "updated_at": rfc_ts(u.get("updated_at", u["created_at"]))})
        if user.get("company_id") and not user.get("company_name"):
            user["company_name"] = next((c["company_name"] for c in companies
                                         if c["company_id"] == user["company_id"]), "")
        users.append(user)
    names, surnames = pools.get("name_stems", ["ann"]), pools.get("surnames", ["smith"])
    domains = pools.get("email_domains", ["example.com"])
    patterns = pools.get("email_patterns", ["{stem}"])
    prefixes = pools.get("phone_prefixes", ["+1415555"])
    digits = pools.get("phone_digits", 11)
    seen_emails = {u.get("user_email") for u in users}
    seen_phones = {u.get("user_phone") for u in users}
    uid = start.get("user", 1)
    type_share = counts.get("users_type_share", {"email": 1.0})
    for i in range(counts.get("users", 0)):
        kind = _pick(rnd, type_share)
        stem, surname = rnd.choice(names), rnd.choice(surnames)
        made = now - int(rnd.uniform(1, 600) * DAY)
        updated, confirmed = made + rnd.randint(0, 30) * DAY, rnd.random() < 0.8
        identity, employer = {}, {}
        if kind == "email":
            email = None
            while email is None or email in seen_emails:
                local = rnd.choice(patterns).format(stem=stem, surname=surname,
                                                    n2=rnd.randint(10, 99))
                email = f"{local}@{rnd.choice(domains)}"
            seen_emails.add(email)
            identity["user_email"] = email
        elif kind == "phone":
            phone = None
            while phone is None or phone in seen_phones:
                prefix = rnd.choice(prefixes)
                phone = prefix + "".join(str(rnd.randint(0, 9))
                                         for _ in range(digits - (len(prefix) - 1)))
            seen_phones.add(phone)
            identity["user_phone"] = phone
        elif kind == "telegram":
            identity["telegram_data"] = f"@{stem}_{surname}{rnd.randint(1, 999)}"
            identity["telegram_id"] = str(rnd.randint(10 ** 8, 10 ** 9))
        else:
            channels = [c["channel_api_key"] for c in acc.get("custom_channels", [])] or ["cch1"]
            kind = "custom"
            identity["user_custom_id"] = f"ext-{rnd.randint(1000, 99999)}"
            identity["user_custom_channel"] = rnd.choice(channels)
        if live_companies and rnd.random() < counts.get("users_with_company_share", 0):
            company = rnd.choice(live_companies)
            employer = {"company_id": company["company_id"],
                        "company_name": company["company_name"],
                        "company_position": rnd.choice(("Manager", "CEO", "Engineer",
                                                        "Accountant", ""))}
        users.append(records.user(
            uid, type=kind, user_full_name=f"{stem.capitalize()} {surname.capitalize()}",
            language_id=acc.get("default_language_id", 1), created_at=made, updated_at=updated,
            confirmed=confirmed, **identity, **employer))
        uid += 1
    generated_users = users[len(pinned.get("users", [])):]
    blocked, deleted = counts.get("users_blocked", 0), counts.get("users_deleted", 0)
    for u in generated_users[:blocked]:
        u["active"] = False
    for u in generated_users[blocked:blocked + deleted]:
        u["deleted"] = True
    for _ in range(counts.get("linked_user_pairs", 0)):
        a, b = rnd.sample(generated_users[blocked + deleted:], 2)
        if b["user_id"] not in a["linked_users"]:
            a["linked_users"].append(b["user_id"])
            b["linked_users"].append(a["user_id"])
    by_user = {u["user_id"]: u for u in users}

    # cases, messages, ratings, changelog ---------------------------------------------------
    ids = {"message": start.get("message", 1), "rating": start.get("rating", 1),
           "changelog": 1, "file": start.get("file", 1)}
    cases, messages, ratings, changelog = [], [], [], []
    for c in pinned.get("cases", []):
        _pinned_case(c, acc, cases, messages, changelog, ids, by_user)
    for r in pinned.get("ratings", []):
        case = next((x for x in cases if x["case_id"] == r["case_id"]), None)
        ratings.append(records.rating(
            r["rating_id"], rating=str(r["rating"]), case=case or {"case_id": r["case_id"]},
            rating_comment=r.get("rating_comment", ""),
            rated_staff_id=r.get("rated_staff_id", 0), message_id=r.get("message_id", 0),
            staff_id=r.get("staff_id", 0), group_id=r.get("group_id", 0),
            created_at=rfc_ts(r["created_at"]),
            updated_at=rfc_ts(r.get("updated_at", r["created_at"]))))
        ids["rating"] = max(ids["rating"], r["rating_id"] + 1)
    case_id = start.get("case", 1)
    live_users = [u for u in users if not u["deleted"]]
    channels = counts.get("case_channel_share", {"email": 1.0})
    within = counts.get("case_created_within_days", 200)
    msgs_lo, msgs_hi = counts.get("messages_per_case", [1, 4])
    notes_lo, notes_hi = counts.get("notes_per_case", [0, 1])
    lab_lo, lab_hi = counts.get("labels_per_case", [0, 1])
    ev_lo, ev_hi = counts.get("changelog_events_per_case", [1, 3])
    emails = [e["email"] for e in acc.get("client_emails", []) if e.get("active")] or ["help"]
    for i in range(counts.get("cases", 0)):
        user = rnd.choice(live_users)
        created = now - int(within * DAY * rnd.random() ** 2) - rnd.randint(600, 7200)
        status = _pick(rnd, counts.get("case_status_share", {"open": 1.0}))
        group = rnd.choice(groups) if groups else 0
        eligible = [s for s in active_agents if s["access"] == "full" or group in s["groups"]]
        staff_id = 0 if (rnd.random() < counts.get("cases_unassigned_share", 0) or not eligible) \
            else rnd.choice(eligible)["staff_id"]
        if status != "open" and staff_id == 0 and eligible:
            staff_id = rnd.choice(eligible)["staff_id"]
        channel = _pick(rnd, channels)
        case = records.case(
            case_id, records.case_number(rnd), subject=rnd.choice(SUBJECTS),
            user_id=user["user_id"], staff_id=staff_id, group_id=group, status=status,
            priority=_pick(rnd, counts.get("case_priority_share", {"normal": 1.0})),
            channel=channel, recipient=rnd.choice(emails) if channel == "email" else channel,
            created_at=created,
            language_id=user.get("language_id") or acc.get("default_language_id", 1),
            labels=sorted(rnd.sample(labels, min(len(labels), rnd.randint(lab_lo, lab_hi)))))
        # the conversation: customer first, then alternating agent / customer
        moment = created
        author_staff = staff_id or (rnd.choice(eligible)["staff_id"] if eligible else 0)
        n = rnd.randint(msgs_lo, msgs_hi)
        if status != "open" and n < 2:
            n = 2
        if status == "open" and n % 2 == 0:
            n = max(1, n - 1)
        if status == "waiting" and n % 2:
            n += 1
        conversation = []
        for k in range(n):
            from_agent = k % 2 == 1 and author_staff
            msg = records.message(
                ids["message"], case_id=case_id, user_id=0 if from_agent else user["user_id"],
                staff_id=author_staff if from_agent else 0,
                content=rnd.choice(AGENT_LINES if from_agent else USER_LINES),
                created_at=moment)
            if rnd.random() < counts.get("attachments_share", 0):
                msg["attachments"] = [_attachment(ids, rnd, tenant)
                                      for _ in range(rnd.randint(1, 2))]
            ids["message"] += 1
            conversation.append(msg)
            moment += rnd.randint(60, 6 * 3600) if k % 2 == 0 else rnd.randint(300, DAY)
            moment = min(moment, now - 60)
        for _ in range(rnd.randint(notes_lo, notes_hi)):
            if not author_staff:
                break
            at = rnd.randint(created, max(created, moment))
            conversation.append(records.message(
                ids["message"], case_id=case_id, staff_id=author_staff,
                content=rnd.choice(NOTE_LINES), note=True, created_at=at))
            ids["message"] += 1
        replies = [m for m in conversation if m["staff_id"] and not m["note"]]
        if replies:
            case["first_response_at"] = min(m["created_at"] for m in replies)
            case["last_response_at"] = max(m["created_at"] for m in replies)
        last = max(m["created_at"] for m in conversation)
        case["updated_at"] = last
        if status == "closed":
            case["closed_at"] = min(last + rnd.randint(60, 3 * DAY), now - 30)
            case["updated_at"] = case["closed_at"]
        # history
        events = [("staff", f"rule_{rnd.randint(1000, 1999)}", "0", str(staff_id))] if staff_id else []
        if status != "open":
            events.append(("status", f"staff_{author_staff}" if author_staff else "system",
                           "open", status))
        for _ in range(max(0, rnd.randint(ev_lo, ev_hi) - len(events))):
            events.append(("priority", f"staff_{author_staff}" if author_staff else "system",
                           "normal", case["priority"]))
        if status == "closed" and rnd.random() < 0.1:
            # reopened once before its final closing
            events.insert(len(events) - 1, ("status", f"user_{user['user_id']}", "closed", "open"))
        span = max(1, case["updated_at"] - created)
        for k, (event, by, old, new) in enumerate(events):
            changelog.append(records.changelog(
                ids["changelog"], case_id=case_id,
                created_at=created + span * (k + 1) // (len(events) + 1), event=event,
                done_by=by, old_value=old, value=new))
            ids["changelog"] += 1
        if status == "closed" and rnd.random() < counts.get("rated_share_of_closed", 0):
            rating = rnd.choices(("low", "middle", "high"), weights=(1, 2, 5))[0]
            comment = rnd.choice(("Thanks!", "Too slow", "Great help", "OK")) \
                if rnd.random() < counts.get("rating_comment_share", 0) else ""
            target = rnd.choice(replies) if replies and rnd.random() < 0.5 else None
            at = min(case["closed_at"] + rnd.randint(60, DAY), now - 10)
            if target:
                records.rated(target, rating, comment, target["staff_id"])
            else:
                records.rated(case, rating, comment, 0)
            ratings.append(records.rating(
                ids["rating"], rating=RATING_CODES[rating], case=case, rating_comment=comment,
                rated_staff_id=target["staff_id"] if target else 0,
                message_id=target["message_id"] if target else 0, created_at=at))
            ids["rating"] += 1
        by_user[user["user_id"]]["last_contact_at"] = max(
            by_user[user["user_id"]].get("last_contact_at") or 0, last)
        messages.extend(conversation)
        cases.append(case)
        case_id += 1
    generated_cases = cases[len(pinned.get("cases", [])):]
    k = 0
    for flag, key in (("deleted", "cases_trashed"), ("spam", "cases_spam")):
        for c in generated_cases[k:k + counts.get(key, 0)]:
            c[flag] = True
        k += counts.get(key, 0)
    for c in generated_cases[k:k + counts.get("cases_merged", 0)]:
        c["parent_case_id"] = generated_cases[-1]["case_id"]
    yield from rows("users", users, "user_id")
    yield from rows("cases", cases, "case_id")
    yield from rows("messages", messages, "message_id")
    yield from rows("ratings", ratings, "rating_id")
    yield from rows("changelog", changelog, "id")

    # agent status changes ------------------------------------------------------------------
    statuses = [s["status_id"] for s in acc.get("staff_statuses", []) if s.get("active")] or [1, 2]
    changes = []
    sid = start.get("status_change", 1)
    for s in pinned.get("status_changes", []):
        changes.append(records.status_change(sid, staff_id=s["staff_id"],
                                             timestamp=int(s["timestamp"]), from_=s["from"],
                                             to=s["to"]))
        sid += 1
    for agent in agents:
        if not agent["active"]:
            continue
        recent = counts.get("status_changes_per_enabled_agent_last_30_days", 0)
        older = counts.get("status_changes_per_enabled_agent_before", 0)
        moments = sorted([now - rnd.randint(60, 30 * DAY - 60) for _ in range(recent)] +
                         [now - rnd.randint(31 * DAY, 120 * DAY) for _ in range(older)])
        current = 2
        for moment in moments:
            nxt = rnd.choice([x for x in statuses if x != current] or statuses)
            changes.append(records.status_change(sid, staff_id=agent["staff_id"],
                                                 timestamp=moment, from_=current, to=nxt))
            current = nxt
            sid += 1
    yield from rows("status_changes", changes, "id")


def _attachment(ids, rnd, tenant) -> dict:
    file_id = ids["file"]
    ids["file"] += 1
    name, mime = rnd.choice((("screenshot.png", "image/png"), ("invoice.pdf", "application/pdf"),
                             ("log.txt", "text/plain")))
    return records.attachment(file_id, tenant, file_name=name,
                              file_size=rnd.randint(1000, 900000), mime_type=mime)


def _pinned_case(c: dict, acc: dict, cases, messages, changelog, ids, by_user) -> None:
    created = rfc_ts(c["created_at"])
    given = {k: c[k] for k in ("staff_id", "group_id", "status", "priority", "channel",
                               "recipient", "recipient_cc", "recipient_bcc", "deleted", "spam",
                               "parent_case_id") if k in c}
    case = records.case(
        c["case_id"], c["case_number"], subject=c["subject"], user_id=c["user_id"], **given,
        created_at=created, updated_at=rfc_ts(c.get("updated_at", c["created_at"])),
        closed_at=None if c.get("closed_at", "-") == "-" else rfc_ts(c["closed_at"]),
        language_id=c.get("language_id", acc.get("default_language_id", 1)),
        custom_fields=c.get("custom_fields"), labels=c.get("labels") or [],
        locked_labels=c.get("locked_labels") or [])
    _copy_rating(c, case)
    for m in c.get("messages", []):
        at = rfc_ts(m["created_at"])
        msg = records.message(m["message_id"], case_id=c["case_id"], created_at=at,
                              **{k: m[k] for k in ("user_id", "staff_id", "content",
                                                   "content_html", "note") if k in m})
        _copy_rating(m, msg)
        messages.append(msg)
        if msg["staff_id"] and not msg["note"]:
            case["first_response_at"] = min(case["first_response_at"] or at, at)
            case["last_response_at"] = max(case["last_response_at"] or at, at)
        case["updated_at"] = max(case["updated_at"], at)
        user = by_user.get(msg["user_id"])
        if user is not None:
            user["last_contact_at"] = max(user.get("last_contact_at") or 0, at)
    if case["closed_at"]:
        case["updated_at"] = max(case["updated_at"], case["closed_at"])
    for e in c.get("changelog", []):
        changelog.append(records.changelog(
            ids["changelog"], case_id=c["case_id"], created_at=rfc_ts(e["created_at"]),
            event=e["event"], done_by=e["done_by"], old_value=e.get("old_value", ""),
            value=e.get("value")))
        ids["changelog"] += 1
    cases.append(case)


def _copy_rating(pinned: dict, record: dict) -> None:
    """A pinned case's or message's rating fields, as the seed file gives them."""
    for key in ("rating", "rating_comment", "rated_staff_id"):
        if key in pinned:
            record[key] = pinned[key]
