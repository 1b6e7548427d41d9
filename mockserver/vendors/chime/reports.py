"""Every report's rows, computed from the window's session facts (notes §5, the consistency rules
included): Inbound = every state but Deflected, Answered = Connected or Completed, Unanswered =
Inbound - Answered; day rows cover every local date of the window, zero-filled. One function per
report name, each `(data) -> rows`; the views add the envelope and the CSV.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from . import presence, transcripts
from .models import Facts, Window, agents_of, half_up, percent, ratio

DAY_NAMES = presence.WEEKDAYS
BUCKETS = (("0-30s", 30), ("30-60s", 60), ("1-2m", 120), ("2-5m", 300), ("5m+", None))


@dataclass
class Data:
    window: Window
    queues: list[dict]                       # the queues covered, by id
    sessions: dict[int, list[Facts]]         # queue id -> the window's sessions
    users: dict[int, dict]
    now: int
    seed: int
    config: dict
    topics: dict[str, dict]
    cache: dict = field(default_factory=dict)

    def all(self) -> list[Facts]:
        return [f for q in self.queues for f in self.sessions.get(q["id"], [])]

    def name(self, uid: int) -> str:
        user = self.users.get(uid)
        return user["name"] if user else f"User {uid}"

    def local(self, ts: int) -> datetime:
        return datetime.fromtimestamp(ts, self.window.tz)

    def transcript(self, f: Facts) -> list[dict]:
        queue = next((q for q in self.queues if q["id"] == f.queue_id), None)
        tags = f.record.get("skill_tags") or []
        names = {"guest": f.record["guest"]["name"],
                 "agent": self.name(f.record["agent_id"]) if f.record.get("agent_id") else None,
                 "dispatcher": queue["dispatcher_name"] if queue else "Chime"}
        return transcripts.transcript(self.cache, self.seed, f, names, self.config["messages"],
                                      self.topics.get(tags[0]) if tags else None)


def _per_day(data: Data, sessions: list[Facts]) -> dict:
    days = {d: [] for d in data.window.days()}
    for f in sessions:
        day = data.local(f.start).date()
        if day in days:
            days[day].append(f)
    return days


def _volume(items: list[Facts]) -> tuple[int, int]:
    inbound = sum(1 for f in items if f.inbound)
    answered = sum(1 for f in items if f.answered)
    return inbound, answered


def _mean(values: list[int]) -> int:
    return half_up(sum(values), len(values))


# -- Global ------------------------------------------------------------------------------------
def queue_summary(data: Data) -> list[dict]:
    rows = []
    for queue in data.queues:
        items = data.sessions.get(queue["id"], [])
        inbound, answered = _volume(items)
        done = [f for f in items if f.answered]
        rows.append({"QueueId": queue["id"], "QueueName": queue["name"], "Inbound": inbound,
                     "Answered": answered, "Unanswered": inbound - answered,
                     "AvgWaitSeconds": _mean([f.wait for f in done]),
                     "AvgDurationSeconds": _mean([f.duration for f in done])})
    return rows


def global_chat_volume(data: Data) -> list[dict]:
    if not data.queues:
        return []
    rows = []
    for day, items in _per_day(data, data.all()).items():
        inbound, answered = _volume(items)
        rows.append({"Date": day.isoformat(), "Inbound": inbound, "Answered": answered,
                     "Unanswered": inbound - answered})
    return rows


def _agent_tallies(data: Data, items: list[Facts]):
    accepted, missed = defaultdict(list), Counter()
    for f in items:
        if f.answered and f.record.get("agent_id"):
            accepted[f.record["agent_id"]].append(f)
        for uid in f.record.get("missed_offers") or ():
            missed[uid] += 1
    return accepted, missed


def agent_summary(data: Data) -> list[dict]:
    if not data.queues:
        return []
    accepted, missed = _agent_tallies(data, data.all())
    ids = {uid for q in data.queues for uid in agents_of(data.users, q["id"])}
    ids |= set(accepted) | set(missed)
    return [{"AgentId": uid, "AgentName": data.name(uid), "ChatsAccepted": len(accepted[uid]),
             "ChatsMissed": missed[uid],
             "AvgDurationSeconds": _mean([f.duration for f in accepted[uid]])}
            for uid in sorted(ids)]


# -- Basic -------------------------------------------------------------------------------------
def _queue_items(data: Data) -> list[Facts]:
    return data.sessions.get(data.queues[0]["id"], [])


def inbound_vs_answered(data: Data) -> list[dict]:
    rows = []
    for day, items in _per_day(data, _queue_items(data)).items():
        inbound, answered = _volume(items)
        rows.append({"Date": day.isoformat(), "Inbound": inbound, "Answered": answered,
                     "Unanswered": inbound - answered,
                     "AnswerRatePercent": percent(answered, inbound)})
    return rows


def chats_by_hour(data: Data) -> list[dict]:
    counts = [[0, 0] for _ in range(24)]
    for f in _queue_items(data):
        hour = data.local(f.start).hour
        counts[hour][0] += f.inbound
        counts[hour][1] += f.answered
    return [{"Hour": h, "Inbound": c[0], "Answered": c[1]} for h, c in enumerate(counts)]


def chats_by_day_of_week(data: Data) -> list[dict]:
    counts = [[0, 0] for _ in range(7)]
    for f in _queue_items(data):
        weekday = data.local(f.start).weekday()
        counts[weekday][0] += f.inbound
        counts[weekday][1] += f.answered
    return [{"DayOfWeek": DAY_NAMES[d], "Inbound": c[0], "Answered": c[1]}
            for d, c in enumerate(counts)]


def chat_sessions(data: Data) -> list[dict]:
    tz = data.window.tz
    from .models import zoned
    rows = []
    for f in _queue_items(data):
        record = f.record
        ended = record.get("ended_utc")
        rows.append({
            "SessionId": record["id"],
            "StartedLocal": zoned(datetime.fromisoformat(record["started_utc"]), tz),
            "EndedLocal": zoned(datetime.fromisoformat(ended), tz) if ended else None,
            "State": f.state, "GuestName": record["guest"]["name"],
            "GuestEmail": record["guest"].get("email") or None,
            "AgentName": data.name(record["agent_id"]) if record.get("agent_id") else None,
            "WaitSeconds": f.wait, "DurationSeconds": f.duration,
            "Question": record.get("question") or ""})
    return rows


# -- Agent -------------------------------------------------------------------------------------
def chats_per_agent(data: Data) -> list[dict]:
    queue_id = data.queues[0]["id"]
    accepted, missed = _agent_tallies(data, _queue_items(data))
    ids = set(agents_of(data.users, queue_id)) | set(accepted) | set(missed)
    rows = []
    for uid in sorted(ids):
        took = accepted[uid]
        rows.append({"AgentId": uid, "AgentName": data.name(uid),
                     "ChatsOffered": len(took) + missed[uid], "ChatsAccepted": len(took),
                     "ChatsMissed": missed[uid],
                     "AvgDurationSeconds": _mean([f.duration for f in took]),
                     "TotalHandleSeconds": sum(f.duration for f in took)})
    return rows


def agent_availability(data: Data) -> list[dict]:
    agents = [data.users[uid] for uid in agents_of(data.users, data.queues[0]["id"])]
    rows = []
    for day in data.window.days():
        lo, hi = data.window.day_bounds(day)
        for user in agents:
            available, away, offline = presence.minutes(data.seed, user,
                                                        data.config["presence"], lo, hi)
            rows.append({"Date": day.isoformat(), "AgentId": user["id"], "AgentName": user["name"],
                         "AvailableMinutes": available, "AwayMinutes": away,
                         "OfflineMinutes": offline})
    return rows


def agent_concurrent_load(data: Data) -> list[dict]:
    accepted, _ = _agent_tallies(data, _queue_items(data))
    ids = set(agents_of(data.users, data.queues[0]["id"])) | set(accepted)
    rows = []
    for uid in sorted(ids):
        spans = [(f.accepted, f.end) for f in accepted[uid] if f.end > f.accepted]
        events = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
        level = peak = 0
        covered, last = 0, None
        for moment, step in events:
            if level > 0 and last is not None:
                covered += moment - last
            level += step
            peak = max(peak, level)
            last = moment
        busy = sum(b - a for a, b in spans)
        rows.append({"AgentId": uid, "AgentName": data.name(uid), "MaxConcurrentChats": peak,
                     "AvgConcurrentChats": ratio(busy, covered)})
    return rows


# -- Performance -------------------------------------------------------------------------------
def average_speed_to_answer(data: Data) -> list[dict]:
    rows = []
    for day, items in _per_day(data, _queue_items(data)).items():
        waits = [f.wait for f in items if f.answered]
        rows.append({"Date": day.isoformat(), "Answered": len(waits),
                     "AvgWaitSeconds": _mean(waits), "MaxWaitSeconds": max(waits, default=0)})
    return rows


def average_chat_duration(data: Data) -> list[dict]:
    rows = []
    for day, items in _per_day(data, _queue_items(data)).items():
        spans = [f.duration for f in items if f.answered]
        rows.append({"Date": day.isoformat(), "Answered": len(spans),
                     "AvgDurationSeconds": _mean(spans),
                     "MaxDurationSeconds": max(spans, default=0)})
    return rows


def abandoned_chats(data: Data) -> list[dict]:
    rows = []
    for day, items in _per_day(data, _queue_items(data)).items():
        inbound, _ = _volume(items)
        abandoned = sum(1 for f in items if f.state == "Abandoned")
        dropped = sum(1 for f in items if f.record.get("dropped_while_connected"))
        rows.append({"Date": day.isoformat(), "Inbound": inbound, "Abandoned": abandoned,
                     "DroppedWhileConnected": dropped,
                     "AbandonRatePercent": percent(abandoned, inbound)})
    return rows


def wait_time_distribution(data: Data) -> list[dict]:
    counts = Counter()
    for f in _queue_items(data):
        if f.answered:
            counts[next(name for name, limit in BUCKETS if limit is None or f.wait < limit)] += 1
    return [{"Bucket": name, "Chats": counts[name]} for name, _ in BUCKETS]


# -- Text analytics ----------------------------------------------------------------------------
def _keyword_patterns(topics: dict) -> list[tuple[str, re.Pattern]]:
    words = sorted({k.lower() for t in topics.values() for k in t.get("keywords") or ()})
    return [(w, re.compile(r"(?<!\w)" + re.escape(w) + r"(?!\w)", re.IGNORECASE)) for w in words]


def keyword_frequency(data: Data) -> list[dict]:
    patterns = _keyword_patterns(data.topics)
    occurrences, sessions = Counter(), Counter()
    for f in _queue_items(data):
        text = "\n".join(m["Text"] for m in data.transcript(f) if m["SenderType"] == "Guest")
        for word, pattern in patterns:
            hits = len(pattern.findall(text))
            if hits:
                occurrences[word] += hits
                sessions[word] += 1
    return [{"Keyword": w, "Occurrences": occurrences[w], "Sessions": sessions[w]}
            for w in sorted(occurrences, key=lambda w: (-occurrences[w], w))]


def question_topics(data: Data) -> list[dict]:
    items = _queue_items(data)
    counts = Counter((f.record.get("skill_tags") or ["Uncategorized"])[0] for f in items)
    return [{"Topic": t, "Sessions": n, "SharePercent": percent(n, len(items))}
            for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


# -- Bot ---------------------------------------------------------------------------------------
def bot_deflected_vs_routed(data: Data) -> list[dict]:
    rows = []
    for day, items in _per_day(data, _queue_items(data)).items():
        bot = sum(1 for f in items if f.record.get("bot_handled"))
        deflected = sum(1 for f in items if f.state == "Deflected")
        rows.append({"Date": day.isoformat(), "BotSessions": bot, "Deflected": deflected,
                     "RoutedToAgent": bot - deflected,
                     "DeflectionRatePercent": percent(deflected, bot)})
    return rows


def bot_faq_matches(data: Data) -> list[dict]:
    matches, accepted = Counter(), Counter()
    for f in _queue_items(data):
        offer = f.record.get("faq_offer")
        if offer:
            matches[offer["title"]] += 1
            accepted[offer["title"]] += bool(offer.get("accepted"))
    return [{"FaqTitle": t, "Matches": n, "AcceptedByGuest": accepted[t]}
            for t, n in sorted(matches.items(), key=lambda kv: (-kv[1], kv[0]))]


REPORTS: dict[str, Callable[[Data], list[dict]]] = {
    "QueueSummary": queue_summary, "GlobalChatVolume": global_chat_volume,
    "AgentSummary": agent_summary, "InboundVsAnsweredChats": inbound_vs_answered,
    "ChatsByHourOfDay": chats_by_hour, "ChatsByDayOfWeek": chats_by_day_of_week,
    "ChatSessions": chat_sessions, "ChatsPerAgent": chats_per_agent,
    "AgentAvailability": agent_availability, "AgentConcurrentLoad": agent_concurrent_load,
    "AverageSpeedToAnswer": average_speed_to_answer,
    "AverageChatDuration": average_chat_duration, "AbandonedChats": abandoned_chats,
    "WaitTimeDistribution": wait_time_distribution, "KeywordFrequency": keyword_frequency,
    "QuestionTopics": question_topics, "BotDeflectedVsRouted": bot_deflected_vs_routed,
    "BotFaqMatches": bot_faq_matches,
}
