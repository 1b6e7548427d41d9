"""Faker builders for DeskChime: organizations, users, teams, feedback forms, goals, meetings.

Everything random comes from the seeded streams handed in; dates are relative to the anchor.
The page's own example records are pinned from the seed file and kept verbatim.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterator

from mockserver.core.clock import iso_z

ROLES = ("Admin", "Manager", "Member")
FEEDBACK_STATUSES = ("pending", "completed", "closed")
FREQUENCIES = ("Once", "Weekly", "Monthly", "Quarterly")
GOAL_STATUSES = ("OnTrack", "Completed", "Delayed", "AtRisk", "Abandoned")
GOAL_TYPES = ("Organization", "Individual", "Team", "Self")
MEETING_TYPES = ("Goal", "Review", "Casual")
SCALE_QUESTIONS = ("Rate communication", "Rate collaboration", "Rate ownership",
                   "How clear are your goals?", "Rate code quality", "Rate responsiveness")
TEXT_QUESTIONS = ("What's working well?", "What could be improved?",
                  "What should they start doing?", "Any other comments?")
REVIEW_TITLES = ("Q{q} Review", "Mid-year Review", "Peer Feedback", "Onboarding Check",
                 "Project Retrospective", "Manager Feedback", "360 Review", "Team Pulse")
GOAL_VERBS = ("Grow", "Launch", "Reduce", "Improve", "Ship", "Hire", "Automate", "Migrate")
MEETING_TITLES = {"Goal": ("Goal check-in", "OKR sync", "Quarterly goal review"),
                  "Review": ("Performance review", "Design review", "Quarterly review"),
                  "Casual": ("Sprint Retro", "Team lunch", "Coffee chat", "All hands")}


class _Ids:
    """Ids unique across organizations, so another organization's id is told apart (403)."""

    def __init__(self, pinned: dict[str, set[str]]):
        self.counters: dict[str, int] = {}
        self.pinned = pinned

    def next(self, prefix: str) -> str:
        while True:
            self.counters[prefix] = self.counters.get(prefix, 0) + 1
            candidate = f"{prefix}{self.counters[prefix]}"
            if candidate not in self.pinned.get(prefix, set()):
                return candidate


def build_seed(doc: dict, rng, anchor: datetime) -> Iterator[tuple[str, str, object, dict]]:
    pinned_ids: dict[str, set[str]] = {}
    for org in doc.get("organizations", []):
        for collection, records in (org.get("pinned") or {}).items():
            for record in records:
                for item in [record, *record.get("actionItems", [])]:
                    pinned_ids.setdefault(_prefix(item["id"]), set()).add(item["id"])
    ids = _Ids(pinned_ids)
    for org in doc.get("organizations", []):
        yield from _organization(org, rng, anchor, ids)


def _prefix(record_id: str) -> str:
    return record_id.rstrip("0123456789") or record_id


def _organization(org: dict, rng, anchor: datetime, ids: _Ids):
    tenant = str(org["id"])
    rnd = rng.stream("deskchime", tenant)
    fake = rng.faker("deskchime", tenant)
    counts = org.get("counts", {})
    pinned = org.get("pinned") or {}
    domain = org.get("domain") or f"{org['slug']}.com"

    def when(days_back_max: int, days_back_min: int = 0) -> str:
        return iso_z(anchor - timedelta(days=rnd.uniform(days_back_min, days_back_max)))

    yield tenant, "organization", org["id"], {
        "id": org["id"], "name": org["name"], "slug": org["slug"], "apiKey": org["api_key"],
        "keyGeneration": 0}

    teams = list(pinned.get("teams", []))
    for _ in range(counts.get("teams", 3) - len(teams)):
        teams.append({"id": ids.next("t"), "name": f"{fake.unique.job().split(',')[0]} Team"})
    for team in teams:
        yield tenant, "teams", team["id"], team

    users = [dict(u) for u in pinned.get("users", [])]
    emails = {u["email"] for u in users}
    for i in range(counts.get("users", 20) - len(users)):
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}".lower().replace("'", "") + f"@{domain}"
        while email in emails:
            email = f"{first}.{last}{rnd.randint(2, 99)}".lower().replace("'", "") + f"@{domain}"
        emails.add(email)
        role = ROLES[i % 3] if i < 3 else rnd.choices(ROLES, weights=(1, 3, 12))[0]
        users.append({"id": ids.next("u"), "name": f"{first} {last}", "email": email,
                      "role": role, "status": 0 if rnd.random() < 0.06 else 1,
                      "isOnboarded": rnd.random() < 0.9, "joinedAt": when(900, 1),
                      "teamId": rnd.choice(teams)["id"] if teams else None})
    for user in users:
        user.setdefault("teamId", teams[0]["id"] if teams else None)
        yield tenant, "users", user["id"], user
    uids = [u["id"] for u in users]
    leads = [u["id"] for u in users if u["role"] in ("Admin", "Manager")] or uids

    forms = [dict(f) for f in pinned.get("feedback", [])]
    for i in range(counts.get("feedback", 10) - len(forms)):
        forms.append(_feedback(ids.next("f"), i, rnd, fake, uids, leads, when))
    for form in forms:
        yield tenant, "feedback", form["id"], form

    goals = [dict(g) for g in pinned.get("goals", [])]
    for i in range(counts.get("goals", 10) - len(goals)):
        goals.append(_goal(ids, i, rnd, fake, uids, anchor))
    for goal in goals:
        yield tenant, "goals", goal["id"], goal

    meetings = [dict(m) for m in pinned.get("meetings", [])]
    for i in range(counts.get("meetings", 20) - len(meetings)):
        meetings.append(_meeting(ids.next("m"), MEETING_TYPES[i % 3] if i < 3 else
                                 rnd.choice(MEETING_TYPES), rnd, uids, leads, anchor))
    pinned_ones = [dict(m) for m in pinned.get("one_on_ones", [])]
    for _ in range(counts.get("one_on_ones", 10) - len(pinned_ones)):
        pinned_ones.append(_meeting(ids.next("o"), "ONE_ON_ONE", rnd, uids, leads, anchor))
    for meeting in meetings + pinned_ones:
        yield tenant, "meetings", meeting["id"], meeting


