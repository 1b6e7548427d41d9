"""DeskChime domain rules: who a key belongs to, cross-organization access, and every derived
figure (list totals, per-user stats, responsiveness rates), computed from the records each time."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from mockserver.core import keys
from mockserver.core.errors import SandboxError
from mockserver.core.rng import token
from mockserver.core.vendor import PRINCIPAL_KINDS, Principal

V = "deskchime"
KEY_SHAPE = re.compile(r"dc_live_[A-Za-z0-9]{32}")


# -- authentication and keys ----------------------------------------------------------------
def organizations(store) -> list[dict]:
    return [org for t in store.tenants(V) for org in store.all(V, t, "organization")]


def authenticate(credential, runtime) -> Principal:
    # The page's four cases: missing header, invalid format, key not found (401s), cross-org (403).
    if not credential.present:
        raise SandboxError(401, "MISSING_API_KEY", "x-api-key header not present")
    if not KEY_SHAPE.fullmatch(credential.value or ""):
        raise SandboxError(401, "INVALID_API_KEY_FORMAT", "Key format is not recognized")
    for org in organizations(runtime.store):
        if org["apiKey"] == credential.value:
            return Principal(str(org["id"]), org["slug"])
    raise SandboxError(401, "API_KEY_NOT_FOUND", "Key doesn't match any organization")


def credentials_section(runtime, base_url: str) -> dict:
    return {"base_url": base_url, "organizations": [
        {"id": o["id"], "name": o["name"], "slug": o["slug"], "api_key": o["apiKey"]}
        for o in organizations(runtime.store)]}


def sample_headers(runtime) -> dict:
    """Headers of a valid caller: the first organization's key."""
    return {"x-api-key": organizations(runtime.store)[0]["apiKey"]}


def principal_headers(runtime, kind: str) -> dict | None:
    """Callers of each kind of core.vendor.PRINCIPAL_KINDS, from the store. One key per
    organization and nothing finer (the page knows no deactivated or weaker key), so there is
    no deactivated or weak caller; bad: a well-formed key of no organization (401
    API_KEY_NOT_FOUND); other_tenant: the second organization's key."""
    orgs = organizations(runtime.store)
    if kind == "valid":
        return sample_headers(runtime)
    if kind == "bad":
        taken = {o["apiKey"] for o in orgs}
        rnd = runtime.randomness().stream(V, "principal", kind)
        key = next(k for k in iter(lambda: "dc_live_" + token(rnd, 32), None) if k not in taken)
        return {"x-api-key": key}
    if kind in ("deactivated", "weak"):
        return None
    if kind == "other_tenant":
        return {"x-api-key": orgs[1]["apiKey"]} if len(orgs) > 1 else None
    if kind in PRINCIPAL_KINDS:  # the kinds of spec-compiled access, which it does not use
        return None
    raise ValueError(f"unknown principal kind {kind!r}")


def rotate_key(runtime, ident: str) -> dict:
    """Regenerate an organization's key; the old one stops working at once."""
    org = keys.rotate(runtime, V, ident, "organization", ident, field="apiKey",
                      generation="keyGeneration", mint=lambda rnd: "dc_live_" + token(rnd, 32),
                      missing=SandboxError(404, "unknown_organization",
                                           f"no DeskChime organization {ident!r}"))
    return {"id": org["id"], "api_key": org["apiKey"]}


# -- lookups -----------------------------------------------------------------------------------
def find(store, tenant: str, collection: str, record_id: str, label: str) -> dict:
    """A record of the caller's organization; 403 if it is another organization's, else 404."""
    record = store.get(V, tenant, collection, record_id)
    if record is not None:
        return record
    for other in store.tenants(V):
        if other != tenant and store.get(V, other, collection, record_id) is not None:
            raise SandboxError(403, "CROSS_ORG_ACCESS",
                               f"{label} {record_id!r} belongs to a different organization")
    raise SandboxError(404, "NOT_FOUND", f"{label} {record_id!r} not found")


def find_user_by_email(store, tenant: str, email: str) -> dict:
    wanted = email.strip().casefold()
    for other in [tenant, *[t for t in store.tenants(V) if t != tenant]]:
        for user in store.all(V, other, "users"):
            if user["email"].casefold() == wanted:
                if other != tenant:
                    raise SandboxError(403, "CROSS_ORG_ACCESS",
                                       f"user {email!r} belongs to a different organization")
                return user
    raise SandboxError(404, "NOT_FOUND", f"no user with email {email!r}")


