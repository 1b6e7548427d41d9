"""Builders for the Chime store: queues, users, the topic vocabulary, the sandbox settings the
views read (presence rhythm, transcript templates) and months of chat sessions.

Sessions follow seed_data/chime.yaml: a Poisson count per local date and queue with weekday and
hourly rhythm, outcomes by share, waits and durations from the seed's distributions, and only
Available agents with a free slot answer (see presence.py). Everything random comes from the seeded
streams; dates are relative to the anchor. Faker only names the guest pool; each session is drawn
with the seeded `random.Random`, so seeding stays fast. Transcripts are not stored for generated
sessions: transcripts.py rebuilds them on demand from (seed, session).
"""
from __future__ import annotations

import bisect
import math
import time as _time
from datetime import datetime, time, timedelta
from typing import Iterator

from . import presence
from .models import TENANT, zone_info

STATES = ("Waiting", "Connected", "Completed", "Abandoned", "Deflected")
CHANNELS = ("msteams", "webchat")
SENDER_TYPES = ("Guest", "Agent", "Bot", "System")
COUNTRIES = {"en-US": "US", "en-GB": "GB", "es-US": "US", "fr-CA": "CA", "de-DE": "DE"}
GUEST_ZONES = {"en-US": "America/New_York", "en-GB": "Europe/London", "es-US": "America/Chicago",
               "fr-CA": "America/Toronto", "de-DE": "Europe/Berlin"}
CITIES = ("Boston", "Chicago", "Denver", "London", "Toronto", "Austin", "Seattle", "Atlanta")


class _Weights:
    """A weighted choice with its cumulative weights worked out once."""

    def __init__(self, mapping):
        items = list(mapping.items()) if isinstance(mapping, dict) else list(enumerate(mapping))
        self.keys = [k for k, _ in items]
        self.cum, total = [], 0.0
        for _, weight in items:
            total += weight
            self.cum.append(total)
        self.total = total

    def pick(self, rnd):
        return self.keys[min(bisect.bisect_right(self.cum, rnd.random() * self.total),
                             len(self.keys) - 1)]


def _weighted(rnd, mapping: dict):
    return _Weights(mapping).pick(rnd)


