"""Seed builders for Deskwoot: accounts on each plan with their users, custom roles, API tokens
(stored hashed), inboxes, labels, teams, contacts, conversations with messages, notifications
and audit entries (seed_data/deskwoot.yaml).

Everything random comes from `rng.stream(...)`; ids are cuid-like, minted from it. Dates are
relative to the anchor (the clock at seeding), spread so that every contact segment
(active-7d, active-30d, new, has-email, no-email, has-phone) and every conversation filter has
matches.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterator

from mockserver.core.clock import iso_z

from . import factories_help_center, factories_hooks, factories_settings, records
from .ids import V, cuid, digest, session_value, token_value

FIRST = ("Lisa", "Jonas", "Emma", "Noah", "Mila", "Paul", "Lena", "Ben", "Clara", "Elias", "Sofia",
         "Finn", "Hannah", "Leon", "Ida", "Luis", "Marta", "Omar", "Yuki", "Priya", "Chen", "Ana")
LAST = ("Schmidt", "Meyer", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Schulz",
        "Koch", "Richter", "Klein", "Wolf", "Garcia", "Rossi", "Tanaka", "Patel", "Nguyen")
COMPANIES = ("Acme GmbH", "Globex", "Initech", "Umbrella Ltd", "Hooli", "Stark Industries", None,
             None, "Wayne Enterprises", "Soylent Corp")
CITIES = ("Berlin", "Hamburg", "Munich", "London", "Paris", "New York", "Tokyo", None)
SUBJECTS = ("Where is my order?", "Refund request", "Cannot log in", "Invoice copy needed",
            "Change my plan", "Bug in the checkout", "Feature idea: dark mode",
            "Delivery address change", "Payment failed", "Question about pricing", None)
INCOMING = ("Hi, I need help with my order.", "It still does not work, could you check?",
            "Thanks! One more question though.", "Can you send me the invoice?",
            "The app crashes when I open settings.")
OUTGOING = ("Sure, let me look into that for you!", "Your order has been shipped!",
            "Could you send us a screenshot?", "We have refunded the payment.",
            "The fix is live now, please try again.")
NOTES = ("Customer is a VIP, handle with care.", "Checked the logs, nothing unusual.",
         "Escalate to billing if this repeats.")
AUDIT_ACTIONS = ("inbox.created", "inbox.updated", "label.created", "agent.invited",
                 "team.created", "api_token.created", "settings.updated", "contact.merged")
NOTIFICATION_TYPES = ("conversation_assigned", "conversation_mention", "new_message",
                      "conversation_creation")


def build_seed(doc: dict, rng, anchor: datetime) -> Iterator[tuple[str, str, object, dict]]:
    for index, acc in enumerate(doc.get("accounts", [])):
        made = list(_account(index, acc, rng, anchor))
        yield from made
        yield from factories_settings.build(index, acc, rng, anchor, made)
        yield from factories_hooks.build(index, acc, rng, anchor)
    yield from factories_help_center.build_seed(doc, rng, anchor)


def _account(index: int, acc: dict, rng, now: datetime):
    ids = rng.stream(V, "ids", index)
    rnd = rng.stream(V, "data", index)
    tenant = cuid(ids)

    def at(days: float = 0, hours: float = 0, minutes: float = 0) -> str:
        return iso_z(now - timedelta(days=days, hours=hours, minutes=minutes))

    def row(collection: str, record: dict):
        return tenant, collection, record["id"], record

    yield row("account", records.account(
        tenant, name=acc["name"], plan=acc["plan"], created_at=at(days=420),
        timezone=acc.get("timezone", "UTC"), locale=acc.get("locale", "en"),
        max_agents=acc.get("max_agents")))

    roles = {}
    for spec in acc.get("custom_roles", []):
        role = records.custom_role(cuid(ids), tenant, name=spec["name"], created_at=at(days=300),
                                   description=spec.get("description"),
                                   permissions=spec.get("permissions"))
        roles[spec["key"]] = role
        yield row("custom_roles", role)

    users = []
    for i, spec in enumerate(acc.get("users", [])):
        user_id = cuid(ids)
        role = roles.get(spec.get("custom_role"))
        users.append(records.user(
            user_id, tenant, name=spec["name"], email=spec["email"], role=spec["role"],
            created_at=at(days=400 - 20 * i), session=session_value(rng, user_id),
            custom_role_id=role["id"] if role else None,
            availability=("ONLINE", "BUSY", "OFFLINE")[i % 3]))
    by_email = {u["email"]: u for u in users}
    for u in users:
        yield row("users", u)
    admins = [u for u in users if u["role"] == "ADMINISTRATOR"]

    for spec in acc.get("tokens", []):
        token_id = cuid(ids)
        expires = spec.get("expires_in_days")
        owner = by_email.get(spec.get("user")) or admins[0]
        yield row("api_tokens", records.api_token(
            token_id, tenant, user_id=owner["id"], name=spec.get("name"),
            scopes=spec.get("scopes", ["read", "write"]),
            token_hash=digest(token_value(rng, token_id)), created_at=at(days=90),
            expires_at=None if expires is None else iso_z(now + timedelta(days=expires))))

    inboxes = []
    for spec in acc.get("inboxes", []):
        fields = {k: v for k, v in spec.items() if k not in ("name", "channelType")}
        inboxes.append(records.inbox(cuid(ids), tenant, name=spec["name"],
                                     channel_type=spec["channelType"], created_at=at(days=380),
                                     **fields))
    for record in inboxes:
        yield row("inboxes", record)

    labels = [records.label(cuid(ids), tenant, title=spec["title"], created_at=at(days=370),
                            color=spec.get("color", "#6366F1"),
                            description=spec.get("description") or None)
              for spec in acc.get("labels", [])]
    for record in labels:
        yield row("labels", record)

    teams = [records.team(cuid(ids), tenant, name=spec["name"], created_at=at(days=360),
                          description=spec.get("description"),
                          member_ids=[by_email[e]["id"] for e in spec.get("members", [])])
             for spec in acc.get("teams", [])]
    for record in teams:
        yield row("teams", record)

    counts = acc.get("counts", {})
    contacts = []
    for i in range(counts.get("contacts", 0)):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        # shares: most have an e-mail, many a phone; activity spread over a year
        email = f"{first}.{last}{i}@{rnd.choice(('example.com', 'mail.example.org'))}".lower() \
            if rnd.random() < 0.8 else None
        phone = f"+49 170 {rnd.randrange(1000000, 9999999)}" if rnd.random() < 0.55 else None
        created_days = rnd.choice((1, 3, 5, 12, 25, 40, 90, 180, 300)) + rnd.random()
        active_days = rnd.uniform(0, created_days)
        contacts.append(records.contact(
            cuid(ids), tenant, created_at=at(days=created_days),
            last_activity_at=None if rnd.random() < 0.1 else at(days=active_days),
            name=f"{first} {last}", email=email, phone=phone, company=rnd.choice(COMPANIES),
            location=rnd.choice(CITIES), identifier=None if rnd.random() < 0.7 else f"ext-{i}"))
    for record in contacts:
        yield row("contacts", record)

    agents = users
    conversations, messages = [], []
    for n in range(1, counts.get("conversations", 0) + 1):
        if not contacts or not inboxes:
            break
        who = rnd.choice(contacts)
        started = rnd.uniform(0.05, 60)
        status = rnd.choices(("OPEN", "PENDING", "RESOLVED", "SNOOZED"), (5, 2, 4, 1))[0]
        assignee = rnd.choice(agents) if rnd.random() < 0.7 else None
        team = rnd.choice(teams) if teams and rnd.random() < 0.4 else None
        conv = records.conversation(
            cuid(ids), tenant, display_id=n, inbox_id=rnd.choice(inboxes)["id"],
            contact_id=who["id"], created_at=at(days=started), status=status,
            priority=rnd.choice((None, None, "LOW", "MEDIUM", "HIGH", "URGENT")),
            assignee_id=assignee["id"] if assignee else None,
            team_id=team["id"] if team else None, subject=rnd.choice(SUBJECTS),
            label_ids=[lab["id"] for lab in labels if rnd.random() < 0.25])
        conv["muted"] = rnd.random() < 0.05
        last = started
        for k in range(rnd.randint(1, 6)):
            last = max(0.0, last - rnd.uniform(0.001, 0.3))
            outgoing = k % 2 == 1
            agent = assignee or rnd.choice(agents)
            private = outgoing and rnd.random() < 0.15
            messages.append(records.message(
                cuid(ids), conv["id"], created_at=at(days=last),
                content=rnd.choice(NOTES if private else OUTGOING if outgoing else INCOMING),
                message_type="OUTGOING" if outgoing else "INCOMING",
                sender_type="user" if outgoing else "contact",
                sender_id=agent["id"] if outgoing else who["id"], private=private,
                attachments=[records.attachment(
                    cuid(ids), file_name=f"screenshot-{n}.png",
                    file_size=rnd.randrange(2000, 900000), content_type="image/png",
                    created_at=at(days=last))]
                if not outgoing and rnd.random() < 0.1 else []))
        conv["lastActivityAt"] = conv["updatedAt"] = at(days=last)
        conversations.append(conv)
    for record in conversations:
        yield row("conversations", record)
    for record in messages:
        yield row("messages", record)

    for u in users:
        for k in range(counts.get("notifications", 0)):
            conv = rnd.choice(conversations) if conversations else None
            who = next((c for c in contacts if conv and c["id"] == conv["contactId"]), None)
            yield row("notifications", records.notification(
                cuid(ids), user_id=u["id"], type=rnd.choice(NOTIFICATION_TYPES),
                created_at=at(days=k * 0.7 + rnd.random() * 0.5), read=rnd.random() < 0.7,
                conversation_id=conv["id"] if conv else None,
                contact_name=who["name"] if who else None))

    for k in range(counts.get("audit_logs", 0)):
        actor = rnd.choice(admins)
        action = rnd.choice(AUDIT_ACTIONS)
        yield row("audit_logs", records.audit_log(
            cuid(ids), action=action, created_at=at(days=k * 1.5 + rnd.random()),
            actor=actor, details={"inboxName": rnd.choice(inboxes)["name"]}
            if action.startswith("inbox") and inboxes else {}))
