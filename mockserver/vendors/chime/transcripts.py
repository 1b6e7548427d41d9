"""Session transcripts: the stored messages when a record has them, otherwise built lazily and
deterministically from (seed, session) and the seed's line templates (seed_data/chime.yaml
`messages`; notes §6.3). Building thousands of transcripts at start-up would slow it down; building
one on demand costs microseconds and always gives the same lines for the same record.
"""
from __future__ import annotations

from mockserver.core.rng import Randomness

from .models import iso_ts


def stored(messages: list[dict]) -> list[dict]:
    return [{"Sequence": m["sequence"], "TimestampUtc": m["timestamp_utc"],
             "SenderType": m["sender_type"], "SenderName": m["sender_name"], "Text": m["text"]}
            for m in sorted(messages, key=lambda m: m["sequence"])]


def _spread(lo: int, hi: int, count: int) -> list[int]:
    if count <= 0:
        return []
    hi = max(hi, lo)
    return [lo + (hi - lo) * i // count for i in range(count)]


def build(seed: int, facts, names: dict, config: dict, topic: dict | None) -> list[dict]:
    """The transcript of a session whose record carries no messages."""
    record = facts.record
    rnd = Randomness(seed).stream("chime", "transcript", record["id"])
    templates = config["templates"]
    lengths = config["length"]
    guest, agent, dispatcher = names["guest"], names.get("agent") or "", names["dispatcher"]
    keyword = rnd.choice(topic["keywords"]) if topic and topic.get("keywords") else "issue"
    resolution = (record.get("status") or {}).get("resolution_notes") or (
        rnd.choice(topic["resolutions"]) if topic and topic.get("resolutions") else "All sorted")
    fill = {"question": record["question"], "guest_first": guest.split(" ")[0], "agent": agent,
            "agent_first": agent.split(" ")[0], "dispatcher": dispatcher, "keyword": keyword,
            "faq_title": (record.get("faq_offer") or {}).get("title") or "",
            "resolution": resolution.rstrip(".")}

    def say(kind, name, text):
        return (kind, name, text.format(**fill))

    before: list[tuple] = []
    if record.get("bot_handled"):
        before.append(say("Bot", dispatcher, templates["bot"]["greeting"]))
    before.append(("Guest", guest, record["question"]))
    offer = record.get("faq_offer")
    if offer:
        before.append(say("Bot", dispatcher, templates["bot"]["faq_offer"]))
        if offer.get("accepted"):
            before.append(("Guest", guest, "Yes, that worked. Thank you!"))
            before.append(say("Bot", dispatcher, templates["bot"]["faq_accepted"]))
        else:
            before.append(("Guest", guest, "I tried that already."))
    if record.get("bot_handled") and facts.state != "Deflected":
        before.append(say("Bot", dispatcher, templates["bot"]["routing"]))

    after: list[tuple] = []
    if facts.answered:
        after.append(say("System", dispatcher, templates["system"]["connected"]))
        span = lengths["answered"]
        target = rnd.randint(span["min"], span["max"]) - len(before) - 2
        agent_lines = templates["agent"]
        for i in range(max(target, 1)):
            if i % 2 == 0:
                line = agent_lines[min(i // 2, len(agent_lines) - 1)] if i // 2 < 4 \
                    else rnd.choice(agent_lines[1:])
                after.append(say("Agent", agent, line))
            else:
                after.append(say("Guest", guest, rnd.choice(templates["guest"])))
        if facts.state == "Completed":
            closing = "guest_left" if record.get("dropped_while_connected") else "agent_ended"
            after.append(say("System", dispatcher, templates["system"][closing]))
    elif facts.state == "Abandoned":
        extra = rnd.randint(lengths["abandoned"]["min"], lengths["abandoned"]["max"]) - 2
        for _ in range(max(extra, 0)):
            before.append(("Guest", guest, "Hello? Is anyone there?"))
        before.append(say("System", dispatcher, templates["system"]["guest_left"]))

    pre_end = facts.accepted if facts.accepted is not None else facts.end
    times = _spread(facts.start, pre_end, len(before))
    times += _spread(facts.accepted or pre_end, facts.end, len(after))
    if facts.state in ("Completed", "Abandoned", "Deflected") and times:
        times[-1] = facts.end
    return [{"Sequence": i + 1, "TimestampUtc": iso_ts(ts), "SenderType": kind,
             "SenderName": name or kind, "Text": text}
            for i, (ts, (kind, name, text)) in enumerate(zip(times, before + after))]


def transcript(cache: dict, seed: int, facts, names: dict, config: dict,
               topic: dict | None) -> list[dict]:
    record = facts.record
    if record.get("messages") is not None:
        return stored(record["messages"])
    key = (seed, record["id"], record["started_utc"], facts.accepted, facts.end, facts.state,
           record["question"], tuple(record.get("skill_tags") or ()), repr(record.get("faq_offer")),
           record.get("bot_handled"), record.get("dropped_while_connected"),
           repr(record.get("status")), tuple(sorted(names.items())))
    hit = cache.get(key)
    if hit is None:
        if len(cache) > 50000:
            cache.clear()
        hit = cache[key] = build(seed, facts, names, config, topic)
    return hit