def users_by_id(store, tenant: str) -> dict[str, dict]:
    return {u["id"]: u for u in store.all(V, tenant, "users")}


# -- date ranges -------------------------------------------------------------------------------
def parse_bound(name: str, text: str | None, end: bool) -> datetime | None:
    """An ISO date or date-time; a date-only `to` covers its whole day (UTC)."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SandboxError(400, "INVALID_REQUEST",
                           f"invalid query parameter '{name}': {text!r} is not an ISO 8601 date")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if end and len(text) == 10:
        moment += timedelta(days=1) - timedelta(microseconds=1)
    return moment


def in_range(records: list[dict], field: str, start: datetime | None, stop: datetime | None):
    if start and stop and start > stop:
        raise SandboxError(400, "INVALID_REQUEST", "query parameter 'from' is later than 'to'")
    if not start and not stop:
        return records
    out = []
    for record in records:
        moment = datetime.fromisoformat(record[field].replace("Z", "+00:00"))
        if (start is None or moment >= start) and (stop is None or moment <= stop):
            out.append(record)
    return out


# -- derived figures ---------------------------------------------------------------------------
def one_on_ones(store, tenant: str) -> list[dict]:
    return [m for m in store.all(V, tenant, "meetings") if m["type"] == "ONE_ON_ONE"]


def workspace_counts(store, tenant: str) -> dict:
    meetings = store.all(V, tenant, "meetings")
    return {
        "totalGoals": len(store.all(V, tenant, "goals")),
        "totalUsers": len(store.all(V, tenant, "users")),
        "totalTeams": len(store.all(V, tenant, "teams")),
        "totalReviews": len(store.all(V, tenant, "feedback")),
        "totalMeetings": len(meetings),
        "totalOneOnOnes": sum(1 for m in meetings if m["type"] == "ONE_ON_ONE"),
    }


def user_activity(store, tenant: str, uid: str) -> dict:
    forms = store.all(V, tenant, "feedback")
    received = [f for f in forms if uid in f.get("assignees", [])]
    goals = [g for g in store.all(V, tenant, "goals") if uid in g.get("assignees", [])]
    meetings = store.all(V, tenant, "meetings")
    group = [m for m in meetings if m["type"] != "ONE_ON_ONE"]
    ones = [m for m in meetings if m["type"] == "ONE_ON_ONE" and uid in m.get("attendees", [])]
    return {
        "feedback": {
            "given": sum(1 for f in forms if f.get("createdBy") == uid),
            "received": len(received),
            "answered": sum(1 for f in received
                            if any(r["userId"] == uid for r in f.get("responses", []))),
        },
        "goals": {"total": len(goals),
                  "completed": sum(1 for g in goals if g["status"] == "Completed")},
        "meetings": {
            "created": sum(1 for m in group if m.get("createdBy") == uid),
            "assigned": sum(1 for m in group if uid in m.get("attendees", [])),
            "attended": sum(1 for m in group if uid in m.get("attended", [])),
        },
        "oneOnOnes": {"total": len(ones), "completed": sum(1 for m in ones if m["isCompleted"])},
    }


def rate(part: int, whole: int) -> int:
    """Percent rounded half up (87.5 -> 88), 0 when there is nothing to rate."""
    return int(part * 100 / whole + 0.5) if whole else 0


def responsiveness(stats: dict) -> dict:
    return {
        "feedbackResponseRate": rate(stats["feedback"]["answered"], stats["feedback"]["received"]),
        "goalCompletionRate": rate(stats["goals"]["completed"], stats["goals"]["total"]),
        "meetingAttendanceRate": rate(stats["meetings"]["attended"],
                                      stats["meetings"]["assigned"]),
        "oneOnOneCompletionRate": rate(stats["oneOnOnes"]["completed"],
                                       stats["oneOnOnes"]["total"]),
    }


def question_summary(form: dict) -> list[dict]:
    """Per-question response counts and scale averages, with no respondent named."""
    out = []
    for q in form.get("questions", []):
        key = str(q["id"])
        answers = [r["answers"][key] for r in form.get("responses", [])
                   if r.get("answers", {}).get(key) not in (None, "")]
        item = {"id": q["id"], "question": q["question"], "type": q["type"],
                "responseCount": len(answers)}
        if q["type"] == "scale":
            scores = [a for a in answers if isinstance(a, (int, float)) and not isinstance(a, bool)]
            item["averageScore"] = round(sum(scores) / len(scores), 1) if scores else None
            item["scale"] = {"min": str(q["scale"]["min"]), "max": str(q["scale"]["max"])}
        out.append(item)
    return out