def _poisson(rnd, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= limit:
            return k
        k += 1


def _draw(rnd, spec: dict) -> int:
    if "lognormal" in spec:
        value = rnd.lognormvariate(math.log(spec["lognormal"]["median"]),
                                   spec["lognormal"]["sigma"])
    else:
        value = rnd.uniform(spec["uniform"]["min"], spec["uniform"]["max"])
    return int(min(max(value, spec.get("min", 0)), spec.get("max", value)))


def build_seed(doc: dict, rng, anchor: datetime) -> Iterator[tuple[str, str, object, dict]]:
    if not doc:
        return
    tenant = str(doc.get("tenant", TENANT))
    config = {"id": "default",
              "presence": {"default_shift": doc["presence"]["default_shift"],
                           "away_minutes_per_day": doc["presence"]["away_minutes_per_day"],
                           "absent_day_probability": doc["presence"]["absent_day_probability"]},
              "messages": doc["messages"]}
    yield tenant, "config", "default", config

    topics = {name: {"id": name, "keywords": list(t.get("keywords") or []),
                     "questions": list(t.get("questions") or []), "faq": t.get("faq"),
                     "resolutions": list(t.get("resolutions") or [])}
              for name, t in doc["text_analytics"]["topics"].items()}
    for topic in topics.values():
        yield tenant, "topics", topic["id"], topic

    queues = []
    for q in doc["queues"]:
        queue = {"id": int(q["id"]), "name": q["name"], "timezone": q["timezone"],
                 "dispatcher_name": q["dispatcher"]["name"],
                 "bot_enabled": bool(q["bot"]["enabled"]), "faqs": list(q["bot"]["faqs"]),
                 "max_concurrent_chats": int(q.get("max_concurrent_chats", 2))}
        queues.append(queue)
        yield tenant, "queues", queue["id"], queue

    users = []
    for u in doc["users"]:
        user = {"id": int(u["id"]), "email": u["email"], "name": u["name"],
                "api_key": u.get("api_key"), "key_generation": 0, "admin": bool(u.get("admin")),
                "roles": {str(q): list(r) for q, r in (u.get("roles") or {}).items()},
                "timezone": u.get("timezone") or "UTC", "shift": u.get("shift")}
        if user["shift"] is not None:
            user["shift"] = {"days": list(doc["presence"]["default_shift"]["days"]),
                             **user["shift"]}
        users.append(user)
        yield tenant, "users", user["id"], user

    pinned = [_pinned(s) for s in doc.get("pinned_sessions") or []]
    for session in pinned:
        yield tenant, "sessions", session["id"], session
    yield from ((tenant, "sessions", s["id"], s)
                for s in _sessions(doc, rng, anchor, queues, users, topics, config))


def _pinned(s: dict) -> dict:
    keys = ("id", "queue_id", "state", "channel_id", "started_utc", "accepted_utc", "ended_utc",
            "question", "agent_id", "dropped_while_connected", "bot_handled", "faq_offer",
            "missed_offers", "guest", "status", "seeker_data", "skill_tags", "transfers",
            "messages")
    out = {k: s.get(k) for k in keys}
    for k in ("missed_offers", "skill_tags", "transfers"):
        out[k] = list(out[k] or [])
    out["seeker_data"] = dict(out["seeker_data"] or {})
    return out


def _guest_pool(doc, rng, size: int) -> list[dict]:
    fake = rng.faker("chime", "guests")
    rnd = rng.stream("chime", "guests")
    tenant_guid = doc.get("tenant_guid", "00000000-0000-0000-0000-000000000000")
    # Faker names a small set of given names and surnames once; guests combine them.
    givens = sorted({fake.first_name() for _ in range(60)})
    surnames = sorted({fake.last_name() for _ in range(60)})
    locales, platforms = _Weights(doc["guests"]["locales"]), _Weights(doc["guests"]["platforms"])
    pool, seen = [], set()
    for _ in range(size):
        given, surname = rnd.choice(givens), rnd.choice(surnames)
        local = (given[0] + surname).lower().replace("'", "").replace(" ", "")
        while local in seen:
            local += str(rnd.randint(2, 9))
        seen.add(local)
        locale = locales.pick(rnd)
        email = f"{local}@example.com"
        base = {"id": f"dl_{local}@{tenant_guid}", "name": f"{given} {surname}",
                "given_name": given, "surname": surname, "email": email,
                "user_principal_name": email, "locale": locale, "timezone": GUEST_ZONES[locale],
                "country": COUNTRIES[locale], "platform": platforms.pick(rnd)}
        pool.append(({**base, "is_new": True}, {**base, "is_new": False}))
    return pool


def _available_spans(rng, user, config, lo: float, hi: float) -> tuple[list, list]:
    spans = [(a, b) for a, b, status in presence.spells_between(rng.seed, user, config, lo, hi)
             if status == "Available"]
    return [a for a, _ in spans], spans


def _sessions(doc, rng, anchor, queues, users, topics, config) -> list[dict]:
    rnd = rng.stream("chime", "sessions")
    counts, rhythm, outcomes = doc["counts"], doc["rhythm"], doc["outcomes"]
    dist, guests_doc = doc["distributions"], doc["guests"]
    end_ts = anchor.timestamp()
    begin_ts = end_ts - counts["history_days"] * 86400
    hour_of_day = _Weights(list(rhythm["hourly_weights"]))
    weekday_w = [rhythm["weekday_weights"][d] for d in presence.WEEKDAYS]

    # when each session starts: per queue, per local date, Poisson(rate x weekday weight)
    starts = []
    for queue in queues:
        tz = zone_info(queue["timezone"])
        day = datetime.fromtimestamp(begin_ts, tz).date()
        last = datetime.fromtimestamp(end_ts, tz).date()
        while day <= last:
            for _ in range(_poisson(rnd, queue_rate(doc, queue) * weekday_w[day.weekday()])):
                hour = hour_of_day.pick(rnd)
                moment = datetime.combine(day, time(hour, rnd.randrange(60), rnd.randrange(60)),
                                          tz).timestamp()
                if begin_ts <= moment < end_ts:
                    starts.append((int(moment), queue["id"]))
            day += timedelta(days=1)
    starts.sort()

    presence_cfg = config["presence"]
    by_queue = {q["id"]: q for q in queues}
    agents = {q["id"]: [u for u in users if "Agent" in u["roles"].get(str(q["id"]), ())]
              for q in queues}
    spans = {u["id"]: _available_spans(rng, u, presence_cfg, begin_ts - 86400, end_ts + 86400)
             for u in users if any("Agent" in r for r in u["roles"].values())}
    busy: dict[int, list[int]] = {uid: [] for uid in spans}
    pool = _guest_pool(doc, rng, counts["guest_pool"])
    met: set[int] = set()
    names = [g[0] for g in pool]

    def available(uid: int, ts: int) -> bool:
        starts_, list_ = spans[uid]
        i = bisect.bisect_right(starts_, ts) - 1
        return i >= 0 and list_[i][0] <= ts < list_[i][1]

    def free(uid: int, ts: int, cap: int) -> bool:
        ends = busy[uid]
        ends[:] = [e for e in ends if e > ts]
        return len(ends) < cap

    out, next_id = [], int(counts["first_generated_session_id"])
    shares = {"answered": outcomes["answered"], "abandoned": outcomes["abandoned"],
              "deflected": outcomes["deflected"]}
    queue_topics = {int(q["id"]): q["topics"] for q in doc["queues"]}
    topic_weights = {qid: _Weights(t) for qid, t in queue_topics.items()}
    outcome_weights = _Weights(shares)
    channels = doc["guests"]["channels"]["msteams"]
    for start, qid in starts:
        queue = by_queue[qid]
        topic_name = None if rnd.random() < doc["text_analytics"]["uncategorized_share"] \
            else topic_weights[qid].pick(rnd)
        topic = topics.get(topic_name) if topic_name else None
        question_topic = topic or topics[rnd.choice(list(queue_topics[qid]))]
        question = rnd.choice(question_topic["questions"])
        faq = topic["faq"] if topic and queue["bot_enabled"] and topic_name in queue["faqs"] \
            else None
        outcome = outcome_weights.pick(rnd)
        if outcome == "deflected" and not faq:
            outcome = "answered"
        record = {"id": None, "queue_id": qid, "state": None, "channel_id": None,
                  "started_utc": iso_ts(start), "accepted_utc": None, "ended_utc": None,
                  "question": question, "agent_id": None, "dropped_while_connected": False,
                  "bot_handled": queue["bot_enabled"], "faq_offer": None, "missed_offers": [],
                  "guest": None, "status": {"is_resolved": False, "resolution_notes": None,
                                            "resolved_by_type": None},
                  "seeker_data": {}, "skill_tags": [topic_name] if topic_name else [],
                  "transfers": [], "messages": None}
        if outcome == "deflected":
            ended = start + _draw(rnd, dist["duration"]["deflected"])
            record.update(state="Deflected", ended_utc=iso_ts(ended),
                          faq_offer={"title": faq, "accepted": True},
                          status={"is_resolved": True, "resolution_notes": None,
                                  "resolved_by_type": "Bot"})
        else:
            if faq and rnd.random() < doc["text_analytics"]["faq_declined_share"]:
                record["faq_offer"] = {"title": faq, "accepted": False}
            chosen = None
            if outcome == "answered":
                accept = start + _draw(rnd, dist["wait"]["answered"])
                cap = queue["max_concurrent_chats"]
                candidates = [u["id"] for u in agents[qid]
                              if available(u["id"], accept) and free(u["id"], accept, cap)]
                if candidates:
                    chosen = rnd.choice(candidates)
                    others = [c for c in candidates if c != chosen]
                    rnd.shuffle(others)
                    record["missed_offers"] = sorted(
                        c for c in others[:outcomes["missed_offers"]["max"]]
                        if rnd.random() < outcomes["missed_offers"]["probability"])
            if chosen is not None:
                ended = accept + _draw(rnd, dist["duration"]["answered"])
                busy[chosen].append(ended)
                dropped = rnd.random() < outcomes["dropped_while_connected"]
                resolved = not dropped and rnd.random() >= outcomes["unresolved"]
                notes = (rnd.choice((topic or question_topic)["resolutions"])
                         if resolved and rnd.random() < outcomes["resolution_notes"] else None)
                record.update(state="Completed", accepted_utc=iso_ts(accept),
                              ended_utc=iso_ts(ended), agent_id=chosen,
                              dropped_while_connected=dropped,
                              status={"is_resolved": resolved, "resolution_notes": notes,
                                      "resolved_by_type": "Agent" if resolved else None})
            else:
                ended = start + _draw(rnd, dist["wait"]["abandoned"])
                record.update(state="Abandoned", ended_utc=iso_ts(ended))
        if ended > end_ts:  # would still be live at the anchor: the seed holds no live chats
            continue
        if rnd.random() < channels:
            index = rnd.randrange(len(pool))
            record["channel_id"] = "msteams"
            record["guest"] = pool[index][0 if index not in met else 1]
            met.add(index)
        else:
            record["channel_id"] = "webchat"
            record["guest"], record["seeker_data"] = _web_guest(rnd, guests_doc, names)
        record["id"] = next_id
        next_id += 1
        out.append(record)
    return out


def queue_rate(doc, queue) -> float:
    """Sessions on a weekday of weight 1.0, so the weekday weights scale it."""
    source = next(q for q in doc["queues"] if int(q["id"]) == queue["id"])
    return float(source["sessions_per_day"])


def _web_guest(rnd, guests_doc, names) -> tuple[dict, dict]:
    like = rnd.choice(names)
    locale = _weighted(rnd, guests_doc["locales"])
    email = (f"{like['given_name'][0]}{like['surname']}".lower().replace("'", "").replace(" ", "")
             + "@mail.example.net") if rnd.random() < guests_doc["email_share"] else None
    guest = {"id": f"web_{rnd.getrandbits(48):012x}", "name": like["name"],
             "given_name": like["given_name"], "surname": like["surname"], "email": email,
             "user_principal_name": None, "locale": locale, "timezone": GUEST_ZONES[locale],
             "country": None, "platform": "Web", "is_new": True}
    seeker = {}
    if rnd.random() < guests_doc["seeker_data_share"]:
        offset = {"America/New_York": -300, "Europe/London": 0, "America/Chicago": -360,
                  "America/Toronto": -300, "Europe/Berlin": 60}[guest["timezone"]]
        seeker = {"location": rnd.choice(CITIES),
                  "referrerURL": rnd.choice(guests_doc["referrer_urls"]),
                  "ip": f"203.0.113.{rnd.randint(1, 254)}", "seekerOffsetMinutes": offset}
    return guest, seeker


def iso_ts(ts: float) -> str:
    return _time.strftime("%Y-%m-%dT%H:%M:%SZ", _time.gmtime(ts))