def _feedback(fid, i, rnd, fake, uids, leads, when) -> dict:
    questions = []
    for qid in range(1, rnd.randint(2, 5) + 1):
        if qid == 1 or rnd.random() < 0.5:
            low, high = rnd.choice(((1, 5), (1, 5), (0, 10), (1, 10)))
            questions.append({"id": qid, "question": rnd.choice(SCALE_QUESTIONS), "type": "scale",
                              "scale": {"min": str(low), "max": str(high)}})
        else:
            questions.append({"id": qid, "question": rnd.choice(TEXT_QUESTIONS),
                              "type": "textarea"})
    status = FEEDBACK_STATUSES[i % 3] if i < 3 else rnd.choices(FEEDBACK_STATUSES, (3, 4, 2))[0]
    assignees = rnd.sample(uids, k=min(len(uids), rnd.randint(3, 10)))
    share = {"pending": 0.4, "completed": 1.0, "closed": 0.6}[status]
    responders = [u for u in assignees if rnd.random() < share] or (
        [] if status == "pending" else assignees[:1])
    responses = []
    for uid in responders:
        answers = {}
        for q in questions:
            if q["type"] == "scale":
                answers[str(q["id"])] = rnd.randint(int(q["scale"]["min"]), int(q["scale"]["max"]))
            elif rnd.random() < 0.8:
                answers[str(q["id"])] = fake.sentence(nb_words=8)
        responses.append({"userId": uid, "answers": answers, "submittedAt": when(30)})
    title = rnd.choice(REVIEW_TITLES).format(q=rnd.randint(1, 4))
    return {"id": fid, "title": title, "status": status,
            "frequency": rnd.choices(FREQUENCIES, (6, 1, 2, 2))[0], "createdAt": when(365, 30),
            "createdBy": rnd.choice(leads), "assignees": assignees, "questions": questions,
            "responses": responses}


def _goal(ids, i, rnd, fake, uids, anchor) -> dict:
    status = GOAL_STATUSES[i % 5] if i < 5 else rnd.choices(GOAL_STATUSES, (5, 3, 2, 2, 1))[0]
    created = anchor - timedelta(days=rnd.uniform(20, 300))
    steps = rnd.randint(1, 4)
    timeline = []
    for step in range(steps):
        moment = created + (anchor - created) * (step + 1) / (steps + 1)
        timeline.append({"status": status if step == steps - 1 else rnd.choice(
            ("OnTrack", "OnTrack", "AtRisk", "Delayed")),
            "comment": fake.sentence(nb_words=6).rstrip("."), "date": iso_z(moment)})
    actions = [{"id": ids.next("a"), "title": fake.bs().capitalize(),
                "status": rnd.choice(GOAL_STATUSES)} for _ in range(rnd.randint(0, 3))]
    return {"id": ids.next("g"),
            "title": f"{rnd.choice(GOAL_VERBS)} {fake.catch_phrase().lower()}",
            "type": GOAL_TYPES[i % 4] if i < 4 else rnd.choice(GOAL_TYPES), "status": status,
            "progress": 100 if status == "Completed" else rnd.randint(0, 95),
            "createdAt": iso_z(created),
            "assignees": rnd.sample(uids, k=min(len(uids), rnd.randint(1, 3))),
            "timeline": timeline, "actionItems": actions}


def _meeting(mid, kind, rnd, uids, leads, anchor) -> dict:
    moment = anchor + timedelta(days=rnd.uniform(-180, 30))
    past = moment < anchor
    if kind == "ONE_ON_ONE":
        organizer = rnd.choice(leads)
        participant = rnd.choice([u for u in uids if u != organizer] or uids)
        attendees = [organizer, participant]
        title = rnd.choice(("Weekly check-in", "1:1", "Career chat", "Bi-weekly sync"))
    else:
        organizer = rnd.choice(uids)
        attendees = rnd.sample(uids, k=min(len(uids), rnd.randint(2, 12)))
        if organizer not in attendees:
            attendees[0] = organizer
        title = rnd.choice(MEETING_TITLES[kind])
    completed = past and rnd.random() < 0.85
    attended = [u for u in attendees if rnd.random() < 0.9] if completed else []
    return {"id": mid, "title": title, "type": kind, "scheduledAt": iso_z(moment),
            "isCompleted": completed, "createdBy": organizer, "attendees": attendees,
            "attended": attended}
